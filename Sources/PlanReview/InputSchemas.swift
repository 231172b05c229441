import PlanningEngine
/// JSON Schemas (draft 2020-12) of the input files, written to match what the loaders accept
/// (CityLoader, RolloutLoader, RuleSetLoader): the same keys, required keys, ranges and enums.
/// Editors (yaml-language-server) use them to validate as authors type; `chargeplan schema`
/// writes them and `schemas/*.json` holds the committed copies.
///
/// What a schema cannot say and the loaders still check: a city id equals its file name,
/// zone ids are unique, references (zones, cities, units, rule sets) resolve, bounds that name another
/// input (`max: vehicles.stock`), series years within 1900…2200, `last_year >= first_year`, every
/// expression type-checks. The city schema's keys beyond the engine's own come from the rule sets' `inputs:`.
public enum InputSchemas {
    public enum Kind: String, Sendable, CaseIterable {
        case city, rollout, rules, scenario

        public var fileName: String { "\(rawValue).schema.json" }
    }

    /// The schema of `kind`; a city profile's keys beyond the engine's own are the inputs `ruleSets` declare
    /// (their union: a profile may be planned under any of them), and so are a rollout's `inputs:`.
    public static func schema(_ kind: Kind, ruleSets: [RuleSet]) -> SchemaValue {
        switch kind {
        case .city: city(InputCatalogue(ruleSets: ruleSets))
        case .rollout: rollout(InputCatalogue(ruleSets: ruleSets))
        case .rules: rules(ruleSets: ruleSets)
        case .scenario: scenario(ruleSets: ruleSets)
        }
    }

    /// The text `chargeplan schema` writes for `kind`.
    public static func text(_ kind: Kind, ruleSets: [RuleSet]) -> String { schema(kind, ruleSets: ruleSets).rendered() }

    /// The file of the city schema of one rule set: `city.<rule set>.schema.json`.
    public static func cityFileName(ruleSet: String) -> String { "city.\(ruleSet).schema.json" }

    /// The city profile schema of one rule set: exactly its declared inputs and zone kinds (what a fixture of
    /// that rule set, or a profile only its rollouts use, may hold).
    public static func citySchema(of set: RuleSet) -> SchemaValue {
        city(InputCatalogue(ruleSets: [set]), ruleSet: set.id)
    }

    /// Every file `chargeplan schema --output DIR` writes, by name: the three kinds (over all rule sets), then
    /// one city schema per rule set, in rule-set order.
    public static func files(ruleSets: [RuleSet]) -> [(fileName: String, text: String)] {
        Kind.allCases.map { ($0.fileName, text($0, ruleSets: ruleSets)) }
            + ruleSets.sorted { $0.id < $1.id }.map { (cityFileName(ruleSet: $0.id), citySchema(of: $0).rendered()) }
    }

    // MARK: Building blocks

