import PlanningEngine
/// The schema of `Scenarios/<id>.yaml` and of the `uncertain:` entries a rule file and a scenario share, matching
/// `ScenarioLoader`. What it cannot say and the loader checks: each path names a parameter, unit field or input of
/// the scenario's rule set (and a city, zone or rollout that uses it), and each value is in its range.
extension InputSchemas {
    static let pathPattern = "^(params|units|city|zone|rollout)\\.[^.]+(\\.[^.]+)*$"

    static func scenario(ruleSets: [RuleSet]) -> SchemaValue {
        let override = object(
            [
                (
                    "value",
                    described(
                        [
                            SchemaPair(
                                "type",
                                .array([
                                    .string("number"), .string("integer"), .string("boolean"),
                                    .string("string"), .string("array"), .string("object"),
                                ]))
                        ],
                        "the new value: a number, a series {year: number} for a number input, a list for a "
                            + "list parameter")
                ),
                (
                    "scale",
                    described(
                        [SchemaPair("type", .array([.string("number"), .string("object")]))],
                        "a factor of 0 or more on the value, or a factor per year {year: factor}")
                ),
                ("doc", string("why this value")),
                ("source", string("where it comes from")),
            ], required: ["doc", "source"], description: "one override: value or scale")
        var root = header(
            .scenario, title: "chargeplan scenario",
            description: "Scenarios/<id>.yaml: overrides of one rule set's params, units and the inputs "
                + "of its rollouts' cities, zones and rollouts, by path (docs/FORMATS.md).")
        let sets = ruleSets.map(\.id).sorted()
        if case .object(let body) = object(
            [
                ("id", identifier("equals the file name; not baseline")),
                ("name", string()),
                (
                    "rule_set",
                    described(
                        [SchemaPair("type", .string("string")), SchemaPair("enum", .array(sets.map { .string($0) }))],
                        "the rule set whose rollouts the scenario plans")
                ),
                ("doc", string()),
                (
                    "overrides",
                    .object([
                        SchemaPair("type", .string("object")),
                        SchemaPair(
                            "description",
                            .string(
                                "by path: params.<name>, units.<unit>.<field>, city.<id>.<input>, "
                                    + "zone.<id>.<input>, rollout.<id>.<input> (<id> may be *)")),
                        SchemaPair("propertyNames", .object([SchemaPair("pattern", .string(pathPattern))])),
                        SchemaPair("additionalProperties", override),
                    ])
                ),
                ("uncertain", uncertainSection("numbers `sweep --scenario` draws, by path as in overrides")),
            ], required: ["id", "name", "rule_set"])
        {
            root += body
        }
        return .object(root)
    }

    /// `uncertain: {<path>: {dist, …, as, doc, source}}`.
    static func uncertainSection(_ description: String) -> SchemaValue {
        let entry = object(
            [
                ("dist", oneOfStrings(["uniform", "triangular", "normal", "lognormal"])),
                ("min", number(nil, "uniform, triangular: the support; normal, lognormal: where they are truncated")),
                ("mode", number(nil, "triangular")),
                ("max", number(nil, "uniform, triangular: the support; normal, lognormal: where they are truncated")),
                ("mean", number(nil, "normal")),
                ("sd", number(nil, "normal, > 0")),
                ("median", number(nil, "lognormal, > 0")),
                ("sigma", number(nil, "lognormal: the standard deviation of the logarithm, > 0")),
                (
                    "as",
                    oneOfStrings(
                        UncertainUse.allCases.map(\.rawValue),
                        "value (default): the draw is the number; "
                            + "scale: a factor on it")
                ),
                ("doc", string("why this range")),
                ("source", string("where it comes from")),
            ], required: ["dist", "doc", "source"], description: "a number drawn for every sample of a sweep")
        return .object([
            SchemaPair("type", .string("object")),
            SchemaPair("description", .string(description)),
            SchemaPair("propertyNames", .object([SchemaPair("pattern", .string(pathPattern))])),
            SchemaPair("additionalProperties", entry),
        ])
    }
}
