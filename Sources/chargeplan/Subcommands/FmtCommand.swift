import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format Cities/ and Rules/ YAML canonically, keeping comments.",
        discussion: """
            Without FILES, formats every input file under --root. With --check nothing is written:
            the files that would change are listed.
            Exit codes: 0 all canonical (or rewritten); 1 --check found files to format; 2 unreadable files (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "List files that are not canonical and exit 1; write nothing.")
    var check = false

    @Argument(
        help: "Files to format, relative to --root (default: Cities/*.yaml, Cities/rollouts/*.yaml, Rules/*/*.yaml).")
    var files: [String] = []

    func run() throws {
        let paths =
            files.isEmpty
            ? try ReviewFiles.inputFiles(root: project.root)
            : files.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
        var changed: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for path in paths {
            let full = ReviewFiles.join(project.root, path)
            let text: String
            do { text = try InputFile.read(full, shownAs: path) } catch {
                failures += error.diagnostics
                continue
            }
            do {
                let formatted = try YAMLFormatter.format(text, path: path)
                if formatted != text { changed.append((path, formatted)) }
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticPrinter.fail(DiagnosticsError(failures)) }
        if check {
            for file in changed { print(file.path) }
            if !changed.isEmpty {
                let what = "\(changed.count) of \(counted(paths.count, "file")) \(changed.count == 1 ? "is" : "are")"
                FileHandle.standardError.write(Data("\(what) not formatted; run: swift run chargeplan fmt\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        try ReviewFiles.write(changed.map { (ReviewFiles.join(project.root, $0.path), $0.content) })
        for file in changed { print("formatted \(file.path)") }
        if changed.isEmpty { print("\(counted(paths.count, "file")) already formatted") }
    }
}
