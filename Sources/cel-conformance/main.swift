import CEL
import Foundation

// Usage: cel-conformance FOLDER [--verbose]
// Runs every conformance case file in FOLDER and prints one line per file and a total.
var arguments = Array(CommandLine.arguments.dropFirst())
let verbose = arguments.contains("--verbose")
arguments.removeAll { $0 == "--verbose" }
guard let folder = arguments.first else {
    FileHandle.standardError.write(Data("usage: cel-conformance FOLDER [--verbose]\n".utf8))
    exit(2)
}
do {
    let report = try CELConformanceRunner().run(folder: URL(fileURLWithPath: folder))
    print(CELConformanceRunner.format(report, verbose: verbose))
} catch {
    FileHandle.standardError.write(Data("cel-conformance: \(error)\n".utf8))
    exit(1)
}
