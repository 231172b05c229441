/// Scenarios as a transformation of the loaded workspace: the planner never knows one was applied. The
/// overlaid workspace holds the scenario's rule set with its parameters and units changed, the inputs of its
/// rollouts' cities, zones and rollouts changed, and the scenario file among the rule set's input hashes.
extension Workspace {
    public func scenario(_ id: String) -> Scenario? { scenarios.first { $0.id.value == id } }

    /// The workspace `plan --scenario ID` and `compare` plan: for `baseline`, this one as it is; otherwise the
    /// scenario applied, with only the rollouts of its rule set (the others are not part of it).
    public func overlaid(scenario id: String) throws(DiagnosticsError) -> (workspace: Workspace, scenario: Scenario?) {
        if id == Scenario.baseline { return (self, nil) }
        guard let scenario = scenario(id) else {
            let known = [Scenario.baseline] + scenarios.map(\.id.value)
            throw DiagnosticsError([
                .error(
                    "no scenario named '\(id)'", at: nil,
                    hint: ScalarReading.closest(to: id, in: known).map { "did you mean '\($0)'?" }
                        ?? "scenarios: " + known.joined(separator: ", ") + " (files Scenarios/<id>.yaml)")
            ])
        }
        var overlaid = try applying(scenario)
        overlaid.rollouts = overlaid.rollouts.filter { $0.ruleSet.value == scenario.ruleSet.value }
        return (overlaid, scenario)
    }

    /// This workspace with `scenario`'s overrides applied: `*` overrides first, then those naming one city, zone or
    /// rollout, each group in file order. A result outside a declared bound is an error at the override's value.
    public func applying(_ scenario: Scenario) throws(DiagnosticsError) -> Workspace {
        var bag = DiagnosticBag()
        var result = self
        guard var overlay = Overlay(workspace: self, ruleSet: scenario.ruleSet.value) else {
            throw DiagnosticsError([
                .error(
                    "unknown rule set '\(scenario.ruleSet.value)'",
                    at: scenario.ruleSet.position)
            ])
        }
        let ordered =
            scenario.overrides.filter { $0.target.isEveryOne } + scenario.overrides.filter { !$0.target.isEveryOne }
        for override in ordered {
            overlay.apply(override.change, to: override.target, in: &result, at: override.valuePosition, bag: &bag)
        }
        overlay.checkNamedBounds(in: result, bag: &bag)
        result.ruleSets[overlay.ruleSetIndex].fileHashes.append((scenario.file, scenario.contentHash))
        result.ruleSets[overlay.ruleSetIndex].fileHashes.sort { $0.file < $1.file }
        try bag.throwIfErrors()
        return result
    }
}

extension OverlayTarget {
    /// The path CEL reads the target at: `params.x`, `units.fast.capex_cny`, `city.vehicles.stock`.
    func celPath(moneySuffix: String) -> String {
        switch self {
        case .param(let name): "params." + name
        case .unit(let unit, let field): "units.\(unit).\(field.key(moneySuffix: moneySuffix))"
        case .input(let scope, _, let name): "\(scope.rawValue).\(name)"
        }
    }

    /// `*` in place of an id.
    var isEveryOne: Bool {
        if case .input(_, nil, _) = self { return true }
        return false
    }
}

/// Applies overlay changes to one rule set's part of a workspace; `sweep` reuses it for every sample.
struct Overlay {
    let ruleSetIndex: Int
    let ruleSet: RuleSet
    /// Indices into the workspace's cities: the members of the rule set's rollouts, by city id.
    let cityIndex: [String: Int]
    let memberCities: [Int]
    /// (city index, zone index) by zone id, for the member cities.
    let zoneIndex: [String: (city: Int, zone: Int)]
    let memberZones: [(city: Int, zone: Int)]
    /// Indices into the workspace's rollouts of the rule set's, by id.
    let rolloutIndex: [String: Int]
    let memberRollouts: [Int]
    /// Where each changed input was set, by "<scope>:<index>:<name>", for the bounds that name other inputs.
    private(set) var changed: [String: SourcePosition] = [:]

