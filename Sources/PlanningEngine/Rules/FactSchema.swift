import CEL

/// Everything an expression can read, declared up front so every expression is type-checked
/// at load time against the facts a plan will really have.
public struct FactSchema: Sendable {
    /// The engine's own fields of a city, as `city.<name>`; the rule set's `inputs: city:` come after them.
    public static let cityEngineFields: [(name: String, type: CELType)] = [
        ("id", .string), ("name", .string), ("province", .string), ("base_year", .int),
        ("existing", .object("Chargers")),
        ("target_year", .int), ("target_ev_sales_share", .double), ("joins", .int), ("zone_count", .int),
    ]

    /// The engine's own fields of a zone, as `zone.<name>`; the rule set's `inputs: zone:` come after them.
    public static let zoneEngineFields: [(name: String, type: CELType)] = [
        ("id", .string), ("kind", .string), ("population", .double), ("area_km2", .double),
        ("latitude", .double), ("longitude", .double),
        ("population_share", .double), ("area_share", .double), ("existing", .object("Chargers")),
    ]

    /// The engine's own fields of `rollout`; the rule set's `inputs: rollout:` come after them.
    public static let rolloutEngineFields: [(name: String, type: CELType)] = [
        ("id", .string), ("first_year", .int), ("last_year", .int),
    ]

    /// Engine fields the planner computes (the others are the profile's own): `explain` labels them.
    public static let computedCityFields: Set<String> = [
        "existing", "target_year", "target_ev_sales_share", "joins", "zone_count", "units",
    ]
    public static let computedZoneFields: Set<String> = [
        "population_share", "area_share", "existing", "units", "coverage",
    ]

    /// `units.<unit>.…`: money fields end in the rule set's currency (`capex_cny` for CNY).
    public static func unitSpecFields(moneySuffix: String) -> [(name: String, type: CELType)] {
        [
            ("power_kw", .double), ("ports_per_site", .double), ("capex" + moneySuffix, .double),
            ("sessions_per_day", .double), ("price_per_session" + moneySuffix, .double),
        ]
    }

    public static let unitQuantityFields: [(name: String, type: CELType)] = [
        ("installed", .double), ("new", .double), ("demand", .double), ("unmet", .double),
    ]

    /// Fields that only exist once units are resolved; facts that read them are computed after the units.
    public static let postUnitFields: Set<String> = ["units", "coverage"]

    public let unitIDs: [String]
    /// `_cny` for a CNY rule set: the end of the catalogue's money fields.
    public let moneySuffix: String
    public let paramNames: [String]
    /// The list parameters (`values:`), typed `list(double)`; the others are `double`.
    public let listParamNames: Set<String>
    public let cityFacts: [(name: String, type: FactType)]
    public let zoneFacts: [(name: String, type: FactType)]
    /// The declared inputs of each scope, in declaration order.
    public let cityInputs: [InputDeclaration]
    public let zoneInputs: [InputDeclaration]
    public let rolloutInputs: [InputDeclaration]
    /// Decimals each number fact is written with in plan files, by "city.<fact>" / "zone.<fact>".
    public let precision: [String: Int]

    public init(ruleSet: RuleSet) {
        unitIDs = ruleSet.units.map(\.id.value).sorted()
        moneySuffix = ruleSet.moneySuffix
        paramNames = ruleSet.params.map(\.name.value).sorted()
        listParamNames = Set(ruleSet.params.filter { $0.values != nil }.map(\.name.value))
        var city: [String: FactType] = [:]
        var zone: [String: FactType] = [:]
        var precision: [String: Int] = [:]
        for rule in ruleSet.rules {
            if case .derive(let fact, let type, let digits, _, _) = rule.action {
                if rule.scope == .city { city[fact.value] = type } else { zone[fact.value] = type }
                precision["\(rule.scope.rawValue).\(fact.value)"] = digits
            }
        }
        self.precision = precision
        cityInputs = ruleSet.inputs(.city)
        zoneInputs = ruleSet.inputs(.zone)
        rolloutInputs = ruleSet.inputs(.rollout)
        cityFacts = city.keys.sorted().compactMap { name in city[name].map { (name, $0) } }
        zoneFacts = zone.keys.sorted().compactMap { name in zone[name].map { (name, $0) } }
    }

