import PlanWriters
import PlanningEngine

/// JSON Schemas (draft 2020-12) of the JSON that chargeplan writes: a city plan (`<city>.json`), a rollout summary
/// (`_summary.json`), a diff (`diff --format json`), a comparison (`compare --format json`), a sweep
/// (`sweep.json`) and the GeoJSON of a plan (`<city>.geojson`, `_summary.geojson`), so tools can check what they
/// read. Written by `chargeplan schema` beside the input schemas. They use only type, properties, required,
/// additionalProperties, items, minItems/maxItems, enum, minimum/maximum and local `$ref`s, and name no rule set's
/// units or facts (those are open maps), so a change to the rules never makes them stale.
public enum OutputSchemas {
    public enum Kind: String, Sendable, CaseIterable {
        case plan
        case planSummary = "plan-summary"
        case diff
        case compare
        case sweep
        case geojson

        public var fileName: String { "\(rawValue).schema.json" }
    }

    public static func schema(_ kind: Kind) -> SchemaValue {
        switch kind {
        case .plan: plan()
        case .planSummary: summary()
        case .diff: diff()
        case .compare: compare()
        case .sweep: sweep()
        case .geojson: geojson()
        }
    }

    public static func text(_ kind: Kind) -> String { schema(kind).rendered() }

    /// Every file, by name, in `Kind` order.
    public static func files() -> [(fileName: String, text: String)] {
        Kind.allCases.map { ($0.fileName, text($0)) }
    }

    // MARK: Building blocks

