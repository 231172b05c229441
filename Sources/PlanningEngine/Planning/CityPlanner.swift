import CEL
import Siting

/// Plans one city of a rollout, year by year: facts, then units (add, cap, spill), then siting,
/// then the facts that read units (money), then requirements.
public struct CityPlanner: Sendable {
    public let rules: CompiledRuleSet
    public let city: CityProfile
    public let rollout: Rollout
    public let joins: Int

    /// Records which rules fired and which way each `when` went, for `chargeplan test` coverage.
    public let trace: RuleTrace?

    /// Facts held at a value instead of derived (a rule test's `given: city.ev_stock: …`), by "city.<fact>" or
    /// "<zone id>.<fact>"; the deriving rule does not run for them.
    public var pinnedFacts: [String: CELValue] = [:]

    /// The sums of the zones' population and area, for their shares (computed once per city, not once per zone).
    var zoneTotals: (population: Double, area: Double) {
        (city.zones.reduce(0) { $0 + $1.population }, city.zones.reduce(0) { $0 + $1.areaKM2 })
    }

    /// For a sweep: the derive rules (by `CompiledRule.index`) the units depend on; the others are not derived.
    var unitRelevant: [Bool]?

    /// For a sweep's sample: the year's inputs as CEL objects where no draw changes them (nil where one does), by
    /// year from the base year: made once per city instead of once per sample.
    var knownInputs: [YearInputs]?

    /// The inputs of one year before any rule ran: the city (its targets not set yet), each zone, the rollout.
    struct YearInputs {
        var city: CELObject?
        var zones: [CELObject]?
        var rollout: CELValue?
    }

    /// The inputs of every year of `states` (a plan made from the same profiles), stripped of what its rules derived:
    /// the `knownInputs` of the samples whose draws change none of `varying`'s scopes.
    func inputsOfEveryYear(varying: Set<InputScope>, patchingZones: Bool) throws(DiagnosticsError) -> [YearInputs] {
        let zoneTotals = self.zoneTotals
        return try (city.baseYear...max(city.baseYear, rollout.lastYear)).map { year throws(DiagnosticsError) in
            var inputs = YearInputs()
            if !varying.contains(.city) {
                inputs.city = Self.makeObject("City", layout: rules.cityLayout, fields: try cityInputs(year: year))
            }
            if !varying.contains(.zone) || patchingZones {
                var zones: [CELObject] = []
                for index in city.zones.indices {
                    zones.append(
                        Self.makeObject(
                            "Zone", layout: rules.zoneLayout,
                            fields: try zoneInputs(index, totals: zoneTotals, year: year)))
                }
                inputs.zones = zones
            }
            if !varying.contains(.rollout) { inputs.rollout = try rolloutObject(year: year) }
            return inputs
        }
    }

    /// For a sweep's sample: zone inputs the draws change, set (from the sample's profile) into `knownInputs`' zone
    /// objects instead of building them again; each a top-level field that no other input defaults to.
    var drawnZoneInputs: [(field: Int, declaration: InputDeclaration)] = []

    /// The zone inputs of `varying` that `drawnZoneInputs` can patch (nil when one cannot: a dotted name, or a
    /// name another input's default follows).
    func patchableZoneInputs(_ varying: [String]) -> [(field: Int, declaration: InputDeclaration)]? {
        var patches: [(field: Int, declaration: InputDeclaration)] = []
        let declarations = rules.schema.zoneInputs
        for name in varying {
            guard !name.contains("."), let declaration = declarations.first(where: { $0.name.value == name }),
                !declarations.contains(where: { $0.defaultValue == .input(name) }),
                let field = rules.zoneLayout?.fieldIndex(name)
            else { return nil }
            if !patches.contains(where: { $0.field == field }) { patches.append((field, declaration)) }
        }
        return patches
    }

    /// For a sweep's sample: the facts that are the same in every sample, taken as they are instead of derived.
    var sampleInvariant: SampleInvariant?

