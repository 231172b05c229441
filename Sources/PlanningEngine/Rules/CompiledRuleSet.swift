import CEL

/// An expression parsed, type-checked and lowered once, to be evaluated for every zone-year. A class, as the rules
/// holding it are: passing one around costs a retain, not a copy of its source text.
public final class CompiledExpression: Sendable {
    public let expression: Expression
    public let program: CELProgram

    init(expression: Expression, program: CELProgram) {
        self.expression = expression
        self.program = program
    }

    public var referencedPaths: [String] { program.referencedPaths }

    package func diagnostic(for error: CELError) -> Diagnostic {
        Diagnostic(
            .error, error.message, at: expression.filePosition(line: error.line, column: error.column),
            hint: error.hint, snippet: error.snippet(in: expression.source))
    }
}

/// The compiled expressions of a rule's action, each named by what it is for.
public enum CompiledAction: Sendable {
    case derive(value: CompiledExpression, initial: CompiledExpression?)
    case add(count: CompiledExpression, initial: CompiledExpression?)
    case cap(max: CompiledExpression, initial: CompiledExpression?, spillRatio: CompiledExpression?)
    case site(radiusKM: CompiledExpression, minSpacingKM: CompiledExpression?, weight: CompiledExpression)
    case require(condition: CompiledExpression)

    /// Every expression of the action, in declaration order.
    public var expressions: [CompiledExpression] {
        switch self {
        case .derive(let value, let initial): [value] + (initial.map { [$0] } ?? [])
        case .add(let count, let initial): [count] + (initial.map { [$0] } ?? [])
        case .cap(let max, let initial, let ratio): [max] + [initial, ratio].compactMap { $0 }
        case .site(let radius, let spacing, let weight): [radius] + (spacing.map { [$0] } ?? []) + [weight]
        case .require(let condition): [condition]
        }
    }

    /// The base-year replacement of a derive, add or cap rule's value, count or max.
    public var initial: CompiledExpression? {
        switch self {
        case .derive(_, let initial), .add(_, let initial), .cap(_, let initial, _): initial
        case .site, .require: nil
        }
    }

    /// The value, count or max a derive, add or cap rule gives in a year: `initial:` in the base year
    /// when the rule has one.
    public func yearly(baseYear: Bool) -> CompiledExpression? {
        if baseYear, let initial { return initial }
        switch self {
        case .derive(let value, _): return value
        case .add(let count, _): return count
        case .cap(let max, _, _): return max
        case .site, .require: return nil
        }
    }
}

/// A rule with its expressions compiled and its place in the evaluation order known. A class: the planner
/// walks these lists for every zone-year, and a reference costs one retain where a copy of the rule costs dozens.
public final class CompiledRule: Sendable {
    public let rule: Rule
    public let when: CompiledExpression?
    public let action: CompiledAction
    public let id: String
    /// `[id]`, made once: the provenance of every fact the rule derives.
    let idList: [String]
    /// Where a derive rule's fact stands in the `City` or `Zone` object, found once.
    let factField: Int?
    /// The rule's position in the rule set (file order), for per-rule flags such as `sampleInvariant`.
    let index: Int
    /// A derive rule's fact and type, a cap rule's target and spill, read out of `rule` once.
    let fact: (name: String, type: FactType)?
    let cap: (on: CapTarget, spillTo: String?)?

    init(rule: Rule, when: CompiledExpression?, action: CompiledAction, factField: Int?, index: Int) {
        self.rule = rule
        self.when = when
        self.action = action
        id = rule.id.value
        idList = [rule.id.value]
        self.factField = factField
        self.index = index
        if case .derive(let fact, let type, _, _, _) = rule.action {
            self.fact = (fact.value, type)
        } else {
            fact = nil
        }
        if case .cap(_, let on, _, let spill, _) = rule.action { cap = (on, spill?.unit.value) } else { cap = nil }
    }

    /// Every path the rule's expressions and `when:` read.
    package var reads: [String] { action.expressions.flatMap(\.referencedPaths) + (when?.referencedPaths ?? []) }
}

/// A rule set ready to run: every expression checked against the fact schema, derive rules in
/// dependency order, units in spill order. Building it is what `check` reports on.
public struct CompiledRuleSet: Sendable {
    /// Its numbers may be replaced (`withNumbers(of:)`); its names, types and rules are what was compiled.
    public private(set) var ruleSet: RuleSet
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
    /// The same order with each unit's place in the catalogue and its add and cap rules (by id), made once.
    let unitSteps: [UnitStep]
    /// Whether a rule decided before siting (a fact of the first pass, an add or cap rule) reads unit counts, which it
    /// can only as last year's (`prev.zone.units.…`).
    let unitsReadBeforeSiting: Bool

