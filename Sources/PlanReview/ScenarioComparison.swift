import PlanWriters
import PlanningEngine

/// Two scenarios side by side (`chargeplan compare A B`): both planned in memory, then per rollout and city the
/// quantities a planner weighs — installed units by unit and by access, capex, unmet demand, findings and the NPV
/// when the rule set derives `npv_<currency>` — with the differences first, grouped as `diff` groups them
/// (rollout → city → year), and the overrides that differ between the two named as their cause.
public enum ScenarioComparison {
    /// An override path set differently in A and B.
    public struct Cause: Sendable, Equatable {
        public var path: String
        /// What A and B make of it: the override (`3`, `× 0.8`, `{2026: 1, 2027: 2}`), or the model's value
        /// (`2.4 (model)`, `the profiles'`).
        public var a: String
        public var b: String
    }

    /// The quantities of one city in one scenario: installed and unmet in the last year, capex over the horizon.
    public struct Totals: Sendable, Equatable {
        public var installed: [(unit: String, count: Int)]
        public var access: [AccessTotal]
        public var unmet: [(unit: String, count: Int)]
        public var capex: Double
        public var errors: Int
        public var warnings: Int
        public var npv: Double?

        public static func == (x: Totals, y: Totals) -> Bool {
            x.installed.elementsEqual(y.installed) { $0 == $1 } && x.access == y.access
                && x.unmet.elementsEqual(y.unmet) { $0 == $1 } && x.capex == y.capex && x.errors == y.errors
                && x.warnings == y.warnings && x.npv == y.npv
        }
    }

    public struct CityTotals: Sendable, Equatable {
        public var rollout: String
        public var city: String
        public var a: Totals
        public var b: Totals
    }

    public struct Report: Sendable, Equatable {
        public var a: String
        public var b: String
        public var ruleSet: String?
        public var currency: String
        public var causes: [Cause]
        /// Value by value, rollout (as `file`) → city (as `scope`) → year → item; only what differs.
        public var changes: [PlanDiff.Change]
        /// Every city, those that differ first (each group by rollout, then city).
        public var cities: [CityTotals]

        public var isEmpty: Bool { changes.isEmpty }
        public var moneyKey: String { "capex_" + currency.lowercased() }
    }

