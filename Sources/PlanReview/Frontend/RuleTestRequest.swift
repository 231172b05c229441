import Foundation
import PlanWriters
import PlanningEngine

/// What `chargeplan test` does once its arguments are parsed: runs the rule tests of a workspace, reports each rule
/// set's results and coverage as the command prints them, and with `update` rewrites the failing expectations in
/// place, every file checked before one is written.
public struct RuleTestRequest: Sendable {
    public var root: String
    /// Only this rule set (all of them when nil).
    public var ruleSet: String?
    /// A rule set whose coverage (percent) is below this fails.
    public var minCoverage: Double?
    public var update: Bool

    public init(root: String, ruleSet: String? = nil, minCoverage: Double? = nil, update: Bool = false) {
        self.root = root
        self.ruleSet = ruleSet
        self.minCoverage = minCoverage
        self.update = update
    }

    /// What a run printed and decided.
    public struct Outcome: Sendable {
        /// The report, line by line, for standard output.
        public var lines: [String] = []
        /// Coverage below `minCoverage`, for standard error.
        public var problems: [Diagnostic] = []
        /// False when a test failed (and was not updated) or a coverage is too low.
        public var passed = true
    }

    /// Runs the tests; bad input (an unknown rule set, an unreadable rule file, an update that cannot be applied
    /// cleanly) throws with nothing written.
    public func run(_ workspace: Workspace) throws(DiagnosticsError) -> Outcome {
        if let ruleSet, workspace.ruleSet(ruleSet) == nil {
            throw DiagnosticsError([.error("no rule set named '\(ruleSet)'", at: nil)])
        }
        let reports = try RuleTestRunner.run(workspace, ruleSetID: ruleSet)
        var outcome = Outcome()
        for report in reports { show(report, in: &outcome) }
        if update { outcome.lines += try write(RuleTestUpdater.edits(reports)) }
        return outcome
    }

    /// One rule set's results and coverage.
    func show(_ report: RuleTestRunner.Report, in outcome: inout Outcome) {
        for result in report.results {
            outcome.lines.append(
                "\(result.status.rawValue)  \(result.name)  (\(result.position))"
                    + (result.todo.map { "  todo: \($0)" } ?? ""))
            for problem in result.failures {
                outcome.lines.append("      " + (problem.position.map { "\($0): " } ?? "") + problem.message)
            }
        }
        let percent = String(format: "%.1f", report.coverage)
        let passes = report.results.filter { $0.status == .pass }.count
        let todos = report.results.filter { $0.status == .todo }.count
        outcome.lines.append(
            "rule set \(report.ruleSet): \(passes) passed, \(report.failed) failed, \(todos) todo; coverage \(percent) % "
                + "(\(report.fired.count)/\(report.rules.count) rules fired, "
                + "\(report.whenHeld.count + report.whenFailed.count)/\(2 * report.conditional.count) when outcomes)")
        if !report.uncovered.isEmpty {
            outcome.lines.append("  not fired: " + report.uncovered.joined(separator: ", "))
        }
        if !report.uncoveredOutcomes.isEmpty {
            outcome.lines.append("  when outcome not reached: " + report.uncoveredOutcomes.joined(separator: ", "))
        }
        if report.results.contains(where: { $0.status == .fail && !(update && $0.isUpdatable) }) {
            outcome.passed = false
        }
        if let minCoverage, report.coverage < minCoverage {
            outcome.problems.append(
                .error(
                    "rule set \(report.ruleSet): coverage \(percent) % is below --min-coverage \(minCoverage)",
                    at: nil))
            outcome.passed = false
        }
    }

    /// Applies the edits file by file; any file that cannot be updated cleanly stops the run before a byte is
    /// written. Each file is written through a temporary file and a rename, never half.
    func write(_ edits: [RuleTestUpdater.Edit]) throws(DiagnosticsError) -> [String] {
        guard !edits.isEmpty else { return [] }
        var files: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for file in Self.orderedUnique(edits.map(\.position.file)) {
            do {
                let text = try InputFile.read(path(file), shownAs: file)
                files.append((path(file), try RuleTestUpdater.apply(edits, to: text, file: file)))
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticsError(failures) }
        var lines = edits.map { edit in
            "update \(edit.position.file):\(edit.position.line): \(edit.path): \(edit.before) → \(edit.replacement)"
                + "  (\(edit.test))"
        }
        try ProjectFiles.write(files)
        let tests = Self.orderedUnique(edits.map(\.test)).count
        lines.append(
            "updated \(counted(edits.count, "expected value")) of \(counted(tests, "test")) "
                + "in \(counted(files.count, "file"))")
        return lines
    }

    private func path(_ file: String) -> String { ProjectFiles.path(file, in: root) }

    static func orderedUnique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
