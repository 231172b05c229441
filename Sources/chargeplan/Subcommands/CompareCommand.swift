import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Two scenarios side by side: installed units, capex, unmet demand, findings, NPV, per rollout and city.",
        discussion: """
            A and B are scenario ids (Scenarios/<id>.yaml) or baseline (no overlay). Both are planned in memory
            (plans/ is neither read nor written); the differences come first, grouped rollout → city → year, with the
            overrides that differ named as their cause, then every city side by side.
            Exit codes: 0 no difference; 1 differences; 2 bad input or usage.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The first scenario id (or baseline).", completion: ProjectCompletion.scenarios)
    var a: String

    @Argument(help: "The second scenario id (or baseline).", completion: ProjectCompletion.scenarios)
    var b: String

    @Option(
        help: "Only this rollout (repeatable; default: every rollout of the scenarios' rule set).",
        completion: ProjectCompletion.rollouts)
    var rollout: [String] = []

    @Option(name: .shortAndLong, help: "text, markdown (for PR comments) or json.")
    var format: ComparisonWriter.Format = .text

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let report: ScenarioComparison.Report
        do {
            let workspace = try Workspace.load(root: project.root)
            report = try ScenarioComparison.run(workspace, a: a, b: b, rollouts: rollout, threads: threads)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        print(ComparisonWriter.render(report, as: format), terminator: "")
        if !report.isEmpty { throw ExitCode(1) }
    }
}
