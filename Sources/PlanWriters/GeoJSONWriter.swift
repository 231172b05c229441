import PlanningEngine

/// Zones and stations as GeoJSON (RFC 7946), for any map tool: each zone a Polygon (its boundary, or a 64-gon of
/// its area around its centre, `ZoneShape`) or, a corridor with a `line:`, a LineString, carrying its kind and the
/// plan's numbers of the last year; each station a Point with its opening year. `<city>.geojson` per city,
/// `_summary.geojson` for the rollout.
/// Coordinates have 5 decimals (about 1 m); one feature per line, in plan order, so the bytes are stable.
public enum GeoJSONWriter {
    /// Decimals of a coordinate.
    public static let coordinateDigits = 5

    public static func city(_ plan: CityPlan) -> String {
        collection(features(plan))
    }

    /// Every city's features in one collection, cities by id as the rollout lists them.
    public static func rollout(_ rollout: RolloutPlan) -> String {
        collection(rollout.cities.flatMap(features))
    }

    static func collection(_ features: [PlanNode]) -> String {
        JSONEmitter.emit(.object([("type", .string("FeatureCollection")), ("features", .array(features))]))
    }

    static func features(_ plan: CityPlan) -> [PlanNode] {
        let units = CityReportWriter.unitIDs(plan.zoneYears.map(\.units))
        var features: [PlanNode] = []
        for zone in plan.zones {
            let last = plan.zoneYears.first { $0.zone == zone.id && $0.year == plan.lastYear }
            var properties: [(String, PlanNode)] = [
                ("feature", .string("zone")), ("rollout", .string(plan.rollout)), ("city", .string(plan.city)),
                ("id", .string(zone.id)), ("kind", .string(zone.kind)),
                ("population", .number(CanonicalNumber.fixed(zone.population, digits: 0))),
                ("area_km2", .number(CanonicalNumber.fixed(zone.areaKM2, digits: 1))),
                ("shape", .string(ZoneShape.name(zone))), ("year", .int(plan.lastYear)),
            ]
            for unit in units {
                let row = last?.units.first { $0.unit == unit }
                properties += [
                    ("\(unit)_installed_units", .int(row?.installed ?? 0)), ("\(unit)_new_units", .int(row?.new ?? 0)),
                    ("\(unit)_unmet_units", .int(row?.unmet ?? 0)),
                ]
            }
            let demand = last?.units.reduce(0) { $0 &+ $1.demand } ?? 0
            let unmet = last?.units.reduce(0) { $0 &+ $1.unmet } ?? 0
            let share = demand > 0 ? Double(unmet) / Double(demand) : 0
            properties.append(("unmet_share", .number(CanonicalNumber.fixed(share, digits: 4))))
            let geometry: [(String, PlanNode)]
            switch ZoneShape.geometry(zone) {
            case .polygons(let rings) where rings.count == 1:
                let points: [PlanNode] = rings[0].map { point($0.latitude, $0.longitude) }
                geometry = [("type", .string("Polygon")), ("coordinates", .array([.array(points)]))]
            case .polygons(let rings):
                let parts: [PlanNode] = rings.map { ring in
                    .array([.array(ring.map { point($0.latitude, $0.longitude) })])
                }
                geometry = [("type", .string("MultiPolygon")), ("coordinates", .array(parts))]
            case .line(let line):
                geometry = [
                    ("type", .string("LineString")),
                    ("coordinates", .array(line.map { point($0.latitude, $0.longitude) })),
                ]
            }
            features.append(feature(geometry: geometry, properties: properties))
        }
        for s in plan.stations {
            features.append(
                feature(
                    geometry: [("type", .string("Point")), ("coordinates", point(s.latitude, s.longitude))],
                    properties: [
                        ("feature", .string("station")), ("rollout", .string(plan.rollout)),
                        ("city", .string(plan.city)), ("id", .string(s.id)), ("unit", .string(s.unit)),
                        ("zone", .string(s.zone)), ("ports", .int(s.ports)),
                        ("ports_by_year", PlanDocument.portsByYear(s)), ("opening_year", .int(s.openingYear)),
                        ("existing", .bool(s.existing)),
                    ]))
        }
        return features
    }

    /// `[longitude, latitude]`, as GeoJSON orders them.
    static func point(_ latitude: Double, _ longitude: Double) -> PlanNode {
        .array([
            .number(CanonicalNumber.fixed(longitude, digits: coordinateDigits)),
            .number(CanonicalNumber.fixed(latitude, digits: coordinateDigits)),
        ])
    }

    private static func feature(geometry: [(String, PlanNode)], properties: [(String, PlanNode)]) -> PlanNode {
        .object([("type", .string("Feature")), ("geometry", .object(geometry)), ("properties", .object(properties))])
    }
}