    /// For the plan a sweep takes its invariants from: where the `when:` results and counts of add and cap rules go.
    var unitRuleRecording: UnitRuleRecording?

    /// Whether the rules behind each fact and unit count are kept (`fact_rules` and `rules:` of a plan, `explain`);
    /// a sweep does without.
    var recordsProvenance = true

    public init(rules: CompiledRuleSet, city: CityProfile, rollout: Rollout, joins: Int, trace: RuleTrace? = nil) {
        self.rules = rules
        self.city = city
        self.rollout = rollout
        self.joins = joins
        self.trace = trace
        zonePrevLayout = rules.objectLayouts["Prev"]
    }

    /// `Prev` as a zone rule sees it, looked up once.
    let zonePrevLayout: CELObjectLayout?

    public func plan() throws(DiagnosticsError) -> CityPlan {
        let result = try simulate()
        return makePlan(
            states: result.states.filter { $0.year >= rollout.firstYear }, stations: result.stations,
            findings: result.findings)
    }

    struct Simulation {
        var states: [YearState]
        var stations: [Station]
        var findings: [Finding]
        var constants: Constants
    }

    /// `params` and `units` as CEL sees them: the same in every year.
    struct Constants {
        let params: CELValue
        let units: CELValue

        subscript(name: String) -> CELValue? {
            switch name {
            case "params": params
            case "units": units
            default: nil
            }
        }
    }

    func simulate() throws(DiagnosticsError) -> Simulation {
        let constants = constantBindings()
        var states = try resolveYears(constants: constants)
        // Pass 2: siting, nested over the years.
        var findings: [Finding] = []
        let stations = try site(states: &states, constants: constants, findings: &findings)
        // Pass 3: facts that read units, then requirements.
        for index in states.indices {
            let previous = index > 0 ? states[index - 1] : nil
            var state = states[index]
            for zoneIndex in city.zones.indices {
                state.setZone(zoneIndex, "units", unitObject(state.units[zoneIndex]))
                let sited = state.coverage[zoneIndex]
                // Mean over sited unit types, summed in unit order so the bits never depend on hashing.
                let shares = sited.keys.sorted().compactMap { sited[$0] }
                let coverage = shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)
                state.setZone(zoneIndex, "coverage", .double(coverage))
            }
            state.setCity("units", unitObject(state.cityUnits))
            for zoneIndex in city.zones.indices {
                for rule in rules.zoneAfterUnitRules {
                    try derive(rule, state: &state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                }
            }
            for rule in rules.cityAfterUnitRules {
                try derive(rule, state: &state, zoneIndex: nil, previous: previous, constants: constants)
            }
            states[index] = state
            if state.year >= max(joins, rollout.firstYear) {
                findings += try requirements(state: state, previous: previous, constants: constants)
            }
        }
        return Simulation(states: states, stations: stations, findings: findings, constants: constants)
    }

    /// The units of every year from the base year on, without siting, the facts that read units or the
    /// requirements: what a sweep samples (no add or cap rule can read what those later passes compute).
    /// `constants`: `params` and `units` when the caller made them already (a sweep's sample, once for all cities).
    func unitYears(constants: Constants? = nil) throws(DiagnosticsError) -> [YearState] {
        try resolveYears(constants: constants ?? constantBindings())
    }

