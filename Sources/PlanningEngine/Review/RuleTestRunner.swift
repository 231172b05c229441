import Foundation

/// Runs the `tests:` kept beside the rules (`chargeplan test`).
///
/// A test names a city of Cities/, optionally a zone, and a year. `given:` overrides inputs by path
/// before planning; the city is then planned alone by a `CityPlanner` over a synthetic rollout
/// (horizon base_year…year, joining in base_year), and `expect:` is read from that year of the plan.
///
/// Paths in `given:` — `city.existing.<unit>`, `zone.population`, `zone.area_km2`, `zone.existing.<unit>`,
/// `params.<name>`, and every number, int or bool input the rule set declares (`city.population`,
/// `city.vehicles.stock`, `zone.grid_headroom_kw`, …); a given value replaces a series for every year.
/// Paths in `expect:` — `city.<fact>`, `city.units.<unit>.<installed|new|demand|unmet>`, `zone.<fact>`,
/// `zone.units.<unit>.<…>`, `zone.coverage.<unit>`; values are compared as the plan file shows them
/// (a fact rounded to its precision), within `tolerance` (default 0). `findings: [rule ids]` must all be
/// among the findings of that year (`findings: []`: that year has none).
///
/// Coverage, from the planner's `RuleTrace`: each rule counts once for having run (its `when:` held,
/// or it has none), and each rule with a `when:` counts twice more, once per outcome (held, failed).
/// The figure is the share of these items that some non-todo test reached.
public enum RuleTestRunner {
    public enum Status: String, Sendable {
        case pass = "PASS", fail = "FAIL", todo = "TODO"
    }

    public struct Result: Sendable {
        public var name: String
        public var position: SourcePosition
        public var status: Status
        /// Why it failed (or would fail, for a todo).
        public var problems: [String]
        public var todo: String?
    }

    public struct Report: Sendable {
        public var ruleSet: String
        public var results: [Result]
        /// Rule ids in rule-set order.
        public var rules: [String]
        public var fired: [String]
        /// Rules with a `when:`, and the outcomes the tests reached.
        public var conditional: [String]
        public var whenHeld: [String]
        public var whenFailed: [String]

        public var uncovered: [String] { rules.filter { !fired.contains($0) } }
        /// Conditions not seen both ways, as "rule (held)" / "rule (failed)".
        public var uncoveredOutcomes: [String] {
            conditional.flatMap { rule in
                (whenHeld.contains(rule) ? [] : ["\(rule) (held)"]) + (whenFailed.contains(rule) ? [] : ["\(rule) (failed)"])
            }
        }
        public var coverage: Double {
            let items = rules.count + 2 * conditional.count
            guard items > 0 else { return 100 }
            return Double(fired.count + whenHeld.count + whenFailed.count) * 100 / Double(items)
        }
        public var failed: Int { results.filter { $0.status == .fail }.count }
    }

    /// Runs every test of every rule set (or of `ruleSetID`), in file order.
    public static func run(_ workspace: Workspace, ruleSetID: String? = nil) throws(DiagnosticsError) -> [Report] {
        var reports: [Report] = []
        for set in workspace.ruleSets where ruleSetID == nil || set.id == ruleSetID {
            let compiled = try CompiledRuleSet.compile(set)
            var results: [Result] = []
            let trace = RuleTrace()
            for test in set.tests {
                let outcome = run(test, set: set, compiled: compiled, workspace: workspace, trace: test.todo == nil ? trace : nil)
                var result = Result(name: test.name.value, position: test.name.position, status: outcome.problems.isEmpty ? .pass : .fail,
                                    problems: outcome.problems, todo: test.todo)
                if test.todo != nil { result.status = .todo }
                results.append(result)
            }
            let ids = set.rules.map(\.id.value)
            let conditional = set.rules.filter { $0.when != nil }.map(\.id.value)
            let fired = trace.firedRules
            let held = trace.rulesWhoseWhenHeld
            let failed = trace.rulesWhoseWhenFailed
            reports.append(Report(ruleSet: set.id, results: results, rules: ids, fired: ids.filter { fired.contains($0) },
                                  conditional: conditional, whenHeld: conditional.filter { held.contains($0) },
                                  whenFailed: conditional.filter { failed.contains($0) }))
        }
        return reports
    }

    struct Outcome {
        var problems: [String] = []
    }

