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
        var diagnostics: [Diagnostic] = []
        var deprecations: [Diagnostic] = []
        var unreadable = false
        do {
            let workspace = try Workspace.load(root: project.root)
            for ruleSet in workspace.ruleSets {
                do { _ = try CompiledRuleSet.compile(ruleSet) } catch { diagnostics += error.diagnostics }
            }
            diagnostics += StaticChecks.run(workspace)
            deprecations = workspace.deprecations
        } catch {
            diagnostics = error.diagnostics
            unreadable = error.diagnostics.contains { Self.isUnreadable($0) }
        }
        // Deprecated spellings are listed with the rest but fail nothing: the old files still load.
        let findings = diagnostics
        diagnostics = (diagnostics + deprecations).sorted(by: Diagnostic.sortKey)
        switch format {
        case .text:
            DiagnosticPrinter.print(diagnostics)
            if findings.isEmpty { print("check: no findings") }
        case .github: print(DiagnosticFormat.github(diagnostics), terminator: "")
        case .json: print(DiagnosticFormat.json(diagnostics), terminator: "")
        }
        if unreadable { throw ExitCode(2) }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    /// Input that could not be read at all, as opposed to input that was read and found wrong.
    static func isUnreadable(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.position == nil || diagnostic.id.isUnreadable
    }
}
