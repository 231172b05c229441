import ArgumentParser
import Foundation
import PlanWriters
import PlanningEngine
import PlanReview

extension Severity: ExpressibleByArgument {}

/// `chargeplan findings`: the requirement findings of the written plans, filtered; a rollout with no written plans is
/// planned now (in memory, nothing written). The reading, filtering and writing are `FindingList`'s.
struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract:
            "List the findings of the written plans (a rollout without written plans is planned now, not written).",
        discussion: """
            Each finding is one line, file:line:col of its rule first: severity, rollout/city, year, scope, message,
            [rule].
            --severity S keeps the findings of severity S or worse (info < warning < error).
            Exit codes: 0 no finding listed; 1 findings listed; 2 bad input or usage.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var project: ProjectOptions

    @Argument(help: "Rollout ids (default: every rollout).", completion: ProjectCompletion.rollouts)
    var rollouts: [String] = []

    @Option(help: "Only findings of this severity or worse: error, warning or info.")
    var severity: Severity?

    @Option(help: "Only the findings of this rule id.")
    var rule: String?

    @Option(help: "The folder the plans were written into.")
    var plans: String = "plans"

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let workspace = try project.load()
        for id in rollouts where workspace.rollout(id) == nil {
            throw DiagnosticPrinter.fail(message: "no rollout named '\(id)'")
        }
        let chosen = rollouts.isEmpty ? workspace.rollouts : rollouts.compactMap { workspace.rollout($0) }
        let folder = plans.hasPrefix("/") ? plans : ReviewFiles.join(project.root, plans)
        let collected: (findings: [ListedFinding], sources: [(rollout: String, source: FindingList.Source)])
        do { collected = try collect(chosen, in: workspace, folder: folder) } catch {
            throw DiagnosticPrinter.fail(error)
        }
        let (findings, sources) = collected
        let listed = FindingList.filter(findings, minimum: severity, rule: rule)
        switch format {
        case .text: print(FindingList.text(listed, sources: sources), terminator: "")
        case .json: print(FindingList.json(listed, sources: sources), terminator: "")
        }
        if !listed.isEmpty { throw ExitCode(1) }
    }

    /// Each rollout's findings: from its written plans under `folder`, or planned now when it has none.
    private func collect(
        _ chosen: [Rollout], in workspace: Workspace, folder: String
    )
        throws(DiagnosticsError) -> (
            findings: [ListedFinding], sources: [(rollout: String, source: FindingList.Source)]
        )
    {
        var findings: [ListedFinding] = []
        var sources: [(rollout: String, source: FindingList.Source)] = []
        for rollout in chosen where !sources.contains(where: { $0.rollout == rollout.id.value }) {
            let id = rollout.id.value
            var found: [ListedFinding]
            if let written = try FindingList.read(folder: folder + "/" + id, rollout: id) {
                found = written
                sources.append((id, .written(plans + "/" + id)))
            } else {
                found = FindingList.findings(of: try RolloutPlanner.plan(rollout, in: workspace))
                sources.append((id, .planned))
            }
            findings += FindingList.locate(found, in: workspace.ruleSet(rollout.ruleSet.value))
        }
        return (findings, sources)
    }
}