    struct UnitStep: Sendable {
        let unit: String
        let catalogueIndex: Int
        let adds: [CompiledRule]
        let caps: [CompiledRule]
    }
    public let allRules: [CompiledRule]
    /// The declared field layouts of `City` and `Zone`, so the planner builds objects by index.
    public let cityLayout: CELObjectLayout?
    public let zoneLayout: CELObjectLayout?
    /// Every declared object type's layout by name (`Prev` as a zone rule sees it), and `Prev` as a city rule sees
    /// it: the planner builds its objects in them instead of matching field sets by name.
    let objectLayouts: [String: CELObjectLayout]
    let cityPrevLayout: CELObjectLayout?
    /// `units` of a city or zone, made for every zone-year: looked up once.
    let unitQuantityLayout: CELObjectLayout?
    let unitQuantitiesLayout: CELObjectLayout?

    public static func compile(_ ruleSet: RuleSet) throws(DiagnosticsError) -> CompiledRuleSet {
        let schema = FactSchema(ruleSet: ruleSet)
        let envs: [RuleScope: CELEnvironment] = [
            .city: schema.environment(scope: .city), .zone: schema.environment(scope: .zone),
        ]
        var rules = RuleCompiler(ruleSet: ruleSet, schema: schema, envs: envs)
        let compiled = rules.rules()
        var bag = rules.bag
        try bag.throwIfErrors()

        let ordering = DependencyOrder.order(compiled, bag: &bag)
        let unitOrder = DependencyOrder.unitOrder(units: schema.unitIDs, rules: compiled, bag: &bag)
        checkUnitRuleReads(compiled, ordering: ordering, bag: &bag)
        try bag.throwIfErrors()

        let (adds, caps, sites, requires) = byAction(compiled)
        checkPriorities(of: ruleSet, adds: adds, bag: &bag)
        try bag.throwIfErrors()
        return CompiledRuleSet(
            ruleSet: ruleSet, schema: schema,
            cityFactRules: ordering.cityFacts, zoneFactRules: ordering.zoneFacts,
            cityAfterUnitRules: ordering.cityAfterUnits, zoneAfterUnitRules: ordering.zoneAfterUnits,
            // By id, so neither file order nor rule order within a file can change a sum's last bit or a tie.
            addRules: adds.mapValues { $0.sorted { $0.id < $1.id } },
            capRules: caps.mapValues { $0.sorted { $0.id < $1.id } },
            siteRules: sites.sorted { $0.id < $1.id }, requireRules: requires.sorted { $0.id < $1.id },
            unitOrder: unitOrder,
            unitSteps: unitOrder.compactMap { id in
                ruleSet.units.firstIndex { $0.id.value == id }.map { index in
                    UnitStep(
                        unit: id, catalogueIndex: index, adds: (adds[id] ?? []).sorted { $0.id < $1.id },
                        caps: (caps[id] ?? []).sorted { $0.id < $1.id })
                }
            },
            unitsReadBeforeSiting: readsUnits(
                ordering.cityFacts + ordering.zoneFacts + adds.values.flatMap { $0 }
                    + caps.values.flatMap { $0 }),
            allRules: ordering.all,
            cityLayout: envs[.zone]?.objectLayout(named: "City"), zoneLayout: envs[.zone]?.objectLayout(named: "Zone"),
            objectLayouts: Self.layouts(envs[.zone]), cityPrevLayout: envs[.city]?.objectLayout(named: "Prev"),
            unitQuantityLayout: envs[.zone]?.objectLayout(named: "UnitQuantity"),
            unitQuantitiesLayout: envs[.zone]?.objectLayout(named: "UnitQuantities")
        )
    }

    /// Add and cap rules read no unit count of this year and nothing computed after the units.
    private static func checkUnitRuleReads(
        _ compiled: [CompiledRule], ordering: DependencyOrder.Result, bag: inout DiagnosticBag
    ) {
        for rule in compiled {
            switch rule.rule.action {
            case .derive, .require: continue
            default:
                let reads = rule.reads
                if let late = reads.sorted().first(where: {
                    ordering.afterUnitPaths.contains($0) || DependencyOrder.isUnitPath($0)
                }) {
                    bag.error(
                        "\(rule.rule.action.verb) rules decide the units and cannot read \(late), which depends on them",
                        at: rule.rule.id.position)
                }
                // Last year's units are known when this year's are decided; last year's coverage and
                // the facts computed after the units are not (they come after siting).
                let afterUnits = ordering.afterUnitPaths
                if let late = reads.sorted().first(where: { Self.isLatePreviousRead($0, afterUnitPaths: afterUnits) }) {
                    let verb = rule.rule.action.verb
                    bag.error(
                        "\(verb) rules decide the units and cannot read \(late), which is computed after them",
                        at: rule.rule.id.position)
                }
            }
        }
    }

    /// The rules by action: add and cap rules by unit id, site and require rules, each in rule-set order.
    private static func byAction(
        _ compiled: [CompiledRule]
    ) -> (
        adds: [String: [CompiledRule]], caps: [String: [CompiledRule]], sites: [CompiledRule],
        requires: [CompiledRule]
    ) {
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
        return (adds, caps, sites, requires)
    }

