/// Reads the YAML files of one rule set folder into a `RuleSet`.
enum RuleSetLoader {
    struct FileInput {
        var path: String
        var text: String
        var hash: String
        var root: YAMLNode
    }

    static func load(id: String, files: [FileInput], bag: inout DiagnosticBag) -> RuleSet {
        var set = RuleSet(
            id: id, fileHashes: files.map { ($0.path, $0.hash) }, units: [], params: [], rules: [], tests: [])
        let earlier = bag.warnings.count
        // Read first: the catalogue's money keys carry it, whichever file declares it.
        set.currency = currency(files, ruleSet: id, bag: &bag)
        var tests: [RuleTestLoader.Pending] = []
        var uncertain: [YAMLNode] = []
        for file in files {
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard var map = MappingReader(file.root, what: "a rule file", bag: &bag) else { continue }
            _ = map.value("currency")
            if let units = map.value("units") {
                set.units += loadUnits(
                    units, money: set.currency.map { RuleSet.moneySuffix($0.value) },
                    unreadable: &set.unreadableUnits, bag: &bag)
            }
            if let params = map.value("params") { set.params += loadParams(params, bag: &bag) }
            if let inputs = map.value("inputs") { set.inputs += InputLoader.declarations(inputs, bag: &bag) }
            if let kinds = map.value("zone_kinds") { set.zoneKinds += InputLoader.zoneKinds(kinds, bag: &bag) }
            for node in map.sequence("rules", required: false, bag: &bag) ?? [] {
                if let rule = loadRule(node, lines: lines, bag: &bag) { set.rules.append(rule) }
            }
            if let node = map.value("uncertain") { uncertain.append(node) }
            for node in map.sequence("tests", required: false, bag: &bag) ?? [] {
                tests.append(.init(node: node, file: file.path, hash: file.hash))
            }
            map.finish(bag: &bag)
        }
        InputLoader.check(set, bag: &bag)
        // Read once every parameter, unit and input of the rule set is known, whichever file declares it.
        let paths = OverlayPaths(ruleSet: set, members: nil)
        set.uncertain = uncertain.flatMap { ScenarioLoader.uncertain($0, paths: paths, bag: &bag) }
        // Read last: a test's paths are checked against everything the rule set declares, in any of its files.
        set.tests = RuleTestLoader.load(tests, set: set, bag: &bag)
        checkDuplicates(set, bag: &bag)
        set.deprecations = Array(bag.warnings.dropFirst(earlier))
        return set
    }

    /// The rule set's `currency:` (a top-level key of any of its files, declared once or alike everywhere):
    /// three uppercase letters. Missing, malformed or declared twice differently is an error.
    private static func currency(_ files: [FileInput], ruleSet: String, bag: inout DiagnosticBag) -> Located<String>? {
        var found: Located<String>?
        var valid = true
        for file in files {
            guard case .mapping(let pairs) = file.root.content else { continue }
            for pair in pairs where pair.key == "currency" {
                guard let code = ScalarReading.string(pair.value, bag: &bag) else {
                    valid = false
                    continue
                }
                let letters = code.value.unicodeScalars
                guard letters.count == 3, letters.allSatisfy({ ("A"..."Z").contains($0) }) else {
                    bag.error(
                        "currency '\(code.value)' must be a 3-letter uppercase code", at: code.position,
                        hint: "e.g. CNY, USD, EUR")
                    valid = false
                    continue
                }
                if let first = found {
                    if first.value != code.value {
                        let message =
                            "currency '\(code.value)' differs from '\(first.value)' "
                            + "declared at \(first.position)"
                        bag.error(message, at: code.position, hint: "a rule set has one currency")
                        valid = false
                    }
                } else {
                    found = code
                }
            }
        }
        if found == nil, valid, let first = files.first {
            let start = SourcePosition(file: first.path, line: 1, column: 1)
            bag.error(
                "rule set '\(ruleSet)' declares no currency", at: start,
                hint: "add a top-level 'currency: CNY' (or another 3-letter code) to one of its files")
        }
        return valid ? found : nil
    }

