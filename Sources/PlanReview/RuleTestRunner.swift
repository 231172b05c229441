import CEL
import Foundation
import PlanningEngine

/// Runs the `tests:` kept beside the rules (`chargeplan test`).
///
/// A test plans a city of the rule set itself — a fixture (`Rules/<set>/tests/fixtures/<id>.yaml`, named by
/// `city: <id>`) or an inline profile (`city: {id: …, zones: […]}`) — never one of Cities/, so a rule set's
/// tests pass in any workspace and a data fix cannot break them. `given:` overrides inputs, parameters and
/// derived facts before planning (checked against the rule set when it loads: `RuleTestLoader`); the city is
/// then planned alone by a `CityPlanner` over a synthetic rollout (horizon base_year…year, joining in
/// base_year), and `expect:` is read from that year of the plan.
///
/// `expect:` values are compared as the plan file shows them (a fact rounded to its precision), within
/// `tolerance` (default 0). `findings: [rule ids]` must all be among the findings of that year
/// (`findings: []`: that year has none).
///
/// Coverage, from the planner's `RuleTrace`: each rule counts once for having run (its `when:` held,
/// or it has none), and each rule with a `when:` counts twice more, once per outcome (held, failed).
/// The figure is the share of these items that some non-todo test reached.
public enum RuleTestRunner {
    public enum Status: String, Sendable {
        case pass = "PASS", fail = "FAIL", todo = "TODO"
    }

    /// An expected number that differs from the plan's: what `test --update` writes back.
    public struct Mismatch: Sendable {
        public var expectation: RuleTestExpectation
        public var actual: Double
    }

    /// Expected findings missing from the year: `test --update` writes the year's findings instead.
    public struct FindingsMismatch: Sendable {
        public var position: SourcePosition
        public var expected: [String]
        public var actual: [String]
    }

    public struct Result: Sendable {
        public var name: String
        public var position: SourcePosition
        public var status: Status
        /// Why it failed (or would fail, for a todo): at the expectation concerned when there is one.
        public var failures: [Diagnostic]
        public var todo: String?
        /// The failures `test --update` can rewrite; the other problems need a person.
        public var mismatches: [Mismatch] = []
        public var findingsMismatch: FindingsMismatch?

        public var problems: [String] { failures.map(\.message) }