    private static func document(
        title: String, description: String, root: SchemaValue,
        definitions: [(String, SchemaValue)]
    ) -> SchemaValue {
        guard case .object(let pairs) = root else { return root }
        return .object(
            [
                SchemaPair("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                SchemaPair("title", .string(title)),
                SchemaPair("description", .string(description)),
            ] + pairs
                + (definitions.isEmpty
                    ? [] : [SchemaPair("$defs", .object(definitions.map { SchemaPair($0.0, $0.1) }))]))
    }

    /// A closed object: every key named, the `required` ones always present.
    static func object(
        _ properties: [(String, SchemaValue)], required: [String]? = nil,
        additional: SchemaValue = .bool(false), description: String? = nil
    ) -> SchemaValue {
        var pairs = [SchemaPair("type", .string("object"))]
        if let description { pairs.append(SchemaPair("description", .string(description))) }
        if !properties.isEmpty {
            pairs.append(SchemaPair("properties", .object(properties.map { SchemaPair($0.0, $0.1) })))
        }
        let required = required ?? properties.map(\.0)
        if !required.isEmpty { pairs.append(SchemaPair("required", .array(required.map { .string($0) }))) }
        pairs.append(SchemaPair("additionalProperties", additional))
        return .object(pairs)
    }

    /// An object whose keys are names from the rule set (unit ids, facts), each value `value`.
    static func map(_ value: SchemaValue, description: String) -> SchemaValue {
        .object([
            SchemaPair("type", .string("object")), SchemaPair("description", .string(description)),
            SchemaPair("additionalProperties", value),
        ])
    }

    static func array(_ items: SchemaValue, description: String? = nil) -> SchemaValue {
        var pairs = [SchemaPair("type", .string("array"))]
        if let description { pairs.append(SchemaPair("description", .string(description))) }
        pairs.append(SchemaPair("items", items))
        return .object(pairs)
    }

    static func type(
        _ names: String..., description: String? = nil, minimum: Double? = nil,
        maximum: Double? = nil
    ) -> SchemaValue {
        var pairs = [SchemaPair("type", names.count == 1 ? .string(names[0]) : .array(names.map { .string($0) }))]
        if let description { pairs.append(SchemaPair("description", .string(description))) }
        if let minimum { pairs.append(SchemaPair("minimum", .number(minimum))) }
        if let maximum { pairs.append(SchemaPair("maximum", .number(maximum))) }
        return .object(pairs)
    }

    static func reference(_ name: String) -> SchemaValue { .object([SchemaPair("$ref", .string("#/$defs/" + name))]) }

    static func strings(_ values: [String]) -> SchemaValue {
        .object([SchemaPair("type", .string("string")), SchemaPair("enum", .array(values.map { .string($0) }))])
    }

    static let formatVersion = type(
        "integer", description: "raised when a key changes meaning or goes away",
        minimum: 1, maximum: 1)
    static let count = type("integer", minimum: 0)
    /// A station's ports by year (the year as the key), listed only in the years they change.
    static let portsByYear = map(count, description: "ports from that year on, only the years they change")
    static let year = type("integer", minimum: 1900, maximum: 2200)

    static let horizon = object([("first_year", year), ("last_year", year)])
    static let inputs = array(
        object([
            ("path", type("string", description: "root-relative input file")),
            ("sha256", type("string")),
        ]),
        description: "content hashes of every input the plan was made from, by path")

    /// Units by access: all four keys, always.
    static let access = object(
        UnitAccess.allCases.map { ($0.rawValue, object([("installed", count), ("new", count)])) },
        description: "units by access: every access, zeros included")

    // MARK: City plan

    static func plan() -> SchemaValue {
        let facts = map(
            type("number", "boolean"), description: "the facts the rule set derives, by name (its precision)")
        let unitYear = object(
            [
                ("installed", count), ("new", count), ("demand", count), ("unmet", count),
                ("rules", array(type("string"), description: "add rules, cap:<rule>, spill:<rule> or observed")),
            ],
            additional: type("number", description: "capex_<currency>: money of the new units, 2 decimals"),
            description: "one unit type in one city- or zone-year"
        )
        let units = map(reference("unit_year"), description: "by unit type")
        let root = object([
            ("format_version", formatVersion),
            ("rollout", type("string")), ("city", type("string")), ("name", type("string")),
            ("province", type("string")),
            ("rule_set", type("string")), ("horizon", horizon), ("joins", year), ("inputs", inputs),
            ("fact_rules", map(type("string"), description: "scope.fact → the rules behind it, comma-separated")),
            (
                "city_years",
                array(
                    object([
                        ("year", year), ("facts", reference("facts")), ("units", units),
                        ("access", reference("access")),
                    ]))
            ),
            (
                "zone_years",
                array(
                    object(
                        [
                            ("zone", type("string")), ("year", year), ("facts", reference("facts")), ("units", units),
                            (
                                "coverage",
                                map(type("number", minimum: 0, maximum: 1), description: "share covered, by sited unit")
                            ),
                        ],
                        required: ["zone", "year", "facts", "units"]
                    ))
            ),
            (
                "stations",
                array(
                    object([
                        ("id", type("string")), ("unit", type("string")), ("zone", type("string")),
                        (
                            "location",
                            .object([
                                SchemaPair("type", .string("array")), SchemaPair("description", .string("[lat, lon]")),
                                SchemaPair("items", type("number", minimum: -180, maximum: 180)),
                                SchemaPair("minItems", .integer(2)), SchemaPair("maxItems", .integer(2)),
                            ])
                        ),
                        ("ports", type("integer", description: "in the plan's last year", minimum: 0)),
                        ("ports_by_year", portsByYear), ("opens", year),
                        ("covered_weight", type("number", minimum: 0)),
                        ("existing", type("boolean")), ("rule", type("string")),
                    ]))
            ),
            (
                "findings",
                array(
                    object([
                        ("year", year), ("scope", type("string", description: "city or a zone id")),
                        ("severity", strings(Severity.allCases.map(\.rawValue))),
                        ("rule", type("string")), ("message", type("string")),
                    ]))
            ),
        ])
        return document(
            title: "chargeplan city plan", description: "plans/<rollout>/<city>.json, written by plan --format json",
            root: root, definitions: [("facts", facts), ("unit_year", unitYear), ("access", access)])
    }

    // MARK: Rollout summary

    static func summary() -> SchemaValue {
        let total = object([("installed", count), ("new", count)])
        let yearTotals = object(
            [("year", year), ("access", reference("access"))],
            additional: .object(
                [
                    SchemaPair("description", .string("a unit type's {installed, new}, or capex_<currency> (money)")),
                    SchemaPair("type", .array([.string("object"), .string("number")])),
                ] + pairs(of: total))
        )
        let city = object(
            [("city", type("string")), ("joins", year), ("findings", count)],
            additional: type(
                "number",
                description: "a unit type's installed units in the last year, or "
                    + "capex_<currency> over the horizon"))
        let root = object([
            ("format_version", formatVersion), ("rollout", type("string")), ("name", type("string")),
            ("operator", type("string")), ("rule_set", type("string")), ("horizon", horizon), ("inputs", inputs),
            ("totals", array(yearTotals, description: "the rollout's totals, one per year")),
            ("cities", array(city, description: "one line per city")),
        ])
        return document(
            title: "chargeplan rollout summary",
            description: "plans/<rollout>/_summary.json, written by plan --format json",
            root: root, definitions: [("access", access)])
    }

    /// The keywords of an object schema after its `type`, to merge into another.
    private static func pairs(of schema: SchemaValue) -> [SchemaPair] {
        guard case .object(let pairs) = schema else { return [] }
        return pairs.filter { $0.key != "type" }
    }

    // MARK: GeoJSON

    /// A FeatureCollection of zones (Polygon, MultiPolygon or LineString) and stations (Point). Without `oneOf` a geometry's
    /// coordinates are an array of numbers or of arrays, whatever its type; the tests check each ring itself.
    static func geojson() -> SchemaValue {
        let geometry = object([
            ("type", strings(["Polygon", "MultiPolygon", "LineString", "Point"])),
            (
                "coordinates",
                array(
                    type("number", "array"),
                    description:
                        "Point: [lon, lat]; LineString: [[lon, lat], …]; Polygon: [[[lon, lat], …]]; MultiPolygon: "
                        + "[[[[lon, lat], …]], …] (a zone of several parts)")
            ),
        ])
        let properties = object(
            [
                ("feature", strings(["zone", "station"])), ("rollout", type("string")), ("city", type("string")),
                ("id", type("string")), ("kind", type("string", description: "a zone's kind")),
                ("population", type("number")), ("area_km2", type("number", minimum: 0)),
                ("shape", strings(["boundary", "line", ZoneShape.circleName])), ("year", year),
                ("unmet_share", type("number", minimum: 0, maximum: 1)),
                ("unit", type("string")), ("zone", type("string")), ("ports", count),
                ("ports_by_year", portsByYear), ("opening_year", year),
                ("existing", type("boolean")),
            ],
            required: ["feature", "rollout", "city", "id"],
            additional: type(
                "integer", description: "a zone's <unit>_installed_units, <unit>_new_units, <unit>_unmet_units",
                minimum: 0))
        let feature = object([("type", strings(["Feature"])), ("geometry", geometry), ("properties", properties)])
        let root = object([("type", strings(["FeatureCollection"])), ("features", array(feature))])
        return document(
            title: "chargeplan plan GeoJSON",
            description: "plans/<rollout>/<city>.geojson and _summary.geojson, written by plan --format geojson",
            root: root, definitions: [])
    }

    // MARK: Diff

    static func diff() -> SchemaValue {
        let value = type(
            "number", "string", "boolean", "null",
            description: "a plan value: numbers and booleans typed, anything else its text; null: absent")
        let number = type("number", "null")
        let root = object([
            ("format_version", formatVersion),
            ("changed", type("boolean", description: "a plan value or file differs (exit 1)")),
            ("files_added", array(type("string"))), ("files_removed", array(type("string"))),
            (
                "totals",
                array(
                    object([
                        ("rollout", type("string")),
                        (
                            "total",
                            type(
                                "string",
                                description: "access.<access>.installed, units.<unit>.installed or capex_<cur>")
                        ),
                        (
                            "first_year",
                            type("integer", "null", description: "first year summed (money); null for a count")
                        ),
                        ("last_year", year), ("before", number), ("after", number), ("change", number),
                        ("change_percent", type("number", "null", description: "of before, 1 decimal; null from 0")),
                    ]))
            ),
            (
                "largest_changes",
                array(
                    object([
                        ("file", type("string")), ("scope", type("string")), ("item", type("string")),
                        ("year", type("integer", "null")), ("before", value), ("after", value), ("change", number),
                        ("change_percent", type("number", "null")), ("years_changed", type("integer", minimum: 1)),
                        ("rules", array(type("string"))),
                    ]))
            ),
            ("inputs_basis", strings(["revision", "hashes", "none"])),
            ("inputs_revision", type("string", "null")),
            (
                "input_files",
                array(
                    object([
                        ("path", type("string")), ("status", strings(["added", "removed", "changed"])),
                        ("compared", type("boolean", description: "both versions were at hand, so keys is complete")),
                        (
                            "keys",
                            array(
                                object([
                                    ("key", type("string")), ("before", value), ("after", value),
                                    ("file", type("string")),
                                    ("line", type("integer", minimum: 1)), ("column", type("integer", minimum: 1)),
                                ]))
                        ),
                    ]))
            ),
            (
                "changes",
                array(
                    object([
                        ("file", type("string")), ("scope", type("string")), ("year", type("integer", "null")),
                        ("item", type("string")), ("before", value), ("after", value), ("rules", array(type("string"))),
                    ]))
            ),
        ])
        return document(
            title: "chargeplan plan diff", description: "chargeplan diff --format json", root: root,
            definitions: [])
    }
}

extension OutputSchemas {
    // MARK: Compare

