/// Reads the `tests:` of a rule set once all its files are read, so every `given:` and `expect:` path is
/// checked against the rule set's own declarations (inputs, derived facts, parameters, units): a misspelt
/// path is an error at its key, with a did-you-mean, never a test that silently sets nothing.
enum RuleTestLoader {
    /// A `tests:` entry as found in a rule file, read when the rule set is complete.
    struct Pending {
        var node: YAMLNode
        var file: String
        var hash: String
    }

    /// What a given value must be.
    enum ValueKind: Equatable {
        case number, whole, bool, string, list
    }

    /// The paths a test of one rule set may give and expect, derived from its declarations.
    struct Paths {
        var given: [String: (target: GivenTarget, kind: ValueKind, declaration: InputDeclaration?)] = [:]
        var givenNames: [String] = []
        var expected: Set<String> = []
        var expectedNames: [String] = []

        init(_ set: RuleSet) {
            func give(
                _ path: String, _ target: GivenTarget, _ kind: ValueKind,
                _ declaration: InputDeclaration? = nil
            ) {
                guard given[path] == nil else { return }
                given[path] = (target, kind, declaration)
                givenNames.append(path)
            }
            for param in set.params {
                give("params." + param.name.value, .param(param.name.value), param.values == nil ? .number : .list)
            }
            for declaration in set.inputs {
                let kind: ValueKind =
                    switch declaration.type {
                    case .number: .number
                    case .int: .whole
                    case .bool: .bool
                    case .string: .string
                    }
                give(
                    "\(declaration.scope.rawValue).\(declaration.name.value)",
                    .input(declaration.scope, declaration.name.value), kind, declaration)
            }
            var facts: [String] = []
            for rule in set.rules {
                guard case .derive(let fact, let type, _, _, _) = rule.action else { continue }
                let path = "\(rule.scope.rawValue).\(fact.value)"
                let kind: ValueKind =
                    switch type {
                    case .number: .number
                    case .int: .whole
                    case .bool: .bool
                    }
                give(path, .fact(rule.scope, fact.value), kind)
                facts.append(path)
            }
            for unit in set.units.map(\.id.value) {
                give("city.existing." + unit, .existing(.city, unit), .number)
                give("zone.existing." + unit, .existing(.zone, unit), .number)
            }
            give("zone.population", .zonePopulation, .number)
            give("zone.area_km2", .zoneArea, .number)
            givenNames.sort()

            expectedNames = facts
            let fields = ["installed", "new", "demand", "unmet", "capex" + set.moneySuffix]
            for unit in set.units.map(\.id.value) {
                for scope in ["city", "zone"] { expectedNames += fields.map { "\(scope).units.\(unit).\($0)" } }
                expectedNames.append("zone.coverage." + unit)
            }
            expectedNames.sort()
            expected = Set(expectedNames)
        }
    }

    static func load(_ pending: [Pending], set: RuleSet, bag: inout DiagnosticBag) -> [RuleTest] {
        guard !pending.isEmpty else { return [] }
        let paths = Paths(set)
        let catalogue = InputCatalogue(ruleSets: [set])
        return pending.compactMap { load($0, set: set, paths: paths, catalogue: catalogue, bag: &bag) }
    }