    static func header(_ kind: Kind, title: String, description: String) -> [SchemaPair] {
        [
            SchemaPair("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            SchemaPair("title", .string(title)),
            SchemaPair("description", .string(description)),
        ]
    }

    /// A closed object: unknown keys are errors, as in every loader.
    static func object(
        _ properties: [(String, SchemaValue)], required: [String], description: String? = nil
    ) -> SchemaValue {
        var pairs: [SchemaPair] = [SchemaPair("type", .string("object"))]
        if let description { pairs.append(SchemaPair("description", .string(description))) }
        pairs.append(SchemaPair("properties", .object(properties.map { SchemaPair($0.0, $0.1) })))
        if !required.isEmpty { pairs.append(SchemaPair("required", .array(required.map { .string($0) }))) }
        pairs.append(SchemaPair("additionalProperties", .bool(false)))
        return .object(pairs)
    }

    /// A GeoJSON file under Cities/ (`BoundaryLoader.checkPath`).
    static func geoFile(_ description: String) -> SchemaValue {
        .object([
            SchemaPair("type", .string("string")),
            SchemaPair("pattern", .string("^geo/[a-z0-9][a-z0-9_-]{0,63}\\.geojson$")),
            SchemaPair("description", .string(description)),
        ])
    }

    static func string(_ description: String? = nil) -> SchemaValue {
        described([SchemaPair("type", .string("string"))], description)
    }

    /// An id that names a file or folder: `Identifier.pattern`, anchored.
    static func identifier(_ description: String) -> SchemaValue {
        described(
            [SchemaPair("type", .string("string")), SchemaPair("pattern", .string("^" + Identifier.pattern + "$"))],
            description)
    }

    static func number(_ range: ClosedRange<Double>? = nil, _ description: String? = nil) -> SchemaValue {
        var pairs = [SchemaPair("type", .string("number"))]
        if let range {
            pairs.append(SchemaPair("minimum", .number(range.lowerBound)))
            pairs.append(SchemaPair("maximum", .number(range.upperBound)))
        }
        return described(pairs, description)
    }

    static func integer(_ range: ClosedRange<Int>, _ description: String? = nil) -> SchemaValue {
        described(
            [
                SchemaPair("type", .string("integer")), SchemaPair("minimum", .integer(range.lowerBound)),
                SchemaPair("maximum", .integer(range.upperBound)),
            ], description)
    }

    static func boolean(_ description: String? = nil) -> SchemaValue {
        described([SchemaPair("type", .string("boolean"))], description)
    }

    static func oneOfStrings(_ values: [String], _ description: String? = nil) -> SchemaValue {
        described(
            [SchemaPair("type", .string("string")), SchemaPair("enum", .array(values.map { .string($0) }))], description
        )
    }

    /// Marks a schema `deprecated` (editors strike the key through); it still validates.
    static func deprecated(_ schema: SchemaValue) -> SchemaValue {
        guard case .object(let pairs) = schema else { return schema }
        return .object(pairs + [SchemaPair("deprecated", .bool(true))])
    }

    static func array(of items: SchemaValue, minItems: Int? = nil, _ description: String? = nil) -> SchemaValue {
        var pairs = [SchemaPair("type", .string("array"))]
        if let description { pairs.append(SchemaPair("description", .string(description))) }
        pairs.append(SchemaPair("items", items))
        if let minItems { pairs.append(SchemaPair("minItems", .integer(minItems))) }
        return .object(pairs)
    }

    static func ref(_ name: String, _ description: String? = nil) -> SchemaValue {
        described([SchemaPair("$ref", .string("#/$defs/\(name)"))], description)
    }

    static func described(_ pairs: [SchemaPair], _ description: String?) -> SchemaValue {
        guard let description else { return .object(pairs) }
        return .object(pairs + [SchemaPair("description", .string(description))])
    }

    /// `[lat, lon]`, WGS84, exactly as `CityLoader.loadLocation` reads it.
    static let location: SchemaValue = .object([
        SchemaPair("type", .string("array")),
        SchemaPair("description", .string("[lat, lon], WGS84")),
        SchemaPair("prefixItems", .array([number(-90...90, "latitude"), number(-180...180, "longitude")])),
        SchemaPair("items", .bool(false)),
        SchemaPair("minItems", .integer(2)),
        SchemaPair("maxItems", .integer(2)),
    ])

    /// Unit id → count (`CityLoader.loadCounts`). Unit ids come from the rule set, so any key is allowed here.
    static let chargers: SchemaValue = .object([
        SchemaPair("type", .string("object")),
        SchemaPair(
            "description",
            .string("existing chargers by unit type of the rule set, e.g. {wallbox: 9000, fast: 1800, mobile: 0}")),
        SchemaPair("additionalProperties", number(0...1e9)),
    ])

    /// A CEL expression. The loader takes any scalar, so `max: 300` and `ratio: 0.2` are expressions too.
    static let expression: SchemaValue = .object([
        SchemaPair("type", .array([.string("string"), .string("number"), .string("boolean")])),
        SchemaPair("description", .string("a CEL expression (docs/CEL.md), type-checked when the rule set loads")),
    ])

    // MARK: City

    /// The schema of one declared input: its type, range and doc; a number may also be a series.
    static func input(_ declaration: InputDeclaration) -> SchemaValue {
        var low: Double?
        var high: Double?
        if case .value(let v) = declaration.min { low = v }
        if case .value(let v) = declaration.max { high = v }
        var words = [declaration.doc, declaration.unit.map { "in \($0)" }].compactMap { $0 }
        if case .input(let other) = declaration.min { words.append("at least \(other)") }
        if case .input(let other) = declaration.max { words.append("at most \(other)") }
        if case .input(let other) = declaration.defaultValue { words.append("default: \(other)") }
        if case .value(let value) = declaration.defaultValue, let number = value.number {
            words.append("default: \(ScalarReading.format(number))")
        }
        let description = words.isEmpty ? nil : words.joined(separator: "; ")
        var scalar: [SchemaPair]
        switch declaration.type {
        case .number: scalar = [SchemaPair("type", .string("number"))]
        case .int: scalar = [SchemaPair("type", .string("integer"))]
        case .bool: scalar = [SchemaPair("type", .string("boolean"))]
        case .string: scalar = [SchemaPair("type", .string("string"))]
        }
        if let low { scalar.append(SchemaPair("minimum", .number(low))) }
        if let high { scalar.append(SchemaPair("maximum", .number(high))) }
        // The JSON Schema `default` for a value default; one that names another input is in the description.
        var defaults: [SchemaPair] = []
        if case .value(let value) = declaration.defaultValue {
            switch value {
            case .number(let number): defaults = [SchemaPair("default", .number(number))]
            case .int(let number): defaults = [SchemaPair("default", .integer(Int(number)))]
            case .bool(let flag): defaults = [SchemaPair("default", .bool(flag))]
            case .string(let text): defaults = [SchemaPair("default", .string(text))]
            case .series: break
            }
        }
        guard declaration.type == .number else { return described(scalar + defaults, description) }
        let series: SchemaValue = .object([
            SchemaPair("type", .string("object")),
            SchemaPair(
                "description",
                .string(
                    "a series: year → value, read \(declaration.between.rawValue) "
                        + "between the listed years and flat outside them")),
            SchemaPair("minProperties", .integer(1)),
            SchemaPair("additionalProperties", .object(scalar)),
        ])
        return described([SchemaPair("oneOf", .array([.object(scalar), series]))] + defaults, description)
    }

    /// The declared inputs of one scope as schema properties: dotted names become nested objects.
    static func inputProperties(
        _ declarations: [InputDeclaration], prefix: [String] = []
    )
        -> (properties: [(String, SchemaValue)], required: [String])
    {
        var properties: [(String, SchemaValue)] = []
        var required: [String] = []
        for (head, leaf) in declarations.children(under: prefix) {
            if let leaf {
                properties.append((head, input(leaf)))
                if leaf.required { required.append(head) }
            } else {
                let group = prefix + [head]
                let inner = inputProperties(declarations, prefix: group)
                properties.append((head, object(inner.properties, required: inner.required)))
                if !inner.required.isEmpty { required.append(head) }
            }
        }
        return (properties, required)
    }

    /// `observed:`: quantity → {year: value}; which facts and units exist is checked against the rule set.
    static func observed(_ scope: RuleScope) -> SchemaValue {
        let name = scope.rawValue
        let years = SchemaValue.object([
            SchemaPair("type", .string("object")),
            SchemaPair("minProperties", .integer(1)),
            SchemaPair("propertyNames", .object([SchemaPair("pattern", .string("^[0-9]{4}$"))])),
            SchemaPair("additionalProperties", .object([SchemaPair("type", .string("number"))])),
        ])
        return .object([
            SchemaPair("type", .string("object")),
            SchemaPair(
                "description",
                .string(
                    "real values by year, pinned by plan and withheld by backtest: "
                        + "\(name).FACT, \(name).units.UNIT.installed, "
                        + "\(name).access.ACCESS.installed")),
            SchemaPair(
                "propertyNames",
                .object([
                    SchemaPair(
                        "pattern",
                        .string(
                            "^\(name)\\.([a-z][a-z0-9_]*|units\\.[a-z][a-z0-9_]*\\.installed|"
                                + "access\\.(private|public|mobile|swap)\\.installed)$"))
                ])),
            SchemaPair("additionalProperties", years),
        ])
    }

    /// `ruleSet`: the one rule set whose inputs `catalogue` holds, for its own schema; nil for the union.
    static func city(_ catalogue: InputCatalogue, ruleSet: String? = nil) -> SchemaValue {
        let title = "chargeplan city profile" + (ruleSet.map { " (rule set \($0))" } ?? "")
        let description =
            ruleSet.map {
                "A city profile holding the inputs rule set '\($0)' declares (Rules/\($0)/tests/fixtures/*.yaml, or a "
                    + "profile planned only under it): a city in its base year (docs/FORMATS.md)."
            } ?? "Cities/<id>.yaml: a city as its profile describes it in its base year (docs/FORMATS.md)."
        var root = header(.city, title: title, description: description)
        guard case .object(let body) = profile(catalogue) else { return .object(root) }
        root += body
        root.append(
            SchemaPair(
                "$defs",
                .object([
                    SchemaPair("location", location), SchemaPair("chargers", chargers),
                ])))
        return .object(root)
    }

    /// The object a city profile is (without the header): a file of Cities/, a fixture, or a rule test's inline
    /// `city:`. Refers to `#/$defs/location` and `#/$defs/chargers`.
    static func profile(_ catalogue: InputCatalogue) -> SchemaValue {
        let target = object(
            [
                ("year", integer(1900...2200)),
                ("ev_sales_share", number(0...1, "EV share of new sales reached in that year")),
            ], required: ["year", "ev_sales_share"])
        let zoneInputs = inputProperties(catalogue.zone)
        let kind =
            catalogue.zoneKinds.map { oneOfStrings($0, "a zone kind of the rule sets (zone_kinds:)") }
            ?? string("any kind: no rule set declares zone_kinds:")
        let zoneCommon: [(String, SchemaValue)] = [
            ("id", identifier("unique across all cities; lowercase [a-z0-9-]")),
            ("kind", kind),
            ("population", number(0...2e9, "zone populations should sum to the city's")),
            ("line", array(of: ref("location"), minItems: 2, "a corridor's course (reports draw it)")),
            ("existing_chargers", ref("chargers")),
            ("observed", observed(.zone)),
        ]
        // A zone either states its area and centre (and may carry an inline ring that maps draw), or names its real
        // outline, a GeoJSON file under Cities/, from which both are taken: never both.
        let drawnZone = object(
            zoneCommon + [
                ("area_km2", number(0...1e7)),
                ("centre", ref("location")),
                ("boundary", array(of: ref("location"), minItems: 3, "the zone's outline (reports draw it)")),
            ] + zoneInputs.properties,
            required: ["id", "kind", "population", "area_km2", "centre"] + zoneInputs.required)
        let outlinedZone = object(
            zoneCommon + [
                ("boundary", geoFile("the zone's outline: its area, centre and generated points come from it"))
            ]
                + zoneInputs.properties,
            required: ["id", "kind", "population", "boundary"] + zoneInputs.required)
        let zone = SchemaValue.object([SchemaPair("oneOf", .array([drawnZone, outlinedZone]))])
        let site = object(
            [
                ("id", string()),
                ("zone", string("a zone id of this city")),
                ("location", ref("location")),
                ("grid_kw", number(0...1e7)),
                ("max_ports", integer(1...10_000)),
                ("existing", boolean("a station that already exists: fixed in every year's siting")),
            ], required: ["id", "zone", "location", "grid_kw", "max_ports"])
        let point = object(
            [
                ("id", string()),
                ("zone", string("a zone id of this city")),
                ("location", ref("location")),
                ("weight", number(0...1e12, "e.g. EVs or daily sessions represented")),
            ], required: ["id", "zone", "location", "weight"])
        let source = object(
            [("id", string()), ("text", string()), ("url", string())], required: ["id", "text"],
            description: "a source referenced as [S1] in comments (not read by the planner)")
        let cityInputs = inputProperties(catalogue.city)
        return object(
            [
                ("id", identifier("lowercase [a-z0-9-], equals the file name")),
                ("name", string()),
                ("province", string()),
                ("base_year", integer(1900...2200, "the year the figures describe")),
                ("existing_chargers", ref("chargers")),
                ("targets", array(of: target, "EV sales-share targets, any order (sorted by year when loaded)")),
                ("zones", array(of: zone, minItems: 1)),
                ("candidate_sites", array(of: site, "optional; generated from zones when absent")),
                ("demand_points", array(of: point, "optional; generated from zones when absent")),
                ("sources", .object([SchemaPair("type", .string("array")), SchemaPair("items", source)])),
                ("observed", observed(.city)),
                (
                    "boundary",
                    geoFile("the city's outline, a GeoJSON file under Cities/: generated points stay inside it")
                ),
            ] + cityInputs.properties,
            required: ["id", "name", "province", "base_year", "zones"]
                + cityInputs.required)
    }

    // MARK: Rollout

    static func rollout(_ catalogue: InputCatalogue) -> SchemaValue {
        let inputs = inputProperties(catalogue.rollout)
        let horizon = object(
            [
                ("first_year", integer(1900...2200)),
                ("last_year", integer(1900...2200, "at least first_year, at most first_year + 100")),
            ], required: ["first_year", "last_year"])
        let member = object(
            [
                ("city", identifier("a city id (Cities/<id>.yaml)")),
                ("joins", integer(1900...2200, "within the horizon, not before the city's base_year")),
            ], required: ["city", "joins"])
        var root = header(
            .rollout, title: "chargeplan rollout",
            description: "Cities/rollouts/<id>.yaml: a programme over many cities (docs/FORMATS.md).")
        if case .object(let body) = object(
            [
                ("id", identifier("lowercase [a-z0-9-]; names the folder plans/<id>/")),
                ("name", string()),
                ("operator", string()),
                ("rule_set", identifier("a folder under Rules/")),
                ("horizon", horizon),
                ("note", string("how the member list was chosen")),
                (
                    "inputs",
                    object(
                        inputs.properties, required: inputs.required,
                        description: "the rollout inputs the rule set declares (inputs: rollout:), "
                            + "read as rollout.<name>")
                ),
                ("cities", array(of: member)),
                ("observed", observed(.city)),
            ],
            required: ["id", "name", "operator", "rule_set", "horizon", "cities"]
                + (inputs.required.isEmpty ? [] : ["inputs"]))
        {
            root += body
        }
        return .object(root)
    }

    // MARK: Rules

    /// The keys every rule has, then the keys of one action.
    private static func rule(_ verb: String, _ action: [(String, SchemaValue)], required: [String]) -> SchemaValue {
        let common: [(String, SchemaValue)] = [
            ("id", string("unique in the rule set, e.g. mix.fast")),
            ("doc", string()),
            ("for", oneOfStrings(["city", "zone"])),
            ("when", ref("expression", "the rule applies only where this holds")),
            ("priority", integer(-1_000_000...1_000_000, "orders add rules of a unit whose combine is first")),
        ]
        return object(common + action, required: ["id", "for"] + required, description: "a \(verb) rule")
    }

    /// The money keys of a unit are those of the currencies `ruleSets` declare (`capex_cny` for CNY).
    static func rules(ruleSets: [RuleSet]) -> SchemaValue {
        let suffixes = Array(Set(ruleSets.map(\.moneySuffix))).sorted()
        let unit = unitSchema(moneySuffixes: suffixes)
        let param = paramSchema()
        let (derive, add, cap, site, require) = ruleSchemas()
        let test = testSchema()
        let declarations = declarationsSchema()
        var root = header(
            .rules, title: "chargeplan rule file",
            description: "Rules/<rule_set>/*.yaml: units, params, inputs, zone kinds, rules and tests "
                + "of a rule set (docs/FORMATS.md).")
        if case .object(let body) = object(
            [
                (
                    "currency",
                    described(
                        [
                            SchemaPair("type", .string("string")),
                            SchemaPair("pattern", .string("^[A-Z]{3}$")),
                        ],
                        "the rule set's currency, once: money keys end in it (capex_cny for CNY)")
                ),
                ("units", .object([SchemaPair("type", .string("object")), SchemaPair("additionalProperties", unit)])),
                (
                    "params",
                    .object([SchemaPair("type", .string("object")), SchemaPair("additionalProperties", param)])
                ),
                ("rules", array(of: .object([SchemaPair("oneOf", .array([derive, add, cap, site, require]))]))),
                ("tests", array(of: test)),
                (
                    "inputs",
                    object(
                        [("city", declarations), ("zone", declarations), ("rollout", declarations)], required: [],
                        description: "profile (city, zone) and rollout-file fields beyond the engine's own, "
                            + "by dotted name")
                ),
                ("zone_kinds", array(of: string(), "the kinds a zone of a profile may have")),
                (
                    "uncertain",
                    uncertainSection(
                        "numbers `sweep` draws: params.<name>, units.<unit>.<field>, "
                            + "city.*.<input>, zone.*.<input>, rollout.*.<input>")
                ),
            ], required: [])
        {
            root += body
        }
        root.append(
            SchemaPair(
                "$defs",
                .object([
                    SchemaPair("expression", expression),
                    SchemaPair("city", profile(InputCatalogue(ruleSets: ruleSets))),
                    SchemaPair("location", location), SchemaPair("chargers", chargers),
                ])))
        return .object(root)
    }

    /// A unit of the catalogue, with a money key per currency the rule sets declare.
    static func unitSchema(moneySuffixes suffixes: [String]) -> SchemaValue {
        let capex: [(String, SchemaValue)] = suffixes.map { ("capex" + $0, number(0...1e12)) }
        let price: [(String, SchemaValue)] = suffixes.map { ("price_per_session" + $0, number(0...1e9)) }
        let requiredMoney = suffixes.count == 1 ? suffixes.map { "capex" + $0 } : []
        let unit = object(
            [
                ("doc", string()),
                (
                    "access",
                    oneOfStrings(
                        UnitAccess.allCases.map(\.rawValue),
                        "who may use the unit; plans total units by access")
                ),
                ("power_kw", number(0...1e6)),
                ("ports_per_site", integer(1...10_000)),
            ] + capex + [("sessions_per_day", number(0...1e6))] + price + [
                (
                    "combine",
                    oneOfStrings(CombinePolicy.allCases.map(\.rawValue), "how several add rules on this unit combine")
                )
            ], required: ["access", "power_kw", "ports_per_site"] + requiredMoney + ["sessions_per_day", "combine"])
        return unit
    }

    /// A parameter: one value or a list, with the bounds scenarios and sweeps keep to.
    static func paramSchema() -> SchemaValue {
        let param: SchemaValue = .object([
            SchemaPair("type", .string("object")),
            SchemaPair(
                "properties",
                .object([
                    SchemaPair("value", number()),
                    SchemaPair(
                        "values",
                        array(
                            of: number(), minItems: 1,
                            "a list parameter, read as list(double); instead of value")),
                    SchemaPair("unit", string()),
                    SchemaPair("min", number(nil, "the least value a scenario or a sweep may give it")),
                    SchemaPair("max", number(nil, "the greatest value a scenario or a sweep may give it")),
                    SchemaPair("doc", .object([SchemaPair("description", .string("free text, not read"))])),
                ])),
            SchemaPair(
                "oneOf",
                .array([
                    .object([SchemaPair("required", .array([.string("value")]))]),
                    .object([SchemaPair("required", .array([.string("values")]))]),
                ])),
            SchemaPair("additionalProperties", .bool(false)),
        ])
        return param
    }

    /// The five kinds of rule, each with its action's keys.
    static func ruleSchemas() -> (
        derive: SchemaValue, add: SchemaValue, cap: SchemaValue, site: SchemaValue, require: SchemaValue
    ) {
        let expr = ref("expression")
        let derive = rule(
            "derive",
            [
                ("derive", string("the fact written, a lowercase identifier: city.<fact> or zone.<fact>")),
                ("type", oneOfStrings(FactType.allCases.map(\.rawValue))),
                ("precision", integer(0...9, "digits in plan files (default 2)")),
                ("value", expr),
                ("initial", ref("expression", "the base-year value, needed when value reads prev.")),
            ], required: ["derive", "value"])
        let add = rule(
            "add",
            [
                ("add", string("a unit id")),
                ("count", expr),
                ("initial", ref("expression", "the base-year count, needed when count or when reads prev.")),
            ], required: ["add", "count"])
        let spill = object([("to", string("a unit id")), ("ratio", expr)], required: ["to", "ratio"])
        let cap = rule(
            "cap",
            [
                ("cap", string("a unit id")),
                ("max", expr),
                (
                    "limits",
                    oneOfStrings(
                        ["installed", "new"],
                        "what the cap limits: the installed stock (default) or a "
                            + "year's new units (a build rate)")
                ),
                // The old key still loads, with a warning: YAML 1.1 reads a plain `on` as the boolean true.
                (
                    "on",
                    deprecated(
                        oneOfStrings(
                            ["installed", "new"],
                            "deprecated: write limits (YAML 1.1 reads 'on' as true)"))
                ),
                ("spill", spill),
                ("initial", ref("expression", "the base-year max, needed when max or when reads prev.")),
            ], required: ["cap", "max"])
        let site = rule(
            "site",
            [
                ("site", string("a unit id")),
                ("radius_km", expr),
                ("min_spacing_km", expr),
                ("weight", expr),
            ], required: ["site", "radius_km", "weight"])
        let require = rule(
            "require",
            [
                ("require", expr),
                ("severity", oneOfStrings(Severity.allCases.map(\.rawValue))),
                ("message", string()),
            ], required: ["require", "severity", "message"])
        return (derive, add, cap, site, require)
    }

    /// A rule file's test case.
    static func testSchema() -> SchemaValue {
        let expected: SchemaValue = .object([
            SchemaPair(
                "oneOf",
                .array([
                    number(),
                    object([("value", number()), ("tolerance", number(0...1e12))], required: ["value"]),
                ]))
        ])
        let test = object(
            [
                ("name", string("unique in the rule set")),
                (
                    "city",
                    .object([
                        SchemaPair(
                            "description",
                            .string(
                                "a fixture of the rule set (Rules/<set>/tests/fixtures/<id>.yaml) "
                                    + "by id, or an inline city profile")),
                        SchemaPair("oneOf", .array([identifier("a fixture id"), ref("city")])),
                    ])
                ),
                ("zone", string("a zone id of the city, for zone.… paths")),
                ("year", integer(1900...2200)),
                ("todo", string("a pending case: run and reported, never failing")),
                (
                    "given",
                    .object([
                        SchemaPair("type", .string("object")),
                        SchemaPair(
                            "description",
                            .string(
                                "overrides by path, held in every year: params.<name> (a list for "
                                    + "a list parameter), any declared input (city.vehicles.ev_stock, "
                                    + "zone.grid_headroom_kw, rollout.<input>), any derived fact "
                                    + "(city.ev_stock), city.existing.<unit>, zone.existing.<unit>, "
                                    + "zone.population, zone.area_km2")),
                        SchemaPair(
                            "additionalProperties",
                            .object([
                                SchemaPair(
                                    "type",
                                    .array([
                                        .string("number"), .string("boolean"), .string("string"),
                                        .string("array"),
                                    ])),
                                SchemaPair("items", number()),
                            ])),
                    ])
                ),
                (
                    "expect",
                    .object([
                        SchemaPair("type", .string("object")),
                        SchemaPair(
                            "description",
                            .string(
                                "expected values by path (city.<fact>, zone.<fact>, zone.units.<unit>.installed|new|demand|unmet) and findings: [rule ids]"
                            )),
                        SchemaPair("properties", .object([SchemaPair("findings", array(of: string()))])),
                        SchemaPair("additionalProperties", expected),
                    ])
                ),
            ], required: ["name", "city", "year"])
        return test
    }

    /// The input declarations of one scope, by dotted name.
    static func declarationsSchema() -> SchemaValue {
        let bound: SchemaValue = .object([
            SchemaPair("type", .array([.string("number"), .string("string")])),
            SchemaPair("description", .string("a number, or another input of the same scope")),
        ])
        let declaration = object(
            [
                ("type", oneOfStrings(InputType.allCases.map(\.rawValue))),
                ("unit", string()),
                ("min", bound),
                ("max", bound),
                (
                    "default",
                    .object([
                        SchemaPair("type", .array([.string("number"), .string("string"), .string("boolean")])),
                        SchemaPair(
                            "description",
                            .string("the value when a profile leaves the input out, or another input's name")),
                    ])
                ),
                ("doc", string()),
                ("required", boolean("true unless there is a default")),
                (
                    "between",
                    oneOfStrings(SeriesBetween.allCases.map(\.rawValue), "how a series is read between its years")
                ),
            ], required: ["type"], description: "an input declaration")
        let declarations: SchemaValue = .object([
            SchemaPair("type", .string("object")), SchemaPair("additionalProperties", declaration),
        ])
        return declarations
    }
}
