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
        if let ruleSet, workspace.ruleSet(ruleSet) == nil {
            throw DiagnosticPrinter.fail(message: "no rule set named '\(ruleSet)'")
        }
        let reports: [RuleTestRunner.Report]
        do { reports = try RuleTestRunner.run(workspace, ruleSetID: ruleSet) } catch {
            throw DiagnosticPrinter.fail(error)
        }
        var failed = false
        for report in reports where !show(report) { failed = true }
        if update { try write(RuleTestUpdater.edits(reports)) }
        if failed { throw ExitCode(1) }
    }

    /// Prints one rule set's results and coverage; false when a test failed (and is not updated) or the coverage is
    /// below --min-coverage.
    private func show(_ report: RuleTestRunner.Report) -> Bool {
        var passed = true
        for result in report.results {
            print(
                "\(result.status.rawValue)  \(result.name)  (\(result.position))"
                    + (result.todo.map { "  todo: \($0)" } ?? ""))
            for problem in result.failures {
                print("      " + (problem.position.map { "\($0): " } ?? "") + problem.message)
            }
        }
        let percent = String(format: "%.1f", report.coverage)
        let passes = report.results.filter { $0.status == .pass }.count
        let todos = report.results.filter { $0.status == .todo }.count
        print(
            "rule set \(report.ruleSet): \(passes) passed, \(report.failed) failed, \(todos) todo; coverage \(percent) % "
                + "(\(report.fired.count)/\(report.rules.count) rules fired, "
                + "\(report.whenHeld.count + report.whenFailed.count)/\(2 * report.conditional.count) when outcomes)")
        if !report.uncovered.isEmpty { print("  not fired: " + report.uncovered.joined(separator: ", ")) }
        if !report.uncoveredOutcomes.isEmpty {
            print("  when outcome not reached: " + report.uncoveredOutcomes.joined(separator: ", "))
        }
        if report.results.contains(where: { $0.status == .fail && !(update && $0.isUpdatable) }) { passed = false }
        if let minCoverage, report.coverage < minCoverage {
            DiagnosticPrinter.print([
                .error(
                    "rule set \(report.ruleSet): coverage \(percent) % is below --min-coverage \(minCoverage)",
                    at: nil)
            ])
            passed = false
        }
        return passed
    }

    /// Applies the edits file by file; any file that cannot be updated cleanly stops the run before a byte is written.
    private func write(_ edits: [RuleTestUpdater.Edit]) throws {
        guard !edits.isEmpty else { return }
        var files: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for file in orderedUnique(edits.map(\.position.file)) {
            do {
                let text = try InputFile.read(ReviewFiles.join(project.root, file), shownAs: file)
                let updated = try RuleTestUpdater.apply(edits, to: text, file: file)
                files.append((ReviewFiles.join(project.root, file), updated))
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticPrinter.fail(DiagnosticsError(failures)) }
        for edit in edits {
            let place = "\(edit.position.file):\(edit.position.line)"
            print("update \(place): \(edit.path): \(edit.before) → \(edit.replacement)  (\(edit.test))")
        }
        try ReviewFiles.write(files)
        let tests = orderedUnique(edits.map(\.test)).count
        print(
            "updated \(counted(edits.count, "expected value")) of \(counted(tests, "test")) "
                + "in \(counted(files.count, "file"))")
    }

    private func orderedUnique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
