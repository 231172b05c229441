import CEL
import Siting

/// Units: add, cap and spill rules per zone-year, whole units, the city totals.
extension CityPlanner {
    func resolveUnits(
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
    func applies(
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

    func aggregateUnits(_ state: inout YearState) {
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

    func unitObject(_ units: UnitTable) -> CELValue {
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
}