    static func run(_ test: RuleTest, set: RuleSet, compiled: CompiledRuleSet, workspace: Workspace, trace: RuleTrace?) -> Outcome {
        var outcome = Outcome()
        guard var city = workspace.city(test.city.value) else {
            outcome.problems.append("unknown city '\(test.city.value)'")
            return outcome
        }
        var zoneIndex: Int?
        if let zone = test.zone {
            zoneIndex = city.zones.firstIndex { $0.id.value == zone.value }
            if zoneIndex == nil {
                outcome.problems.append("city '\(city.id.value)' has no zone '\(zone.value)'")
                return outcome
            }
        }
        guard test.year >= city.baseYear else {
            outcome.problems.append("year \(test.year) is before the city's base year \(city.baseYear)")
            return outcome
        }
        var ruleSet = set
        var paramsChanged = false
        for given in test.given {
            if let problem = apply(given.path, given.value, to: &city, zoneIndex: zoneIndex, ruleSet: &ruleSet, paramsChanged: &paramsChanged) {
                outcome.problems.append(problem)
            }
        }
        if !outcome.problems.isEmpty { return outcome }
        var rules = compiled
        if paramsChanged {
            do { rules = try CompiledRuleSet.compile(ruleSet) } catch {
                outcome.problems.append("the rule set does not compile with the given params: \(error.description)")
                return outcome
            }
        }
        let rollout = Rollout(
            id: Located("test:" + test.name.value, at: test.name.position), file: test.name.position.file, contentHash: "",
            name: test.name.value, operatorName: "chargeplan test", ruleSet: Located(set.id, at: test.name.position),
            firstYear: city.baseYear, lastYear: test.year, note: nil,
            members: [RolloutMember(city: test.city, joins: city.baseYear)]
        )
        let plan: CityPlan
        do { plan = try CityPlanner(rules: rules, city: city, rollout: rollout, joins: city.baseYear, trace: trace).plan() } catch {
            outcome.problems.append("planning failed: " + error.diagnostics.map(\.message).joined(separator: "; "))
            return outcome
        }
        let zoneID = zoneIndex.map { city.zones[$0].id.value }
        for expected in test.expect {
            switch actual(expected.path, plan: plan, zone: zoneID, year: test.year) {
            case .failure(let problem):
                outcome.problems.append("\(expected.path): \(problem)")
            case .success(let value):
                let slack = expected.tolerance + 1e-9 * max(1, abs(expected.value))
                if abs(value - expected.value) > slack {
                    let tolerance = expected.tolerance > 0 ? " ± \(show(expected.tolerance))" : ""
                    outcome.problems.append("\(expected.path): expected \(show(expected.value))\(tolerance), got \(show(value))")
                }
            }
        }
        if let findings = test.expectFindings {
            let actual = plan.findings.filter { $0.year == test.year }.map(\.rule)
            if findings.isEmpty, !actual.isEmpty {
                outcome.problems.append("findings: expected none in \(test.year), got \(orderedUnique(actual).joined(separator: ", "))")
            }
            for rule in findings where !actual.contains(rule) {
                outcome.problems.append("findings: expected '\(rule)' in \(test.year), got " + (actual.isEmpty ? "none" : orderedUnique(actual).joined(separator: ", ")))
            }
        }
        return outcome
    }

