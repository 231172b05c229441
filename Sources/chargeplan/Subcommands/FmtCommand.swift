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
        let request = FormatRequest(root: project.root, files: files)
        let outcome: FormatRequest.Outcome
        do { outcome = try request.formatted() } catch { throw DiagnosticPrinter.fail(error) }
        let changed = outcome.changed
        if check {
            for file in changed { print(file.path) }
            if !changed.isEmpty {
                let what =
                    "\(changed.count) of \(counted(outcome.paths.count, "file")) \(changed.count == 1 ? "is" : "are")"
                FileHandle.standardError.write(Data("\(what) not formatted; run: swift run chargeplan fmt\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        do { try request.write(outcome) } catch { throw DiagnosticPrinter.fail(error) }
        for file in changed { print("formatted \(file.path)") }
        if changed.isEmpty { print("\(counted(outcome.paths.count, "file")) already formatted") }
    }
}