    private static func load(
        _ pending: Pending, set: RuleSet, paths: Paths, catalogue: InputCatalogue,
        bag: inout DiagnosticBag
    ) -> RuleTest? {
        guard var t = MappingReader(pending.node, what: "a rule test", bag: &bag) else { return nil }
        let before = bag.diagnostics.count
        let name = t.string("name", bag: &bag)
        var city: RuleTestCity?
        if let node = t.required("city", bag: &bag) {
            if case .mapping = node.content {
                city = CityLoader.load(node, file: pending.file, hash: pending.hash, catalogue: catalogue, bag: &bag)
                    .map { .inline($0) }
            } else if let id = ScalarReading.string(node, bag: &bag),
                Identifier.validate(id, what: "fixture city id", bag: &bag)
            {
                city = .fixture(id)
            }
        }
        let zone = t.string("zone", required: false, bag: &bag)
        let yearNode = t.required("year", bag: &bag)
        let year = yearNode.flatMap { ScalarReading.int($0, range: 1900...2200, bag: &bag) }
        let todo = t.string("todo", required: false, bag: &bag)
        var given: [RuleTestGiven] = []
        if let node = t.value("given") {
            if case .mapping(let pairs) = node.content {
                for pair in pairs {
                    let path = Located(pair.key, at: pair.keyPosition)
                    if let entry = self.given(path, pair.value, paths: paths, zone: zone, bag: &bag) {
                        given.append(entry)
                    }
                }
            } else {
                bag.error("'given' must map input, fact and parameter paths to values", at: node.position)
            }
        }
        var expect: [RuleTestExpectation] = []
        var findings: [String]?
        var findingsPosition: SourcePosition?
        if let node = t.value("expect") {
            if case .mapping(let pairs) = node.content {
                for pair in pairs {
                    if pair.key == "findings" {
                        findingsPosition = pair.value.position
                        if case .sequence(let items) = pair.value.content {
                            findings = items.compactMap { ScalarReading.string($0, bag: &bag)?.value }
                        } else {
                            bag.error("'findings' must be a list of rule ids", at: pair.value.position)
                        }
                        continue
                    }
                    let path = Located(pair.key, at: pair.keyPosition)
                    if let entry = expectation(path, pair.value, paths: paths, zone: zone, bag: &bag) {
                        expect.append(entry)
                    }
                }
            } else {
                bag.error("'expect' must map plan paths to numbers", at: node.position)
            }
        }
        t.finish(bag: &bag)
        guard bag.diagnostics.count == before, let name, let city, let year, let yearNode else { return nil }
        return RuleTest(
            name: name, city: city, zone: zone, year: Located(year, at: yearNode.position), given: given,
            expect: expect, expectFindings: findings, findingsPosition: findingsPosition, todo: todo?.value)
    }

    /// A path the rule set does not have: an error at its key, with the nearest known path or what paths look like.
    private static func unknown(
        _ section: String, _ path: Located<String>, isNo what: String, known: [String],
        shapes: String, bag: inout DiagnosticBag
    ) {
        let hint = ScalarReading.closest(to: path.value, in: known).map { "did you mean '\($0)'?" } ?? shapes
        bag.error("\(section) '\(path.value)' is no \(what) of the rule set", at: path.position, hint: hint)
    }

    /// A zone path in a test without `zone:`.
    private static func zoneless(_ section: String, _ path: Located<String>, _ does: String, bag: inout DiagnosticBag) {
        bag.error(
            "\(section) '\(path.value)' \(does), but the test names no zone", at: path.position,
            hint: "add zone: <zone id>")
    }

    /// True for a path that is only meaningful for one zone.
    private static func needsZone(_ target: GivenTarget) -> Bool {
        switch target {
        case .input(let scope, _): scope == .zone
        case .fact(let scope, _), .existing(let scope, _): scope == .zone
        case .zonePopulation, .zoneArea: true
        case .param: false
        }
    }

    private static func given(
        _ path: Located<String>, _ node: YAMLNode, paths: Paths, zone: Located<String>?,
        bag: inout DiagnosticBag
    ) -> RuleTestGiven? {
        guard let entry = paths.given[path.value] else {
            unknown(
                "given", path, isNo: "input, fact or parameter", known: paths.givenNames,
                shapes: "a given path is params.<name>, city.<input or fact>, zone.<input or fact>, "
                    + "rollout.<input>, city.existing.<unit>, zone.existing.<unit>, zone.population or "
                    + "zone.area_km2", bag: &bag)
            return nil
        }
        if needsZone(entry.target), zone == nil {
            zoneless("given", path, "sets a zone value", bag: &bag)
            return nil
        }
        guard let value = value(node, kind: entry.kind, path: path.value, bag: &bag) else { return nil }
        if let declaration = entry.declaration, case .number(let number) = value,
            !InputLoader.inRange(number, declaration, at: node, bag: &bag)
        {
            return nil
        }
        return RuleTestGiven(path: path, target: entry.target, value: value)
    }

