/// What a sweep's draws cannot reach, rule by rule: the derive rules whose value is the same in every sample, and
/// the `when:` and the count (or max) of add and cap rules that read nothing a draw changes. A sample takes these
/// from a plan of the city without draws instead of evaluating them again: most of a sample's conditions (the
/// operator, the zone's kind) and some of its counts never move.
struct SampleInvariance: Sendable {
    /// Each by `CompiledRule.index`; false for rules of other kinds.
    var derive: [Bool]
    var when: [Bool]
    /// An add rule's count or a cap rule's max, with its `initial:` (a cap's spill ratio is always evaluated).
    var value: [Bool]
}

extension CompiledRuleSet {
    /// The invariance of every rule for a sweep whose uncertain numbers are `roots` (paths as CEL reads them:
    /// `params.kwh_per_km`, `units.fast.capex_cny`, `city.vehicles.stock`, `zone.grid_headroom_kw`,
    /// `rollout.market_share`). An expression varies when it reads one of them, a unit count or coverage, a whole
    /// object, or a fact of a rule that varies (this year's or last year's), to a fixed point.
    func sampleInvariance(varying roots: [String]) -> SampleInvariance {
        let count = (allRules.map(\.index).max() ?? -1) + 1
        var varies = [Bool](repeating: false, count: count)
        var varyingFacts: Set<String> = []
        func matches(_ read: String) -> Bool {
            let path = read.hasPrefix("prev.") ? String(read.dropFirst(5)) : read
            let parts = path.split(separator: ".")
            guard let head = parts.first, head != "year" else { return false }
            if parts.count < 2 { return true }
            if head == "city" || head == "zone", parts[1] == "units" || parts[1] == "coverage" { return true }
            if varyingFacts.contains("\(head).\(parts[1])") { return true }
            return roots.contains { root in path == root || path.hasPrefix(root + ".") || root.hasPrefix(path + ".") }
        }
        var changed = true
        while changed {
            changed = false
            for rule in allRules where !varies[rule.index] && rule.reads.contains(where: matches) {
                varies[rule.index] = true
                changed = true
                if case .derive(let fact, _, _, _, _) = rule.rule.action {
                    varyingFacts.insert("\(rule.rule.scope.rawValue).\(fact.value)")
                }
            }
        }
        func reachesNoDraw(_ expressions: [CompiledExpression?]) -> Bool {
            !expressions.contains { $0?.referencedPaths.contains(where: matches) ?? false }
        }
        var invariance = SampleInvariance(
            derive: varies.map { !$0 }, when: [Bool](repeating: false, count: count),
            value: [Bool](repeating: false, count: count))
        for rule in allRules {
            switch rule.action {
            case .derive: continue
            case .add(let value, let initial), .cap(let value, let initial, _):
                invariance.when[rule.index] = reachesNoDraw([rule.when])
                invariance.value[rule.index] = reachesNoDraw([value, initial])
            case .site, .require: break
            }
            invariance.derive[rule.index] = false
        }
        return invariance
    }
}