    /// Pass 1, year by year: the facts, then the units (add, cap, spill) of each zone, then the city totals.
    private func resolveYears(constants: Constants) throws(DiagnosticsError) -> [YearState] {
        var states: [YearState] = []
        let years = Array(city.baseYear...max(city.baseYear, rollout.lastYear))
        let zoneTotals = self.zoneTotals
        // Inputs without a series are the same in every year: built once (the city's targets are set per year).
        var staticZones: [Int: CELObject] = [:]
        var staticCity: CELObject?
        var staticRollout: CELValue?
        for year in years {
            let previous = states.last
            let known = knownInputs?[year - city.baseYear]
            let planned = sampleInvariant.flatMap { invariant in
                invariant.cityObjects.indices.contains(year - city.baseYear) ? year - city.baseYear : nil
            }
            let zonesFromPlan = planned != nil && known?.zones != nil
            let zones = try yearZones(
                year: year, known: known, planned: zonesFromPlan ? planned : nil, staticZones: &staticZones,
                zoneTotals: zoneTotals)
            let cityFields: CELObject
            let cityFromPlan = planned != nil && known?.city != nil
            if cityFromPlan, let planned, let plannedCity = sampleInvariant?.cityObjects[planned] {
                cityFields = plannedCity
            } else if let staticCity = staticCity ?? known?.city {
                cityFields = staticCity
            } else {
                cityFields = Self.makeObject("City", layout: rules.cityLayout, fields: try cityInputs(year: year))
                if !city.inputs.hasSeries { staticCity = cityFields }
            }
            var state = YearState(year: year, city: cityFields, zones: zones, unitIDs: rules.schema.unitIDs)
            state.cityFromPlan = cityFromPlan
            state.zonesFromPlan = zonesFromPlan
            let target = targets(year: year, vehicles: cityFields["vehicles"])
            state.setCity("target_year", target.year)
            state.setCity("target_ev_sales_share", target.share)
            if let staticRollout = staticRollout ?? known?.rollout {
                state.rollout = staticRollout
            } else {
                state.rollout = try rolloutObject(year: year)
                if !rollout.inputs.hasSeries { staticRollout = state.rollout }
            }
            for rule in rules.cityFactRules {
                try derive(rule, state: &state, zoneIndex: nil, previous: previous, constants: constants)
            }
            for zoneIndex in city.zones.indices {
                // One activation for the zone's fact rules and its units, the zone's object written in it in place.
                state.lend(
                    zoneIndex,
                    to: activation(
                        state: state, zoneIndex: zoneIndex, previous: previous,
                        constants: constants))
                for rule in rules.zoneFactRules {
                    try derive(rule, state: &state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                }
                try resolveUnits(zoneIndex: zoneIndex, state: &state, previous: previous, constants: constants)
                state.returnLent()
            }
            try pinObservedUnits(&state, previous: previous)
            aggregateUnits(&state)
            // Next year's rules may read prev.zone.units / prev.city.units (a sweep skips them when none does).
            if unitRelevant == nil || rules.unitsReadBeforeSiting {
                for zoneIndex in city.zones.indices {
                    state.setZone(zoneIndex, "units", unitObject(state.units[zoneIndex]))
                }
                state.setCity("units", unitObject(state.cityUnits))
            }
            states.append(state)
        }
        return states
    }

    /// The zones' objects of `year` before any rule ran: the plan's (`planned`, a sweep's sample), the ones built in an
    /// earlier year (`staticZones`, inputs without a series) or the `known` inputs, with the drawn inputs set; else
    /// built from the profile.
    private func yearZones(
        year: Int, known: YearInputs?, planned: Int?, staticZones: inout [Int: CELObject],
        zoneTotals: (population: Double, area: Double)
    ) throws(DiagnosticsError) -> [CELObject] {
        var zones: [CELObject] = []
        for index in city.zones.indices {
            let plannedZone = planned.flatMap { sampleInvariant?.zoneObjects[$0][index] }
            if var fields = plannedZone ?? staticZones[index] ?? known?.zones?[index] {
                for (field, declaration) in drawnZoneInputs {
                    let inputs = city.zones[index].inputs
                    guard let value = InputLoader.resolve(declaration.name.value, rules.schema.zoneInputs, inputs)
                    else { continue }
                    fields.set(field, Self.celValue(value, of: declaration, in: year))
                }
                zones.append(fields)
                continue
            }
            let fields = Self.makeObject(
                "Zone", layout: rules.zoneLayout,
                fields: try zoneInputs(index, totals: zoneTotals, year: year))
            if !city.zones[index].inputs.hasSeries { staticZones[index] = fields }
            zones.append(fields)
        }
        return zones
    }
}
