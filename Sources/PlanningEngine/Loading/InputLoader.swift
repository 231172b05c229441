/// Reads a rule set's `inputs:` and `zone_kinds:`, and a profile's declared inputs against them.
enum InputLoader {
    /// Profile keys the engine reads itself; an input may not take their names.
    static let engineCityKeys: Set<String> = [
        "id", "name", "province", "base_year", "existing_chargers", "targets", "zones",
        "candidate_sites", "demand_points", "sources", "observed",
        // Names the planner gives the city in CEL.
        "existing", "target_year", "target_ev_sales_share", "joins", "zone_count", "units",
    ]
    static let engineZoneKeys: Set<String> = [
        "id", "kind", "population", "area_km2", "centre", "existing_chargers", "observed", "boundary", "line",
        "latitude", "longitude", "population_share", "area_share", "existing", "units", "coverage",
    ]

    /// Rollout-file keys the engine reads itself (and `rollout.` fields CEL has without a declaration).
    static let engineRolloutKeys: Set<String> = [
        "id", "name", "operator", "rule_set", "horizon", "note", "cities", "inputs", "first_year", "last_year",
        "observed",
    ]

    static func engineKeys(_ scope: InputScope) -> Set<String> {
        switch scope {
        case .city: engineCityKeys
        case .zone: engineZoneKeys
        case .rollout: engineRolloutKeys
        }
    }

    static let years = 1900...2200

    // MARK: Declarations

    /// `inputs: {city: {name: {type, unit, min, max, default, doc, required, between}}, zone: {…}, rollout: {…}}`.
    static func declarations(_ node: YAMLNode, bag: inout DiagnosticBag) -> [InputDeclaration] {
        let what = "'inputs' ({city: …, zone: …, rollout: …})"
        guard var map = MappingReader(node, what: what, bag: &bag) else { return [] }
        var result: [InputDeclaration] = []
        for scope in InputScope.allCases {
            guard let section = map.value(scope.rawValue) else { continue }
            guard case .mapping(let pairs) = section.content else {
                bag.error("'inputs.\(scope.rawValue)' must map input names to their declarations", at: section.position)
                continue
            }
            for pair in pairs {
                let name = Located(pair.key, at: pair.keyPosition)
                if let declaration = declaration(name, scope: scope, pair.value, bag: &bag) {
                    result.append(declaration)
                }
            }
        }
        map.finish(bag: &bag)
        return result
    }

    private static func declaration(
        _ name: Located<String>, scope: InputScope, _ node: YAMLNode,
        bag: inout DiagnosticBag
    ) -> InputDeclaration? {
        let before = bag.diagnostics.count
        checkName(name, scope: scope, bag: &bag)
        guard
            var d = MappingReader(
                node, what: "an input declaration ({type, unit, min, max, default, doc})",
                bag: &bag)
        else { return nil }
        let typeText = d.string("type", bag: &bag)
        let unit = d.string("unit", required: false, bag: &bag)
        let doc = d.string("doc", required: false, bag: &bag)
        let min = d.value("min").flatMap { bound($0, bag: &bag) }
        let max = d.value("max").flatMap { bound($0, bag: &bag) }
        let requiredNode = d.value("required")
        let required = requiredNode.flatMap { ScalarReading.bool($0, bag: &bag) }
        let betweenText = d.string("between", required: false, bag: &bag)
        let defaultNode = d.value("default")
        d.finish(bag: &bag)
        let type = typeText.flatMap { inputType($0, bag: &bag) }
        let between = betweenText.map { seriesBetween($0, bag: &bag) } ?? .linear
        guard let type else { return nil }
        if (min != nil || max != nil || betweenText != nil), type != .number, type != .int {
            bag.error("min, max and between apply to numbers only", at: name.position)
        }
        let defaultValue = defaultNode.flatMap { parsedDefault($0, type: type, min: min, max: max, bag: &bag) }
        checkRequired(required, at: requiredNode?.position ?? name.position, hasDefault: defaultNode != nil, bag: &bag)
        guard bag.diagnostics.count == before else { return nil }
        return InputDeclaration(
            name: name, scope: scope, type: type, unit: unit?.value, min: min, max: max,
            defaultValue: defaultValue, doc: doc?.value, required: defaultValue == nil,
            between: between)
    }