    static func celType(_ type: FactType) -> CELType {
        switch type {
        case .number: .double
        case .int: .int
        case .bool: .bool
        }
    }

    static func celType(_ type: InputType) -> CELType {
        switch type {
        case .number: .double
        case .int: .int
        case .bool: .bool
        case .string: .string
        }
    }

    /// The CEL type name of the nested object at `path` (`vehicles` of a city: `CityVehicles`).
    static func groupTypeName(_ scope: InputScope, _ path: [String]) -> String {
        ([scope.rawValue] + path).map { word in
            word.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }.joined()
    }

    /// The fields of the inputs of one scope at `prefix` (nested groups as object types, declared in `env`).
    static func inputFields(
        _ declarations: [InputDeclaration], scope: InputScope, prefix: [String] = [],
        env: inout CELEnvironment
    ) -> [(name: String, type: CELType)] {
        var fields: [(name: String, type: CELType)] = []
        for (head, leaf) in declarations.children(under: prefix) {
            if let leaf {
                fields.append((head, celType(leaf.type)))
            } else {
                let group = prefix + [head]
                let name = groupTypeName(scope, group)
                env.declareObjectType(name, fields: inputFields(declarations, scope: scope, prefix: group, env: &env))
                fields.append((head, .object(name)))
            }
        }
        return fields
    }

    /// The variables of a city rule, in the slot order every program of the rule set reads them in (the planner
    /// binds them so); a zone rule's add `zone`.
    public static let citySlots = ["params", "units", "rollout", "year", "city", "prev"]
    public static let zoneSlots = citySlots + ["zone"]

    /// The CEL environment of one scope.
    public func environment(scope: RuleScope) -> CELEnvironment {
        var env = CELEnvironment()
        env.variableSlotOrder = scope == .city ? Self.citySlots : Self.zoneSlots
        env.declareObjectType("Chargers", fields: unitIDs.map { ($0, CELType.double) })
        env.declareObjectType("UnitSpec", fields: Self.unitSpecFields(moneySuffix: moneySuffix))
        env.declareObjectType("Catalogue", fields: unitIDs.map { ($0, CELType.object("UnitSpec")) })
        env.declareObjectType("UnitQuantity", fields: Self.unitQuantityFields)
        env.declareObjectType("UnitQuantities", fields: unitIDs.map { ($0, CELType.object("UnitQuantity")) })
        env.declareObjectType(
            "Params",
            fields: paramNames.map { name in
                (name, listParamNames.contains(name) ? .list(.double) : .double)
            })
        env.declareObjectType(
            "Rollout",
            fields: Self.rolloutEngineFields
                + Self.inputFields(rolloutInputs, scope: .rollout, env: &env))
        let cityInputFields = Self.inputFields(cityInputs, scope: .city, env: &env)
        let zoneInputFields = Self.inputFields(zoneInputs, scope: .zone, env: &env)
        env.declareObjectType(
            "City",
            fields: Self.cityEngineFields + cityInputFields
                + cityFacts.map { ($0.name, Self.celType($0.type)) } + [("units", .object("UnitQuantities"))])
        env.declareObjectType(
            "Zone",
            fields: Self.zoneEngineFields + zoneInputFields
                + zoneFacts.map { ($0.name, Self.celType($0.type)) }
                + [("units", .object("UnitQuantities")), ("coverage", .double)])
        env.declareObjectType(
            "Prev", fields: [("city", .object("City"))] + (scope == .zone ? [("zone", CELType.object("Zone"))] : []))
        env.declareVariable("year", type: .int)
        env.declareVariable("city", type: .object("City"))
        if scope == .zone { env.declareVariable("zone", type: .object("Zone")) }
        env.declareVariable("prev", type: .object("Prev"))
        env.declareVariable("params", type: .object("Params"))
        env.declareVariable("units", type: .object("Catalogue"))
        env.declareVariable("rollout", type: .object("Rollout"))
        return env
    }
}
