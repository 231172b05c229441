import PlanningEngine

/// What a `plan` run wrote, and its closing line: plans, rollouts and findings. Error findings do not stop the
/// plans being written; they make the run fail (exit 1) after.
public struct PlanOutcome: Sendable {
    public var plans: [RolloutPlan]
    /// The output folder, as messages show it.
    public var output: String
    /// Some rollouts were planned for some cities only: their summaries were not rewritten.
    public var partial: Bool
    public var shard: Sharding.Shard?

    public var cityCount: Int { plans.reduce(0) { $0 + $1.cities.count } }
    public var errorFindings: Int { findings(of: .error) }
    public var warnings: Int { findings(of: .warning) }

    private func findings(of severity: Severity) -> Int {
        plans.flatMap { $0.cities.flatMap(\.findings) }.filter { $0.severity == severity }.count
    }

    /// `planned 3 city plans in 1 rollout into plans/ (0 error findings, 2 warnings)`, and what a partial or
    /// sharded run leaves to do.
    public var summary: String {
        "planned \(counted(cityCount, "city plan")) in \(counted(plans.count, "rollout")) into \(output)/ "
            + "(\(counted(errorFindings, "error finding")), \(counted(warnings, "warning")))"
            + (partial ? "; rollout summaries not updated (plan the whole rollout to refresh them)" : "")
            + (shard.map { "; shard \($0): join the shards with `chargeplan merge`" } ?? "")
    }
}