    init?(workspace: Workspace, ruleSet id: String) {
        guard let setIndex = workspace.ruleSets.firstIndex(where: { $0.id == id }) else { return nil }
        ruleSetIndex = setIndex
        ruleSet = workspace.ruleSets[setIndex]
        let members = OverlayPaths.Members(workspace: workspace, ruleSet: id)
        var cities: [String: Int] = [:]
        for (index, city) in workspace.cities.enumerated() where members.cities.contains(city.id.value) {
            cities[city.id.value] = index
        }
        cityIndex = cities
        memberCities = cities.values.sorted()
        var zones: [String: (city: Int, zone: Int)] = [:]
        var zoneList: [(city: Int, zone: Int)] = []
        for index in memberCities {
            for (z, zone) in workspace.cities[index].zones.enumerated() {
                zones[zone.id.value] = (index, z)
                zoneList.append((index, z))
            }
        }
        zoneIndex = zones
        memberZones = zoneList
        var rollouts: [String: Int] = [:]
        for (index, rollout) in workspace.rollouts.enumerated() where rollout.ruleSet.value == id {
            rollouts[rollout.id.value] = index
        }
        rolloutIndex = rollouts
        memberRollouts = rollouts.values.sorted()
    }

    /// Applies one change. `position`: where it was written, for errors (a scenario); nil: a sweep's draw, which is
    /// held within the bounds instead.
    mutating func apply(
        _ change: OverlayChange, to target: OverlayTarget, in workspace: inout Workspace,
        at position: SourcePosition?, bag: inout DiagnosticBag
    ) {
        switch target {
        case .param(let name):
            guard let p = workspace.ruleSets[ruleSetIndex].params.firstIndex(where: { $0.name.value == name }) else {
                return
            }
            Self.apply(change, to: &workspace.ruleSets[ruleSetIndex].params[p])
        case .unit(let id, let field):
            guard let u = workspace.ruleSets[ruleSetIndex].units.firstIndex(where: { $0.id.value == id }) else {
                return
            }
            var unit = workspace.ruleSets[ruleSetIndex].units[u]
            let value: Double
            switch change {
            case .set(let number): value = number.number ?? field.value(of: unit)
            case .scale(let factor): value = field.value(of: unit) * (factor.number ?? 1)
            case .setList: return
            }
            field.set(min(max(value, field.range.lowerBound), field.range.upperBound), on: &unit)
            workspace.ruleSets[ruleSetIndex].units[u] = unit
        case .input(let scope, let id, let name):
            guard let declaration = ruleSet.inputs(scope).first(where: { $0.name.value == name }) else { return }
            let declarations = ruleSet.inputs(scope)
            // Out of bounds in several places (a `*` override): the first place is named, the others counted.
            var outside: [(place: String, number: Double)] = []
            func note(_ place: String, _ number: Double?) { if let number { outside.append((place, number)) } }
            switch scope {
            case .city:
                for index in id.map({ cityIndex[$0].map { [$0] } ?? [] }) ?? memberCities {
                    note(
                        "city '\(workspace.cities[index].id.value)'",
                        apply(
                            change, declaration, declarations, to: &workspace.cities[index].inputs,
                            key: "city:\(index)", at: position))
                }
            case .zone:
                for (c, z) in id.map({ zoneIndex[$0].map { [$0] } ?? [] }) ?? memberZones {
                    note(
                        "zone '\(workspace.cities[c].zones[z].id.value)'",
                        apply(
                            change, declaration, declarations, to: &workspace.cities[c].zones[z].inputs,
                            key: "zone:\(c):\(z)", at: position))
                }
            case .rollout:
                for index in id.map({ rolloutIndex[$0].map { [$0] } ?? [] }) ?? memberRollouts {
                    note(
                        "rollout '\(workspace.rollouts[index].id.value)'",
                        apply(
                            change, declaration, declarations, to: &workspace.rollouts[index].inputs,
                            key: "rollout:\(index)", at: position))
                }
            }
            if let first = outside.first, let position {
                let more = outside.count > 1 ? " (and \(outside.count - 1) more)" : ""
                let bounds = declaration.constantBounds
                if !first.number.isFinite {
                    bag.error("\(first.place)\(more): \(name) is not a finite number", at: position)
                    return
                }
                _ = ScalarReading.within(
                    first.number, low: bounds.lower, high: bounds.upper,
                    text: "\(first.place)\(more): \(name) = \(ScalarReading.format(first.number))",
                    at: position, hint: declaration.unit.map { "\(name) is in \($0)" }, bag: &bag)
            }
        }
    }

