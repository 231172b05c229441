import CEL

extension CityPlanner {
    /// What a sweep's sample takes as it is from a plan of the city without draws (`SampleInvariance`): the values
    /// of the invariant derive rules, by year from the base year (then zone) and field, and the recorded `when:`
    /// results and counts of the invariant add and cap rules. A class: one reference per look-up, where the plan's
    /// states would be copied.
    final class SampleInvariant: Sendable {
        let rules: [Bool]
        let invariance: SampleInvariance
        /// The plan's objects at the end of each year's first pass: its inputs and every fact derived.
        let cityObjects: [CELObject]
        let zoneObjects: [[CELObject]]
        let unitRules: UnitRuleRecording.Values?

        init(_ invariance: SampleInvariance, years: [YearState], unitRules: UnitRuleRecording? = nil) {
            self.invariance = invariance
            rules = invariance.derive
            cityObjects = years.map(\.cityObject)
            zoneObjects = years.map(\.zoneObjects)
            self.unitRules = unitRules?.values
        }

        /// Whether `rule` is a derive rule whose value is the plan's in every sample.
        func derives(_ rule: CompiledRule) -> Bool { rules.indices.contains(rule.index) && rules[rule.index] }

        /// The recorded `when:` of `rule` where nothing drawn reaches it and the plan evaluated it.
        func when(_ rule: CompiledRule, at slot: Int) -> Bool? {
            guard let unitRules, invariance.when.indices.contains(rule.index), invariance.when[rule.index] else {
                return nil
            }
            return unitRules.when(at: slot + rule.index)
        }

        /// The recorded count or max of `rule` where nothing drawn reaches it and the plan evaluated it.
        func value(_ rule: CompiledRule, at slot: Int) -> Double? {
            guard let unitRules, invariance.value.indices.contains(rule.index), invariance.value[rule.index] else {
                return nil
            }
            return unitRules.value(at: slot + rule.index)
        }
    }

    /// The `when:` results and counts (or maxima) of add and cap rules as a plan evaluated them, by zone-year and
    /// rule: filled while the plan a sweep starts from is made, then read by every sample. A zone-year's entries
    /// start at `slot(yearOffset:zone:)`, one per `CompiledRule.index`.
    final class UnitRuleRecording: @unchecked Sendable {
        struct Values: Sendable {
            let zones: Int
            let rules: Int
            /// -1 not evaluated, 0 false, 1 true.
            var whens: [Int8]
            /// NaN where not evaluated.
            var values: [Double]

            func slot(yearOffset: Int, zone: Int) -> Int { (yearOffset * zones + zone) * rules }

            func when(at index: Int) -> Bool? {
                guard whens.indices.contains(index), whens[index] >= 0 else { return nil }
                return whens[index] == 1
            }

            func value(at index: Int) -> Double? {
                guard values.indices.contains(index), !values[index].isNaN else { return nil }
                return values[index]
            }
        }

        private(set) var values: Values

        init(years: Int, zones: Int, rules: Int) {
            let count = max(0, years) * max(0, zones) * max(0, rules)
            values = Values(
                zones: zones, rules: rules, whens: [Int8](repeating: -1, count: count),
                values: [Double](repeating: .nan, count: count))
        }

        func record(when result: Bool, of rule: CompiledRule, at slot: Int) {
            let index = slot + rule.index
            if values.whens.indices.contains(index) { values.whens[index] = result ? 1 : 0 }
        }

        func record(value: Double, of rule: CompiledRule, at slot: Int) {
            let index = slot + rule.index
            if values.values.indices.contains(index) { values.values[index] = value }
        }
    }
}
