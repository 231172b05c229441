import CEL

/// An expression parsed, type-checked and lowered once, to be evaluated for every zone-year.
public struct CompiledExpression: Sendable {
    public let expression: Expression
    public let program: CELProgram

    public var referencedPaths: [String] { program.referencedPaths }

    func diagnostic(for error: CELError) -> Diagnostic {
        Diagnostic(.error, error.message, at: expression.filePosition(line: error.line, column: error.column),
                   hint: error.hint, snippet: error.snippet(in: expression.source))
    }
}

/// A rule with its expressions compiled and its place in the evaluation order known.
public struct CompiledRule: Sendable {
    public enum Phase: Int, Sendable, Comparable {
        /// Facts the units depend on.
        case facts = 0
        /// Facts that read resolved units or coverage (money, ratios).
        case afterUnits = 1

        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    public let rule: Rule
    public let when: CompiledExpression?
    public let phase: Phase
    /// The expressions of the action, by role ("value", "initial", "count", "max", "ratio", "radius_km", "weight", …).
    public let expressions: [String: CompiledExpression]

    public var id: String { rule.id.value }
}

/// A rule set ready to run: every expression checked against the fact schema, derive rules in
/// dependency order, units in spill order. Building it is what `check` reports on.
public struct CompiledRuleSet: Sendable {
    public let ruleSet: RuleSet
    public let schema: FactSchema
    /// Derive rules in evaluation order, per scope and phase.
    public let cityFactRules: [CompiledRule]
    public let zoneFactRules: [CompiledRule]
    public let cityAfterUnitRules: [CompiledRule]
    public let zoneAfterUnitRules: [CompiledRule]
    /// `add` and `cap` rules by unit id.
    public let addRules: [String: [CompiledRule]]
    public let capRules: [String: [CompiledRule]]
    public let siteRules: [CompiledRule]
    public let requireRules: [CompiledRule]
    /// Units ordered so that a unit that spills into another is resolved first.
    public let unitOrder: [String]
    public let allRules: [CompiledRule]
    /// The declared field layouts of `City` and `Zone`, so the planner builds objects by index.
    public let cityLayout: CELObjectLayout?
    public let zoneLayout: CELObjectLayout?