    private static func orderedUnique(_ list: [String]) -> [String] {
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    static func show(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    // MARK: Paths

    static func apply(_ path: String, _ value: Double, to city: inout CityProfile, zoneIndex: Int?, ruleSet: inout RuleSet, paramsChanged: inout Bool) -> String? {
        let parts = path.split(separator: ".").map(String.init)
        switch (parts.first, parts.count) {
        case ("params", 2):
            guard let index = ruleSet.params.firstIndex(where: { $0.name.value == parts[1] }) else { return "given \(path): no such parameter" }
            if ruleSet.params[index].values != nil {
                return "given \(path): a list parameter (values:) cannot be overridden; given sets numbers only"
            }
            ruleSet.params[index].value = value
            paramsChanged = true
            return nil
        case ("city", _):
            if parts.count == 3, parts[1] == "existing" {
                city.existingChargers[parts[2]] = value
                return nil
            }
            return override(&city.inputs, parts.dropFirst().joined(separator: "."), value, ruleSet.inputs(.city),
                            path: path, engine: "city.existing.…")
        case ("zone", _):
            guard let zoneIndex else { return "given \(path): the test names no zone" }
            if parts.count == 3, parts[1] == "existing" {
                city.zones[zoneIndex].existingChargers[parts[2]] = value
                return nil
            }
            let name = parts.dropFirst().joined(separator: ".")
            switch name {
            case "population": city.zones[zoneIndex].population = value
            case "area_km2": city.zones[zoneIndex].areaKM2 = value
            default:
                return override(&city.zones[zoneIndex].inputs, name, value, ruleSet.inputs(.zone), path: path,
                                engine: "zone.population, zone.area_km2, zone.existing.…")
            }
            return nil
        default:
            return "given \(path): paths start with city., zone. or params."
        }
    }

    /// Sets a declared input (a number, a whole number, or a bool as 0/1); anything else names what can be given.
    private static func override(_ inputs: inout InputValues, _ name: String, _ value: Double,
                                 _ declarations: [InputDeclaration], path: String, engine: String) -> String? {
        guard let declaration = declarations.first(where: { $0.name.value == name }) else {
            let names = declarations.filter { $0.type != .string }.map(\.name.value)
            let scope = path.split(separator: ".").first.map(String.init) ?? "city"
            if let suggestion = ScalarReading.closest(to: name, in: names) {
                return "given \(path): not an input; did you mean '\(scope).\(suggestion)'?"
            }
            return "given \(path): not an input (\(engine)" + names.map { ", \(scope).\($0)" }.joined() + ")"
        }
        switch declaration.type {
        case .number: inputs[name] = .number(value)
        case .int:
            guard value == value.rounded(), abs(value) < 1e15 else { return "given \(path): expected a whole number" }
            inputs[name] = .int(Int64(value))
        case .bool:
            guard value == 0 || value == 1 else { return "given \(path): a bool input is given as 0 or 1" }
            inputs[name] = .bool(value == 1)
        case .string: return "given \(path): a string input cannot be given a number"
        }
        return nil
    }

    static func actual(_ path: String, plan: CityPlan, zone: String?, year: Int) -> Swift.Result<Double, PathProblem> {
        let parts = path.split(separator: ".").map(String.init)
        guard let scope = parts.first, scope == "city" || scope == "zone", parts.count >= 2 else {
            return .failure(PathProblem("paths start with city. or zone."))
        }
        let facts: [FactValue]
        let units: [UnitYear]
        var coverage: [UnitShare] = []
        if scope == "city" {
            guard let record = plan.cityYears.first(where: { $0.year == year }) else { return .failure(PathProblem("no city year \(year) in the plan")) }
            facts = record.facts
            units = record.units
        } else {
            guard let zone else { return .failure(PathProblem("the test names no zone")) }
            guard let record = plan.zoneYears.first(where: { $0.zone == zone && $0.year == year }) else { return .failure(PathProblem("no year \(year) for zone \(zone)")) }
            facts = record.facts
            units = record.units
            coverage = record.coverage
        }
        if parts[1] == "units" {
            guard parts.count == 4, let unit = units.first(where: { $0.unit == parts[2] }) else {
                return .failure(PathProblem("expected \(scope).units.<unit>.<installed|new|demand|unmet>"))
            }
            switch parts[3] {
            case "installed": return .success(Double(unit.installed))
            case "new": return .success(Double(unit.new))
            case "demand": return .success(Double(unit.demand))
            case "unmet": return .success(Double(unit.unmet))
            case "capex" + plan.moneySuffix: return .success((unit.capex * 100).rounded() / 100)
            default: return .failure(PathProblem("no unit field '\(parts[3])'"))
            }
        }
        if parts[1] == "coverage", parts.count == 3 {
            guard let share = coverage.first(where: { $0.unit == parts[2] }) else { return .failure(PathProblem("no coverage for '\(parts[2])'")) }
            return .success((share.share * 10_000).rounded() / 10_000)
        }
        guard parts.count == 2, let fact = facts.first(where: { $0.name == parts[1] }) else {
            return .failure(PathProblem("no fact '\(parts.dropFirst().joined(separator: "."))' in the \(scope) plan"))
        }
        switch fact.value {
        case .number(let value, let precision):
            let scale = pow(10.0, Double(precision))
            return .success((value * scale).rounded() / scale)
        case .int(let value): return .success(Double(value))
        case .bool(let value): return .success(value ? 1 : 0)
        }
    }

    struct PathProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