    private static func value(
        _ node: YAMLNode, kind: ValueKind, path: String,
        bag: inout DiagnosticBag
    ) -> GivenValue? {
        switch kind {
        case .number:
            if case .mapping = node.content {
                bag.error("a given value holds in every year: give one number, not a series", at: node.position)
                return nil
            }
            return ScalarReading.double(node, bag: &bag).map { .number($0) }
        case .whole:
            return ScalarReading.int(node, bag: &bag).map { .number(Double($0)) }
        case .bool:
            switch node.scalar {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default:
                bag.error(
                    "expected true or false (or 1 / 0), found '\(node.scalar ?? node.kindName)'",
                    at: node.position)
                return nil
            }
        case .string:
            return ScalarReading.string(node, bag: &bag).map { .string($0.value) }
        case .list:
            guard case .sequence(let items) = node.content else {
                bag.error("'\(path)' is a list parameter: give a list of numbers, e.g. [8, 10, 12]", at: node.position)
                return nil
            }
            guard !items.isEmpty else {
                bag.error("'\(path)' needs at least one number", at: node.position)
                return nil
            }
            let numbers = items.compactMap { ScalarReading.double($0, bag: &bag) }
            return numbers.count == items.count ? .list(numbers) : nil
        }
    }

    private static func expectation(
        _ path: Located<String>, _ node: YAMLNode, paths: Paths, zone: Located<String>?,
        bag: inout DiagnosticBag
    ) -> RuleTestExpectation? {
        guard paths.expected.contains(path.value) else {
            unknown(
                "expect", path, isNo: "fact, unit count or coverage", known: paths.expectedNames,
                shapes: "an expected path is city.<fact>, zone.<fact>, "
                    + "city.units.<unit>.<installed|new|demand|unmet>, zone.units.<unit>.<…> or "
                    + "zone.coverage.<unit>",
                bag: &bag)
            return nil
        }
        if path.value.hasPrefix("zone."), zone == nil {
            zoneless("expect", path, "reads a zone", bag: &bag)
            return nil
        }
        guard case .mapping = node.content else {
            return ScalarReading.double(node, bag: &bag).map {
                RuleTestExpectation(path: path, value: $0, tolerance: 0, valuePosition: node.position)
            }
        }
        guard var m = MappingReader(node, what: "{value, tolerance}", bag: &bag) else { return nil }
        let valueNode = m.required("value", bag: &bag)
        let value = valueNode.flatMap { ScalarReading.double($0, bag: &bag) }
        let tolerance = m.double("tolerance", required: false, range: 0...1e12, bag: &bag) ?? 0
        m.finish(bag: &bag)
        guard let value, let valueNode else { return nil }
        return RuleTestExpectation(path: path, value: value, tolerance: tolerance, valuePosition: valueNode.position)
    }

    /// Checks a test against its city, once the fixtures are loaded: the fixture exists, the zone is the city's,
    /// the year is not before its base year.
    static func checkCity(_ test: RuleTest, in set: RuleSet, bag: inout DiagnosticBag) {
        let city: CityProfile
        switch test.city {
        case .inline(let profile): city = profile
        case .fixture(let id):
            guard let fixture = set.fixture(id.value) else {
                let ids = set.fixtures.map(\.id.value)
                let hint =
                    ScalarReading.closest(to: id.value, in: ids).map { "did you mean '\($0)'?" }
                    ?? "rule tests plan Rules/\(set.id)/tests/fixtures/<id>.yaml "
                    + "or an inline city: {id: …, zones: […]}"
                    + (ids.isEmpty ? "" : "; fixtures: " + ids.joined(separator: ", "))
                bag.error("no fixture city '\(id.value)' in rule set '\(set.id)'", at: id.position, hint: hint)
                return
            }
            city = fixture
        }
        if let zone = test.zone, !city.zones.contains(where: { $0.id.value == zone.value }) {
            let ids = city.zones.map(\.id.value)
            bag.error(
                "city '\(city.id.value)' has no zone '\(zone.value)'", at: zone.position,
                hint: ScalarReading.closest(to: zone.value, in: ids).map { "did you mean '\($0)'?" }
                    ?? "zones: " + ids.joined(separator: ", "))
        }
        if test.year.value < city.baseYear {
            bag.error(
                "year \(test.year.value) is before the base year \(city.baseYear) of city '\(city.id.value)'",
                at: test.year.position)
        }
    }
}
