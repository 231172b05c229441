// Public model of the maximal covering location problem (MCLP) as chargeplan uses it.

/// A place where charging demand arises (a cluster of homes, a taxi rank, a mall),
/// weighted by how much demand it stands for. Demand is what siting tries to cover.
public struct DemandPoint: Sendable, Equatable {
    public var id: String
    /// WGS84 latitude in degrees, -90...90.
    public var latitude: Double
    /// WGS84 longitude in degrees, -180...180.
    public var longitude: Double
    /// Non-negative weight (EVs, sessions a day, …); only ratios matter.
    public var weight: Double

    public init(id: String, latitude: Double, longitude: Double, weight: Double) {
        self.id = id
        self.latitude = latitude
        self.longitude = longitude
        self.weight = weight
    }
}

/// A place where a station could be built (or already stands). The solver chooses among these.
public struct CandidateSite: Sendable, Equatable {
    public var id: String
    /// WGS84 latitude in degrees, -90...90.
    public var latitude: Double
    /// WGS84 longitude in degrees, -180...180.
    public var longitude: Double

    public init(id: String, latitude: Double, longitude: Double) {
        self.id = id
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// One siting question: choose `stationCount` of `candidates` (always including `fixed`)
/// to maximise the demand weight within `radiusKM` of a chosen station. It is a value so the
/// planning engine can build one per zone-year and pass the previous year's choice as `fixed`.
public struct SitingProblem: Sendable {
    public var demand: [DemandPoint]
    public var candidates: [CandidateSite]
    /// Coverage radius in great-circle kilometres (in the metric's own unit when `metric` is not
    /// `.greatCircle`); a demand point is covered when a chosen station is at most this far away.
    public var radiusKM: Double
    /// p: the number of stations wanted in total, fixed ones included.
    public var stationCount: Int
    /// No two stations chosen by the solver may be closer than this (great-circle km, or the
    /// metric's unit); `nil` means no constraint. Fixed stations are never moved, even when closer to each other.
    public var minSpacingKM: Double?
    /// Candidate indices that are always chosen (existing stations, last year's sites).
    /// They count towards `stationCount` and are covered first.
    public var fixed: [Int]
    /// How distances are measured; the planner always sites on the sphere.
    public var metric: SitingMetric

    public init(
        demand: [DemandPoint], candidates: [CandidateSite], radiusKM: Double, stationCount: Int,
        minSpacingKM: Double? = nil, fixed: [Int] = [], metric: SitingMetric = .greatCircle
    ) {
        self.demand = demand
        self.candidates = candidates
        self.radiusKM = radiusKM
        self.stationCount = stationCount
        self.minSpacingKM = minSpacingKM
        self.fixed = fixed
        self.metric = metric
    }
}

/// The answer to a `SitingProblem`, with the evidence a reviewer needs: how much is covered,
/// how far from optimal it can be at most, and what each station adds.
public struct SitingSolution: Sendable, Equatable {
    /// Candidate indices: the fixed ones first (in the given order), then the added ones in the
    /// order a greedy would add them (each covers the most of what is still uncovered).
    public var chosen: [Int]
    /// Demand weight within the radius of at least one chosen station.
    public var coveredWeight: Double
    /// Weight of all demand points.
    public var totalWeight: Double
    /// A proven upper bound on the best coverage any feasible choice could reach.
    public var upperBound: Double?
    /// True when `coveredWeight` is proven to be the optimum.
    public var provedOptimal: Bool
    /// Weight each chosen station covers that no station before it in `chosen` covers.
    public var coveredWeightByChosen: [Double]
    /// How many of the wanted stations could not be placed (spacing or too few candidates).
    public var shortfall: Int

    public init(
        chosen: [Int], coveredWeight: Double, totalWeight: Double, upperBound: Double?,
        provedOptimal: Bool, coveredWeightByChosen: [Double], shortfall: Int = 0
    ) {
        self.chosen = chosen
        self.coveredWeight = coveredWeight
        self.totalWeight = totalWeight
        self.upperBound = upperBound
        self.provedOptimal = provedOptimal
        self.coveredWeightByChosen = coveredWeightByChosen
        self.shortfall = shortfall
    }

    /// `coveredWeight / totalWeight`, or 1 when there is no demand at all (nothing is left uncovered).
    public var coverageRatio: Double {
        totalWeight > 0 ? coveredWeight / totalWeight : 1
    }
}

/// A problem that cannot be solved as stated (bad coordinates, unknown fixed site, …).
/// Typed so callers can report it as bad input (exit code 2) rather than a crash.
public struct SitingError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