    /// Plans the rollouts of the scenarios' rule set (all rollouts when both are `baseline`), or only `rollouts`.
    public static func run(
        _ workspace: Workspace, a: String, b: String, rollouts: [String] = [],
        threads: Int? = nil
    ) throws(DiagnosticsError) -> Report {
        let left = try workspace.overlaid(scenario: a)
        let right = try workspace.overlaid(scenario: b)
        if let x = left.scenario, let y = right.scenario, x.ruleSet.value != y.ruleSet.value {
            throw DiagnosticsError([
                .error(
                    "scenarios '\(a)' and '\(b)' overlay different rule sets ('\(x.ruleSet.value)' and "
                        + "'\(y.ruleSet.value)'): their plans have nothing in common", at: y.ruleSet.position)
            ])
        }
        let ruleSet = (left.scenario ?? right.scenario)?.ruleSet.value
        var selected = left.workspace.rollouts.filter { $0.ruleSet.value == ruleSet || ruleSet == nil }
        if !rollouts.isEmpty {
            var bag = DiagnosticBag()
            for id in rollouts where !selected.contains(where: { $0.id.value == id }) {
                let known = selected.map(\.id.value)
                bag.error(
                    "no rollout named '\(id)' in the scenarios compared", at: nil,
                    hint: Spelling.closest(to: id, in: known).map { "did you mean '\($0)'?" }
                        ?? "rollouts: " + known.joined(separator: ", "))
            }
            try bag.throwIfErrors()
            selected = selected.filter { rollouts.contains($0.id.value) }
        }
        var plansA: [RolloutPlan] = []
        var plansB: [RolloutPlan] = []
        var diagnostics: [Diagnostic] = []
        for rollout in selected {
            do {
                plansA.append(try RolloutPlanner.plan(rollout, in: left.workspace, threads: threads))
                guard let other = right.workspace.rollout(rollout.id.value) else { continue }
                plansB.append(try RolloutPlanner.plan(other, in: right.workspace, threads: threads))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        var report = compare(plansA, plansB, a: a, b: b)
        report.ruleSet = ruleSet
        report.currency = workspace.ruleSet(ruleSet ?? "")?.currencyCode ?? plansA.first?.currency ?? "CNY"
        report.causes = causes(left, right, ruleSet: ruleSet)
        return report
    }

    /// The comparison of two lists of rollout plans (the same rollouts and cities in both).
    static func compare(_ plansA: [RolloutPlan], _ plansB: [RolloutPlan], a: String, b: String) -> Report {
        var changes: [PlanDiff.Change] = []
        var differing: [CityTotals] = []
        var same: [CityTotals] = []
        for (rolloutA, rolloutB) in zip(plansA, plansB) {
            for cityA in rolloutA.cities {
                guard let cityB = rolloutB.cities.first(where: { $0.city == cityA.city }) else { continue }
                let found = cityChanges(cityA, cityB)
                changes += found
                let totals = CityTotals(rollout: cityA.rollout, city: cityA.city, a: totals(cityA), b: totals(cityB))
                if found.isEmpty && totals.a == totals.b { same.append(totals) } else { differing.append(totals) }
            }
        }
        return Report(
            a: a, b: b, ruleSet: nil, currency: plansA.first?.currency ?? "CNY", causes: [],
            changes: changes, cities: differing + same)
    }

    /// The compared quantities of one city, year by year: only those that differ.
    static func cityChanges(_ a: CityPlan, _ b: CityPlan) -> [PlanDiff.Change] {
        var changes: [PlanDiff.Change] = []
        let npvName = "npv" + a.moneySuffix
        for yearA in a.cityYears {
            guard let yearB = b.cityYears.first(where: { $0.year == yearA.year }) else { continue }
            var items: [(item: String, a: String?, b: String?, rules: [String])] = []
            for unit in Self.units(yearA.units, yearB.units) {
                let x = yearA.units.first { $0.unit == unit }
                let y = yearB.units.first { $0.unit == unit }
                let rules = Self.rules(x, y)
                items.append(
                    ("\(unit).installed", x.map { String($0.installed) }, y.map { String($0.installed) }, rules))
                items.append(("\(unit).unmet", x.map { String($0.unmet) }, y.map { String($0.unmet) }, rules))
            }
            for (x, y) in zip(yearA.access, yearB.access) {
                items.append(("access.\(x.access.rawValue).installed", String(x.installed), String(y.installed), []))
            }
            items.append(
                (
                    "capex" + a.moneySuffix, money(yearA.units.reduce(0) { $0 + $1.capex }),
                    money(yearB.units.reduce(0) { $0 + $1.capex }), []
                ))
            let npvA = yearA.facts.first { $0.name == npvName }
            let npvB = yearB.facts.first { $0.name == npvName }
            if npvA != nil || npvB != nil {
                items.append(
                    ("fact " + npvName, npvA.map(factText), npvB.map(factText), npvA?.rules ?? npvB?.rules ?? []))
            }
            let findingsA = a.findings.filter { $0.year == yearA.year }
            let findingsB = b.findings.filter { $0.year == yearA.year }
            var keys: [String] = []
            for finding in findingsA + findingsB where !keys.contains(findingKey(finding)) {
                keys.append(findingKey(finding))
            }
            for key in keys.sorted() {
                let x = findingsA.first { findingKey($0) == key }
                let y = findingsB.first { findingKey($0) == key }
                items.append((key, x.map(findingText), y.map(findingText), [(x ?? y)?.rule].compactMap { $0 }))
            }
            for item in items where item.a != item.b {
                changes.append(
                    PlanDiff.Change(
                        file: a.rollout, scope: a.city, year: yearA.year, item: item.item,
                        before: item.a.map(PlanValue.init(plain:)),
                        after: item.b.map(PlanValue.init(plain:)), rules: item.rules))
            }
        }
        return changes
    }

    private static func units(_ a: [UnitYear], _ b: [UnitYear]) -> [String] {
        var ids = a.map(\.unit)
        for unit in b.map(\.unit) where !ids.contains(unit) { ids.append(unit) }
        return ids
    }

    private static func rules(_ a: UnitYear?, _ b: UnitYear?) -> [String] {
        var rules: [String] = []
        for reason in (a?.rules ?? []) + (b?.rules ?? []) where !rules.contains(reason.planText) {
            rules.append(reason.planText)
        }
        return rules
    }

    private static func findingKey(_ finding: Finding) -> String { "finding \(finding.rule) (\(finding.scope))" }
    private static func findingText(_ finding: Finding) -> String { "\(finding.severity.rawValue): \(finding.message)" }
    private static func factText(_ fact: FactValue) -> String {
        if case .number(let value, let digits) = fact.value { return CanonicalNumber.fixed(value, digits: digits) }
        if case .int(let value) = fact.value { return String(value) }
        return "\(fact.value)"
    }

    static func money(_ value: Double) -> String { CanonicalNumber.fixed(value, digits: 2) }

    static func totals(_ plan: CityPlan) -> Totals {
        let last = plan.cityYears.last
        let npv = last?.facts.first { $0.name == "npv" + plan.moneySuffix }.flatMap { fact -> Double? in
            switch fact.value {
            case .number(let value, _): value
            case .int(let value): Double(value)
            case .bool: nil
            }
        }
        return Totals(
            installed: last?.units.map { ($0.unit, $0.installed) } ?? [], access: last?.access ?? [],
            unmet: last?.units.map { ($0.unit, $0.unmet) } ?? [],
            capex: plan.horizonCapex,
            errors: plan.findings.filter { $0.severity == .error }.count,
            warnings: plan.findings.filter { $0.severity == .warning }.count, npv: npv)
    }

    // MARK: Causes

    /// The override paths whose setting differs between A and B, in file order (A's paths, then B's new ones). A
    /// parameter or unit field is compared by the value each side plans with, so an override that restates the
    /// model is no cause.
    static func causes(
        _ a: (workspace: Workspace, scenario: Scenario?), _ b: (workspace: Workspace, scenario: Scenario?),
        ruleSet: String?
    ) -> [Cause] {
        var paths: [String] = []
        for override in (a.scenario?.overrides ?? []) + (b.scenario?.overrides ?? [])
        where !paths.contains(override.path.value) {
            paths.append(override.path.value)
        }
        return paths.compactMap { path in
            let x = setting(path, a, ruleSet: ruleSet)
            let y = setting(path, b, ruleSet: ruleSet)
            return x.same == y.same ? nil : Cause(path: path, a: x.text, b: y.text)
        }
    }

    /// What one side plans with at `path`: its text, and what decides whether two sides are the same.
    private static func setting(
        _ path: String, _ side: (workspace: Workspace, scenario: Scenario?), ruleSet: String?
    )
        -> (text: String, same: String)
    {
        let override = side.scenario?.overrides.first { $0.path.value == path }
        let suffix = override == nil ? " (model)" : ""
        let parts = path.split(separator: ".").map(String.init)
        if let set = side.workspace.ruleSet(ruleSet ?? ""), parts.count >= 2 {
            if parts[0] == "params", let param = set.params.first(where: { $0.name.value == parts[1] }) {
                let value = param.values.map(list) ?? number(param.value)
                return (value + suffix, value)
            }
            if parts[0] == "units", parts.count == 3, let unit = set.unit(parts[1]),
                let field = UnitSpecField.allCases.first(where: { $0.key(moneySuffix: set.moneySuffix) == parts[2] })
            {
                let value = number(field.value(of: unit))
                return (value + suffix, value)
            }
        }
        if let override { return (describe(override.change), describe(override.change)) }
        let model = parts.first == "rollout" ? "the rollouts'" : "the profiles'"
        return (model, model)
    }

    static func describe(_ change: OverlayChange) -> String {
        switch change {
        case .set(let value): describe(value)
        case .setList(let values): list(values)
        case .scale(let factor): "× " + describe(factor)
        }
    }

    private static func describe(_ value: InputValue) -> String {
        switch value {
        case .number(let x): number(x)
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .string(let text): JSONString.quote(text)
        case .series(let points): "{" + points.map { "\($0.year): \(number($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    private static func list(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ", ") + "]" }

    /// The shortest canonical text: up to 9 decimals, trailing zeros dropped.
    static func number(_ value: Double) -> String { CanonicalNumber.trimmed(value, digits: 9) }
}
