import ArgumentParser
import Foundation
import Siting

/// `chargeplan site --instance FILE.json`: solves one standalone siting instance (maximal
/// covering location problem) and prints the answer as canonical JSON. All the work is in
/// `SitingInstance` (Siting library), where it is tested; this only does the file and exit code.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Choose station sites for a standalone instance (maximal covering location problem).",
        discussion: """
            Reads {"radius_km", "p", "min_spacing_km"?, "demand": [{"id","lat","lon","weight"}], \
            "candidates": [{"id","lat","lon"}], "fixed"?: [ids]} and prints the chosen sites, the \
            covered weight and a proven upper bound as JSON (sorted keys, six decimals). \
            "metric": "euclidean" takes planar x/y with "radius" (and "min_spacing") instead; \
            "metric": "matrix" takes "distances" (a row per demand point, an entry per candidate). \
            Exit codes: 0 solved, 2 bad instance or usage. See docs/SITING.md.
            """)

    @Option(
        name: .long, help: ArgumentHelp("The instance file (JSON); '-' reads standard input.", valueName: "FILE.json"))
    var instance: String

    func run() throws {
        let name = instance == "-" ? "<stdin>" : instance
        let data: Data
        if instance == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let d = FileManager.default.contents(atPath: instance) {
            data = d
        } else {
            Self.printError("\(name): error: cannot read the file")
            throw ExitCode(2)
        }
        do {
            let output = try SitingInstance.run(json: [UInt8](data))
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch {
            Self.printError("\(name): error: \(error.message)")
            throw ExitCode(2)
        }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
