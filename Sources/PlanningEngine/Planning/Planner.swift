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

    public init(rules: CompiledRuleSet, city: CityProfile, rollout: Rollout, joins: Int, trace: RuleTrace? = nil) {
        self.rules = rules
        self.city = city
        self.rollout = rollout
        self.joins = joins
        self.trace = trace
    }

    /// The state of one year: the fields of the city and of each zone as CEL sees them.
    struct YearState {
        var year: Int
        var city: [String: CELValue] { didSet { objects = ObjectCache() } }
        var zones: [[String: CELValue]] { didSet { objects = ObjectCache() } }
        /// CEL objects built from the fields above; replaced (never mutated in place) when a field changes,
        /// so copies of a state never share a stale object.
        var objects: ObjectCache
        var factRules: [String: [String]] = [:]
        var units: [[String: UnitYear]]
        var cityUnits: [String: UnitYear] = [:]
        var coverage: [[String: Double]]
        /// `rollout` as CEL sees it this year: its declared inputs may be series.
        var rollout: CELValue = .null
    }

    /// Memoised CEL objects of one state, so an expression evaluation does not rebuild them.
    /// Zone objects are kept by zone index in a dictionary: a new cache (made on every field write)
    /// costs nothing, where an array sized to the zones made each write linear in the zone count.
    final class ObjectCache: @unchecked Sendable {
        var city: CELValue?
        var zones: [Int: CELValue] = [:]
    }

    public func plan() throws(DiagnosticsError) -> CityPlan {
        let result = try simulate()
        return makePlan(states: result.states.filter { $0.year >= rollout.firstYear }, stations: result.stations, findings: result.findings)
    }

    struct Simulation {
        var states: [YearState]
        var stations: [Station]
        var findings: [Finding]
        var constants: [String: CELValue]
    }

    func simulate() throws(DiagnosticsError) -> Simulation {
        let constants = constantBindings()
        var states: [YearState] = []
        let years = Array(city.baseYear...max(city.baseYear, rollout.lastYear))
        let zoneTotals = (population: city.zones.reduce(0) { $0 + $1.population }, area: city.zones.reduce(0) { $0 + $1.areaKM2 })
        // Pass 1: facts and units.
        for year in years {
            let previous = states.last
            var zones: [[String: CELValue]] = []
            for index in city.zones.indices { zones.append(try zoneInputs(index, totals: zoneTotals, year: year)) }
            var state = YearState(year: year, city: try cityInputs(year: year), zones: zones,
                                  objects: ObjectCache(),
                                  units: Array(repeating: [:], count: city.zones.count), coverage: Array(repeating: [:], count: city.zones.count))
            state.rollout = try rolloutObject(year: year)
            for rule in rules.cityFactRules {
                try derive(rule, state: &state, zoneIndex: nil, previous: previous, constants: constants)
            }
            for zoneIndex in city.zones.indices {
                for rule in rules.zoneFactRules {
                    try derive(rule, state: &state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                }
                try resolveUnits(zoneIndex: zoneIndex, state: &state, previous: previous, constants: constants)
            }
            try pinObservedUnits(&state, previous: previous)
            aggregateUnits(&state)
            // Next year's rules may read prev.zone.units / prev.city.units.
            for zoneIndex in city.zones.indices {
                state.zones[zoneIndex]["units"] = unitObject(state.units[zoneIndex])
            }
            state.city["units"] = unitObject(state.cityUnits)
            states.append(state)
        }
        // Pass 2: siting, nested over the years.
        let stations = try site(states: &states, constants: constants)
        // Pass 3: facts that read units, then requirements.
        var findings: [Finding] = []
        for index in states.indices {
            let previous = index > 0 ? states[index - 1] : nil
            var state = states[index]
            for zoneIndex in city.zones.indices {
                state.zones[zoneIndex]["units"] = unitObject(state.units[zoneIndex])
                let sited = state.coverage[zoneIndex]
                // Mean over sited unit types, summed in unit order so the bits never depend on hashing.
                let shares = sited.keys.sorted().compactMap { sited[$0] }
                state.zones[zoneIndex]["coverage"] = .double(shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count))
            }
            state.city["units"] = unitObject(state.cityUnits)
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

    // MARK: Bindings

    private func constantBindings() -> [String: CELValue] {
        var params: [String: CELValue] = [:]
        for param in rules.ruleSet.params {
            params[param.name.value] = param.values.map { .list($0.map(CELValue.double)) } ?? .double(param.value)
        }
        var catalogue: [String: CELValue] = [:]
        let money = rules.ruleSet.moneySuffix
        for unit in rules.ruleSet.units {
            catalogue[unit.id.value] = .object(CELObject(typeName: "UnitSpec", fields: [
                "power_kw": .double(unit.powerKW), "ports_per_site": .double(Double(unit.portsPerSite)),
                "capex" + money: .double(unit.capex), "sessions_per_day": .double(unit.sessionsPerDay),
                "price_per_session" + money: .double(unit.pricePerSession ?? 0),
            ]))
        }
        return [
            "params": .object(CELObject(typeName: "Params", fields: params)),
            "units": .object(CELObject(typeName: "Catalogue", fields: catalogue)),
        ]
    }

    /// `rollout` in `year`: id and horizon, and the declared rollout inputs read for the year (a series changes
    /// from year to year, so this is bound per year, not once).
    private func rolloutObject(year: Int) throws(DiagnosticsError) -> CELValue {
        var fields: [String: CELValue] = [
            "id": .string(rollout.id.value), "first_year": .int(Int64(rollout.firstYear)),
            "last_year": .int(Int64(rollout.lastYear)),
        ]
        let declared = try inputFields(rules.schema.rolloutInputs, rollout.inputs, scope: .rollout, year: year,
                                       place: "rollout '\(rollout.id.value)'")
        fields.merge(declared) { engine, _ in engine }
        return .object(CELObject(typeName: "Rollout", fields: fields))
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
        let target = city.targets.first { $0.year >= year } ?? city.targets.last
        var fields: [String: CELValue] = [
            "id": .string(city.id.value), "name": .string(city.name), "province": .string(city.province),
            "base_year": .int(Int64(city.baseYear)), "existing": chargers(city.existingChargers),
            "joins": .int(Int64(joins)), "zone_count": .int(Int64(city.zones.count)),
        ]
        let declared = try inputFields(rules.schema.cityInputs, city.inputs, scope: .city, year: year, place: "city")
        fields.merge(declared) { engine, _ in engine }
        var fallbackShare = 0.0
        if case .object(let vehicles)? = declared["vehicles"], case .double(let share)? = vehicles["ev_sales_share"] {
            fallbackShare = share
        }
        fields["target_year"] = .int(Int64(target?.year ?? rollout.lastYear))
        fields["target_ev_sales_share"] = .double(target?.evSalesShare ?? fallbackShare)
        return fields
    }

    /// `totals` are the sums of the zones' population and area, computed once per city (not once per zone).
    private func zoneInputs(_ index: Int, totals: (population: Double, area: Double), year: Int) throws(DiagnosticsError)
        -> [String: CELValue] {
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
        let declared = try inputFields(rules.schema.zoneInputs, zone.inputs, scope: .zone, year: year,
                                       place: "zone '\(zone.id.value)'")
        fields.merge(declared) { engine, _ in engine }
        return fields
    }

    /// The declared inputs of one scope as CEL sees them in `year`: series read for the year, defaults
    /// filled in, dotted names nested into objects (`vehicles.stock` → `vehicles` of type `CityVehicles`).
    private func inputFields(_ declarations: [InputDeclaration], _ values: InputValues, scope: InputScope, year: Int,
                             place: String) throws(DiagnosticsError) -> [String: CELValue] {
        var leaves: [(path: [String], value: CELValue)] = []
        for declaration in declarations {
            guard let value = InputLoader.resolve(declaration.name.value, declarations, values) else {
                throw DiagnosticsError([.error(
                    "\(place) of city \(city.id.value) has no value for the input '\(declaration.name.value)' "
                        + "(rule set '\(rules.ruleSet.id)')",
                    at: values.positions[declaration.name.value] ?? city.id.position,
                    hint: "declared at \(declaration.name.position)")])
            }
            let cel: CELValue
            switch value.resolved(in: year, between: declaration.between) {
            case .number(let d): cel = .double(d)
            case .int(let i): cel = declaration.type == .number ? .double(Double(i)) : .int(i)
            case .bool(let b): cel = .bool(b)
            case .string(let t): cel = .string(t)
            case .series: cel = .null
            }
            leaves.append((declaration.path, cel))
        }
        return Self.nest(leaves, scope: scope, prefix: [])
    }

    static func nest(_ leaves: [(path: [String], value: CELValue)], scope: InputScope, prefix: [String])
        -> [String: CELValue] {
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
            fields[head] = .object(CELObject(typeName: FactSchema.groupTypeName(scope, group),
                                             fields: nest(groups[head] ?? [], scope: scope, prefix: group)))
        }
        return fields
    }

    private func activation(state: YearState, zoneIndex: Int?, previous: YearState?, constants: [String: CELValue]) -> CELActivation {
        var activation = CELActivation()
        for (name, value) in constants { activation.bind(name, value) }
        activation.bind("rollout", state.rollout)
        activation.bind("year", .int(Int64(state.year)))
        activation.bind("city", cityObject(state))
        var prev: [String: CELValue] = [:]
        if let previous {
            prev["city"] = cityObject(previous)
        }
        if let zoneIndex {
            activation.bind("zone", zoneObject(state, zoneIndex))
            if let previous { prev["zone"] = zoneObject(previous, zoneIndex) }
        }
        activation.bind("prev", .object(CELObject(typeName: "Prev", fields: prev)))
        return activation
    }

    func cityObject(_ state: YearState) -> CELValue {
        if let cached = state.objects.city { return cached }
        let object = Self.object("City", layout: rules.cityLayout, fields: state.city)
        state.objects.city = object
        return object
    }

    func zoneObject(_ state: YearState, _ index: Int) -> CELValue {
        if let cached = state.objects.zones[index] { return cached }
        let object = Self.object("Zone", layout: rules.zoneLayout, fields: state.zones[index])
        state.objects.zones[index] = object
        return object
    }

    /// An object in its declared layout; fields not yet derived this year are null, and the
    /// dependency order guarantees no expression reads them before they are set.
    static func object(_ typeName: String, layout: CELObjectLayout?, fields: [String: CELValue]) -> CELValue {
        guard let layout else { return .object(CELObject(typeName: typeName, fields: fields)) }
        return .object(CELObject(layout: layout, values: layout.fieldNames.map { fields[$0] ?? .null }))
    }

    // MARK: Evaluation

    private func context(_ state: YearState, _ zoneIndex: Int?) -> String {
        "city \(city.id.value), " + (zoneIndex.map { "zone \(city.zones[$0].id.value), " } ?? "") + "year \(state.year)"
    }

    private func evaluate(_ expression: CompiledExpression, _ activation: CELActivation, rule: CompiledRule, where place: String) throws(DiagnosticsError) -> CELValue {
        do {
            return try expression.program.evaluate(activation)
        } catch {
            var diagnostic = CompiledExpression.diagnosticFor(error, expression: expression.expression)
            diagnostic.message = "rule '\(rule.id)' (\(place)): \(error.message)"
            throw DiagnosticsError([diagnostic])
        }
    }

    private func number(_ expression: CompiledExpression, _ activation: CELActivation, rule: CompiledRule, where place: String) throws(DiagnosticsError) -> Double {
        let value = try evaluate(expression, activation, rule: rule, where: place)
        let result: Double
        switch value {
        case .double(let d): result = d
        case .int(let i): result = Double(i)
        case .uint(let u): result = Double(u)
        default:
            throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): expected a number, got \(value)", at: expression.expression.position)])
        }
        guard result.isFinite else {
            throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): the result is not a finite number (\(result))", at: expression.expression.position)])
        }
        return result
    }

    private func holds(_ rule: CompiledRule, _ activation: CELActivation, where place: String) throws(DiagnosticsError) -> Bool {
        guard let when = rule.when else {
            trace?.record(rule: rule.id, when: nil)
            return true
        }
        let value = try evaluate(when, activation, rule: rule, where: place)
        guard case .bool(let result) = value else {
            throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): when: must give a bool", at: when.expression.position)])
        }
        trace?.record(rule: rule.id, when: result)
        return result
    }

    private func derive(_ rule: CompiledRule, state: inout YearState, zoneIndex: Int?, previous: YearState?, constants: [String: CELValue]) throws(DiagnosticsError) {
        guard case .derive(let fact, let type, _, _, _) = rule.rule.action else { return }
        let factKey = (zoneIndex.map { city.zones[$0].id.value + "." } ?? "city.") + fact.value
        if let pinned = pinnedFacts[factKey] {
            if let zoneIndex { state.zones[zoneIndex][fact.value] = pinned } else { state.city[fact.value] = pinned }
            state.factRules[factKey] = []
            return
        }
        let place = context(state, zoneIndex)
        let activation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
        var value: CELValue?
        if let observed = observedFact(fact.value, type: type, zoneIndex: zoneIndex, year: state.year) {
            if let zoneIndex { state.zones[zoneIndex][fact.value] = observed } else { state.city[fact.value] = observed }
            state.factRules[factKey] = [Self.observedMark]
            return
        }
        if previous == nil, let initial = rule.action.initial {
            trace?.record(rule: rule.id, when: nil)
            value = try evaluate(initial, activation, rule: rule, where: place)
        } else if try holds(rule, activation, where: place), let expression = rule.action.yearly(baseYear: false) {
            value = try evaluate(expression, activation, rule: rule, where: place)
        } else if let previous {
            value = zoneIndex.map { previous.zones[$0][fact.value] } ?? previous.city[fact.value]
        }
        guard var result = value else {
            throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): '\(fact.value)' has no value in the base year: its when: is false and it has no initial:", at: rule.rule.id.position)])
        }
        switch (type, result) {
        case (.number, .int(let i)): result = .double(Double(i))
        case (.number, .double(let d)) where !d.isFinite:
            throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): '\(fact.value)' is not a finite number (\(d))", at: rule.rule.id.position)])
        default: break
        }
        if let zoneIndex { state.zones[zoneIndex][fact.value] = result } else { state.city[fact.value] = result }
        state.factRules[factKey] = [rule.id]
    }

    private func resolveUnits(zoneIndex: Int, state: inout YearState, previous: YearState?, constants: [String: CELValue]) throws(DiagnosticsError) {
        let place = context(state, zoneIndex)
        let activation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
        let zone = city.zones[zoneIndex]
        let active = state.year >= joins && state.year >= rollout.firstYear
        var spillIn: [String: Double] = [:]
        var spillRules: [String: [UnitReason]] = [:]
        for unitID in rules.unitOrder {
            guard let unit = rules.ruleSet.unit(unitID) else { continue }
            var contributions: [(rule: CompiledRule, value: Double)] = []
            for rule in rules.addRules[unitID] ?? [] where try applies(rule, previous, activation, where: place) {
                if let count = rule.action.yearly(baseYear: previous == nil) {
                    contributions.append((rule, try number(count, activation, rule: rule, where: place)))
                }
            }
            var demand = combine(unit.combine, contributions)
            demand += spillIn[unitID] ?? 0
            let required = try wholeUnits(demand.rounded(.up), unit: unitID, place: place)
            let existing = try wholeUnits(zone.existingChargers[unitID] ?? 0, unit: unitID, place: place)
            let previousInstalled = previous?.units[zoneIndex][unitID]?.installed ?? existing
            var installed = max(required, previousInstalled)
            var binding: CompiledRule?
            for rule in rules.capRules[unitID] ?? [] where try applies(rule, previous, activation, where: place) {
                guard case .cap(_, let on, _, _, _) = rule.rule.action,
                      let maxExpression = rule.action.yearly(baseYear: previous == nil) else { continue }
                let limit = try wholeUnits(max(0, try number(maxExpression, activation, rule: rule, where: place)).rounded(.down), unit: unitID, place: place)
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
            let observed = zone.observed.value(of: .unitInstalled(unitID), in: state.year).map { Int($0) }
            if let observed {
                installed = observed
                binding = nil
            }
            let unmet = max(0, required - installed)
            if active, unmet > 0, let binding, case .cap(_, _, _, let spill?, _) = binding.rule.action,
               case .cap(_, _, let ratio?) = binding.action {
                let factor = try number(ratio, activation, rule: binding, where: place)
                spillIn[spill.unit.value, default: 0] += Double(unmet) * max(0, factor)
                spillRules[spill.unit.value, default: []].append(.spill(rule: binding.id))
            }
            let new = max(0, installed - previousInstalled)
            var provenance: [UnitReason] = contributions.filter { $0.value > 0 }.map { .add(rule: $0.rule.id) }
            if let binding { provenance.append(.cap(rule: binding.id)) }
            provenance += spillRules[unitID] ?? []
            if observed != nil { provenance = [.observed] }
            state.units[zoneIndex][unitID] = UnitYear(
                unit: unitID, demand: required, installed: installed, new: new, unmet: unmet,
                capex: Double(new) * unit.capex, rules: provenance.sorted()
            )
        }
    }

    /// An add or cap rule with an `initial:` applies in the base year whatever its `when:` (which may read
    /// `prev.`), as a derive rule's `initial:` does.
    private func applies(_ rule: CompiledRule, _ previous: YearState?, _ activation: CELActivation,
                         where place: String) throws(DiagnosticsError) -> Bool {
        if previous == nil, rule.action.initial != nil {
            trace?.record(rule: rule.id, when: nil)
            return true
        }
        return try holds(rule, activation, where: place)
    }

    private func combine(_ policy: CombinePolicy, _ contributions: [(rule: CompiledRule, value: Double)]) -> Double {
        guard !contributions.isEmpty else { return 0 }
        let values = contributions.map(\.value)
        switch policy {
        case .sum: return values.reduce(0, +)
        case .max: return values.max() ?? 0
        case .min: return values.min() ?? 0
        case .first: return contributions.min { ($0.rule.rule.priority ?? 0) < ($1.rule.rule.priority ?? 0) }?.value ?? 0
        }
    }

    /// A unit count as a whole number: negative counts mean none; too large or not finite is an error, never a trap.
    private func wholeUnits(_ value: Double, unit: String, place: String) throws(DiagnosticsError) -> Int {
        guard value.isFinite, value < 1e12 else {
            throw DiagnosticsError([.error("\(place): \(unit) count \(value) is out of range", at: city.id.position)])
        }
        return Int(max(0, value))
    }

    private func aggregateUnits(_ state: inout YearState) {
        for unitID in rules.schema.unitIDs {
            var total = UnitYear(unit: unitID, demand: 0, installed: 0, new: 0, unmet: 0, capex: 0, rules: [])
            var provenance: Set<UnitReason> = []
            for zoneUnits in state.units {
                guard let u = zoneUnits[unitID] else { continue }
                total.demand += u.demand
                total.installed += u.installed
                total.new += u.new
                total.unmet += u.unmet
                total.capex += u.capex
                provenance.formUnion(u.rules)
            }
            total.rules = provenance.sorted()
            state.cityUnits[unitID] = total
        }
    }

    private func unitObject(_ units: [String: UnitYear]) -> CELValue {
        var fields: [String: CELValue] = [:]
        for unitID in rules.schema.unitIDs {
            let u = units[unitID]
            fields[unitID] = .object(CELObject(typeName: "UnitQuantity", fields: [
                "installed": .double(Double(u?.installed ?? 0)), "new": .double(Double(u?.new ?? 0)),
                "demand": .double(Double(u?.demand ?? 0)), "unmet": .double(Double(u?.unmet ?? 0)),
            ]))
        }
        return .object(CELObject(typeName: "UnitQuantities", fields: fields))
    }

    private func requirements(state: YearState, previous: YearState?, constants: [String: CELValue]) throws(DiagnosticsError) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules.requireRules {
            guard case .require(_, let severity, let message) = rule.rule.action,
                  case .require(let condition) = rule.action else { continue }
            let scopes: [Int?] = rule.rule.scope == .city ? [nil] : city.zones.indices.map { $0 }
            for zoneIndex in scopes {
                let place = context(state, zoneIndex)
                let activation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                guard try holds(rule, activation, where: place) else { continue }
                let value = try evaluate(condition, activation, rule: rule, where: place)
                if value != .bool(true) {
                    findings.append(Finding(severity: severity, rule: rule.id, message: message,
                                            scope: zoneIndex.map { city.zones[$0].id.value } ?? "city",
                                            year: state.year, position: rule.rule.id.position))
                }
            }
        }
        return findings
    }

    // MARK: Siting

    private func site(states: inout [YearState], constants: [String: CELValue]) throws(DiagnosticsError) -> [Station] {
        var stations: [Station] = []
        for rule in rules.siteRules {
            trace?.record(rule: rule.id, when: nil)
            guard case .site(let unitRef, _, _, _) = rule.rule.action, let unit = rules.ruleSet.unit(unitRef.value),
                  case .site(let radiusExpression, let spacingExpression, let weightExpression) = rule.action
            else { continue }
            let maxStations = city.zones.indices.map { z in
                states.map { s in ((s.units[z][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1) / unit.portsPerSite }.max() ?? 0
            }
            let candidates = SitingInputs.candidates(city: city, unit: unit, stationsPerZone: maxStations)
            let demandPoints = SitingInputs.demandPoints(city: city)
            // Grouped by zone once: scanning every candidate and point for every zone and year is quadratic in the zones.
            var candidatesByZone: [[SitingInputs.Candidate]] = Array(repeating: [], count: city.zones.count)
            for candidate in candidates { candidatesByZone[candidate.zoneIndex].append(candidate) }
            var pointsByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            for (pointIndex, point) in demandPoints.enumerated() { pointsByZone[point.zoneIndex].append(pointIndex) }
            var chosenByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            var opened: [Int: (year: Int, weight: Double)] = [:]
            /// Candidates within the radius of each demand point, recomputed only when the radius changes.
            var reach: (radius: Double, lists: [[Int]])?
            for index in states.indices where states[index].year >= rollout.firstYear {
                let state = states[index]
                let previous = index > 0 ? states[index - 1] : nil
                let place = context(state, nil)
                let cityActivation = activation(state: state, zoneIndex: nil, previous: previous, constants: constants)
                let radius = try number(radiusExpression, cityActivation, rule: rule, where: place)
                let spacing = try spacingExpression.map { expression throws(DiagnosticsError) in try number(expression, cityActivation, rule: rule, where: place) }
                var zoneWeights: [Double] = []
                for zoneIndex in city.zones.indices {
                    let zoneActivation = activation(state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                    zoneWeights.append(max(0, try number(weightExpression, zoneActivation, rule: rule, where: context(state, zoneIndex))))
                }
                let demand = demandPoints.map { point in
                    DemandPoint(id: point.id, latitude: point.latitude, longitude: point.longitude,
                                weight: point.share * zoneWeights[point.zoneIndex])
                }
                for zoneIndex in city.zones.indices {
                    let zoneCandidates = candidatesByZone[zoneIndex]
                    guard !zoneCandidates.isEmpty else { continue }
                    let needed = ((state.units[zoneIndex][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1) / unit.portsPerSite
                    let existing = zoneCandidates.indices.filter { zoneCandidates[$0].existing }
                    var fixed = chosenByZone[zoneIndex].compactMap { global in zoneCandidates.firstIndex { $0.globalIndex == global } }
                    for e in existing where !fixed.contains(e) { fixed.append(e) }
                    let p = min(zoneCandidates.count, max(needed, fixed.count))
                    // Solve only when stations are added (or existing ones open for the first time): years nest.
                    let unopenedFixed = fixed.contains { opened[zoneCandidates[$0].globalIndex] == nil }
                    guard p > fixed.count || unopenedFixed else { continue }
                    let problem = SitingProblem(
                        demand: demand,
                        candidates: zoneCandidates.map { CandidateSite(id: $0.id, latitude: $0.latitude, longitude: $0.longitude) },
                        radiusKM: radius, stationCount: p, minSpacingKM: spacing, fixed: fixed
                    )
                    let solution: SitingSolution
                    do { solution = try SitingSolver.solve(problem) } catch {
                        throw DiagnosticsError([.error("rule '\(rule.id)' (\(place)): siting failed: \(error.message)", at: rule.rule.id.position)])
                    }
                    for (order, local) in solution.chosen.enumerated() {
                        let global = zoneCandidates[local].globalIndex
                        if opened[global] == nil {
                            let weight = order < solution.coveredWeightByChosen.count ? solution.coveredWeightByChosen[order] : 0
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
                stations.append(Station(
                    id: candidate.id, unit: unit.id.value, zone: city.zones[candidate.zoneIndex].id.value,
                    latitude: candidate.latitude, longitude: candidate.longitude, ports: candidate.ports,
                    openingYear: info.year, coveredWeight: info.weight, existing: candidate.existing, rule: rule.id
                ))
            }
        }
        return stations.sorted { ($0.unit, $0.openingYear, $0.id) < ($1.unit, $1.openingYear, $1.id) }
    }

    // MARK: Output

    private func facts(_ fields: [String: CELValue], declared: [(name: String, type: FactType)], scope: RuleScope, key: String, state: YearState) -> [FactValue] {
        declared.compactMap { fact in
            guard let value = fields[fact.name] else { return nil }
            let rulesFor = state.factRules[key + fact.name] ?? []
            switch value {
            case .double(let d): return FactValue(name: fact.name, value: .number(d, precision: rules.schema.precision["\(scope.rawValue).\(fact.name)"] ?? 2), rules: rulesFor)
            case .int(let i): return FactValue(name: fact.name, value: .int(i), rules: rulesFor)
            case .bool(let b): return FactValue(name: fact.name, value: .bool(b), rules: rulesFor)
            default: return nil
            }
        }
    }

    private func makePlan(states: [YearState], stations: [Station], findings: [Finding]) -> CityPlan {
        var zoneYears: [ZoneYear] = []
        for (zoneIndex, zone) in city.zones.enumerated() {
            for state in states {
                zoneYears.append(ZoneYear(
                    zone: zone.id.value, kind: zone.kind, year: state.year,
                    facts: facts(state.zones[zoneIndex], declared: rules.schema.zoneFacts, scope: .zone, key: zone.id.value + ".", state: state),
                    units: rules.schema.unitIDs.compactMap { state.units[zoneIndex][$0] },
                    coverage: state.coverage[zoneIndex].keys.sorted().map { UnitShare(unit: $0, share: state.coverage[zoneIndex][$0] ?? 0) }
                ))
            }
        }
        let cityYears = states.map { state in
            let units = rules.schema.unitIDs.compactMap { state.cityUnits[$0] }
            let facts = facts(state.city, declared: rules.schema.cityFacts, scope: .city, key: "city.", state: state)
            return CityYear(year: state.year, facts: facts,
                            units: units, access: AccessTotal.totals(units) { rules.ruleSet.unit($0)?.access })
        }
        var inputs = [InputHash(path: city.file, sha256: city.contentHash), InputHash(path: rollout.file, sha256: rollout.contentHash)]
        inputs += rules.ruleSet.fileHashes.map { InputHash(path: $0.file, sha256: $0.hash) }
        return CityPlan(
            rollout: rollout.id.value, city: city.id.value, cityName: city.name, province: city.province, ruleSet: rules.ruleSet.id,
            currency: rules.ruleSet.currencyCode,
            inputs: inputs.sorted { $0.path < $1.path }, firstYear: rollout.firstYear, lastYear: rollout.lastYear, joins: joins,
            cityYears: cityYears, zoneYears: zoneYears,
            zones: city.zones.map { ZoneSummary(id: $0.id.value, kind: $0.kind, latitude: $0.latitude, longitude: $0.longitude, areaKM2: $0.areaKM2, population: $0.population) },
            stations: stations,
            findings: findings.sorted { ($0.year, $0.scope, $0.rule) < ($1.year, $1.scope, $1.rule) }
        )
    }
}
