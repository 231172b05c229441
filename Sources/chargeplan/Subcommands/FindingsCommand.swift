import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// `chargeplan findings`: the requirement findings of the written plans, filtered; a rollout with no written plans is
/// planned now (in memory, nothing written). The choosing and reading are `FindingsRequest`'s, the writing `FindingList`'s.
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
    var plans: String = WorkspaceLayout.plans

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let request = FindingsRequest(
            root: project.root, rollouts: rollouts, severity: severity, rule: rule, plans: plans)
        let workspace = try project.load()
        let listing: FindingsRequest.Listing
        do { listing = try request.run(workspace) } catch { throw DiagnosticPrinter.fail(error) }
        switch format {
        case .text: print(FindingList.text(listing.findings, sources: listing.sources), terminator: "")
        case .json: print(FindingList.json(listing.findings, sources: listing.sources), terminator: "")
        }
        if !listing.findings.isEmpty { throw ExitCode(1) }
    }
}
