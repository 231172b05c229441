/// The folders of a chargeplan project, spelled once: where the loader finds its inputs (`Cities/`,
/// `Cities/rollouts/`, `Rules/<id>/` with `tests/fixtures/`, `Scenarios/`) and where the commands write by default
/// (`plans/`, `reports/`, `sweeps/`), so the loader, the planner, the formatter and the command line agree.
public enum WorkspaceLayout {
    /// City profiles, `Cities/<id>.yaml`; boundary files are relative to it.
    public static let cities = "Cities"
    /// Rollouts, `Cities/rollouts/<id>.yaml`.
    public static let rollouts = "Cities/rollouts"
    /// Rule sets, `Rules/<id>/*.yaml`.
    public static let rules = "Rules"
    /// A rule set's test fixtures, `Rules/<id>/tests/fixtures/*.yaml`, relative to its folder.
    public static let fixtures = "tests/fixtures"
    /// Scenario overlays, `Scenarios/<id>.yaml`; optional.
    public static let scenarios = "Scenarios"
    /// Where `plan` writes by default: `plans/<rollout>/`.
    public static let plans = "plans"
    /// Where `report` writes by default.
    public static let reports = "reports"
    /// Where `sweep` writes by default: `sweeps/<rollout>/`.
    public static let sweeps = "sweeps"

    /// The folder of one rule set.
    public static func ruleSet(_ id: String) -> String { rules + "/" + id }

    /// The test fixtures of one rule set.
    public static func fixtures(ofRuleSet id: String) -> String { ruleSet(id) + "/" + fixtures }

    /// True for a file directly in `folder` (not in a folder below it).
    public static func isDirectly(in folder: String, _ path: String) -> Bool {
        path.hasPrefix(folder + "/") && !path.dropFirst(folder.count + 1).contains("/")
    }

    /// What a root-relative path is in the layout: a city profile, a rollout, a rule file, a rule-test fixture (with
    /// its rule set's id), a scenario, or nothing the loader reads.
    public enum Role: Equatable, Sendable {
        case city
        case rollout
        case ruleFile(ruleSet: String)
        case fixture(ruleSet: String)
        case scenario
    }

    /// The role of a YAML file by its root-relative path; nil for a path the loader does not read.
    public static func role(of path: String) -> Role? {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return nil }
        if isDirectly(in: cities, path) { return .city }
        if path.hasPrefix(rollouts + "/") { return .rollout }
        if isDirectly(in: scenarios, path) { return .scenario }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == rules else { return nil }
        if parts.count == 3 { return .ruleFile(ruleSet: parts[1]) }
        if parts.count == 5, parts[2...3].joined(separator: "/") == fixtures { return .fixture(ruleSet: parts[1]) }
        return nil
    }
}
