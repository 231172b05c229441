import CEL

/// Everything an expression can read, declared up front so every expression is type-checked
/// at load time against the facts a plan will really have.
public struct FactSchema: Sendable {
    /// The input facts of a city, as `city.<name>`.
    public static let cityInputFields: [(name: String, type: CELType)] = [
        ("id", .string), ("name", .string), ("province", .string), ("base_year", .int),
        ("population", .double), ("area_km2", .double), ("vehicles", .object("Vehicles")),
        ("home_parking_share", .double), ("existing", .object("Chargers")),
        ("target_year", .int), ("target_ev_sales_share", .double), ("joins", .int), ("zone_count", .int),
    ]

    /// The input facts of a zone, as `zone.<name>`.
    public static let zoneInputFields: [(name: String, type: CELType)] = [
        ("id", .string), ("kind", .string), ("population", .double), ("area_km2", .double),
        ("latitude", .double), ("longitude", .double), ("grid_headroom_kw", .double),
        ("population_share", .double), ("area_share", .double), ("existing", .object("Chargers")),
    ]

    public static let vehicleFields: [(name: String, type: CELType)] = [
        ("stock", .double), ("ev_stock", .double), ("annual_sales", .double), ("ev_sales_share", .double),
        ("ride_hailing_evs", .double), ("ride_hailing_fleet_target", .double), ("scrappage_rate", .double),
    ]

    public static let unitSpecFields: [(name: String, type: CELType)] = [
        ("power_kw", .double), ("ports_per_site", .double), ("capex_cny", .double),
        ("sessions_per_day", .double), ("price_per_session_cny", .double),
    ]

    public static let unitQuantityFields: [(name: String, type: CELType)] = [
        ("installed", .double), ("new", .double), ("demand", .double), ("unmet", .double),
    ]

    /// Fields that only exist once units are resolved; facts that read them are computed after the units.
    public static let postUnitFields: Set<String> = ["units", "coverage"]

    public let unitIDs: [String]
    public let paramNames: [String]
    public let cityFacts: [(name: String, type: FactType)]
    public let zoneFacts: [(name: String, type: FactType)]
    /// Decimals each number fact is written with in plan files, by "city.<fact>" / "zone.<fact>".
    public let precision: [String: Int]

    public init(ruleSet: RuleSet) {
        unitIDs = ruleSet.units.map(\.id.value).sorted()
        paramNames = ruleSet.params.map(\.name.value).sorted()
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

    /// The CEL environment of one scope.
    public func environment(scope: RuleScope) -> CELEnvironment {
        var env = CELEnvironment()
        env.declareObjectType("Vehicles", fields: Self.vehicleFields)
        env.declareObjectType("Chargers", fields: unitIDs.map { ($0, CELType.double) })
        env.declareObjectType("UnitSpec", fields: Self.unitSpecFields)
        env.declareObjectType("Catalogue", fields: unitIDs.map { ($0, CELType.object("UnitSpec")) })
        env.declareObjectType("UnitQuantity", fields: Self.unitQuantityFields)
        env.declareObjectType("UnitQuantities", fields: unitIDs.map { ($0, CELType.object("UnitQuantity")) })
        env.declareObjectType("Params", fields: paramNames.map { ($0, CELType.double) })
        env.declareObjectType("Rollout", fields: [("id", .string), ("first_year", .int), ("last_year", .int)])
        env.declareObjectType("City", fields: Self.cityInputFields + cityFacts.map { ($0.name, Self.celType($0.type)) }
            + [("units", .object("UnitQuantities"))])
        env.declareObjectType("Zone", fields: Self.zoneInputFields + zoneFacts.map { ($0.name, Self.celType($0.type)) }
            + [("units", .object("UnitQuantities")), ("coverage", .double)])
        env.declareObjectType("Prev", fields: [("city", .object("City"))] + (scope == .zone ? [("zone", CELType.object("Zone"))] : []))
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
