import PlanWriters
import PlanningEngine

/// What `chargeplan findings` is asked: the findings of some rollouts (default: all), filtered by severity and
/// rule, read from their written plans or, for a rollout with none, planned now in memory (nothing written).
public struct FindingsRequest: Sendable {
    public var root: String
    public var rollouts: [String]
    public var severity: Severity?
    public var rule: String?
    /// The folder the plans were written into, as given: relative to `root` unless absolute.
    public var plans: String

    public init(root: String, rollouts: [String], severity: Severity?, rule: String?, plans: String) {
        self.root = root
        self.rollouts = rollouts
        self.severity = severity
        self.rule = rule
        self.plans = plans
    }

    /// The findings listed and where each rollout's came from.
    public struct Listing: Sendable {
        public var findings: [ListedFinding]
        public var sources: [(rollout: String, source: FindingList.Source)]
    }

    public func run(_ workspace: Workspace) throws(DiagnosticsError) -> Listing {
        for id in rollouts where workspace.rollout(id) == nil {
            throw DiagnosticsError([.error("no rollout named '\(id)'", at: nil)])
        }
        let chosen = rollouts.isEmpty ? workspace.rollouts : rollouts.compactMap { workspace.rollout($0) }
        let folder = plans.hasPrefix("/") || root == "." ? plans : root + "/" + plans
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
        return Listing(findings: FindingList.filter(findings, minimum: severity, rule: rule), sources: sources)
    }
}
