import CEL

/// The derivation tree of a number: which rule produced it, from which expression, reading which
/// inputs with which values — recursively, down to the city profile and the parameters.
public struct Explanation: Sendable {
    public struct Node: Sendable {
        /// What the node is, as an expression would read it: `zone.private_evs`, `params.kwh_per_km`.
        public var label: String
        public var value: CELValue?
        public var rule: String?
        public var position: SourcePosition?
        public var expression: String?
        public var note: String?
        public var children: [Node]
    }

    public var rollout: String
    public var city: String
    /// Nil for a city fact explained without a zone.
    public var zone: String?
    public var year: Int
    public var roots: [Node]
}

extension CityPlanner {
    static let explanationDepth = 12

    /// Explains the units of one zone-year (all unit types, or `unit`), or one fact of it. Without a zone, only a
    /// city fact can be explained (`fact` as `city.ev_stock` or `ev_stock`). `scenario`: the overlay this planner's
    /// workspace was overlaid with; the values its overrides set are labelled as from it, at the override.
    public func explain(
        zone zoneID: String?, year: Int, unit: String? = nil, fact: String? = nil, scenario: Scenario? = nil
    ) throws(DiagnosticsError) -> Explanation {
        var zoneIndex: Int?
        if let zoneID {
            zoneIndex = city.zones.firstIndex { $0.id.value == zoneID }
            if zoneIndex == nil {
                throw DiagnosticsError([
                    .error(
                        "city '\(city.id.value)' has no zone '\(zoneID)'", at: city.id.position,
                        hint: "zones: " + city.zones.map(\.id.value).joined(separator: ", "))
                ])
            }
        }
        let path = fact.map { $0.contains(".") ? $0 : (zoneID == nil ? "city." : "zone.") + $0 }
        if zoneID == nil, path.map({ !$0.hasPrefix("city.") }) ?? true {
            let what = path.map { "'\($0)' is not a city fact" } ?? "units are planned per zone"
            throw DiagnosticsError([
                .error(
                    "\(what): give --zone", at: nil,
                    hint: "without --zone, explain a city fact: --fact city.<fact>")
            ])
        }
        let simulation = try simulate()
        guard let index = simulation.states.firstIndex(where: { $0.year == year }) else {
            throw DiagnosticsError([.error("year \(year) is outside \(city.baseYear)–\(rollout.lastYear)", at: nil)])
        }
        var builder = ExplanationBuilder(planner: self, simulation: simulation, zoneIndex: zoneIndex)
        builder.scenario = scenario
        var roots: [Explanation.Node] = []
        if let fact, let path {
            // Only a number, bool or string an expression could read: a misspelt fact must not be
            // "explained" as an input of the profile, and an object (`zone.units`) is no single value.
            switch builder.lookup(path, yearIndex: index) {
            case .double?, .int?, .uint?, .bool?, .string?:
                roots.append(builder.fact(path, yearIndex: index, depth: 0))
            default:
                let facts =
                    (zoneID == nil ? [] : rules.schema.zoneFacts.map { "zone." + $0.name })
                    + rules.schema.cityFacts.map { "city." + $0.name }
                let place = zoneID ?? city.id.value
                throw DiagnosticsError([
                    .error(
                        "no fact '\(fact)' in \(place) in \(year)", at: nil,
                        hint: "facts: " + facts.joined(separator: ", "))
                ])
            }
        } else {
            let units = unit.map { [$0] } ?? rules.unitOrder
            for unitID in units {
                guard rules.ruleSet.unit(unitID) != nil else {
                    throw DiagnosticsError([
                        .error(
                            "no unit type '\(unitID)'", at: nil,
                            hint: "units: " + rules.schema.unitIDs.joined(separator: ", "))
                    ])
                }
                roots.append(builder.unit(unitID, yearIndex: index, depth: 0))
            }
        }
        return Explanation(rollout: rollout.id.value, city: city.id.value, zone: zoneID, year: year, roots: roots)
    }
}

struct ExplanationBuilder {
    let planner: CityPlanner
    let simulation: CityPlanner.Simulation
    /// Nil when a city fact is explained without a zone.
    let zoneIndex: Int?
    var explained: Set<String> = []
    var scenario: Scenario?

    init(planner: CityPlanner, simulation: CityPlanner.Simulation, zoneIndex: Int?) {
        self.planner = planner
        self.simulation = simulation
        self.zoneIndex = zoneIndex
    }

    private var rules: CompiledRuleSet { planner.rules }

