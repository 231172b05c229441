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
    private let zonePrevLayout: CELObjectLayout?

    /// The state of one year: the fields of the city and of each zone, as the CEL objects rules read (declared
    /// layouts; a field not derived yet is null). Writes set one field in place: copy on write keeps every copy of a
    /// state (last year's, a plan's) as it was.
    struct YearState {
        var year: Int
        private(set) var cityObject: CELObject
        private(set) var zoneObjects: [CELObject]
        /// `prev` as the next year's rules see this state, by zone index (-1 for city rules); a write starts a new one.
        private(set) var previousObjects = PreviousObjects()
        /// While a zone's fact rules and units are resolved, its object lives in the one activation they all read
        /// (`lend`), so each fact is set in place and no activation is built per rule; `returnLent` puts it back.
        private(set) var lent: (zone: Int, activation: CELActivation)?
        var factRules: [String: [String]] = [:]
        /// For a sweep's sample: the city's and the zones' objects started as the plan's of the same year (its
        /// invariant facts in place, the drawn inputs set, every other fact derived again).
        var cityFromPlan = false
        var zonesFromPlan = false
        var units: [UnitTable]
        var cityUnits: UnitTable
        var coverage: [[String: Double]]
        /// `rollout` as CEL sees it this year: its declared inputs may be series.
        var rollout: CELValue = .null

        init(year: Int, city: CELObject, zones: [CELObject], unitIDs: [String]) {
            self.year = year
            cityObject = city
            zoneObjects = zones
            units = Array(repeating: UnitTable(ids: unitIDs), count: zones.count)
            cityUnits = UnitTable(ids: unitIDs)
            coverage = Array(repeating: [:], count: zones.count)
        }

        func cityValue(_ name: String) -> CELValue? { cityObject[name] }
        func zoneValue(_ index: Int, _ name: String) -> CELValue? { zoneObject(index)[name] }

        mutating func setCity(_ name: String, _ value: CELValue) {
            guard let field = cityObject.layout.fieldIndex(name) else { return }
            setCity(field: field, value)
        }

        mutating func setZone(_ index: Int, _ name: String, _ value: CELValue) {
            guard let field = zoneObject(index).layout.fieldIndex(name) else { return }
            setZone(index, field: field, value)
        }

        /// `field`: the position in the declared layout (a rule's `factField`).
        mutating func setCity(field: Int, _ value: CELValue) {
            returnLent()
            cityObject.set(field, value)
            forgetPrevious(nil)
        }

        mutating func setZone(_ index: Int, field: Int, _ value: CELValue) {
            if lent?.zone == index {
                lent?.activation.setField(field, of: Self.zoneSlot, to: value)
                return
            }
            zoneObjects[index].set(field, value)
            forgetPrevious(index)
        }

        /// The zone's object, lent or not.
        func zoneObject(_ index: Int) -> CELObject {
            if let lent, lent.zone == index, case .object(let object)? = lent.activation.value(at: Self.zoneSlot) {
                return object
            }
            return zoneObjects[index]
        }

        /// Where `zone` stands in a zone rule's activation.
        static let zoneSlot = FactSchema.zoneSlots.count - 1
        static let placeholder = CELObject(typeName: "Zone", fields: [:])

        /// Lends the zone's object to `activation` (which holds it at `zoneSlot`).
        mutating func lend(_ zone: Int, to activation: CELActivation) {
            returnLent()
            lent = (zone, activation)
            zoneObjects[zone] = Self.placeholder
        }

        mutating func returnLent() {
            guard let lent = lent.take() else { return }
            if case .object(let object)? = lent.activation.value(at: Self.zoneSlot) { zoneObjects[lent.zone] = object }
            forgetPrevious(lent.zone)
        }

        /// Drops the `prev` objects a write makes stale (every one for a city field, the zone's for a zone field), in
        /// a cache of this copy alone: a cache shared with another copy of the state is left to that copy.
        private mutating func forgetPrevious(_ zone: Int?) {
            if !isKnownUniquelyReferenced(&previousObjects) {
                let kept = zone.map { zone in previousObjects.byZone.filter { $0.key != zone } } ?? [:]
                previousObjects = PreviousObjects(keeping: kept)
            } else if let zone {
                previousObjects.byZone[zone] = nil
            } else {
                previousObjects.byZone.removeAll()
            }
        }
    }

    /// Memoised `prev` objects of one state. A class, so the planner can fill it while reading a state it does not
    /// own; never emptied in place (a write to the state replaces it), so copies of a state never see another's.
    final class PreviousObjects: @unchecked Sendable {
        var byZone: [Int: CELValue] = [:]

        init(keeping entries: [Int: CELValue] = [:]) { byZone = entries }
    }

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
        let stations = try site(states: &states, constants: constants)
        // Pass 3: facts that read units, then requirements.
        var findings: [Finding] = []
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
            var zones: [CELObject] = []
            for index in city.zones.indices {
                let plannedZone = zonesFromPlan ? planned.flatMap { sampleInvariant?.zoneObjects[$0][index] } : nil
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

    // MARK: Bindings

    func constantBindings() -> Constants { Self.constants(rules) }

    /// `params` and `units` of a rule set's numbers.
    static func constants(_ rules: CompiledRuleSet) -> Constants {
        var params: [String: CELValue] = [:]
        for param in rules.ruleSet.params {
            params[param.name.value] = param.values.map { .list($0.map(CELValue.double)) } ?? .double(param.value)
        }
        var catalogue: [String: CELValue] = [:]
        let money = rules.ruleSet.moneySuffix
        for unit in rules.ruleSet.units {
            catalogue[unit.id.value] = .object(
                CELObject(
                    typeName: "UnitSpec",
                    fields: [
                        "power_kw": .double(unit.powerKW), "ports_per_site": .double(Double(unit.portsPerSite)),
                        "capex" + money: .double(unit.capex), "sessions_per_day": .double(unit.sessionsPerDay),
                        "price_per_session" + money: .double(unit.pricePerSession ?? 0),
                    ]))
        }
        return Constants(
            params: Self.object("Params", layout: rules.objectLayouts["Params"], fields: params),
            units: Self.object("Catalogue", layout: rules.objectLayouts["Catalogue"], fields: catalogue))
    }

    /// `rollout` in `year`: id and horizon, and the declared rollout inputs read for the year (a series changes
    /// from year to year, so this is bound per year, not once).
    private func rolloutObject(year: Int) throws(DiagnosticsError) -> CELValue {
        var fields: [String: CELValue] = [
            "id": .string(rollout.id.value), "first_year": .int(Int64(rollout.firstYear)),
            "last_year": .int(Int64(rollout.lastYear)),
        ]
        let declared = try inputFields(
            rules.schema.rolloutInputs, rollout.inputs, scope: .rollout, year: year,
            place: "rollout '\(rollout.id.value)'")
        fields.merge(declared) { engine, _ in engine }
        return Self.object("Rollout", layout: rules.objectLayouts["Rollout"], fields: fields)
    }

    /// Existing chargers as rules see them: real counts of each unit type, never rescaled (a 60 kW DC
    /// charger is a charger of the type it is entered as; a catalogue splits types by power class instead).
    private func chargers(_ counts: [String: Double]) -> CELValue {
        var fields: [String: CELValue] = [:]
        for unit in rules.ruleSet.units { fields[unit.id.value] = .double(counts[unit.id.value] ?? 0) }
        return .object(CELObject(typeName: "Chargers", fields: fields))
    }

    /// `target_year` / `target_ev_sales_share` name the next target at or after `year` (the last one
    /// once all have passed), so a rule closing the gap year by year follows a piecewise-linear path.
    /// Without targets, the share is the declared input `vehicles.ev_sales_share` when there is one, else 0.
    private func cityInputs(year: Int) throws(DiagnosticsError) -> [String: CELValue] {
        var fields: [String: CELValue] = [
            "id": .string(city.id.value), "name": .string(city.name), "province": .string(city.province),
            "base_year": .int(Int64(city.baseYear)), "existing": chargers(city.existingChargers),
            "joins": .int(Int64(joins)), "zone_count": .int(Int64(city.zones.count)),
        ]
        let declared = try inputFields(rules.schema.cityInputs, city.inputs, scope: .city, year: year, place: "city")
        fields.merge(declared) { engine, _ in engine }
        return fields
    }

    /// `target_year` and `target_ev_sales_share` of `year`; `vehicles`: the city's input group of that year.
    private func targets(year: Int, vehicles: CELValue?) -> (year: CELValue, share: CELValue) {
        let target = city.targets.first { $0.year >= year } ?? city.targets.last
        var fallbackShare = 0.0
        if case .object(let vehicles)? = vehicles, case .double(let share)? = vehicles["ev_sales_share"] {
            fallbackShare = share
        }
        return (.int(Int64(target?.year ?? rollout.lastYear)), .double(target?.evSalesShare ?? fallbackShare))
    }

    /// `totals` are the sums of the zones' population and area, computed once per city (not once per zone).
    private func zoneInputs(
        _ index: Int, totals: (population: Double, area: Double), year: Int
    ) throws(DiagnosticsError)
        -> [String: CELValue]
    {
        let zone = city.zones[index]
        let totalPopulation = totals.population
        let totalArea = totals.area
        var fields: [String: CELValue] = [
            "id": .string(zone.id.value), "kind": .string(zone.kind), "population": .double(zone.population),
            "area_km2": .double(zone.areaKM2), "latitude": .double(zone.latitude), "longitude": .double(zone.longitude),
            "population_share": .double(totalPopulation > 0 ? zone.population / totalPopulation : 0),
            "area_share": .double(totalArea > 0 ? zone.areaKM2 / totalArea : 0),
            "existing": chargers(zone.existingChargers),
        ]
        let declared = try inputFields(
            rules.schema.zoneInputs, zone.inputs, scope: .zone, year: year,
            place: "zone '\(zone.id.value)'")
        fields.merge(declared) { engine, _ in engine }
        return fields
    }

    /// The declared inputs of one scope as CEL sees them in `year`: series read for the year, defaults
    /// filled in, dotted names nested into objects (`vehicles.stock` → `vehicles` of type `CityVehicles`).
    private func inputFields(
        _ declarations: [InputDeclaration], _ values: InputValues, scope: InputScope, year: Int,
        place: String
    ) throws(DiagnosticsError) -> [String: CELValue] {
        var leaves: [(path: [String], value: CELValue)] = []
        for declaration in declarations {
            guard let value = InputLoader.resolve(declaration.name.value, declarations, values) else {
                throw DiagnosticsError([
                    .error(
                        "\(place) of city \(city.id.value) has no value for the input '\(declaration.name.value)' "
                            + "(rule set '\(rules.ruleSet.id)')",
                        at: values.positions[declaration.name.value] ?? city.id.position,
                        hint: "declared at \(declaration.name.position)")
                ])
            }
            leaves.append((declaration.path, Self.celValue(value, of: declaration, in: year)))
        }
        return Self.nest(leaves, scope: scope, prefix: [], layouts: rules.objectLayouts)
    }

    /// A declared input's value as CEL reads it in `year` (a series read for the year; an int of a number input a
    /// double).
    static func celValue(_ value: InputValue, of declaration: InputDeclaration, in year: Int) -> CELValue {
        switch value.resolved(in: year, between: declaration.between) {
        case .number(let d): .double(d)
        case .int(let i): declaration.type == .number ? .double(Double(i)) : .int(i)
        case .bool(let b): .bool(b)
        case .string(let t): .string(t)
        case .series: .null
        }
    }

    static func nest(
        _ leaves: [(path: [String], value: CELValue)], scope: InputScope, prefix: [String],
        layouts: [String: CELObjectLayout] = [:]
    )
        -> [String: CELValue]
    {
        var fields: [String: CELValue] = [:]
        var groups: [String: [(path: [String], value: CELValue)]] = [:]
        var order: [String] = []
        for leaf in leaves {
            guard let head = leaf.path.first else { continue }
            if leaf.path.count == 1 {
                fields[head] = leaf.value
            } else {
                if groups[head] == nil { order.append(head) }
                groups[head, default: []].append((Array(leaf.path.dropFirst()), leaf.value))
            }
        }
        for head in order {
            let group = prefix + [head]
            let typeName = FactSchema.groupTypeName(scope, group)
            fields[head] = object(
                typeName, layout: layouts[typeName],
                fields: nest(groups[head] ?? [], scope: scope, prefix: group, layouts: layouts))
        }
        return fields
    }

    /// The variables of a rule, in the environment's slot order (`FactSchema.citySlots`, `zoneSlots`), so every
    /// program reads them straight from the activation.
    private func activation(
        state: YearState, zoneIndex: Int?, previous: YearState?,
        constants: Constants
    ) -> CELActivation {
        if let zoneIndex, let lent = state.lent, lent.zone == zoneIndex { return lent.activation }
        let params = constants.params
        let units = constants.units
        let year = CELValue.int(Int64(state.year))
        let city = cityObject(state)
        let prev = previousObject(previous, zoneIndex)
        guard let zoneIndex else {
            return CELActivation(names: FactSchema.citySlots, values: [params, units, state.rollout, year, city, prev])
        }
        return CELActivation(
            names: FactSchema.zoneSlots,
            values: [params, units, state.rollout, year, city, prev, zoneObject(state, zoneIndex)])
    }

    /// `prev` before the base year: no fields.
    static let noPrevious = CELValue.object(CELObject(typeName: "Prev", fields: [:]))

    /// `prev` for a rule of `zoneIndex` (nil: a city rule), kept in `previous`'s cache.
    func previousObject(_ previous: YearState?, _ zoneIndex: Int?) -> CELValue {
        guard let previous else { return Self.noPrevious }
        if let cached = previous.previousObjects.byZone[zoneIndex ?? -1] { return cached }
        let city = cityObject(previous)
        let zone = zoneIndex.map { zoneObject(previous, $0) }
        let object: CELValue
        if let layout = zoneIndex == nil ? rules.cityPrevLayout : zonePrevLayout {
            object = .object(
                CELObject(
                    layout: layout,
                    values: layout.fieldNames.map { name in
                        switch name {
                        case "city": city
                        case "zone": zone ?? .null
                        default: .null
                        }
                    }))
        } else {
            object = .object(
                CELObject(typeName: "Prev", fields: zone.map { ["city": city, "zone": $0] } ?? ["city": city]))
        }
        previous.previousObjects.byZone[zoneIndex ?? -1] = object
        return object
    }

    func cityObject(_ state: YearState) -> CELValue { .object(state.cityObject) }

    func zoneObject(_ state: YearState, _ index: Int) -> CELValue { .object(state.zoneObject(index)) }

    /// An object in its declared layout; fields not yet derived this year are null, and the
    /// dependency order guarantees no expression reads them before they are set.
    static func object(_ typeName: String, layout: CELObjectLayout?, fields: [String: CELValue]) -> CELValue {
        .object(makeObject(typeName, layout: layout, fields: fields))
    }

    static func makeObject(_ typeName: String, layout: CELObjectLayout?, fields: [String: CELValue]) -> CELObject {
        guard let layout else { return CELObject(typeName: typeName, fields: fields) }
        return CELObject(layout: layout, values: layout.fieldNames.map { fields[$0] ?? .null })
    }

    // MARK: Evaluation

    /// Where a rule is evaluated, for error messages: formatted only when one is written.
    struct Place: CustomStringConvertible {
        let city: String
        let zone: String?
        let year: Int

        var description: String { "city \(city), " + (zone.map { "zone \($0), " } ?? "") + "year \(year)" }
    }

    private func context(_ state: YearState, _ zoneIndex: Int?) -> Place {
        Place(city: city.id.value, zone: zoneIndex.map { city.zones[$0].id.value }, year: state.year)
    }

    private func evaluate(
        _ expression: CompiledExpression, _ activation: CELActivation, rule: CompiledRule,
        where place: Place
    ) throws(DiagnosticsError) -> CELValue {
        do {
            return try expression.program.evaluate(activation)
        } catch {
            var diagnostic = CompiledExpression.diagnosticFor(error, expression: expression.expression)
            diagnostic.message = "rule '\(rule.id)' (\(place)): \(error.message)"
            throw DiagnosticsError([diagnostic])
        }
    }

    private func number(
        _ expression: CompiledExpression, _ activation: CELActivation, rule: CompiledRule,
        where place: Place
    ) throws(DiagnosticsError) -> Double {
        let value = try evaluate(expression, activation, rule: rule, where: place)
        let result: Double
        switch value {
        case .double(let d): result = d
        case .int(let i): result = Double(i)
        case .uint(let u): result = Double(u)
        default:
            throw DiagnosticsError([
                .error(
                    "rule '\(rule.id)' (\(place)): expected a number, got \(value)", at: expression.expression.position)
            ])
        }
        guard result.isFinite else {
            throw DiagnosticsError([
                .error(
                    "rule '\(rule.id)' (\(place)): the result is not a finite number (\(result))",
                    at: expression.expression.position)
            ])
        }
        return result
    }

    private func holds(
        _ rule: CompiledRule, _ activation: CELActivation,
        where place: Place
    ) throws(DiagnosticsError) -> Bool {
        guard let when = rule.when else {
            trace?.record(rule: rule.id, when: nil)
            return true
        }
        let value = try evaluate(when, activation, rule: rule, where: place)
        guard case .bool(let result) = value else {
            throw DiagnosticsError([
                .error("rule '\(rule.id)' (\(place)): when: must give a bool", at: when.expression.position)
            ])
        }
        trace?.record(rule: rule.id, when: result)
        return result
    }

    private func derive(
        _ rule: CompiledRule, state: inout YearState, zoneIndex: Int?, previous: YearState?,
        constants: Constants
    ) throws(DiagnosticsError) {
        guard let (name, type) = rule.fact else { return }
        if let unitRelevant, rule.index < unitRelevant.count, !unitRelevant[rule.index] { return }
        func factKey() -> String { (zoneIndex.map { city.zones[$0].id.value + "." } ?? "city.") + name }
        if !pinnedFacts.isEmpty, let pinned = pinnedFacts[factKey()] {
            if let zoneIndex { state.setZone(zoneIndex, name, pinned) } else { state.setCity(name, pinned) }
            if recordsProvenance { state.factRules[factKey()] = [] }
            return
        }
        if let invariant = sampleInvariant, invariant.derives(rule), let field = rule.factField,
            invariant.cityObjects.indices.contains(state.year - city.baseYear)
        {
            // An object started from the plan's has the value already.
            if zoneIndex == nil ? state.cityFromPlan : state.zonesFromPlan { return }
            let year = state.year - city.baseYear
            if let zoneIndex {
                state.setZone(zoneIndex, field: field, invariant.zoneObjects[year][zoneIndex].values[field])
            } else {
                state.setCity(field: field, invariant.cityObjects[year].values[field])
            }
            return
        }
        let place = context(state, zoneIndex)
        if let observed = observedFact(name, type: type, zoneIndex: zoneIndex, year: state.year) {
            if let zoneIndex { state.setZone(zoneIndex, name, observed) } else { state.setCity(name, observed) }
            if recordsProvenance { state.factRules[factKey()] = [Self.observedMark] }
            return
        }
        let value = try factValue(
            rule, name, state: state, zoneIndex: zoneIndex, previous: previous,
            constants: constants, place: place)
        guard var result = value else {
            throw DiagnosticsError([
                .error(
                    "rule '\(rule.id)' (\(place)): '\(name)' has no value in the base year: "
                        + "its when: is false and it has no initial:", at: rule.rule.id.position)
            ])
        }
        switch (type, result) {
        case (.number, .int(let i)): result = .double(Double(i))
        case (.number, .double(let d)) where !d.isFinite:
            throw DiagnosticsError([
                .error(
                    "rule '\(rule.id)' (\(place)): '\(name)' is not a finite number (\(d))",
                    at: rule.rule.id.position)
            ])
        default: break
        }
        switch (zoneIndex, rule.factField) {
        case (let zone?, let field?) where state.zoneObject(zone).layout === rules.zoneLayout:
            state.setZone(zone, field: field, result)
        case (nil, let field?) where state.cityObject.layout === rules.cityLayout: state.setCity(field: field, result)
        case (let zone?, _): state.setZone(zone, name, result)
        case (nil, _): state.setCity(name, result)
        }
        if recordsProvenance { state.factRules[factKey()] = rule.idList }
    }

    /// What a derive rule gives: `initial:` in the base year, its value where `when:` holds, last year's value
    /// otherwise. Its own function, so the activation (which holds this year's objects) is gone before the fact is
    /// written and the cached object can be changed in place.
    private func factValue(
        _ rule: CompiledRule, _ fact: String, state: YearState, zoneIndex: Int?,
        previous: YearState?,
        constants: Constants, place: Place
    ) throws(DiagnosticsError) -> CELValue? {
        let activation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
        if previous == nil, let initial = rule.action.initial {
            trace?.record(rule: rule.id, when: nil)
            return try evaluate(initial, activation, rule: rule, where: place)
        }
        if try holds(rule, activation, where: place), let expression = rule.action.yearly(baseYear: false) {
            return try evaluate(expression, activation, rule: rule, where: place)
        }
        return previous.flatMap { previous in
            zoneIndex.map { previous.zoneValue($0, fact) } ?? previous.cityValue(fact)
        }
    }

    private func resolveUnits(
        zoneIndex: Int, state: inout YearState, previous: YearState?,
        constants: Constants
    ) throws(DiagnosticsError) {
        let place = context(state, zoneIndex)
        let activation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
        let slot = unitRuleSlot(year: state.year, zoneIndex: zoneIndex)
        let active = state.year >= joins && state.year >= rollout.firstYear
        let observesUnits = !city.zones[zoneIndex].observed.isEmpty
        var spillIn: [String: Double] = [:]
        var spillRules: [String: [UnitReason]] = [:]
        for step in rules.unitSteps {
            let unitID = step.unit
            let position = state.units[zoneIndex].position(of: unitID) ?? -1
            let combinePolicy = rules.ruleSet.units[step.catalogueIndex].combine
            let capex = rules.ruleSet.units[step.catalogueIndex].capex
            var contributions: [(rule: CompiledRule, value: Double)] = []
            for rule in step.adds where try applies(rule, previous, activation, where: place, slot: slot) {
                if let count = rule.action.yearly(baseYear: previous == nil) {
                    contributions.append((rule, try unitNumber(rule, count, activation, where: place, slot: slot)))
                }
            }
            var demand = combine(combinePolicy, contributions)
            demand += spillIn[unitID] ?? 0
            let required = try wholeUnits(demand.rounded(.up), unit: unitID, place: place)
            let existing = try wholeUnits(
                city.zones[zoneIndex].existingChargers[unitID] ?? 0, unit: unitID,
                place: place)
            let previousInstalled = previous?.units[zoneIndex][position: position]?.installed ?? existing
            var installed = max(required, previousInstalled)
            var binding: CompiledRule?
            for rule in step.caps where try applies(rule, previous, activation, where: place, slot: slot) {
                guard let on = rule.cap?.on, let maxExpression = rule.action.yearly(baseYear: previous == nil) else {
                    continue
                }
                let limit = try wholeUnits(
                    max(0, try unitNumber(rule, maxExpression, activation, where: place, slot: slot)).rounded(.down),
                    unit: unitID, place: place)
                let allowed = on == .installed ? max(previousInstalled, limit) : previousInstalled + limit
                if installed > allowed {
                    installed = allowed
                    binding = rule
                }
            }
            if !active {
                installed = previousInstalled
                binding = nil
            }
            let observed =
                observesUnits
                ? city.zones[zoneIndex].observed.value(of: .unitInstalled(unitID), in: state.year).map { Int($0) } : nil
            if let observed {
                installed = observed
                binding = nil
            }
            let unmet = max(0, required - installed)
            if active, unmet > 0, let binding, let spill = binding.cap?.spillTo,
                case .cap(_, _, let ratio?) = binding.action
            {
                let factor = try number(ratio, activation, rule: binding, where: place)
                spillIn[spill, default: 0] += Double(unmet) * max(0, factor)
                spillRules[spill, default: []].append(.spill(rule: binding.id))
            }
            let new = max(0, installed - previousInstalled)
            var provenance: [UnitReason] = []
            if recordsProvenance {
                provenance = contributions.filter { $0.value > 0 }.map { .add(rule: $0.rule.id) }
                if let binding { provenance.append(.cap(rule: binding.id)) }
                provenance += spillRules[unitID] ?? []
                if observed != nil { provenance = [.observed] }
                provenance.sort()
            }
            state.units[zoneIndex][position: position] = UnitYear(
                unit: unitID, demand: required, installed: installed, new: new, unmet: unmet,
                capex: Double(new) * capex, rules: provenance
            )
        }
    }

    /// An add or cap rule with an `initial:` applies in the base year whatever its `when:` (which may read
    /// `prev.`), as a derive rule's `initial:` does. `slot`: the zone-year's place in a sweep's recording.
    private func applies(
        _ rule: CompiledRule, _ previous: YearState?, _ activation: CELActivation,
        where place: Place, slot: Int?
    ) throws(DiagnosticsError) -> Bool {
        if previous == nil, rule.action.initial != nil {
            trace?.record(rule: rule.id, when: nil)
            return true
        }
        if let slot, let known = sampleInvariant?.when(rule, at: slot) { return known }
        let result = try holds(rule, activation, where: place)
        if let slot { unitRuleRecording?.record(when: result, of: rule, at: slot) }
        return result
    }

    /// An add rule's count or a cap rule's max: as the sweep's plan without draws had it when no draw reaches it.
    private func unitNumber(
        _ rule: CompiledRule, _ expression: CompiledExpression, _ activation: CELActivation,
        where place: Place, slot: Int?
    ) throws(DiagnosticsError) -> Double {
        if let slot, let known = sampleInvariant?.value(rule, at: slot) { return known }
        let value = try number(expression, activation, rule: rule, where: place)
        if let slot { unitRuleRecording?.record(value: value, of: rule, at: slot) }
        return value
    }

    /// Where the zone-year's add and cap rules stand in a sweep's `UnitRuleRecording` (nil outside a sweep).
    private func unitRuleSlot(year: Int, zoneIndex: Int) -> Int? {
        guard let values = unitRuleRecording?.values ?? sampleInvariant?.unitRules else { return nil }
        return values.slot(yearOffset: year - city.baseYear, zone: zoneIndex)
    }

    private func combine(_ policy: CombinePolicy, _ contributions: [(rule: CompiledRule, value: Double)]) -> Double {
        guard !contributions.isEmpty else { return 0 }
        let values = contributions.map(\.value)
        switch policy {
        case .sum: return values.reduce(0, +)
        case .max: return values.max() ?? 0
        case .min: return values.min() ?? 0
        case .first:
            return contributions.min { ($0.rule.rule.priority ?? 0) < ($1.rule.rule.priority ?? 0) }?.value ?? 0
        }
    }

    /// A unit count as a whole number: negative counts mean none; too large or not finite is an error, never a trap.
    private func wholeUnits(_ value: Double, unit: String, place: Place) throws(DiagnosticsError) -> Int {
        guard value.isFinite, value < 1e12 else {
            throw DiagnosticsError([.error("\(place): \(unit) count \(value) is out of range", at: city.id.position)])
        }
        return Int(max(0, value))
    }

    private func aggregateUnits(_ state: inout YearState) {
        for (position, unitID) in rules.schema.unitIDs.enumerated() {
            var total = UnitYear(unit: unitID, demand: 0, installed: 0, new: 0, unmet: 0, capex: 0, rules: [])
            var provenance: Set<UnitReason> = []
            for zoneUnits in state.units {
                guard let u = zoneUnits[position: position] else { continue }
                total.demand += u.demand
                total.installed += u.installed
                total.new += u.new
                total.unmet += u.unmet
                total.capex += u.capex
                if recordsProvenance { provenance.formUnion(u.rules) }
            }
            if recordsProvenance { total.rules = provenance.sorted() }
            state.cityUnits[position: position] = total
        }
    }

    private func unitObject(_ units: UnitTable) -> CELValue {
        guard let quantityLayout = rules.unitQuantityLayout, let layout = rules.unitQuantitiesLayout else {
            return .null
        }
        // In the declared field orders, by index: these objects are made for every zone and year.
        return .object(
            CELObject(
                layout: layout,
                values: layout.fieldNames.map { unitID in
                    let u = units[unitID]
                    return .object(
                        CELObject(
                            layout: quantityLayout,
                            values: quantityLayout.fieldNames.map { field in
                                switch field {
                                case "installed": .double(Double(u?.installed ?? 0))
                                case "new": .double(Double(u?.new ?? 0))
                                case "demand": .double(Double(u?.demand ?? 0))
                                case "unmet": .double(Double(u?.unmet ?? 0))
                                default: .null
                                }
                            }))
                }))
    }

    private func requirements(
        state: YearState, previous: YearState?,
        constants: Constants
    ) throws(DiagnosticsError) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules.requireRules {
            guard case .require(_, let severity, let message) = rule.rule.action,
                case .require(let condition) = rule.action
            else { continue }
            let scopes: [Int?] = rule.rule.scope == .city ? [nil] : city.zones.indices.map { $0 }
            for zoneIndex in scopes {
                let place = context(state, zoneIndex)
                let activation = activation(
                    state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                guard try holds(rule, activation, where: place) else { continue }
                let value = try evaluate(condition, activation, rule: rule, where: place)
                if value != .bool(true) {
                    findings.append(
                        Finding(
                            severity: severity, rule: rule.id, message: message,
                            scope: zoneIndex.map { city.zones[$0].id.value } ?? "city",
                            year: state.year, position: rule.rule.id.position))
                }
            }
        }
        return findings
    }

    // MARK: Siting

    private func site(states: inout [YearState], constants: Constants) throws(DiagnosticsError) -> [Station] {
        var stations: [Station] = []
        for rule in rules.siteRules {
            trace?.record(rule: rule.id, when: nil)
            guard case .site(let unitRef, _, _, _) = rule.rule.action, let unit = rules.ruleSet.unit(unitRef.value),
                case .site(let radiusExpression, let spacingExpression, let weightExpression) = rule.action
            else { continue }
            let maxStations = city.zones.indices.map { z in
                states.map { s in
                    ((s.units[z][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1) / unit.portsPerSite
                }.max() ?? 0
            }
            let candidates = SitingInputs.candidates(city: city, unit: unit, stationsPerZone: maxStations)
            let demandPoints = SitingInputs.demandPoints(city: city)
            // Grouped by zone once: scanning every candidate and point for every zone and year is quadratic in the zones.
            var candidatesByZone: [[SitingInputs.Candidate]] = Array(repeating: [], count: city.zones.count)
            for candidate in candidates { candidatesByZone[candidate.zoneIndex].append(candidate) }
            var pointsByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            for (pointIndex, point) in demandPoints.enumerated() { pointsByZone[point.zoneIndex].append(pointIndex) }
            var chosenByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            // A zone's instance changes from year to year only in weights and stations: its coverage lists are kept.
            var coverageByZone = Array(repeating: SitingCoverageCache(), count: city.zones.count)
            var opened: [Int: (year: Int, weight: Double)] = [:]
            /// Candidates within the radius of each demand point, recomputed only when the radius changes.
            var reach: (radius: Double, lists: [[Int]])?
            for index in states.indices where states[index].year >= rollout.firstYear {
                let state = states[index]
                let previous = index > 0 ? states[index - 1] : nil
                let place = context(state, nil)
                let cityActivation = activation(state: state, zoneIndex: nil, previous: previous, constants: constants)
                let radius = try number(radiusExpression, cityActivation, rule: rule, where: place)
                let spacing = try spacingExpression.map { expression throws(DiagnosticsError) in
                    try number(expression, cityActivation, rule: rule, where: place)
                }
                var zoneWeights: [Double] = []
                for zoneIndex in city.zones.indices {
                    let zoneActivation = activation(
                        state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                    zoneWeights.append(
                        max(
                            0,
                            try number(weightExpression, zoneActivation, rule: rule, where: context(state, zoneIndex))))
                }
                let demand = demandPoints.map { point in
                    DemandPoint(
                        id: point.id, latitude: point.latitude, longitude: point.longitude,
                        weight: point.share * zoneWeights[point.zoneIndex])
                }
                for zoneIndex in city.zones.indices {
                    let zoneCandidates = candidatesByZone[zoneIndex]
                    guard !zoneCandidates.isEmpty else { continue }
                    let needed =
                        ((state.units[zoneIndex][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1)
                        / unit.portsPerSite
                    let existing = zoneCandidates.indices.filter { zoneCandidates[$0].existing }
                    var fixed = chosenByZone[zoneIndex].compactMap { global in
                        zoneCandidates.firstIndex { $0.globalIndex == global }
                    }
                    for e in existing where !fixed.contains(e) { fixed.append(e) }
                    let p = min(zoneCandidates.count, max(needed, fixed.count))
                    // Solve only when stations are added (or existing ones open for the first time): years nest.
                    let unopenedFixed = fixed.contains { opened[zoneCandidates[$0].globalIndex] == nil }
                    guard p > fixed.count || unopenedFixed else { continue }
                    let problem = SitingProblem(
                        demand: demand,
                        candidates: zoneCandidates.map {
                            CandidateSite(id: $0.id, latitude: $0.latitude, longitude: $0.longitude)
                        },
                        radiusKM: radius, stationCount: p, minSpacingKM: spacing, fixed: fixed
                    )
                    let solution: SitingSolution
                    do { solution = try SitingSolver.solve(problem, cache: &coverageByZone[zoneIndex]) } catch {
                        throw DiagnosticsError([
                            .error(
                                "rule '\(rule.id)' (\(place)): siting failed: \(error.message)",
                                at: rule.rule.id.position)
                        ])
                    }
                    for (order, local) in solution.chosen.enumerated() {
                        let global = zoneCandidates[local].globalIndex
                        if opened[global] == nil {
                            let weight =
                                order < solution.coveredWeightByChosen.count ? solution.coveredWeightByChosen[order] : 0
                            opened[global] = (state.year, weight)
                        }
                    }
                    chosenByZone[zoneIndex] = solution.chosen.map { zoneCandidates[$0].globalIndex }
                }
                // Coverage per zone: share of its demand weight within the radius of any open station.
                if reach?.radius != radius {
                    reach = (radius, SitingInputs.reach(points: demandPoints, candidates: candidates, radiusKM: radius))
                }
                let reachable = reach?.lists ?? []
                for zoneIndex in city.zones.indices {
                    var covered = 0.0
                    var total = 0.0
                    for pointIndex in pointsByZone[zoneIndex] {
                        let weight = demand[pointIndex].weight
                        total += weight
                        if pointIndex < reachable.count, reachable[pointIndex].contains(where: { opened[$0] != nil }) {
                            covered += weight
                        }
                    }
                    states[index].coverage[zoneIndex][unit.id.value] = total > 0 ? covered / total : 0
                }
            }
            for global in opened.keys.sorted() {
                guard let info = opened[global] else { continue }
                let candidate = candidates[global]
                stations.append(
                    Station(
                        id: candidate.id, unit: unit.id.value, zone: city.zones[candidate.zoneIndex].id.value,
                        latitude: candidate.latitude, longitude: candidate.longitude, ports: candidate.ports,
                        openingYear: info.year, coveredWeight: info.weight, existing: candidate.existing, rule: rule.id
                    ))
            }
        }
        return stations.sorted { ($0.unit, $0.openingYear, $0.id) < ($1.unit, $1.openingYear, $1.id) }
    }

    // MARK: Output

    /// The declared facts of one scope-year, read from its object by name (no dictionary of all its fields is
    /// built); `precision[i]` is the declared precision of `declared[i]`.
    private func facts(
        _ object: CELObject, declared: [(name: String, type: FactType)], precision: [Int], key: String,
        state: YearState
    ) -> [FactValue] {
        declared.indices.compactMap { position in
            let name = declared[position].name
            guard let value = object[name], value != .null else { return nil }
            let rulesFor = state.factRules[key + name] ?? []
            switch value {
            case .double(let d):
                return FactValue(name: name, value: .number(d, precision: precision[position]), rules: rulesFor)
            case .int(let i): return FactValue(name: name, value: .int(i), rules: rulesFor)
            case .bool(let b): return FactValue(name: name, value: .bool(b), rules: rulesFor)
            default: return nil
            }
        }
    }

    /// The declared precision of each fact of `declared` (2 when none is declared).
    private func precisions(_ declared: [(name: String, type: FactType)], scope: RuleScope) -> [Int] {
        declared.map { rules.schema.precision["\(scope.rawValue).\($0.name)"] ?? 2 }
    }

    private func makePlan(states: [YearState], stations: [Station], findings: [Finding]) -> CityPlan {
        var zoneYears: [ZoneYear] = []
        let zonePrecision = precisions(rules.schema.zoneFacts, scope: .zone)
        let cityPrecision = precisions(rules.schema.cityFacts, scope: .city)
        for (zoneIndex, zone) in city.zones.enumerated() {
            for state in states {
                zoneYears.append(
                    ZoneYear(
                        zone: zone.id.value, kind: zone.kind, year: state.year,
                        facts: facts(
                            state.zoneObject(zoneIndex), declared: rules.schema.zoneFacts,
                            precision: zonePrecision, key: zone.id.value + ".", state: state),
                        units: rules.schema.unitIDs.compactMap { state.units[zoneIndex][$0] },
                        coverage: state.coverage[zoneIndex].keys.sorted().map {
                            UnitShare(unit: $0, share: state.coverage[zoneIndex][$0] ?? 0)
                        }
                    ))
            }
        }
        let cityYears = states.map { state in
            let units = rules.schema.unitIDs.compactMap { state.cityUnits[$0] }
            let facts = facts(
                state.cityObject, declared: rules.schema.cityFacts, precision: cityPrecision,
                key: "city.", state: state)
            return CityYear(
                year: state.year, facts: facts,
                units: units, access: AccessTotal.totals(units) { rules.ruleSet.unit($0)?.access })
        }
        var inputs = [
            InputHash(path: city.file, sha256: city.contentHash),
            InputHash(path: rollout.file, sha256: rollout.contentHash),
        ]
        if let outline = city.boundaryFile { inputs.append(outline) }
        inputs += rules.ruleSet.fileHashes.map { InputHash(path: $0.file, sha256: $0.hash) }
        return CityPlan(
            rollout: rollout.id.value, city: city.id.value, cityName: city.name, province: city.province,
            ruleSet: rules.ruleSet.id,
            currency: rules.ruleSet.currencyCode,
            inputs: inputs.sorted { $0.path < $1.path }, firstYear: rollout.firstYear, lastYear: rollout.lastYear,
            joins: joins,
            cityYears: cityYears, zoneYears: zoneYears,
            zones: city.zones.map {
                ZoneSummary(
                    id: $0.id.value, kind: $0.kind, latitude: $0.latitude, longitude: $0.longitude,
                    areaKM2: $0.areaKM2, population: $0.population, boundary: $0.boundary.isEmpty ? nil : $0.boundary,
                    line: $0.line.isEmpty ? nil : $0.line)
            },
            stations: stations,
            findings: findings.sorted { ($0.year, $0.scope, $0.rule) < ($1.year, $1.scope, $1.rule) }
        )
    }
}
