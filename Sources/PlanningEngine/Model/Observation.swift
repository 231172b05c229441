/// What an `observed:` entry measures: a derived fact, the installed count of one unit type, or the
/// installed count of every unit type of one access (a national statistic's "public chargers").
public enum ObservedQuantity: Sendable, Hashable, Comparable {
    case fact(String)
    case unitInstalled(String)
    case accessInstalled(UnitAccess)

    /// The key as a profile writes it, without the scope: `ev_stock`, `units.fast.installed`, `access.public.installed`.
    public var path: String {
        switch self {
        case .fact(let name): name
        case .unitInstalled(let unit): "units.\(unit).installed"
        case .accessInstalled(let access): "access.\(access.rawValue).installed"
        }
    }

    /// Facts, then units, then access totals; by name within each.
    public static func < (lhs: ObservedQuantity, rhs: ObservedQuantity) -> Bool {
        (lhs.rank, lhs.path) < (rhs.rank, rhs.path)
    }

    private var rank: Int {
        switch self {
        case .fact: 0
        case .unitInstalled: 1
        case .accessInstalled: 2
        }
    }
}

/// One observed year: the real value and where the profile wrote it.
public struct ObservedPoint: Sendable, Equatable {
    public var year: Int
    public var value: Double
    public var position: SourcePosition
}

/// Real history of one quantity of a city or a zone, from a profile's `observed:` section. `plan` pins the
/// values in their years and projects from the last one; `backtest` withholds the later ones and compares.
public struct Observation: Sendable, Equatable {
    public var scope: RuleScope
    public var quantity: ObservedQuantity
    /// Where the key stands: `city.ev_stock:`.
    public var position: SourcePosition
    /// Years ascending, at least one.
    public var points: [ObservedPoint]

    /// The key as the profile writes it: `city.ev_stock`, `zone.units.fast.installed`.
    public var key: String { "\(scope.rawValue).\(quantity.path)" }

    public func value(in year: Int) -> Double? { points.first { $0.year == year }?.value }
}

extension Array where Element == Observation {
    /// The observations with their years after `cutoff` removed (entries left empty are dropped).
    public func through(_ cutoff: Int) -> [Observation] {
        compactMap { observation in
            var kept = observation
            kept.points = observation.points.filter { $0.year <= cutoff }
            return kept.points.isEmpty ? nil : kept
        }
    }

    /// The observations' years after `cutoff`, as single-year entries.
    public func after(_ cutoff: Int) -> [Observation] {
        compactMap { observation in
            var withheld = observation
            withheld.points = observation.points.filter { $0.year > cutoff }
            return withheld.points.isEmpty ? nil : withheld
        }
    }

    func value(of quantity: ObservedQuantity, in year: Int) -> Double? {
        first { $0.quantity == quantity }?.value(in: year)
    }
}

extension CityProfile {
    /// Whether the profile or one of its zones observes anything after `cutoff`.
    public func observes(after cutoff: Int) -> Bool {
        !observed.after(cutoff).isEmpty || zones.contains { !$0.observed.after(cutoff).isEmpty }
    }

    /// The profile as it was known at the end of `cutoff`: every observation of a later year withheld.
    public func withholding(after cutoff: Int) -> CityProfile {
        var copy = self
        copy.observed = observed.through(cutoff)
        for index in copy.zones.indices { copy.zones[index].observed = zones[index].observed.through(cutoff) }
        return copy
    }
}
