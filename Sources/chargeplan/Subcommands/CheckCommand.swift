import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Validate Cities/ and Rules/: schema, references, CEL types, cycles, unused parameters, impossible conditions.",
        discussion: "Exit codes: 0 clean; 1 findings; 2 unreadable input (YAML syntax, unreadable file)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, github, json
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output: text (file:line:col: severity: message), github (Actions annotations) or json.")
    var format: Format = .text

    func run() throws {
        let outcome = CheckRequest(root: project.root).run()
        switch format {
        case .text:
            DiagnosticPrinter.print(outcome.listed)
            if outcome.findings.isEmpty { print("check: no findings") }
        case .github: print(DiagnosticFormat.github(outcome.listed), terminator: "")
        case .json: print(DiagnosticFormat.json(outcome.listed), terminator: "")
        }
        if outcome.unreadable { throw ExitCode(2) }
        if !outcome.findings.isEmpty { throw ExitCode(1) }
    }
}
