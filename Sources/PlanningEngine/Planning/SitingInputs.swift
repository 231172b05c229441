import Siting

/// Candidate sites and demand points of a city: the profile's own, or generated reproducibly when the profile
/// lists none — inside the zone's own outline where it has one, else from its centre and area (docs/SITING.md).
enum SitingInputs {
    struct Candidate {
        var id: String
        var zoneIndex: Int
        var globalIndex: Int
        var latitude: Double
        var longitude: Double
        var ports: Int
        var existing: Bool
    }

    struct Point {
        var id: String
        var zoneIndex: Int
        var latitude: Double
        var longitude: Double
        /// Share of the zone's weight this point carries.
        var share: Double
    }

    static let generatedDemandPointsPerZone = 24
    /// The most candidate sites generated for one zone.
    static let maxGeneratedCandidates = 400

    static func candidates(city: CityProfile, unit: UnitType, stationsPerZone: [Int]) -> [Candidate] {
        var result: [Candidate] = []
        let zoneIndex = Dictionary(city.zones.enumerated().map { ($1.id.value, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, zone) in city.zones.enumerated() {
            let listed = city.candidateSites.filter { $0.zone.value == zone.id.value }
            if !listed.isEmpty {
                for site in listed where site.gridKW >= unit.powerKW || site.existing {
                    let gridPorts =
                        unit.powerKW > 0 ? Int(min(1e6, (site.gridKW / unit.powerKW).rounded(.down))) : site.maxPorts
                    result.append(
                        Candidate(
                            id: site.id.value, zoneIndex: zoneIndex[site.zone.value] ?? index,
                            globalIndex: result.count,
                            latitude: site.latitude, longitude: site.longitude,
                            ports: max(1, min(unit.portsPerSite, site.maxPorts, gridPorts)), existing: site.existing))
                }
                continue
            }
            let needed = index < stationsPerZone.count ? stationsPerZone[index] : 0
            guard needed > 0 else { continue }
            let count = min(maxGeneratedCandidates, max(4, needed * 2))
            let sites =
                zone.outline.map { OutlineSampler.candidates(zoneID: zone.id.value, inside: $0, count: count) }
                ?? generated(within: city.boundary) { outline in
                    SiteGenerator.candidates(
                        zoneID: zone.id.value, centre: (zone.latitude, zone.longitude),
                        areaKM2: zone.areaKM2, count: count, within: outline)
                }
            for site in sites {
                result.append(
                    Candidate(
                        id: site.id, zoneIndex: index, globalIndex: result.count, latitude: site.latitude,
                        longitude: site.longitude, ports: unit.portsPerSite, existing: false))
            }
        }
        return result
    }

    static func demandPoints(city: CityProfile) -> [Point] {
        var result: [Point] = []
        for (index, zone) in city.zones.enumerated() {
            let listed = city.demandPoints.filter { $0.zone.value == zone.id.value }
            if !listed.isEmpty {
                let total = listed.reduce(0) { $0 + $1.weight }
                for point in listed {
                    result.append(
                        Point(
                            id: point.id.value, zoneIndex: index, latitude: point.latitude, longitude: point.longitude,
                            share: total > 0 ? point.weight / total : 1 / Double(listed.count)))
                }
                continue
            }
            let points =
                zone.outline.map {
                    OutlineSampler.demand(
                        zoneID: zone.id.value, inside: $0, weight: 1, count: generatedDemandPointsPerZone)
                }
                ?? generated(within: city.boundary) { outline in
                    SiteGenerator.demand(
                        zoneID: zone.id.value, centre: (zone.latitude, zone.longitude),
                        areaKM2: zone.areaKM2, weight: 1, count: generatedDemandPointsPerZone, within: outline)
                }
            let total = points.reduce(0) { $0 + $1.weight }
            for point in points {
                result.append(
                    Point(
                        id: point.id, zoneIndex: index, latitude: point.latitude, longitude: point.longitude,
                        share: total > 0 ? point.weight / total : 1 / Double(max(1, points.count))))
            }
        }
        return result
    }

    /// Points generated inside the city's outline; where none falls inside it (a zone centre far outside), the
    /// zone's disc as if there were no outline, so a zone is never left without demand or candidates.
    static func generated<T>(within outline: Boundary?, _ generate: (Boundary?) -> [T]) -> [T] {
        guard let outline else { return generate(nil) }
        let inside = generate(outline)
        return inside.isEmpty ? generate(nil) : inside
    }
}