    private static func checkDuplicates(_ set: RuleSet, bag: inout DiagnosticBag) {
        var seen: [String: SourcePosition] = [:]
        func note(_ id: Located<String>, _ what: String, bag: inout DiagnosticBag) {
            if let first = seen[what + id.value] {
                bag.error("duplicate \(what) '\(id.value)' (first at \(first))", at: id.position)
            } else {
                seen[what + id.value] = id.position
            }
        }
        for unit in set.units { note(unit.id, "unit", bag: &bag) }
        for param in set.params { note(param.name, "parameter", bag: &bag) }
        for rule in set.rules { note(rule.id, "rule id", bag: &bag) }
        for test in set.tests { note(test.name, "test", bag: &bag) }
        for entry in set.uncertain { note(entry.path, "uncertain path", bag: &bag) }
    }

    /// `money`: the suffix of the money keys (`_cny`); nil when the currency is unknown (already reported),
    /// then whichever `capex_…` key a unit has is read.
    private static func loadUnits(
        _ node: YAMLNode, money: String?, unreadable: inout Set<String>,
        bag: inout DiagnosticBag
    ) -> [UnitType] {
        guard case .mapping(let pairs) = node.content else {
            bag.error("'units' must be a mapping from unit id to its description", at: node.position)
            return []
        }
        var units: [UnitType] = []
        for pair in pairs {
            guard var u = MappingReader(pair.value, what: "a unit type", bag: &bag) else { continue }
            let doc = u.string("doc", required: false, bag: &bag)
            let accessText = u.string("access", bag: &bag)
            let power = u.double("power_kw", range: 0...1e6, bag: &bag)
            let ports = u.int("ports_per_site", range: 1...10_000, bag: &bag)
            let suffix = money ?? u.keys.first { $0.hasPrefix("capex_") }.map { String($0.dropFirst(5)) } ?? "_cny"
            let capex = u.double("capex" + suffix, required: money != nil, range: 0...1e12, bag: &bag)
            let sessions = u.double("sessions_per_day", range: 0...1e6, bag: &bag)
            let price = u.double("price_per_session" + suffix, required: false, range: 0...1e9, bag: &bag)
            let combineText = u.string("combine", bag: &bag)
            u.finish(bag: &bag)
            var combine: CombinePolicy?
            if let combineText {
                combine = CombinePolicy(rawValue: combineText.value)
                if combine == nil {
                    bag.error(
                        "unknown combine policy '\(combineText.value)'", at: combineText.position,
                        hint: "sum, max, min or first")
                }
            }
            var access: UnitAccess?
            if let accessText {
                access = UnitAccess(rawValue: accessText.value)
                if access == nil {
                    bag.error(
                        "unknown access '\(accessText.value)'", at: accessText.position,
                        hint: UnitAccess.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            guard let power, let ports, let capex, let sessions, let combine, let access else {
                unreadable.insert(pair.key)
                continue
            }
            units.append(
                UnitType(
                    id: Located(pair.key, at: pair.keyPosition), doc: doc?.value, access: access,
                    powerKW: power, portsPerSite: ports,
                    capex: capex, sessionsPerDay: sessions, pricePerSession: price,
                    combine: combine))
        }
        return units
    }

    private static func loadParams(_ node: YAMLNode, bag: inout DiagnosticBag) -> [Parameter] {
        guard case .mapping(let pairs) = node.content else {
            bag.error("'params' must be a mapping from name to {value, unit}", at: node.position)
            return []
        }
        var params: [Parameter] = []
        for pair in pairs {
            let what = "a parameter ({value, unit} or {values, unit})"
            guard var p = MappingReader(pair.value, what: what, bag: &bag) else { continue }
            let name = Located(pair.key, at: pair.keyPosition)
            if let valuesPosition = p.position(of: "values") {
                if let valuePosition = p.position(of: "value") {
                    bag.error(
                        "parameter '\(pair.key)' has both 'value' and 'values'",
                        at: max(valuePosition, valuesPosition),
                        hint: "a parameter is one number (value: N) or a list of numbers (values: [a, b, …])")
                    _ = p.value("value")
                }
                let items = p.sequence("values", bag: &bag)
                let unit = p.string("unit", required: false, bag: &bag)
                let bounds = paramBounds(&p, bag: &bag)
                _ = p.value("doc")
                p.finish(bag: &bag)
                guard let items, let bounds else { continue }
                if items.isEmpty {
                    bag.error("parameter '\(pair.key)': 'values' must list at least one number", at: valuesPosition)
                    continue
                }
                let numbers = items.compactMap { item in
                    ScalarReading.double(item, bag: &bag).flatMap { number in
                        ScalarReading.within(
                            number, low: bounds.min, high: bounds.max, text: item.scalar ?? "",
                            at: item.position, bag: &bag) ? number : nil
                    }
                }
                guard let first = numbers.first, numbers.count == items.count else { continue }
                params.append(
                    Parameter(
                        name: name, value: first, unit: unit?.value, values: numbers,
                        min: bounds.min, max: bounds.max))
                continue
            }
            let valueNode = p.required("value", bag: &bag)
            let unit = p.string("unit", required: false, bag: &bag)
            let bounds = paramBounds(&p, bag: &bag)
            _ = p.value("doc")
            p.finish(bag: &bag)
            if let valueNode, let bounds, let value = ScalarReading.double(valueNode, bag: &bag),
                ScalarReading.within(
                    value, low: bounds.min, high: bounds.max, text: valueNode.scalar ?? "",
                    at: valueNode.position, bag: &bag)
            {
                params.append(Parameter(name: name, value: value, unit: unit?.value, min: bounds.min, max: bounds.max))
            }
        }
        return params
    }

    /// A parameter's optional `min:` and `max:`; nil (with an error) when they are not numbers or `min > max`.
    private static func paramBounds(
        _ p: inout MappingReader,
        bag: inout DiagnosticBag
    ) -> (min: Double?, max: Double?)? {
        let before = bag.diagnostics.count
        let low = p.double("min", required: false, bag: &bag)
        let high = p.double("max", required: false, bag: &bag)
        guard bag.diagnostics.count == before else { return nil }
        if let low, let high, low > high {
            bag.error(
                "min \(ScalarReading.format(low)) is above max \(ScalarReading.format(high))",
                at: p.position(of: "max") ?? p.node.position)
            return nil
        }
        return (low, high)
    }

    static func expression(_ node: YAMLNode, lines: [Substring], bag: inout DiagnosticBag) -> Expression? {
        guard case .scalar(let text, let quoted) = node.content else {
            bag.error("expected a CEL expression (a string), found \(node.kindName)", at: node.position)
            return nil
        }
        let lineIndex = node.position.line - 1
        var shift = quoted ? 1 : 0
        var blockIndent: Int?
        if lineIndex >= 0, lineIndex < lines.count {
            let line = lines[lineIndex]
            let startOffset = max(0, node.position.column - 1)
            let rest = line.dropFirst(startOffset)
            if rest.hasPrefix("|") || rest.hasPrefix(">") {
                shift = 0
                if lineIndex + 1 < lines.count {
                    blockIndent = lines[lineIndex + 1].prefix(while: { $0 == " " }).count
                }
            } else if !(rest.hasPrefix("\"") || rest.hasPrefix("'")) {
                shift = 0
            }
        }
        return Expression(source: text, position: node.position, columnShift: shift, blockIndent: blockIndent)
    }

    private static func loadRule(_ node: YAMLNode, lines: [Substring], bag: inout DiagnosticBag) -> Rule? {
        guard var r = MappingReader(node, what: "a rule", bag: &bag) else { return nil }
        let before = bag.diagnostics.count
        let id = r.string("id", bag: &bag)
        let doc = r.string("doc", required: false, bag: &bag)
        let scopeText = r.string("for", bag: &bag)
        let when = r.value("when").flatMap { expression($0, lines: lines, bag: &bag) }
        let priority = r.int("priority", required: false, range: -1_000_000...1_000_000, bag: &bag)
        let verbs = ["derive", "add", "cap", "site", "require"].filter { r.keys.contains($0) }
        var action: RuleAction?
        if verbs.count != 1 {
            bag.error(
                verbs.isEmpty
                    ? "a rule needs one action: derive, add, cap, site or require"
                    : "a rule has one action, found \(verbs.joined(separator: " and "))",
                at: id?.position ?? node.position)
        } else if let verb = verbs.first {
            action = loadAction(verb, &r, lines: lines, bag: &bag)
        }
        r.finish(bag: &bag)
        var scope: RuleScope?
        if let scopeText {
            scope = RuleScope(rawValue: scopeText.value)
            if scope == nil {
                bag.error("unknown scope '\(scopeText.value)'", at: scopeText.position, hint: "city or zone")
            }
        }
        guard bag.diagnostics.count == before, let id, let scope, let action else { return nil }
        return Rule(id: id, doc: doc?.value, scope: scope, when: when, priority: priority, action: action)
    }

    private static func loadAction(
        _ verb: String, _ r: inout MappingReader, lines: [Substring], bag: inout DiagnosticBag
    ) -> RuleAction? {
        func expr(_ key: String, required: Bool = true) -> Expression? {
            guard let node = required ? r.required(key, bag: &bag) : r.value(key) else { return nil }
            return expression(node, lines: lines, bag: &bag)
        }
        switch verb {
        case "derive":
            let fact = r.string("derive", bag: &bag)
            let typeText = r.string("type", required: false, bag: &bag)
            let precision = r.int("precision", required: false, range: 0...9, bag: &bag) ?? 2
            let value = expr("value")
            let initial = expr("initial", required: false)
            var type = FactType.number
            if let typeText {
                guard let t = FactType(rawValue: typeText.value) else {
                    bag.error(
                        "unknown fact type '\(typeText.value)'", at: typeText.position, hint: "number, int or bool")
                    return nil
                }
                type = t
            }
            if let fact, !isIdentifier(fact.value) {
                bag.error(
                    "fact name '\(fact.value)' must be a lowercase identifier (letters, digits, _)", at: fact.position)
                return nil
            }
            guard let fact, let value else { return nil }
            return .derive(fact: fact, type: type, precision: precision, value: value, initial: initial)
        case "add":
            let unit = r.string("add", bag: &bag)
            let count = expr("count")
            let initial = expr("initial", required: false)
            guard let unit, let count else { return nil }
            return .add(unit: unit, count: count, initial: initial)
        case "cap":
            let unit = r.string("cap", bag: &bag)
            let max = expr("max")
            let initial = expr("initial", required: false)
            guard let on = capTarget(&r, bag: &bag) else { return nil }
            var spill: SpillTarget?
            if let spillNode = r.value("spill"),
                var s = MappingReader(spillNode, what: "a spill {to, ratio}", bag: &bag)
            {
                let to = s.string("to", bag: &bag)
                let ratio = s.required("ratio", bag: &bag).flatMap { expression($0, lines: lines, bag: &bag) }
                s.finish(bag: &bag)
                if let to, let ratio { spill = SpillTarget(unit: to, ratio: ratio) }
            }
            guard let unit, let max else { return nil }
            return .cap(unit: unit, on: on, max: max, spill: spill, initial: initial)
        case "site":
            guard let unit = r.string("site", bag: &bag), let radius = expr("radius_km"), let weight = expr("weight")
            else { return nil }
            return .site(
                unit: unit, radiusKM: radius, minSpacingKM: expr("min_spacing_km", required: false), weight: weight)
        default:
            let condition = expr("require")
            let severityText = r.string("severity", bag: &bag)
            let message = r.string("message", bag: &bag)
            var severity: Severity?
            if let severityText {
                severity = Severity(rawValue: severityText.value)
                if severity == nil {
                    bag.error(
                        "unknown severity '\(severityText.value)'", at: severityText.position,
                        hint: "info, warning or error")
                }
            }
            guard let condition, let severity, let message else { return nil }
            return .require(condition: condition, severity: severity, message: message.value)
        }
    }

    /// A cap's `limits: installed | new` (default installed). The old key `on:` is still read, with a warning at it:
    /// YAML 1.1 readers (PyYAML, many editors) take a plain `on` for the boolean true, so the key did not survive them.
    private static func capTarget(_ r: inout MappingReader, bag: inout DiagnosticBag) -> CapTarget? {
        let limits = r.string("limits", required: false, bag: &bag)
        let old = r.string("on", required: false, bag: &bag)
        if let old, let at = r.position(of: "on") {
            if limits != nil {
                bag.error("give 'limits:' or the deprecated 'on:', not both", at: at, hint: "remove 'on:'")
                return nil
            }
            bag.warn(
                Diagnostic(
                    .warning,
                    "'on:' is deprecated (YAML 1.1 reads the key as the boolean true); "
                        + "write 'limits: \(old.value)'", at: at, hint: "rename the key to 'limits'"))
        }
        guard let text = limits ?? old else { return .installed }
        guard let target = CapTarget(rawValue: text.value) else {
            bag.error("unknown cap target '\(text.value)'", at: text.position, hint: "installed or new")
            return nil
        }
        return target
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