    static func compare() -> SchemaValue {
        let value = type(
            "number", "string", "boolean", "null",
            description: "a plan value: numbers and booleans typed, anything else its text; null: absent")
        let byUnit = map(count, description: "by unit type")
        let side = object(
            [
                ("installed", byUnit),
                (
                    "access_installed",
                    object(
                        UnitAccess.allCases.map { ($0.rawValue, count) },
                        description: "installed units by access: every access")
                ),
                ("unmet", byUnit), ("errors", count), ("warnings", count),
            ],
            additional: type(
                "number", "null",
                description: "capex_<currency> over the horizon, npv_<currency> (null when the rule set derives none)"),
            description: "one scenario's totals of a city: installed and unmet in the last year")
        let root = object([
            ("a", type("string", description: "scenario id, or baseline")), ("b", type("string")),
            ("rule_set", type("string", "null")),
            ("differs", type("boolean", description: "a value differs (exit 1)")),
            (
                "causes",
                array(
                    object([("path", type("string")), ("a", type("string")), ("b", type("string"))]),
                    description: "the override paths A and B set differently, with each side's value")
            ),
            (
                "changes",
                array(
                    object([
                        ("rollout", type("string")), ("city", type("string")), ("year", type("integer", "null")),
                        ("item", type("string")), ("before", value), ("after", value), ("rules", array(type("string"))),
                    ]))
            ),
            (
                "cities",
                array(
                    object([
                        ("rollout", type("string")), ("city", type("string")), ("differs", type("boolean")),
                        ("a", reference("side")), ("b", reference("side")),
                    ]))
            ),
        ])
        return document(
            title: "chargeplan scenario comparison", description: "chargeplan compare A B --format json", root: root,
            definitions: [("side", side)])
    }

