import TestSupport
@testable import PlanningEngine

extension Fixture {
    static func plan(_ files: [String: String] = Fixture.files, threads: Int = 1) throws -> RolloutPlan {
        let workspace = try Workspace.load(files: files)
        guard let rollout = workspace.rollout("test-rollout") else { throw FixtureError.missing }
        return try RolloutPlanner.plan(rollout, in: workspace, threads: threads)
    }

    static func diagnostics(_ files: [String: String]) -> [Diagnostic] {
        do throws(DiagnosticsError) {
            let workspace = try Workspace.load(files: files)
            for ruleSet in workspace.ruleSets { _ = try CompiledRuleSet.compile(ruleSet) }
            return []
        } catch {
            return error.diagnostics
        }
    }

    enum FixtureError: Error { case missing }
}