    func lookup(_ path: String, yearIndex: Int) -> CELValue? {
        let parts = path.split(separator: ".").map(String.init)
        guard let head = parts.first else { return nil }
        let state = simulation.states[yearIndex]
        var current: CELValue?
        var rest = parts.dropFirst()
        switch head {
        case "year": return .int(Int64(state.year))
        case "city": current = planner.cityObject(state)
        case "zone":
            guard let zoneIndex else { return nil }
            current = planner.zoneObject(state, zoneIndex)
        case "rollout": current = state.rollout
        case "prev":
            guard yearIndex > 0, let scope = rest.first else { return nil }
            rest = rest.dropFirst()
            let previous = simulation.states[yearIndex - 1]
            if scope == "city" {
                current = planner.cityObject(previous)
            } else {
                guard let zoneIndex else { return nil }
                current = planner.zoneObject(previous, zoneIndex)
            }
        default: current = simulation.constants[head]
        }
        for field in rest {
            guard case .object(let object)? = current else { return nil }
            current = object[field]
        }
        return current
    }

    private func deriveRule(scope: String, fact: String) -> CompiledRule? {
        (rules.cityFactRules + rules.zoneFactRules + rules.zoneAfterUnitRules + rules.cityAfterUnitRules).first {
            rule in
            guard case .derive(let name, _, _, _, _) = rule.rule.action else { return false }
            return name.value == fact && rule.rule.scope.rawValue == scope
        }
    }

    /// Where a value no rule derived comes from: a declared input or one of the profile's own fields is
    /// "from the profile"; what the planner works out (shares, the current target, existing chargers in
    /// power-class units, unit totals, coverage) is "computed by the planner"; the rollout's fields and inputs
    /// are "from the rollout"; parameters and the catalogue are rule-set constants.
    func origin(_ parts: [String]) -> String? {
        guard let head = parts.first else { return nil }
        switch head {
        case "params", "units": return "rule-set constant"
        case "rollout": return "from the rollout"
        case "city", "zone":
            guard parts.count >= 2 else { return nil }
            let scope: InputScope = head == "city" ? .city : .zone
            let name = parts.dropFirst().joined(separator: ".")
            if rules.ruleSet.inputs(scope).contains(where: { $0.name.value == name }) { return "from the profile" }
            let computed = head == "city" ? FactSchema.computedCityFields : FactSchema.computedZoneFields
            return computed.contains(parts[1]) ? "computed by the planner" : "from the profile"
        default: return nil
        }
    }

    /// The scenario's override that set `path` here (a parameter, a unit's number, or an input of this city, this
    /// zone or this rollout): the last one applied, as the overlay applies `*` overrides before those naming one.
    func scenarioOverride(_ path: String) -> Override? {
        guard let scenario else { return nil }
        let suffix = rules.ruleSet.moneySuffix
        let zoneID = zoneIndex.map { planner.city.zones[$0].id.value }
        func applies(_ override: Override) -> Bool {
            guard override.target.celPath(moneySuffix: suffix) == path else { return false }
            guard case .input(let scope, let id, _) = override.target, let id else { return true }
            switch scope {
            case .city: return id == planner.city.id.value
            case .zone: return id == zoneID
            case .rollout: return id == planner.rollout.id.value
            }
        }
        let matching = scenario.overrides.filter(applies)
        return matching.last { !$0.target.isEveryOne } ?? matching.last
    }

    /// A node for a value an expression reads; recurses into the rule that derived it.
    mutating func fact(_ path: String, yearIndex: Int, depth: Int) -> Explanation.Node {
        if path.hasPrefix("prev."), yearIndex > 0 {
            // Last year's value, not expanded: one year's tree stays readable; explain that year to go further.
            var node = fact(String(path.dropFirst(5)), yearIndex: yearIndex - 1, depth: CityPlanner.explanationDepth)
            node.label = path
            node.expression = nil
            node.children = []
            node.note = "last year's value; explain --year \(simulation.states[yearIndex - 1].year) to expand"
            return node
        }
        var node = Explanation.Node(label: path, value: lookup(path, yearIndex: yearIndex), children: [])
        let parts = path.split(separator: ".").map(String.init)
        if parts.count >= 3, parts[1] == "units", parts[0] == "zone" {
            return unit(parts[2], yearIndex: yearIndex, depth: depth, label: path)
        }
        if parts.count == 2, parts[0] == "city" || (parts[0] == "zone" && zoneIndex != nil) {
            let zoneOwner = zoneIndex.flatMap { parts[0] == "city" ? nil : planner.city.zones[$0].id.value + "." }
            let owner = zoneOwner ?? "city."
            let state = simulation.states[yearIndex]
            if state.factRules[owner + parts[1]] == [CityPlanner.observedMark] {
                node.note = CityPlanner.observedMark
                node.position = planner.observationPosition(
                    of: .fact(parts[1]), zoneIndex: parts[0] == "city" ? nil : zoneIndex,
                    year: state.year)
                return node
            }
        }
        guard parts.count >= 2, parts[0] == "city" || parts[0] == "zone",
            let rule = deriveRule(scope: parts[0], fact: parts[1])
        else {
            if let override = scenarioOverride(path) {
                node.note = "from the scenario '\(scenario?.id.value ?? "")'"
                node.position = override.path.position
            } else {
                node.note = origin(parts)
            }
            return node
        }
        node.rule = rule.id
        node.position = rule.rule.id.position
        let key = "\(simulation.states[yearIndex].year):\(path)"
        if explained.contains(key) {
            node.note = "explained above"
            return node
        }
        if depth < CityPlanner.explanationDepth { explained.insert(key) }
        let base = yearIndex == 0 && rule.action.initial != nil
        guard let expression = rule.action.yearly(baseYear: base) else { return node }
        node.expression = expression.expression.source
        if base { node.note = "base-year value (initial:)" }
        guard depth < CityPlanner.explanationDepth else { return node }
        let reads = (expression.referencedPaths + (rule.when?.referencedPaths ?? [])).filter { $0 != path }
        for read in Array(Set(reads)).sorted() {
            node.children.append(fact(read, yearIndex: yearIndex, depth: depth + 1))
        }
        return node
    }

