/// What `chargeplan explain` is asked: one number of one city-year, under a scenario, in a rollout. Choosing the
/// rollout (the first, by id, that includes the city, unless named) and compiling its rule set happen here, so the
/// command line only parses its arguments and prints the explanation.
public struct ExplainRequest: Sendable {
    public var city: String
    public var zone: String?
    public var year: Int
    public var unit: String?
    public var fact: String?
    /// nil: the first rollout, by id, that includes the city.
    public var rollout: String?
    public var scenario: String

    public init(
        city: String, zone: String?, year: Int, unit: String?, fact: String?, rollout: String?,
        scenario: String = Scenario.baseline
    ) {
        self.city = city
        self.zone = zone
        self.year = year
        self.unit = unit
        self.fact = fact
        self.rollout = rollout
        self.scenario = scenario
    }

    /// The derivation tree of the number, or the diagnostics saying why there is none.
    public func explain(in loaded: Workspace) throws(DiagnosticsError) -> Explanation {
        let (workspace, overlay) = try loaded.overlaid(scenario: scenario)
        guard let profile = workspace.city(city) else {
            throw DiagnosticsError([.error("no city named '\(city)'", at: nil)])
        }
        let candidates = workspace.rollouts.filter { candidate in
            candidate.members.contains { $0.city.value == city } && (rollout == nil || candidate.id.value == rollout)
        }
        guard let chosen = candidates.first, let member = chosen.members.first(where: { $0.city.value == city }),
            let ruleSet = workspace.ruleSet(chosen.ruleSet.value)
        else {
            let named = rollout.map { " named '\($0)'" } ?? ""
            throw DiagnosticsError([.error("no rollout\(named) includes '\(city)'", at: nil)])
        }
        let compiled = try CompiledRuleSet.compile(ruleSet)
        let planner = CityPlanner(rules: compiled, city: profile, rollout: chosen, joins: member.joins)
        return try planner.explain(zone: zone, year: year, unit: unit, fact: fact, scenario: overlay)
    }
}