    /// An input's name: lowercase identifiers joined by dots, none of them the engine's own field.
    private static func checkName(_ name: Located<String>, scope: InputScope, bag: inout DiagnosticBag) {
        let segments = name.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if segments.contains(where: { !RuleSetLoader.isIdentifier($0) }) {
            bag.error("input name '\(name.value)' must be lowercase identifiers joined by dots", at: name.position)
        } else if let first = segments.first, engineKeys(scope).contains(first) {
            bag.error(
                "'\(first)' is the engine's own \(scope.rawValue) field and cannot be declared as an input",
                at: name.position)
        }
    }

    private static func inputType(_ text: Located<String>, bag: inout DiagnosticBag) -> InputType? {
        guard let type = InputType(rawValue: text.value) else {
            bag.error("unknown input type '\(text.value)'", at: text.position, hint: "number, int, bool or string")
            return nil
        }
        return type
    }

    /// How a series reads between its years; linear after an error.
    private static func seriesBetween(_ text: Located<String>, bag: inout DiagnosticBag) -> SeriesBetween {
        guard let parsed = SeriesBetween(rawValue: text.value) else {
            bag.error("unknown series reading '\(text.value)'", at: text.position, hint: "linear or step")
            return .linear
        }
        return parsed
    }

    /// `default:`: another input's dotted name, or a value of the input's type within min…max.
    private static func parsedDefault(
        _ node: YAMLNode, type: InputType, min: InputBound?, max: InputBound?, bag: inout DiagnosticBag
    ) -> InputDefault? {
        var defaultValue: InputDefault?
        if case .scalar(let text, false) = node.content, type != .string, text.contains(where: \.isLetter),
            text != "true", text != "false", !text.hasPrefix("."), isDottedName(text)
        {
            defaultValue = .input(text)
        } else if let value = scalar(node, type: type, bag: &bag) {
            defaultValue = .value(value)
        }
        if case .value(let value)? = defaultValue, let number = value.number {
            var low = -Double.infinity
            var high = Double.infinity
            if case .value(let v) = min { low = v }
            if case .value(let v) = max { high = v }
            if number < low || number > high {
                bag.error("the default \(ScalarReading.format(number)) lies outside min…max", at: node.position)
            }
        }
        return defaultValue
    }

    /// A required input has no default; an optional one has one.
    private static func checkRequired(
        _ required: Bool?, at position: SourcePosition, hasDefault: Bool, bag: inout DiagnosticBag
    ) {
        if required == true, hasDefault {
            bag.error("a required input has no default", at: position)
        }
        if required == false, !hasDefault {
            bag.error("an optional input needs a default", at: position, hint: "give default:, or drop required: false")
        }
    }

