import Siting

/// A city as its profile describes it in its base year: the facts every rule starts from.
public struct CityProfile: Sendable {
    public var id: Located<String>
    public var file: String
    public var contentHash: String
    public var name: String
    public var province: String
    public var baseYear: Int
    /// The inputs the rule sets declare (`inputs: city:`), by dotted name.
    public var inputs: InputValues
    /// Existing chargers city-wide by unit type, sorted by unit id.
    public var existingChargers: [String: Double]
    /// Where each unit id of `existingChargers` was written.
    public var existingChargerKeys: [String: SourcePosition] = [:]
    public var targets: [SalesTarget]
    public var zones: [Zone]
    public var candidateSites: [CandidateSiteInput]
    public var demandPoints: [DemandPointInput]
    /// Real history of city-scope facts and unit counts (`observed:`), sorted by quantity.
    public var observed: [Observation] = []
    /// The city's outline (`boundary: geo/<file>.geojson`): generated points and candidates stay inside it.
    public var boundary: Boundary?
    /// Where `boundary:` points (`geo/haikou.geojson`, relative to Cities/), until the workspace reads the file.
    public var boundaryPath: Located<String>?
    /// The outline file read, with its hash, for the plan's `inputs:`.
    public var boundaryFile: InputHash?
}

/// A policy goal such as Hainan's 100 % EV share of new sales in 2030.
public struct SalesTarget: Sendable {
    public var year: Int
    public var evSalesShare: Double
}

/// A part of a city that gets its own units and its own lines in a plan.
public struct Zone: Sendable {
    public var id: Located<String>
    /// One of the rule sets' `zone_kinds:`.
    public var kind: String
    public var population: Double
    public var areaKM2: Double
    public var latitude: Double
    public var longitude: Double
    /// The inputs the rule sets declare (`inputs: zone:`), by dotted name.
    public var inputs: InputValues
    public var existingChargers: [String: Double]
    /// Where each unit id of `existingChargers` was written.
    public var existingChargerKeys: [String: SourcePosition] = [:]
    /// Real history of this zone's facts and unit counts (`observed:` of the zone), sorted by quantity.
    public var observed: [Observation] = []
    /// The zone's outline (`boundary:`, at least 3 points, not repeating the first), or empty: maps then draw a
    /// circle of the zone's area.
    public var boundary: [GeoPoint] = []
    /// A corridor's course (`line:`, at least 2 points), or empty.
    public var line: [GeoPoint] = []
    /// The zone's real outline (`boundary: geo/<file>.geojson`, e.g. a district's): its area and centre are taken
    /// from it, and generated demand points and candidates are sampled inside it.
    public var outline: Boundary?
    /// Where that `boundary:` points, until the workspace reads the file.
    public var outlinePath: Located<String>?
    /// The outline file read, with its hash, for the plan's `inputs:`.
    public var outlineFile: InputHash?
}

public struct CandidateSiteInput: Sendable {
    public var id: Located<String>
    public var zone: Located<String>
    public var latitude: Double
    public var longitude: Double
    public var gridKW: Double
    public var maxPorts: Int
    public var existing: Bool
}

public struct DemandPointInput: Sendable {
    public var id: Located<String>
    public var zone: Located<String>
    public var latitude: Double
    public var longitude: Double
    public var weight: Double
}
