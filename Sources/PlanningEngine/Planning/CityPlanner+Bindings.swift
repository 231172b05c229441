import CEL
import Siting

/// What rules read: `params`, `units`, `rollout`, the city's and zones' inputs, `prev`, as CEL values.
extension CityPlanner {
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
    func rolloutObject(year: Int) throws(DiagnosticsError) -> CELValue {
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
    func chargers(_ counts: [String: Double]) -> CELValue {
        var fields: [String: CELValue] = [:]
        for unit in rules.ruleSet.units { fields[unit.id.value] = .double(counts[unit.id.value] ?? 0) }
        return .object(CELObject(typeName: "Chargers", fields: fields))
    }

    /// `target_year` / `target_ev_sales_share` name the next target at or after `year` (the last one
    /// once all have passed), so a rule closing the gap year by year follows a piecewise-linear path.
    /// Without targets, the share is the declared input `vehicles.ev_sales_share` when there is one, else 0.
    func cityInputs(year: Int) throws(DiagnosticsError) -> [String: CELValue] {
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
    func targets(year: Int, vehicles: CELValue?) -> (year: CELValue, share: CELValue) {
        let target = city.targets.first { $0.year >= year } ?? city.targets.last
        var fallbackShare = 0.0
        if case .object(let vehicles)? = vehicles, case .double(let share)? = vehicles["ev_sales_share"] {
            fallbackShare = share
        }
        return (.int(Int64(target?.year ?? rollout.lastYear)), .double(target?.evSalesShare ?? fallbackShare))
    }

    /// `totals` are the sums of the zones' population and area, computed once per city (not once per zone).
    func zoneInputs(
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
    func activation(
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
}
