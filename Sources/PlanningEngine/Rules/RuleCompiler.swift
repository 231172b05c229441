import CEL

/// The first phase of `CompiledRuleSet.compile`: every rule's expressions compiled in its scope's environment and
/// checked for their result type, unit ids checked, and a fact derived by two rules reported. What it cannot compile
/// leaves its error in `bag` and no rule.
struct RuleCompiler {
    let ruleSet: RuleSet
    let schema: FactSchema
    let envs: [RuleScope: CELEnvironment]
    let unitIDs: Set<String>
    var bag = DiagnosticBag()

    private static let number: [CELType] = [.double, .int]

    init(ruleSet: RuleSet, schema: FactSchema, envs: [RuleScope: CELEnvironment]) {
        self.ruleSet = ruleSet
        self.schema = schema
        self.envs = envs
        self.unitIDs = Set(schema.unitIDs)
    }

    /// Every rule that compiled, in rule-set order, each with its index among them.
    mutating func rules() -> [CompiledRule] {
        var compiled: [CompiledRule] = []
        var derivers: [String: [Located<String>]] = [:]
        for rule in ruleSet.rules {
            let when = rule.when.flatMap { compile($0, scope: rule.scope, expecting: [.bool], role: "when") }
            if case .derive(let fact, _, _, _, _) = rule.action {
                derivers["\(rule.scope.rawValue).\(fact.value)", default: []].append(rule.id)
            }
            // An expression that failed to compile has its error in the bag already; the set will not run.
            guard let action = action(of: rule) else { continue }
            CompiledRuleSet.checkPreviousYearReads(rule, action: action, when: when, bag: &bag)
            var factField: Int?
            if case .derive(let fact, _, _, _, _) = rule.action {
                let layout = envs[.zone]?.objectLayout(named: rule.scope == .city ? "City" : "Zone")
                factField = layout?.fieldIndex(fact.value)
            }
            compiled.append(
                CompiledRule(rule: rule, when: when, action: action, factField: factField, index: compiled.count))
        }
        for (key, ids) in derivers.sorted(by: { $0.key < $1.key }) where ids.count > 1 {
            for id in ids.dropFirst() {
                bag.error(
                    "'\(key)' is derived by two rules ('\(ids[0].value)' at \(ids[0].position) and '\(id.value)')",
                    at: id.position,
                    hint: "merge them into one rule with a conditional value")
            }
        }
        return compiled
    }

    /// The rule's action with its expressions compiled; nil when one of them did not compile.
    private mutating func action(of rule: Rule) -> CompiledAction? {
        switch rule.action {
        case .derive(let fact, let type, _, let value, let initial):
            return derive(rule, fact: fact, type: type, value: value, initial: initial)
        case .add(let unit, let count, let initial):
            checkUnit(unit)
            let compiledCount = compile(count, scope: rule.scope, expecting: Self.number, role: "count")
            let compiledInitial = initial.map {
                compile($0, scope: rule.scope, expecting: Self.number, role: "the initial count")
            }
            guard let compiledCount, compiledInitial ?? compiledCount != nil else { return nil }
            return .add(count: compiledCount, initial: compiledInitial ?? nil)
        case .cap(let unit, _, let max, let spill, let initial):
            return cap(rule, unit: unit, max: max, spill: spill, initial: initial)
        case .site(let unit, let radius, let spacing, let weight):
            return site(rule, unit: unit, radius: radius, spacing: spacing, weight: weight)
        case .require(let condition, _, _):
            guard
                let compiledCondition = compile(
                    condition, scope: rule.scope, expecting: [.bool], role: "a requirement")
            else { return nil }
            return .require(condition: compiledCondition)
        }
    }

    private mutating func derive(
        _ rule: Rule, fact: Located<String>, type: FactType, value: Expression, initial: Expression?
    ) -> CompiledAction? {
        let inputHeads = ruleSet.inputs(InputScope(rule.scope)).compactMap(\.path.first)
        let engineFields = rule.scope == .city ? FactSchema.cityEngineFields : FactSchema.zoneEngineFields
        if inputHeads.contains(fact.value) || engineFields.contains(where: { $0.name == fact.value }) {
            bag.error(
                "'\(rule.scope.rawValue).\(fact.value)' is an input of the profile, not a fact to derive",
                at: fact.position)
        }
        let expected: [CELType] = type == .number ? Self.number : [FactSchema.celType(type)]
        let compiledValue = compile(value, scope: rule.scope, expecting: expected, role: "the value of \(fact.value)")
        let compiledInitial = initial.map {
            compile($0, scope: rule.scope, expecting: expected, role: "the initial value")
        }
        guard let compiledValue, compiledInitial ?? compiledValue != nil else { return nil }
        return .derive(value: compiledValue, initial: compiledInitial ?? nil)
    }

    private mutating func cap(
        _ rule: Rule, unit: Located<String>, max: Expression, spill: SpillTarget?, initial: Expression?
    ) -> CompiledAction? {
        checkUnit(unit)
        let compiledMax = compile(max, scope: rule.scope, expecting: Self.number, role: "max")
        let compiledInitial = initial.map {
            compile($0, scope: rule.scope, expecting: Self.number, role: "the initial max")
        }
        var ratio: CompiledExpression??
        if let spill {
            checkUnit(spill.unit)
            if spill.unit.value == unit.value {
                bag.error("a unit cannot spill into itself", at: spill.unit.position)
            }
            ratio = compile(spill.ratio, scope: rule.scope, expecting: Self.number, role: "ratio")
        }
        guard let compiledMax, compiledInitial ?? compiledMax != nil, ratio ?? compiledMax != nil else { return nil }
        return .cap(max: compiledMax, initial: compiledInitial ?? nil, spillRatio: ratio ?? nil)
    }

    private mutating func site(
        _ rule: Rule, unit: Located<String>, radius: Expression, spacing: Expression?, weight: Expression
    ) -> CompiledAction? {
        checkUnit(unit)
        if rule.scope != .city {
            bag.error("site rules are 'for: city' (their weight is evaluated per zone)", at: rule.id.position)
        }
        let compiledRadius = compile(radius, scope: .city, expecting: Self.number, role: "radius_km")
        let compiledSpacing = spacing.map {
            compile($0, scope: .city, expecting: Self.number, role: "min_spacing_km")
        }
        let compiledWeight = compile(weight, scope: .zone, expecting: Self.number, role: "weight")
        guard let compiledRadius, let compiledWeight, compiledSpacing ?? compiledRadius != nil else { return nil }
        return .site(radiusKM: compiledRadius, minSpacingKM: compiledSpacing ?? nil, weight: compiledWeight)
    }

    private mutating func checkUnit(_ unit: Located<String>) {
        if !unitIDs.contains(unit.value) {
            bag.error(
                "unknown unit type '\(unit.value)'", at: unit.position,
                hint: "units: " + schema.unitIDs.joined(separator: ", "))
        }
    }

    /// One expression compiled in `scope`; its result must be one of `expecting` (any when empty, or `dyn`).
    private mutating func compile(
        _ expression: Expression, scope: RuleScope, expecting: [CELType], role: String
    ) -> CompiledExpression? {
        guard let env = envs[scope] else { return nil }
        do {
            let program = try CELProgram(compiling: expression.source, in: env)
            let compiled = CompiledExpression(expression: expression, program: program)
            if !expecting.isEmpty, program.resultType != .dyn, !expecting.contains(program.resultType) {
                let wanted = expecting.map(\.description).joined(separator: " or ")
                bag.append(
                    Diagnostic(
                        .error, "\(role) must be \(wanted), but this expression is \(program.resultType)",
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
}