    private static func isDottedName(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false)
            .allSatisfy { RuleSetLoader.isIdentifier(String($0)) }
    }

    private static func bound(_ node: YAMLNode, bag: inout DiagnosticBag) -> InputBound? {
        if case .scalar(let text, false) = node.content, text.contains(where: \.isLetter), isDottedName(text) {
            return .input(text)
        }
        return ScalarReading.double(node, bag: &bag).map { .value($0) }
    }

    /// `zone_kinds: [urban_core, …]`.
    static func zoneKinds(_ node: YAMLNode, bag: inout DiagnosticBag) -> [Located<String>] {
        guard case .sequence(let items) = node.content else {
            bag.error("'zone_kinds' must be a list of names", at: node.position)
            return []
        }
        var kinds: [Located<String>] = []
        for item in items {
            guard let kind = ScalarReading.string(item, bag: &bag) else { continue }
            if !RuleSetLoader.isIdentifier(kind.value) {
                bag.error("zone kind '\(kind.value)' must be a lowercase identifier", at: kind.position)
                continue
            }
            kinds.append(kind)
        }
        return kinds
    }

    /// Cross-checks within one rule set: names declared once, no name both a value and a group,
    /// bounds and defaults that name inputs name declared numbers of the same scope.
    static func check(_ set: RuleSet, bag: inout DiagnosticBag) {
        var seen: [String: SourcePosition] = [:]
        for declaration in set.inputs {
            let key = "\(declaration.scope.rawValue).\(declaration.name.value)"
            if let first = seen[key] {
                bag.error("input '\(key)' is declared twice (first at \(first))", at: declaration.name.position)
            } else {
                seen[key] = declaration.name.position
            }
        }
        var kinds: [String: SourcePosition] = [:]
        for kind in set.zoneKinds {
            if let first = kinds[kind.value] {
                bag.error("zone kind '\(kind.value)' is declared twice (first at \(first))", at: kind.position)
            } else {
                kinds[kind.value] = kind.position
            }
        }
        for declaration in set.inputs {
            let scope = declaration.scope.rawValue
            let names = set.inputs(declaration.scope).map(\.name.value)
            for other in names where other.hasPrefix(declaration.name.value + ".") {
                bag.error(
                    "'\(scope).\(declaration.name.value)' is an input and also holds '\(scope).\(other)'",
                    at: declaration.name.position)
                break
            }
            var referenced: [(name: String, isDefault: Bool)] = []
            if case .input(let name) = declaration.defaultValue { referenced.append((name, true)) }
            if case .input(let name) = declaration.min { referenced.append((name, false)) }
            if case .input(let name) = declaration.max { referenced.append((name, false)) }
            for (name, isDefault) in referenced {
                let target = set.inputs(declaration.scope).first { $0.name.value == name }
                let numeric: Set<InputType> = [.number, .int]
                if target == nil || name == declaration.name.value {
                    bag.error(
                        "'\(name)' is not another input of the \(scope)", at: declaration.name.position,
                        hint: ScalarReading.closest(to: name, in: names).map { "did you mean '\($0)'?" })
                } else if let target, isDefault ? target.type != declaration.type : !numeric.contains(target.type) {
                    let article = declaration.type == .int ? "an" : "a"
                    bag.error(
                        "'\(name)' is \(target.type == .int ? "an" : "a") \(target.type.rawValue), "
                            + "not \(article) \(declaration.type.rawValue)", at: declaration.name.position)
                }
            }
            // Defaults that name inputs must end in a value.
            var chain = [declaration.name.value]
            var current = declaration
            while case .input(let next) = current.defaultValue,
                let target = set.inputs(declaration.scope).first(where: { $0.name.value == next })
            {
                if chain.contains(next) {
                    bag.error(
                        "the defaults of \((chain + [next]).joined(separator: " → ")) go round in a circle",
                        at: declaration.name.position)
                    break
                }
                chain.append(next)
                current = target
            }
        }
    }

    // MARK: Profile values

    /// Reads the declared inputs out of a profile mapping (a city or a zone): missing required keys are
    /// errors at the mapping, wrong types and out-of-range values at the value. Keys the declarations
    /// name are marked used, so `finish` reports everything else as unknown, with a did-you-mean.
    static func read(
        _ map: inout MappingReader, _ declarations: [InputDeclaration], bag: inout DiagnosticBag
    )
        -> InputValues
    {
        var values = InputValues()
        read(&map, declarations.map { ($0, $0.path) }, into: &values, bag: &bag)
        checkBounds(declarations, values, bag: &bag)
        return values
    }

    private static func read(
        _ map: inout MappingReader, _ entries: [(InputDeclaration, [String])],
        into values: inout InputValues, bag: inout DiagnosticBag
    ) {
        var heads: [String] = []
        for entry in entries where !heads.contains(entry.1[0]) { heads.append(entry.1[0]) }
        for head in heads {
            let members = entries.filter { $0.1[0] == head }
            if let leaf = members.first(where: { $0.1.count == 1 })?.0 {
                guard let node = map.value(head) else {
                    if leaf.required { bag.error("missing required key '\(head)'", at: map.node.position) }
                    continue
                }
                if let value = value(node, leaf, bag: &bag) {
                    values[leaf.name.value] = value
                    values.positions[leaf.name.value] = node.position
                }
                continue
            }
            guard let node = map.value(head) else {
                if members.contains(where: { $0.0.required }) {
                    bag.error("missing required key '\(head)'", at: map.node.position)
                }
                continue
            }
            guard var inner = MappingReader(node, what: "'\(head)'", bag: &bag) else { continue }
            read(&inner, members.map { ($0.0, Array($0.1.dropFirst())) }, into: &values, bag: &bag)
            inner.finish(bag: &bag)
        }
    }

    /// One value of a declared type; a number may be a series (`{2019: 21440000, 2024: 22600000}`).
    static func value(_ node: YAMLNode, _ declaration: InputDeclaration, bag: inout DiagnosticBag) -> InputValue? {
        if declaration.type == .number, case .mapping(let pairs) = node.content {
            guard !pairs.isEmpty else {
                bag.error("an empty series: give at least one year", at: node.position)
                return nil
            }
            var points: [SeriesPoint] = []
            var ok = true
            for pair in pairs {
                guard let year = Int(pair.key), pair.key.allSatisfy(\.isNumber), years.contains(year) else {
                    bag.error(
                        "a series maps years \(years.lowerBound)…\(years.upperBound) to numbers, "
                            + "found '\(pair.key)'", at: pair.keyPosition)
                    ok = false
                    continue
                }
                guard let number = ScalarReading.double(pair.value, bag: &bag),
                    inRange(number, declaration, at: pair.value, bag: &bag)
                else {
                    ok = false
                    continue
                }
                if points.contains(where: { $0.year == year }) {
                    bag.error("the year \(year) is listed twice", at: pair.keyPosition)
                    ok = false
                }
                points.append(SeriesPoint(year: year, value: number))
            }
            guard ok else { return nil }
            return .series(points.sorted { $0.year < $1.year })
        }
        guard let value = scalar(node, type: declaration.type, bag: &bag) else { return nil }
        if let number = value.number, !inRange(number, declaration, at: node, bag: &bag) { return nil }
        return value
    }

    static func scalar(_ node: YAMLNode, type: InputType, bag: inout DiagnosticBag) -> InputValue? {
        switch type {
        case .number: ScalarReading.double(node, bag: &bag).map { .number($0) }
        case .int: ScalarReading.int(node, bag: &bag).map { .int(Int64($0)) }
        case .bool: ScalarReading.bool(node, bag: &bag).map { .bool($0) }
        case .string: ScalarReading.string(node, bag: &bag).map { .string($0.value) }
        }
    }

    static func inRange(
        _ number: Double, _ declaration: InputDeclaration, at node: YAMLNode,
        bag: inout DiagnosticBag
    ) -> Bool {
        let text = node.scalar ?? ScalarReading.format(number)
        let bounds = declaration.constantBounds
        return ScalarReading.within(
            number, low: bounds.lower, high: bounds.upper,
            text: text, at: node.position,
            hint: declaration.unit.map { "\(declaration.name.value) is in \($0)" }, bag: &bag)
    }

    /// Bounds that name another input (`max: vehicles.stock`), compared in every year either one lists.
    /// `position(name, other)`: where a violation of `name`'s bound on `other` is reported; nil: not checked
    /// (by default, where `name` is written; an overlay reports at whichever of the two it changed).
    static func checkBounds(
        _ declarations: [InputDeclaration], _ values: InputValues, place: String? = nil,
        position: ((String, String) -> SourcePosition?)? = nil, bag: inout DiagnosticBag
    ) {
        for declaration in declarations {
            let name = declaration.name.value
            guard let value = values[name] else { continue }
            for (bound, isMax) in [(declaration.min, false), (declaration.max, true)] {
                guard case .input(let other) = bound,
                    let position = position.map({ $0(name, other) }) ?? values.positions[name],
                    let otherValue = resolve(other, declarations, values)
                else { continue }
                let listed = (seriesYears(value) + seriesYears(otherValue)).sorted()
                for year in listed.isEmpty ? [0] : listed {
                    let between = declaration.between
                    let otherBetween = declarations.first { $0.name.value == other }?.between ?? .linear
                    guard let a = value.resolved(in: year, between: between).number,
                        let b = otherValue.resolved(in: year, between: otherBetween).number
                    else { continue }
                    if isMax ? a > b : a < b {
                        let when = listed.isEmpty ? "" : " in \(year)"
                        bag.error(
                            (place.map { "\($0): " } ?? "")
                                + "\(name) is \(isMax ? "above" : "below") \(other)\(when) "
                                + "(\(ScalarReading.format(a)) \(isMax ? ">" : "<") \(ScalarReading.format(b)))",
                            at: position)
                        break
                    }
                }
            }
        }
    }

    private static func seriesYears(_ value: InputValue) -> [Int] {
        if case .series(let points) = value { return points.map(\.year) }
        return []
    }

    /// The value of an input: as given, else its default (following defaults that name other inputs).
    static func resolve(_ name: String, _ declarations: [InputDeclaration], _ values: InputValues) -> InputValue? {
        var current = name
        for _ in 0...declarations.count {
            if let value = values[current] { return value }
            guard let declaration = declarations.first(where: { $0.name.value == current }),
                let fallback = declaration.defaultValue
            else { return nil }
            switch fallback {
            case .value(let value): return value
            case .input(let other): current = other
            }
        }
        return nil
    }
}
