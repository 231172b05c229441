/// A number in a plan with the rules that produced it, so a reviewer can ask "why".
public struct FactValue: Sendable, Equatable, Codable {
    public enum Value: Sendable, Equatable, Codable {
        case number(Double, precision: Int)
        case int(Int64)
        case bool(Bool)
    }

    public var name: String
    public var value: Value
    public var rules: [String]
}

/// One unit type in one zone-year: counts are whole units (demand rounded up, caps rounded down).
public struct UnitYear: Sendable, Equatable, Codable {
    public var unit: String
    /// Units needed by the add rules plus spilled-in demand, rounded up.
    public var demand: Int
    public var installed: Int
    public var new: Int
    /// Demand the caps left unserved (part of it may have spilled to another unit type).
    public var unmet: Int
    /// In the plan's currency (`capex_<currency>` in plan files).
    public var capex: Double
    /// Why the count is what it is: add rules that fired, the cap that bound, spills received, or observed.
    public var rules: [UnitReason]
}

/// One reason behind a unit count. Writers decide how it reads (`cap:caps.grid` in plan files).
public enum UnitReason: Sendable, Hashable, Codable, Comparable {
    /// An add rule contributed units.
    case add(rule: String)
    /// A cap rule bound: fewer units than the demand.
    case cap(rule: String)
    /// Units serving demand that a cap rule spilled from another unit type.
    case spill(rule: String)
    /// The count is the profile's `observed:` value for the year.
    case observed

    /// The rule behind the reason, if a rule is.
    public var rule: String? {
        switch self {
        case .add(let rule), .cap(let rule), .spill(let rule): rule
        case .observed: nil
        }
    }

    /// Adds, then caps, then spills, then observed; by rule id within each.
    public static func < (lhs: UnitReason, rhs: UnitReason) -> Bool {
        (lhs.rank, lhs.rule ?? "") < (rhs.rank, rhs.rule ?? "")
    }

    private var rank: Int {
        switch self {
        case .add: 0
        case .cap: 1
        case .spill: 2
        case .observed: 3
        }
    }
}

/// One zone in one year: the record a plan file writes on one line per zone-year.
public struct ZoneYear: Sendable, Equatable, Codable {
    public var zone: String
    public var kind: String
    public var year: Int
    public var facts: [FactValue]
    public var units: [UnitYear]
    /// Share of the zone's demand weight within reach of an open station, by sited unit type.
    public var coverage: [UnitShare]
}

/// A share per unit type, e.g. the coverage of a zone by fast stations.
public struct UnitShare: Sendable, Equatable, Codable {
    public var unit: String
    public var share: Double
}

/// The units of one access (private, public, …) in one year, summed over the unit types that have it.
public struct AccessTotal: Sendable, Equatable, Codable {
    public var access: UnitAccess
    public var installed: Int
    public var new: Int

    /// One total per access, every access in `UnitAccess` order (zeros included, so diffs are stable).
    public static func totals(_ units: [UnitYear], access: (String) -> UnitAccess?) -> [AccessTotal] {
        UnitAccess.allCases.map { kind in
            let members = units.filter { access($0.unit) == kind }
            return AccessTotal(
                access: kind, installed: members.reduce(0) { $0 + $1.installed },
                new: members.reduce(0) { $0 + $1.new })
        }
    }

    /// The sum of several lists of totals, every access in `UnitAccess` order.
    public static func sum(_ lists: [[AccessTotal]]) -> [AccessTotal] {
        UnitAccess.allCases.map { kind in
            let members = lists.flatMap { $0.filter { $0.access == kind } }
            return AccessTotal(
                access: kind, installed: members.reduce(0) { $0 + $1.installed },
                new: members.reduce(0) { $0 + $1.new })
        }
    }
}

/// City totals of one year.
public struct CityYear: Sendable, Equatable, Codable {
    public var year: Int
    public var facts: [FactValue]
    public var units: [UnitYear]
    /// The units by access, every access in `UnitAccess` order.
    public var access: [AccessTotal]
}

/// A sited station: where it stands, from which year, and how many of the plan's chargers it holds.
public struct Station: Sendable, Equatable, Codable {
    public var id: String
    public var unit: String
    public var zone: String
    public var latitude: Double
    public var longitude: Double
    /// Its ports in the plan's last year.
    public var ports: Int
    public var openingYear: Int
    /// Demand weight this station covered first when it opened.
    public var coveredWeight: Double
    public var existing: Bool
    public var rule: String
    /// Its ports from its opening year on, listed only in the years they change (its opening year first): a zone's
    /// stations hold exactly its installed units of the station's unit in every year.
    public var portsByYear: [PortsChange] = []
}

/// A requirement that did not hold.
public struct Finding: Sendable, Equatable, Codable {
    public var severity: Severity
    public var rule: String
    public var message: String
    /// "city" or a zone id.
    public var scope: String
    public var year: Int
    public var position: SourcePosition
}

/// The plan of one city within one rollout: what a plan file holds.
public struct CityPlan: Sendable, Equatable, Codable {
    /// `_cny` for CNY: the suffix of the money keys of plan files.
    public var moneySuffix: String { RuleSet.moneySuffix(currency) }

    public var rollout: String
    public var city: String
    public var cityName: String
    public var province: String
    public var ruleSet: String
    /// The rule set's currency (`CNY`): money keys of the plan end in `_<currency lowercased>`.
    public var currency: String
    /// Content hashes of every input the plan was made from, by root-relative path, sorted.
    public var inputs: [InputHash]
    public var firstYear: Int
    public var lastYear: Int
    public var joins: Int
    public var cityYears: [CityYear]
    /// Sorted by zone (profile order), then year.
    public var zoneYears: [ZoneYear]
    public var zones: [ZoneSummary]
    public var stations: [Station]
    public var findings: [Finding]
    /// The outer rings of the city's outline (`boundary:`), empty when it has none: maps draw the city under its
    /// zones, so a reader sees where the zones lie in the real city.
    public var outline: [[GeoPoint]] = []

    /// This plan without what only its own files show (earlier zone-years, zone facts, the city facts other than
    /// `npv_<currency>` and `payback_year`): what a rollout's summaries read — city totals, NPV and payback, stations, findings, inputs,
    /// and each zone with its last year's units and coverage (the rollout's GeoJSON and report draw them) — so a
    /// run can write a city's files and keep only this.
    public var summaryOnly: CityPlan {
        var slim = self
        slim.zoneYears = zoneYears.filter { $0.year == lastYear }.map { row in
            var row = row
            row.facts = []
            return row
        }
        let kept: Set<String> = ["npv" + moneySuffix, "payback_year"]
        slim.cityYears = cityYears.map { year in
            var year = year
            year.facts = year.facts.filter { kept.contains($0.name) }
            return year
        }
        return slim
    }
}

public struct InputHash: Sendable, Equatable, Codable {
    public var path: String
    public var sha256: String
}

public struct ZoneSummary: Sendable, Equatable, Codable {
    public var id: String
    public var kind: String
    public var latitude: Double
    public var longitude: Double
    public var areaKM2: Double
    public var population: Double
    /// The profile's outline and corridor line of the zone, nil when it gives none (what maps draw).
    public var boundary: [GeoPoint]?
    public var line: [GeoPoint]?
    /// The outer rings of the zone's outline file, one per part (a census area's districts), nil without one.
    public var parts: [[GeoPoint]]?
}