    /// A unit that combines with `first` needs a distinct `priority:` on each of its add rules.
    private static func checkPriorities(
        of ruleSet: RuleSet, adds: [String: [CompiledRule]], bag: inout DiagnosticBag
    ) {
        for unit in ruleSet.units where unit.combine == .first {
            var seen: [Int: String] = [:]
            for rule in adds[unit.id.value] ?? [] {
                guard let priority = rule.rule.priority else {
                    bag.error(
                        "unit '\(unit.id.value)' combines with 'first', so this add rule needs a 'priority:'",
                        at: rule.rule.id.position)
                    continue
                }
                if let other = seen[priority] {
                    bag.error("priority \(priority) is also used by '\(other)'", at: rule.rule.id.position)
                }
                seen[priority] = rule.id
            }
        }
    }

    /// Whether any of `rules` reads a unit count of a city or zone (`prev.zone.units.…`).
    private static func readsUnits(_ rules: [CompiledRule]) -> Bool {
        rules.contains { rule in
            rule.reads.contains { read in
                read.split(separator: ".").dropFirst().contains("units") && !read.hasPrefix("units.")
            }
        }
    }
}

extension CompiledRuleSet {
    /// The derive rules (by `CompiledRule.index`) the units depend on: the facts the add and cap rules read, this
    /// year's or last year's, and the facts those read, to a fixed point. A sweep, which reports units, derives no
    /// other fact.
    func unitRelevant() -> [Bool] {
        let count = (allRules.map(\.index).max() ?? -1) + 1
        var needed = [Bool](repeating: false, count: count)
        var facts: Set<String> = []
        func note(_ rule: CompiledRule) {
            for read in rule.reads {
                let path = read.hasPrefix("prev.") ? String(read.dropFirst(5)) : read
                let parts = path.split(separator: ".")
                if parts.count >= 2 { facts.insert("\(parts[0]).\(parts[1])") }
                if parts.count == 1 { facts.insert(String(parts[0]) + ".*") }
            }
        }
        for rule in allRules {
            switch rule.rule.action {
            case .add, .cap: note(rule)
            default: continue
            }
        }
        var changed = true
        while changed {
            changed = false
            for rule in allRules where !needed[rule.index] {
                guard case .derive(let fact, _, _, _, _) = rule.rule.action else { continue }
                let scope = rule.rule.scope.rawValue
                guard facts.contains("\(scope).\(fact.value)") || facts.contains(scope + ".*") else { continue }
                needed[rule.index] = true
                changed = true
                note(rule)
            }
        }
        return needed
    }

    /// Which derive rules give the same value in every sample of a sweep whose uncertain numbers are `varying`, by
    /// `CompiledRule.index` (`sampleInvariance(varying:)`).
    func sampleInvariant(varying roots: [String]) -> [Bool] { sampleInvariance(varying: roots).derive }

    static func layouts(_ env: CELEnvironment?) -> [String: CELObjectLayout] {
        guard let env else { return [:] }
        var layouts: [String: CELObjectLayout] = [:]
        for name in env.objectTypeNames { layouts[name] = env.objectLayout(named: name) }
        return layouts
    }

    /// These compiled rules with the parameter values and unit fields of `set`, which differs from the compiled rule
    /// set in those numbers only (a sweep's sample): nothing is compiled again, as no expression's type depends on
    /// a number.
    func withNumbers(of set: RuleSet) -> CompiledRuleSet {
        var copy = self
        copy.ruleSet = set
        return copy
    }

    /// Derive, add and cap rules may read the previous year; one whose expressions do needs an `initial:`
    /// for the base year (which replaces both its `when:` and its value there), and `initial:` cannot
    /// read it. Other rules (site, require) and a cap's spill ratio may not read it.
    static func checkPreviousYearReads(
        _ rule: Rule, action: CompiledAction, when: CompiledExpression?,
        bag: inout DiagnosticBag
    ) {
        func prevRead(_ expression: CompiledExpression?) -> String? {
            expression?.referencedPaths.sorted().first { $0.hasPrefix("prev.") }
        }
        if let initial = action.initial, let read = prevRead(initial) {
            bag.error("'initial:' is the base-year value and cannot read \(read)", at: initial.expression.position)
        }
        switch action {
        case .derive(let value, let initial):
            if prevRead(value) != nil, initial == nil, case .derive(let fact, _, _, _, _) = rule.action {
                bag.error("'\(fact.value)' reads prev.… but has no 'initial:' for the base year", at: fact.position)
            }
        case .add(let yearly, let initial), .cap(let yearly, let initial, _):
            let role = rule.action.verb == "add" ? "count" : "max"
            if case .cap(_, _, let ratio) = action, let read = prevRead(ratio) {
                bag.error("a spill ratio cannot read the previous year (\(read))", at: rule.id.position)
            }
            if let read = prevRead(yearly) ?? prevRead(when), initial == nil {
                bag.error(
                    "'\(rule.id.value)' reads \(read) but has no 'initial:' (the \(role) in the base year)",
                    at: rule.id.position)
            }
        case .site, .require:
            let reads = action.expressions.flatMap(\.referencedPaths) + (when?.referencedPaths ?? [])
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
        Diagnostic(
            .error, error.message, at: expression.filePosition(line: error.line, column: error.column),
            hint: error.hint, snippet: error.snippet(in: expression.source))
    }
}
