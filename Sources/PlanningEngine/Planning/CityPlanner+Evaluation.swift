import CEL
import Siting

/// Evaluating rules: places for messages, numbers and conditions, deriving facts.
extension CityPlanner {
    // MARK: Evaluation

    /// Where a rule is evaluated, for error messages: formatted only when one is written.
    struct Place: CustomStringConvertible {
        let city: String
        let zone: String?
        let year: Int

        var description: String { "city \(city), " + (zone.map { "zone \($0), " } ?? "") + "year \(year)" }
    }

    func context(_ state: YearState, _ zoneIndex: Int?) -> Place {
        Place(city: city.id.value, zone: zoneIndex.map { city.zones[$0].id.value }, year: state.year)
    }

    func evaluate(
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

    func number(
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

    func holds(
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

    func derive(
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
}
