import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests kept beside the rules and report rule coverage.",
        discussion: """
            Tests are the `tests:` sections of Rules/<set>/*.yaml (see docs/REVIEW.md). Each plans a city of the rule
            set itself (a fixture, Rules/<set>/tests/fixtures/<id>.yaml, or an inline city:) over base_year…year with
            the `given:` overrides, then compares `expect:` with that year. Only Rules/ is read, never Cities/.
            With --update, the expected values of failing tests are rewritten in place to what the plan gives (each
            change printed as file:line: path: expected → actual); comments and layout stay.
            Exit codes: 0 all pass (or all failures updated) and coverage reached; 1 a test failed (and could not be
            updated) or coverage is below --min-coverage; 2 bad input (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Fail when fewer than this percentage of the rules fire in some test (0-100).")
    var minCoverage: Double?

    @Option(help: "Only this rule set.")
    var ruleSet: String?

    @Flag(help: "Rewrite the expected values of failing tests to the planned values (in place, comments kept).")
    var update = false

    func validate() throws {
        if let minCoverage, !(0...100).contains(minCoverage) {
            throw ValidationError("--min-coverage is a percentage, 0-100")
        }
    }

    func run() throws {
        let workspace = try project.loadRules()
        // The rule author's loop: deprecated spellings are shown here (and by check), failing nothing.
        DiagnosticPrinter.print(workspace.deprecations)
        let request = RuleTestRequest(root: project.root, ruleSet: ruleSet, minCoverage: minCoverage, update: update)
        let outcome: RuleTestRequest.Outcome
        do { outcome = try request.run(workspace) } catch { throw DiagnosticPrinter.fail(error) }
        for line in outcome.lines { print(line) }
        DiagnosticPrinter.print(outcome.problems)
        if !outcome.passed { throw ExitCode(1) }
    }
}