    /// A parameter's overlay; a draw out of the declared bounds is held within them.
    private static func apply(_ change: OverlayChange, to param: inout Parameter) {
        func bounded(_ value: Double) -> Double { min(max(value, param.bounds.lower), param.bounds.upper) }
        switch change {
        case .set(let value):
            param.value = bounded(value.number ?? param.value)
            param.values = nil
        case .setList(let numbers):
            param.values = numbers.map(bounded)
            param.value = param.values?.first ?? param.value
        case .scale(let factor):
            let f = factor.number ?? 1
            param.value = bounded(param.value * f)
            param.values = param.values?.map { bounded($0 * f) }
        }
    }

    /// Changes one input of one profile, zone or rollout; returns a resulting number outside the declared bounds
    /// (for `position`'s error) or, without a position, holds the result within them.
    private mutating func apply(
        _ change: OverlayChange, _ declaration: InputDeclaration,
        _ declarations: [InputDeclaration], to values: inout InputValues,
        key: String, at position: SourcePosition?
    ) -> Double? {
        let name = declaration.name.value
        var value: InputValue
        switch change {
        case .set(let replacement): value = replacement
        case .setList: return nil
        case .scale(let factor):
            guard let base = InputLoader.resolve(name, declarations, values) else { return nil }
            value = Self.scaled(base, by: factor, between: declaration.between)
        }
        let bounds = declaration.constantBounds
        var outside: Double?
        if let position {
            outside = value.numbers.first {
                !$0.isFinite || !($0 >= (bounds.lower ?? -.infinity) && $0 <= (bounds.upper ?? .infinity))
            }
            changed[key + ":" + name] = position
            values.positions[name] = position
        } else {
            value = value.clamped(low: bounds.lower, high: bounds.upper)
        }
        values[name] = value
        return outside
    }

    /// `value` × `factor`, exact in every year the planner reads: a factor series gives a series with every year
    /// from the first to the last year either one lists.
    static func scaled(_ value: InputValue, by factor: InputValue, between: SeriesBetween) -> InputValue {
        switch (value, factor) {
        case (.number(let x), .number(let f)): return .number(x * f)
        case (.int(let i), .number(let f)): return .number(Double(i) * f)
        case (.series(let points), .number(let f)):
            return .series(points.map { SeriesPoint(year: $0.year, value: $0.value * f) })
        case (_, .series(let factors)):
            let years = (value.listedYears + factors.map(\.year)).sorted()
            guard let first = years.first, let last = years.last else { return value }
            return .series(
                (first...last).map { year in
                    let base = value.resolved(in: year, between: between).number ?? 0
                    return SeriesPoint(
                        year: year, value: base * (factor.resolved(in: year, between: .linear).number ?? 1))
                })
        default: return value
        }
    }

    /// Bounds that name another input (`max: vehicles.stock`), where an override changed either side; reported at
    /// the override.
    func checkNamedBounds(in workspace: Workspace, bag: inout DiagnosticBag) {
        func check(_ declarations: [InputDeclaration], _ values: InputValues, key: String, place: String) {
            InputLoader.checkBounds(
                declarations, values, place: place,
                position: { name, other in
                    changed[key + ":" + name] ?? changed[key + ":" + other]
                }, bag: &bag)
        }
        for index in memberCities {
            let city = workspace.cities[index]
            check(ruleSet.inputs(.city), city.inputs, key: "city:\(index)", place: "city '\(city.id.value)'")
            for z in city.zones.indices {
                check(
                    ruleSet.inputs(.zone), city.zones[z].inputs, key: "zone:\(index):\(z)",
                    place: "zone '\(city.zones[z].id.value)'")
            }
        }
        for index in memberRollouts {
            check(
                ruleSet.inputs(.rollout), workspace.rollouts[index].inputs, key: "rollout:\(index)",
                place: "rollout '\(workspace.rollouts[index].id.value)'")
        }
    }
}

extension InputValue {
    /// The numbers of the value: itself, or each point of a series.
    var numbers: [Double] {
        if case .series(let points) = self { return points.map(\.value) }
        return number.map { [$0] } ?? []
    }

    var listedYears: [Int] {
        if case .series(let points) = self { return points.map(\.year) }
        return []
    }

    func clamped(low: Double?, high: Double?) -> InputValue {
        func clamp(_ x: Double) -> Double { min(max(x, low ?? -.infinity), high ?? .infinity) }
        switch self {
        case .number(let x): return .number(clamp(x))
        case .series(let points): return .series(points.map { SeriesPoint(year: $0.year, value: clamp($0.value)) })
        default: return self
        }
    }
}