    /// A node for a unit count of the zone-year: the add rules that fired, the cap that bound, spills received.
    mutating func unit(_ unitID: String, yearIndex: Int, depth: Int, label: String? = nil) -> Explanation.Node {
        let state = simulation.states[yearIndex]
        let record = zoneIndex.flatMap { state.units[$0][unitID] }
        let label = label ?? "zone.units.\(unitID).installed"
        var node = Explanation.Node(label: label, children: [])
        guard let record else { return node }
        switch label.split(separator: ".").last {
        case "new": node.value = .int(Int64(record.new))
        case "demand": node.value = .int(Int64(record.demand))
        case "unmet": node.value = .int(Int64(record.unmet))
        default: node.value = .int(Int64(record.installed))
        }
        node.note =
            "installed \(record.installed), new \(record.new), demand \(record.demand), unmet \(record.unmet); installed never falls below last year's"
        if record.rules == [.observed] {
            node.note =
                "\(CityPlanner.observedMark): installed \(record.installed), new \(record.new), "
                + "demand \(record.demand), unmet \(record.unmet)"
            node.position =
                planner.observationPosition(of: .unitInstalled(unitID), zoneIndex: zoneIndex, year: state.year)
                ?? planner.observationPosition(of: .unitInstalled(unitID), zoneIndex: nil, year: state.year)
                ?? rules.ruleSet.unit(unitID).flatMap { unit in
                    planner.observationPosition(
                        of: .accessInstalled(unit.access), zoneIndex: zoneIndex, year: state.year)
                        ?? planner.observationPosition(
                            of: .accessInstalled(unit.access), zoneIndex: nil, year: state.year)
                }
            return node
        }
        let key = "\(state.year):units.\(unitID)"
        if explained.contains(key) {
            node.note = "explained above"
            return node
        }
        explained.insert(key)
        guard depth < CityPlanner.explanationDepth else { return node }
        for reason in record.rules {
            guard let id = reason.rule, let rule = rules.allRules.first(where: { $0.id == id }) else { continue }
            switch reason {
            case .add:
                node.children.append(
                    expressionNode(rule, spill: false, label: "add \(unitID)", yearIndex: yearIndex, depth: depth))
            case .cap:
                var capNode = expressionNode(
                    rule, spill: false, label: "cap \(unitID)", yearIndex: yearIndex, depth: depth)
                capNode.note = "this cap bound"
                node.children.append(capNode)
            case .observed:
                continue
            case .spill:
                guard case .cap(let source, _, _, _, _) = rule.rule.action else { continue }
                var spillNode = expressionNode(
                    rule, spill: true, label: "spill from \(source.value)", yearIndex: yearIndex, depth: depth)
                spillNode.children.insert(
                    unit(
                        source.value, yearIndex: yearIndex, depth: depth + 1, label: "zone.units.\(source.value).unmet"),
                    at: 0)
                node.children.append(spillNode)
            }
        }
        if record.rules.isEmpty {
            node.children.append(Explanation.Node(label: "no rule added \(unitID) here", children: []))
        }
        return node
    }

    /// An add rule's count or a cap's max (`initial:` in the base year), or with `spill` the cap's spill ratio.
    private mutating func expressionNode(
        _ rule: CompiledRule, spill: Bool, label: String, yearIndex: Int, depth: Int
    )
        -> Explanation.Node
    {
        var node = Explanation.Node(label: label, rule: rule.id, position: rule.rule.id.position, children: [])
        let base = yearIndex == 0 && !spill && rule.action.initial != nil
        var ratio: CompiledExpression?
        if case .cap(_, _, let spillRatio) = rule.action { ratio = spillRatio }
        guard let expression = spill ? ratio : rule.action.yearly(baseYear: base) else { return node }
        node.expression = expression.expression.source
        if base { node.note = "base-year value (initial:)" }
        let reads = expression.referencedPaths + (base ? [] : rule.when?.referencedPaths ?? [])
        for read in Array(Set(reads)).sorted() {
            node.children.append(fact(read, yearIndex: yearIndex, depth: depth + 1))
        }
        return node
    }
}