    public static func compile(_ ruleSet: RuleSet) throws(DiagnosticsError) -> CompiledRuleSet {
        var bag = DiagnosticBag()
        let schema = FactSchema(ruleSet: ruleSet)
        let envs: [RuleScope: CELEnvironment] = [.city: schema.environment(scope: .city), .zone: schema.environment(scope: .zone)]
        let unitIDs = Set(schema.unitIDs)

        func compile(_ expression: Expression, scope: RuleScope, expecting: [CELType], role: String) -> CompiledExpression? {
            guard let env = envs[scope] else { return nil }
            do {
                let program = try CELProgram(compiling: expression.source, in: env)
                let compiled = CompiledExpression(expression: expression, program: program)
                if !expecting.isEmpty, program.resultType != .dyn, !expecting.contains(program.resultType) {
                    let wanted = expecting.map(\.description).joined(separator: " or ")
                    bag.append(Diagnostic(.error, "\(role) must be \(wanted), but this expression is \(program.resultType)",
                                          at: expression.filePosition(line: 1, column: 1),
                                          hint: expecting.contains(.bool) ? nil : "convert with double(…) or int(…)"))
                    return nil
                }
                return compiled
            } catch {
                bag.append(CompiledExpression.diagnosticFor(error, expression: expression))
                return nil
            }
        }
        let number: [CELType] = [.double, .int]
        var compiled: [CompiledRule] = []
        var derivers: [String: [Located<String>]] = [:]
        for rule in ruleSet.rules {
            var expressions: [String: CompiledExpression] = [:]
            let when = rule.when.flatMap { compile($0, scope: rule.scope, expecting: [.bool], role: "when") }
            func checkUnit(_ unit: Located<String>) {
                if !unitIDs.contains(unit.value) {
                    bag.error("unknown unit type '\(unit.value)'", at: unit.position,
                              hint: "units: " + schema.unitIDs.joined(separator: ", "))
                }
            }
            switch rule.action {
            case .derive(let fact, let type, _, let value, let initial):
                derivers["\(rule.scope.rawValue).\(fact.value)", default: []].append(rule.id)
                let inputHeads = ruleSet.inputs(InputScope(rule.scope)).compactMap(\.path.first)
                let engineFields = rule.scope == .city ? FactSchema.cityEngineFields : FactSchema.zoneEngineFields
                if inputHeads.contains(fact.value) || engineFields.contains(where: { $0.name == fact.value }) {
                    bag.error("'\(rule.scope.rawValue).\(fact.value)' is an input of the profile, not a fact to derive",
                              at: fact.position)
                }
                let expected: [CELType] = type == .number ? number : [FactSchema.celType(type)]
                expressions["value"] = compile(value, scope: rule.scope, expecting: expected, role: "the value of \(fact.value)")
                if let initial { expressions["initial"] = compile(initial, scope: rule.scope, expecting: expected, role: "the initial value") }
            case .add(let unit, let count, let initial):
                checkUnit(unit)
                expressions["count"] = compile(count, scope: rule.scope, expecting: number, role: "count")
                if let initial {
                    expressions["initial"] = compile(initial, scope: rule.scope, expecting: number,
                                                     role: "the initial count")
                }
            case .cap(let unit, _, let max, let spill, let initial):
                checkUnit(unit)
                expressions["max"] = compile(max, scope: rule.scope, expecting: number, role: "max")
                if let initial {
                    expressions["initial"] = compile(initial, scope: rule.scope, expecting: number,
                                                     role: "the initial max")
                }
                if let spill {
                    checkUnit(spill.unit)
                    if spill.unit.value == unit.value { bag.error("a unit cannot spill into itself", at: spill.unit.position) }
                    expressions["ratio"] = compile(spill.ratio, scope: rule.scope, expecting: number, role: "ratio")
                }
            case .site(let unit, let radius, let spacing, let weight):
                checkUnit(unit)
                if rule.scope != .city { bag.error("site rules are 'for: city' (their weight is evaluated per zone)", at: rule.id.position) }
                expressions["radius_km"] = compile(radius, scope: .city, expecting: number, role: "radius_km")
                if let spacing { expressions["min_spacing_km"] = compile(spacing, scope: .city, expecting: number, role: "min_spacing_km") }
                expressions["weight"] = compile(weight, scope: .zone, expecting: number, role: "weight")
            case .require(let condition, _, _):
                expressions["require"] = compile(condition, scope: rule.scope, expecting: [.bool], role: "a requirement")
            }
            checkPreviousYearReads(rule, expressions: expressions, when: when, bag: &bag)
            compiled.append(CompiledRule(rule: rule, when: when, phase: .facts, expressions: expressions))
        }
        for (key, ids) in derivers.sorted(by: { $0.key < $1.key }) where ids.count > 1 {
            for id in ids.dropFirst() {
                bag.error("'\(key)' is derived by two rules ('\(ids[0].value)' at \(ids[0].position) and '\(id.value)')", at: id.position,
                          hint: "merge them into one rule with a conditional value")
            }
        }
        try bag.throwIfErrors()

        let ordering = DependencyOrder.order(compiled, bag: &bag)
        let unitOrder = DependencyOrder.unitOrder(units: schema.unitIDs, rules: compiled, bag: &bag)
        for rule in compiled {
            switch rule.rule.action {
            case .derive, .require: continue
            default:
                let reads = rule.expressions.values.flatMap(\.referencedPaths) + (rule.when?.referencedPaths ?? [])
                if let late = reads.sorted().first(where: { ordering.afterUnitPaths.contains($0) || DependencyOrder.isUnitPath($0) }) {
                    bag.error("\(rule.rule.action.verb) rules decide the units and cannot read \(late), which depends on them",
                              at: rule.rule.id.position)
                }
                // Last year's units are known when this year's are decided; last year's coverage and
                // the facts computed after the units are not (they come after siting).
                let afterUnits = ordering.afterUnitPaths
                if let late = reads.sorted().first(where: { Self.isLatePreviousRead($0, afterUnitPaths: afterUnits) }) {
                    let verb = rule.rule.action.verb
                    bag.error("\(verb) rules decide the units and cannot read \(late), which is computed after them",
                              at: rule.rule.id.position)
                }
            }
        }
        try bag.throwIfErrors()

        var adds: [String: [CompiledRule]] = [:]
        var caps: [String: [CompiledRule]] = [:]
        var sites: [CompiledRule] = []
        var requires: [CompiledRule] = []
        for rule in compiled {
            switch rule.rule.action {
            case .add(let unit, _, _): adds[unit.value, default: []].append(rule)
            case .cap(let unit, _, _, _, _): caps[unit.value, default: []].append(rule)
            case .site: sites.append(rule)
            case .require: requires.append(rule)
            case .derive: break
            }
        }
        for unit in ruleSet.units where unit.combine == .first {
            var seen: [Int: String] = [:]
            for rule in adds[unit.id.value] ?? [] {
                guard let priority = rule.rule.priority else {
                    bag.error("unit '\(unit.id.value)' combines with 'first', so this add rule needs a 'priority:'", at: rule.rule.id.position)
                    continue
                }
                if let other = seen[priority] {
                    bag.error("priority \(priority) is also used by '\(other)'", at: rule.rule.id.position)
                }
                seen[priority] = rule.id
            }
        }
        try bag.throwIfErrors()
        return CompiledRuleSet(
            ruleSet: ruleSet, schema: schema,
            cityFactRules: ordering.cityFacts, zoneFactRules: ordering.zoneFacts,
            cityAfterUnitRules: ordering.cityAfterUnits, zoneAfterUnitRules: ordering.zoneAfterUnits,
            // By id, so neither file order nor rule order within a file can change a sum's last bit or a tie.
            addRules: adds.mapValues { $0.sorted { $0.id < $1.id } }, capRules: caps.mapValues { $0.sorted { $0.id < $1.id } },
            siteRules: sites.sorted { $0.id < $1.id }, requireRules: requires.sorted { $0.id < $1.id },
            unitOrder: unitOrder, allRules: ordering.all,
            cityLayout: envs[.zone]?.objectLayout(named: "City"), zoneLayout: envs[.zone]?.objectLayout(named: "Zone")
        )
    }
}

extension CompiledRuleSet {
    /// Derive, add and cap rules may read the previous year; one whose expressions do needs an `initial:`
    /// for the base year (which replaces both its `when:` and its value there), and `initial:` cannot
    /// read it. Other rules (site, require) and a cap's spill ratio may not read it.
    static func checkPreviousYearReads(_ rule: Rule, expressions: [String: CompiledExpression],
                                       when: CompiledExpression?, bag: inout DiagnosticBag) {
        func prevRead(_ expression: CompiledExpression?) -> String? {
            expression?.referencedPaths.sorted().first { $0.hasPrefix("prev.") }
        }
        if let read = prevRead(expressions["initial"]), let program = expressions["initial"] {
            bag.error("'initial:' is the base-year value and cannot read \(read)", at: program.expression.position)
        }
        switch rule.action {
        case .derive(let fact, _, _, _, let initial):
            if prevRead(expressions["value"]) != nil, initial == nil {
                bag.error("'\(fact.value)' reads prev.… but has no 'initial:' for the base year", at: fact.position)
            }
        case .add(_, _, let initial), .cap(_, _, _, _, let initial):
            let role = rule.action.verb == "add" ? "count" : "max"
            if let read = prevRead(expressions["ratio"]) {
                bag.error("a spill ratio cannot read the previous year (\(read))", at: rule.id.position)
            }
            if let read = prevRead(expressions[role]) ?? prevRead(when), initial == nil {
                bag.error("'\(rule.id.value)' reads \(read) but has no 'initial:' (the \(role) in the base year)",
                          at: rule.id.position)
            }
        case .site, .require:
            let reads = expressions.values.flatMap(\.referencedPaths) + (when?.referencedPaths ?? [])
            if let read = reads.sorted().first(where: { $0.hasPrefix("prev.") }) {
                bag.error("only derive, add and cap rules may read the previous year (\(read))", at: rule.id.position)
            }
        }
    }

    /// `prev.zone.coverage`, `prev.city.<fact computed after the units>`: not yet known when units are decided.
    static func isLatePreviousRead(_ path: String, afterUnitPaths: Set<String>) -> Bool {
        guard path.hasPrefix("prev.") else { return false }
        let rest = String(path.dropFirst(5))
        let parts = rest.split(separator: ".")
        if parts.count >= 2, parts[1] == "coverage" { return true }
        return DependencyOrder.factKey(rest).map { afterUnitPaths.contains($0) } ?? false
    }
}

extension CompiledExpression {
    static func diagnosticFor(_ error: CELError, expression: Expression) -> Diagnostic {
        Diagnostic(.error, error.message, at: expression.filePosition(line: error.line, column: error.column),
                   hint: error.hint, snippet: error.snippet(in: expression.source))
    }
}