        /// True when every problem is a wrong expected value or findings list.
        public var isUpdatable: Bool {
            status == .fail && failures.count == mismatches.count + (findingsMismatch == nil ? 0 : 1)
        }
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
                (whenHeld.contains(rule) ? [] : ["\(rule) (held)"])
                    + (whenFailed.contains(rule) ? [] : ["\(rule) (failed)"])
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
                let outcome = run(test, set: set, compiled: compiled, trace: test.todo == nil ? trace : nil)
                var result = Result(
                    name: test.name.value, position: test.name.position,
                    status: outcome.problems.isEmpty ? .pass : .fail,
                    failures: outcome.problems, todo: test.todo, mismatches: outcome.mismatches,
                    findingsMismatch: outcome.findingsMismatch)
                if test.todo != nil { result.status = .todo }
                results.append(result)
            }
            let ids = set.rules.map(\.id.value)
            let conditional = set.rules.filter { $0.when != nil }.map(\.id.value)
            let fired = trace.firedRules
            let held = trace.rulesWhoseWhenHeld
            let failed = trace.rulesWhoseWhenFailed
            reports.append(
                Report(
                    ruleSet: set.id, results: results, rules: ids, fired: ids.filter { fired.contains($0) },
                    conditional: conditional, whenHeld: conditional.filter { held.contains($0) },
                    whenFailed: conditional.filter { failed.contains($0) }))
        }
        return reports
    }

    struct Outcome {
        var problems: [Diagnostic] = []
        var mismatches: [Mismatch] = []
        var findingsMismatch: FindingsMismatch?

        mutating func fail(_ message: String, at position: SourcePosition? = nil) {
            problems.append(.error(message, at: position))
        }
    }

    static func run(_ test: RuleTest, set: RuleSet, compiled: CompiledRuleSet, trace: RuleTrace?) -> Outcome {
        var outcome = Outcome()
        let found: CityProfile? =
            switch test.city {
            case .inline(let profile): profile
            case .fixture(let id): set.fixture(id.value)
            }
        // The loader checked the city, its zone and the year; a test that reaches here unchecked still fails cleanly.
        guard var city = found else {
            outcome.fail("no fixture city '\(test.city.id.value)'")
            return outcome
        }
        let zoneIndex = test.zone.flatMap { zone in city.zones.firstIndex { $0.id.value == zone.value } }
        if let zone = test.zone, zoneIndex == nil {
            outcome.fail("city '\(city.id.value)' has no zone '\(zone.value)'")
            return outcome
        }
        let year = test.year.value
        guard year >= city.baseYear else {
            outcome.fail("year \(year) is before the city's base year \(city.baseYear)")
            return outcome
        }
        var ruleSet = set
        var rolloutInputs = InputValues()
        var pins: [String: CELValue] = [:]
        for given in test.given {
            apply(given, to: &city, zoneIndex: zoneIndex, ruleSet: &ruleSet, rollout: &rolloutInputs, pins: &pins)
        }
        var rules = compiled
        if test.given.contains(where: { if case .param = $0.target { true } else { false } }) {
            do { rules = try CompiledRuleSet.compile(ruleSet) } catch {
                outcome.fail("the rule set does not compile with the given params: \(error.description)")
                return outcome
            }
        }
        let rollout = Rollout(
            id: Located("test:" + test.name.value, at: test.name.position), file: test.name.position.file,
            contentHash: "",
            name: test.name.value, operatorName: "chargeplan test", ruleSet: Located(set.id, at: test.name.position),
            firstYear: city.baseYear, lastYear: year, note: nil,
            members: [RolloutMember(city: city.id, joins: city.baseYear)], inputs: rolloutInputs
        )
        let plan: CityPlan
        do {
            var planner = CityPlanner(rules: rules, city: city, rollout: rollout, joins: city.baseYear, trace: trace)
            planner.pinnedFacts = pins
            plan = try planner.plan()
        } catch {
            outcome.fail("planning failed: " + error.diagnostics.map(\.message).joined(separator: "; "))
            return outcome
        }
        let zoneID = zoneIndex.map { city.zones[$0].id.value }
        for expected in test.expect {
            let path = expected.path.value
            switch actual(path, plan: plan, zone: zoneID, year: year) {
            case .failure(let problem):
                outcome.fail("\(path): \(problem)", at: expected.path.position)
            case .success(let value):
                let slack = expected.tolerance + 1e-9 * max(1, abs(expected.value))
                if abs(value - expected.value) > slack {
                    let tolerance = expected.tolerance > 0 ? " ± \(show(expected.tolerance))" : ""
                    outcome.fail(
                        "\(path): expected \(show(expected.value))\(tolerance), got \(show(value))",
                        at: expected.valuePosition)
                    outcome.mismatches.append(Mismatch(expectation: expected, actual: value))
                }
            }
        }
        checkFindings(test, plan: plan, year: year, siteRules: rules.siteRules.map(\.id), into: &outcome)
        return outcome
    }

    /// A test's findings are its requirements'; a site rule's own (sites without room, stations that cover no
    /// demand) count only where the test lists that rule, so `[]` still means no requirement fails.
    private static func checkFindings(
        _ test: RuleTest, plan: CityPlan, year: Int, siteRules: [String], into outcome: inout Outcome
    ) {
        guard let findings = test.expectFindings, let position = test.findingsPosition else { return }
        let site = Set(siteRules).subtracting(findings)
        let actual = orderedUnique(plan.findings.filter { $0.year == year && !site.contains($0.rule) }.map(\.rule))
        let missing = findings.filter { !actual.contains($0) }
        if !missing.isEmpty || (findings.isEmpty && !actual.isEmpty) {
            let expected = missing.isEmpty ? "none" : missing.map { "'\($0)'" }.joined(separator: ", ")
            let got = actual.isEmpty ? "none" : actual.joined(separator: ", ")
            outcome.fail("findings: expected \(expected) in \(year), got \(got)", at: position)
            outcome.findingsMismatch = FindingsMismatch(position: position, expected: findings, actual: actual)
        }
    }

    private static func orderedUnique(_ list: [String]) -> [String] {
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    /// A number as a test file writes it: whole numbers without a decimal point, never an exponent.
    public static func show(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = String(value)
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.15f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        return fixed.hasSuffix(".") ? String(fixed.dropLast()) : fixed
    }

    // MARK: Given

    /// Applies one checked `given:` (see `GivenTarget`); a fact given is pinned for every year.
    static func apply(
        _ given: RuleTestGiven, to city: inout CityProfile, zoneIndex: Int?, ruleSet: inout RuleSet,
        rollout: inout InputValues, pins: inout [String: CELValue]
    ) {
        switch (given.target, given.value) {
        case (.param(let name), _):
            guard let index = ruleSet.params.firstIndex(where: { $0.name.value == name }) else { return }
            switch given.value {
            case .number(let number): ruleSet.params[index].value = number
            case .list(let numbers):
                ruleSet.params[index].values = numbers
                ruleSet.params[index].value = numbers.first ?? 0
            case .bool, .string: return
            }
        case (.input(let scope, let name), _):
            guard let declaration = ruleSet.inputs(scope).first(where: { $0.name.value == name }) else { return }
            let value = inputValue(given.value, type: declaration.type)
            switch scope {
            case .city: city.inputs[name] = value
            case .zone: if let zoneIndex { city.zones[zoneIndex].inputs[name] = value }
            case .rollout: rollout[name] = value
            }
        case (.fact(let scope, let name), _):
            let key = scope == .city ? "city." + name : (zoneIndex.map { city.zones[$0].id.value + "." } ?? "") + name
            let type =
                ruleSet.rules.lazy.compactMap { rule -> FactType? in
                    guard case .derive(let fact, let type, _, _, _) = rule.action, fact.value == name,
                        rule.scope == scope
                    else { return nil }
                    return type
                }.first ?? .number
            pins[key] = factValue(given.value, type: type)
        case (.existing(let scope, let unit), .number(let count)):
            if scope == .city {
                city.existingChargers[unit] = count
            } else if let zoneIndex {
                city.zones[zoneIndex].existingChargers[unit] = count
            }
        case (.zonePopulation, .number(let number)): if let zoneIndex { city.zones[zoneIndex].population = number }
        case (.zoneArea, .number(let number)): if let zoneIndex { city.zones[zoneIndex].areaKM2 = number }
        case (.existing, _), (.zonePopulation, _), (.zoneArea, _): return
        }
    }

    private static func inputValue(_ value: GivenValue, type: InputType) -> InputValue {
        switch value {
        case .number(let number): type == .int ? .int(Int64(number)) : .number(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .list(let numbers): .number(numbers.first ?? 0)
        }
    }

    private static func factValue(_ value: GivenValue, type: FactType) -> CELValue {
        switch value {
        case .number(let number): type == .int ? .int(Int64(number)) : .double(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .list(let numbers): .list(numbers.map(CELValue.double))
        }
    }

    // MARK: Expect

    static func actual(_ path: String, plan: CityPlan, zone: String?, year: Int) -> Swift.Result<Double, PathProblem> {
        let parts = path.split(separator: ".").map(String.init)
        guard let scope = parts.first, scope == "city" || scope == "zone", parts.count >= 2 else {
            return .failure(PathProblem("paths start with city. or zone."))
        }
        let facts: [FactValue]
        let units: [UnitYear]
        var coverage: [UnitShare] = []
        if scope == "city" {
            guard let record = plan.cityYears.first(where: { $0.year == year }) else {
                return .failure(PathProblem("no city year \(year) in the plan"))
            }
            facts = record.facts
            units = record.units
        } else {
            guard let zone else { return .failure(PathProblem("the test names no zone")) }
            guard let record = plan.zoneYears.first(where: { $0.zone == zone && $0.year == year }) else {
                return .failure(PathProblem("no year \(year) for zone \(zone)"))
            }
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
            case "capex" + plan.moneySuffix: return .success(PlanRounding.rounded(unit.capex, digits: 2))
            default: return .failure(PathProblem("no unit field '\(parts[3])'"))
            }
        }
        if parts[1] == "coverage", parts.count == 3 {
            guard let share = coverage.first(where: { $0.unit == parts[2] }) else {
                return .failure(PathProblem("no coverage for '\(parts[2])'"))
            }
            return .success(PlanRounding.rounded(share.share, digits: 4))
        }
        guard parts.count == 2, let fact = facts.first(where: { $0.name == parts[1] }) else {
            return .failure(PathProblem("no fact '\(parts.dropFirst().joined(separator: "."))' in the \(scope) plan"))
        }
        switch fact.value {
        case .number(let value, let precision):
            return .success(PlanRounding.rounded(value, digits: precision))
        case .int(let value): return .success(Double(value))
        case .bool(let value): return .success(value ? 1 : 0)
        }
    }

    struct PathProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
