import PlanningEngine

/// An ordered tree of plan data: the one layout every text format is written from,
/// so YAML, JSON and the rest never disagree on content or order.
public indirect enum PlanNode: Sendable, Equatable {
    case object([(String, PlanNode)])
    case array([PlanNode])
    case string(String)
    /// A number already in canonical text.
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: PlanNode, b: PlanNode) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    public subscript(key: String) -> PlanNode? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    static func money(_ value: Double) -> PlanNode { .number(CanonicalNumber.fixed(value, digits: 2)) }
    static func int(_ value: Int) -> PlanNode { .number(String(value)) }
}

/// Builds the plan tree of a city plan and of a rollout summary.
public enum PlanDocument {
    public static let formatVersion = 1

    public static func city(_ plan: CityPlan) -> PlanNode {
        .object([
            ("format_version", .int(formatVersion)),
            ("rollout", .string(plan.rollout)),
            ("city", .string(plan.city)),
            ("name", .string(plan.cityName)),
            ("province", .string(plan.province)),
            ("rule_set", .string(plan.ruleSet)),
            ("horizon", .object([("first_year", .int(plan.firstYear)), ("last_year", .int(plan.lastYear))])),
            ("joins", .int(plan.joins)),
            (
                "inputs",
                .array(plan.inputs.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })
            ),
            ("fact_rules", factRules(plan)),
            ("city_years", cityYears(plan)),
            ("zone_years", zoneYears(plan)),
            ("stations", stations(plan)),
            ("findings", findings(plan)),
        ])
    }

    /// Each fact, `city.` or `zone.` and its name, with the rules that derive it, sorted.
    static func factRules(_ plan: CityPlan) -> PlanNode {
        var factRules: [(String, PlanNode)] = []
        var seen: Set<String> = []
        for (scope, facts) in [("city", plan.cityYears.flatMap(\.facts)), ("zone", plan.zoneYears.flatMap(\.facts))] {
            for fact in facts where seen.insert(scope + "." + fact.name).inserted {
                factRules.append((scope + "." + fact.name, .string(fact.rules.joined(separator: ","))))
            }
        }
        return .object(factRules.sorted { $0.0 < $1.0 })
    }

    /// One record per city-year: facts, units, access.
    static func cityYears(_ plan: CityPlan) -> PlanNode {
        .array(
            plan.cityYears.map { year in
                .object([
                    ("year", .int(year.year)), ("facts", facts(year.facts)),
                    ("units", units(year.units, money: plan.moneySuffix)), ("access", access(year.access)),
                ])
            })
    }

    /// One record per zone-year: facts, units and, when sited, coverage.
    static func zoneYears(_ plan: CityPlan) -> PlanNode {
        .array(
            plan.zoneYears.map { zy in
                var pairs: [(String, PlanNode)] = [
                    ("zone", .string(zy.zone)), ("year", .int(zy.year)), ("facts", facts(zy.facts)),
                    ("units", units(zy.units, money: plan.moneySuffix)),
                ]
                if !zy.coverage.isEmpty {
                    pairs.append(
                        (
                            "coverage",
                            .object(
                                zy.coverage.map {
                                    ($0.unit, .number(CanonicalNumber.fixed($0.share, digits: 4)))
                                })
                        ))
                }
                return .object(pairs)
            })
    }

    /// Every sited station.
    static func stations(_ plan: CityPlan) -> PlanNode {
        .array(
            plan.stations.map { s in
                .object([
                    ("id", .string(s.id)), ("unit", .string(s.unit)), ("zone", .string(s.zone)),
                    (
                        "location",
                        .array([
                            .number(CanonicalNumber.fixed(s.latitude, digits: 5)),
                            .number(CanonicalNumber.fixed(s.longitude, digits: 5)),
                        ])
                    ),
                    ("ports", .int(s.ports)), ("ports_by_year", portsByYear(s)), ("opens", .int(s.openingYear)),
                    ("covered_weight", .number(CanonicalNumber.fixed(s.coveredWeight, digits: 2))),
                    ("existing", .bool(s.existing)), ("rule", .string(s.rule)),
                ])
            })
    }

    /// A station's ports by year, only the years they change: `{2019: 7, 2023: 14}`.
    static func portsByYear(_ station: Station) -> PlanNode {
        .object(station.portsByYear.map { (String($0.year), .int($0.ports)) })
    }

    /// Every finding, as the plan lists them.
    static func findings(_ plan: CityPlan) -> PlanNode {
        .array(
            plan.findings.map { f in
                .object([
                    ("year", .int(f.year)), ("scope", .string(f.scope)),
                    ("severity", .string(f.severity.rawValue)),
                    ("rule", .string(f.rule)), ("message", .string(f.message)),
                ])
            })
    }

    static func facts(_ facts: [FactValue]) -> PlanNode {
        .object(facts.map { ($0.name, FactValueRendering(fact: $0).node) })
    }

    /// `money`: the suffix of the money keys (`_cny`).
    static func units(_ units: [UnitYear], money: String) -> PlanNode {
        .object(
            units.map { u in
                (
                    u.unit,
                    .object([
                        ("installed", .int(u.installed)), ("new", .int(u.new)), ("demand", .int(u.demand)),
                        ("unmet", .int(u.unmet)),
                        ("capex" + money, .money(u.capex)), ("rules", .array(u.rules.map { .string($0.planText) })),
                    ])
                )
            })
    }

    /// Units by access: every access, in `UnitAccess` order, as the engine totalled them.
    static func access(_ totals: [AccessTotal]) -> PlanNode {
        .object(
            totals.map { total in
                (total.access.rawValue, .object([("installed", .int(total.installed)), ("new", .int(total.new))]))
            })
    }

    /// Rollout totals per year and one line per city.
    public static func summary(_ rollout: RolloutPlan) -> PlanNode {
        let unitIDs = rollout.unitIDs
        let totals: [PlanNode] = rollout.totals.map { total in
            var pairs: [(String, PlanNode)] = [("year", .int(total.year))]
            for unit in total.units {
                pairs.append((unit.unit, .object([("installed", .int(unit.installed)), ("new", .int(unit.new))])))
            }
            pairs.append(("access", access(total.access)))
            pairs.append(("capex" + rollout.moneySuffix, .money(total.capex)))
            return .object(pairs)
        }
        let cities: [PlanNode] = rollout.cities.map { city in
            let last = city.cityYears.last
            var pairs: [(String, PlanNode)] = [("city", .string(city.city)), ("joins", .int(city.joins))]
            for unit in unitIDs {
                pairs.append((unit, .int(last?.units.first { $0.unit == unit }?.installed ?? 0)))
            }
            pairs.append(("capex" + rollout.moneySuffix, .money(city.horizonCapex)))
            pairs.append(("findings", .int(city.findings.count)))
            return .object(pairs)
        }
        return .object([
            ("format_version", .int(formatVersion)),
            ("rollout", .string(rollout.rollout)),
            ("name", .string(rollout.name)),
            ("operator", .string(rollout.operatorName)),
            ("rule_set", .string(rollout.ruleSet)),
            ("horizon", .object([("first_year", .int(rollout.firstYear)), ("last_year", .int(rollout.lastYear))])),
            (
                "inputs",
                .array(rollout.inputs.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })
            ),
            ("totals", .array(totals)),
            ("cities", .array(cities)),
        ])
    }
}

struct FactValueRendering {
    var fact: FactValue

    var node: PlanNode {
        switch fact.value {
        case .number(let value, let precision): .number(CanonicalNumber.fixed(value, digits: precision))
        case .int(let value): .number(String(value))
        case .bool(let value): .bool(value)
        }
    }
}

extension UnitReason {
    /// How plan files, tables and diffs write the reason: the add rule's id, `cap:<rule>`, `spill:<rule>`, `observed`.
    public var planText: String {
        switch self {
        case .add(let rule): rule
        case .cap(let rule): "cap:" + rule
        case .spill(let rule): "spill:" + rule
        case .observed: "observed"
        }
    }
}