    // MARK: Sweep

    static func sweep() -> SchemaValue {
        let quantiles = object(
            [("p10", type("number")), ("p50", type("number")), ("p90", type("number"))],
            description: "type 7 quantiles, p10 ≤ p50 ≤ p90")
        func row(city: Bool) -> SchemaValue {
            let keys: [(String, SchemaValue)] =
                (city ? [("city", type("string"))] : []) + [("year", year), ("unit", type("string"))]
                + Sweep.Metric.allCases.filter { $0 != .capex }.map { ($0.rawValue, reference("quantiles")) }
            return object(
                keys, additional: reference("quantiles"),
                description: "installed, new and unmet units and capex_<currency> (the only other key)")
        }
        let bound = type("number", "null", description: "null: unbounded")
        let uncertain = object(
            [
                ("path", type("string")),
                ("dist", strings(["uniform", "triangular", "normal", "lognormal"])),
                ("min", type("number")), ("mode", type("number")), ("max", type("number")),
                ("mean", type("number")), ("sd", type("number")), ("median", type("number")),
                ("sigma", type("number")),
                ("as", strings(UncertainUse.allCases.map(\.rawValue))), ("lower", bound), ("upper", bound),
            ],
            required: ["path", "dist", "as", "lower", "upper"],
            description: "one uncertain number: its distribution's parameters and the truncation bounds")
        let root = object([
            ("format_version", formatVersion),
            ("rollout", type("string")), ("rule_set", type("string")),
            ("scenario", type("string", "null", description: "null: the baseline")),
            ("horizon", horizon),
            ("samples", type("integer", minimum: 1, maximum: Double(Sweep.maximumSamples))),
            ("seed", type("integer", minimum: 0)),
            ("sampling", type("string")), ("quantiles", type("string", description: "the quantile method")),
            ("inputs", inputs), ("uncertain", array(uncertain)),
            ("cities", array(row(city: true), description: "one per city, year and unit type")),
            ("rollout_totals", array(row(city: false), description: "the quantiles of each sample's sum")),
            (
                "sensitivity",
                array(
                    object([
                        ("total", type("string")),
                        (
                            "ranking",
                            array(
                                object([
                                    ("input", type("string")),
                                    (
                                        "rho",
                                        type(
                                            "number", "null", description: "Spearman's rho; null: constant",
                                            minimum: -1, maximum: 1)
                                    ),
                                ]))
                        ),
                    ]))
            ),
            (
                "draws",
                array(
                    object(
                        [("sample", type("integer", minimum: 1))],
                        additional: type("number", description: "the number drawn, by uncertain path")))
            ),
        ])
        return document(
            title: "chargeplan sweep", description: "sweeps/<rollout>/sweep.json, written by sweep --format json",
            root: root, definitions: [("quantiles", quantiles)])
    }
}

/// Every schema `chargeplan schema` writes: the input files' (`InputSchemas`), then the JSON outputs'.
public enum SchemaFiles {
    public static func all(ruleSets: [RuleSet]) -> [(fileName: String, text: String)] {
        InputSchemas.files(ruleSets: ruleSets) + OutputSchemas.files()
    }
}
