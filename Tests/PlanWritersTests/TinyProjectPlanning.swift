import TestSupport
@testable import PlanningEngine

extension TinyProject {
    /// Plans the project with these rules (and this city text) in `currency` (declared in inputs.yaml).
    static func plan(rules: String, city: String = city(), currency: String = "CNY") throws -> RolloutPlan {
        let workspace = try Workspace.load(files: files(rules: rules, city: city, currency: currency))
        guard let rolloutDefinition = workspace.rollout("r") else {
            throw DiagnosticsError([.error("fixture has no rollout r", at: nil)])
        }
        return try RolloutPlanner.plan(rolloutDefinition, in: workspace)
    }
}
