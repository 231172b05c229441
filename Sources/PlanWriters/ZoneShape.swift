import Foundation
import PlanningEngine

/// The outline a zone is drawn with, on the report map and in GeoJSON: its outline file's parts or the profile's
/// `boundary:` ring where it has one, a corridor's `line:` where it has that, otherwise a circle of the zone's area
/// around its centre — what the planner knows, no more.
public enum ZoneShape {
    public enum Geometry: Sendable, Equatable {
        /// Closed rings (each one's last point its first), counter-clockwise, one per part of the zone.
        case polygons([[GeoPoint]])
        case line([GeoPoint])
    }

    /// The `name` of a zone drawn as the circle of its area.
    public static let circleName = "circle of the zone's area"

    /// What `geometry` drew: `boundary`, `line` or `circleName` (GeoJSON's `shape` property).
    public static func name(_ zone: ZoneSummary) -> String {
        if zone.boundary?.isEmpty == false || zone.parts?.isEmpty == false { return "boundary" }
        return zone.line?.isEmpty == false ? "line" : circleName
    }

    /// The outline file's parts, else the boundary, as closed counter-clockwise rings; else the line; else the
    /// circle's polygon.
    public static func geometry(_ zone: ZoneSummary) -> Geometry {
        let projection = LocalProjection(latitude: zone.latitude, longitude: zone.longitude)
        let rings = (zone.parts ?? [zone.boundary].compactMap { $0 }).filter { $0.count >= 3 }
        if !rings.isEmpty {
            return .polygons(
                rings.map { boundary in
                    var ring = boundary
                    if signedAreaKM2(ring, projection) < 0 { ring.reverse() }
                    if let first = ring.first, ring.last != first { ring.append(first) }
                    return ring
                })
        }
        if let line = zone.line, line.count >= 2 { return .line(line) }
        return .polygons([ring(zone).map { GeoPoint(latitude: $0.latitude, longitude: $0.longitude) }])
    }

    /// The shoelace area of a ring (closed or not) in km², positive when counter-clockwise.
    public static func signedAreaKM2(_ ring: [GeoPoint], _ projection: LocalProjection) -> Double {
        let points = ring.map { projection.project(latitude: $0.latitude, longitude: $0.longitude) }
        guard let first = points.first else { return 0 }
        let closed = points + [first]
        return zip(closed, closed.dropFirst()).reduce(0.0) { $0 + ($1.0.xKM * $1.1.yKM - $1.1.xKM * $1.0.yKM) } / 2
    }

    /// Vertices of the polygon a circle becomes in GeoJSON.
    public static let polygonVertices = 64

    /// The radius of the circle whose area is the zone's area.
    public static func circleRadiusKM(areaKM2: Double) -> Double {
        areaKM2.isFinite && areaKM2 > 0 ? (areaKM2 / Double.pi).squareRoot() : 0
    }

    /// The circumradius of a regular `vertices`-gon of area `areaKM2`: a little larger than the circle's radius, so
    /// the polygon has the zone's area (a polygon inscribed in the circle would have 0.16 % less at 64 vertices).
    public static func polygonRadiusKM(areaKM2: Double, vertices: Int = polygonVertices) -> Double {
        guard areaKM2.isFinite, areaKM2 > 0, vertices >= 3 else { return 0 }
        let n = Double(vertices)
        return (2 * areaKM2 / (n * sin(2 * Double.pi / n))).squareRoot()
    }

    /// The zone's circle as a closed ring of (latitude, longitude), counter-clockwise (east first) as GeoJSON's
    /// right-hand rule asks; the last point is the first.
    public static func ring(
        _ zone: ZoneSummary, vertices: Int = polygonVertices
    )
        -> [(latitude: Double, longitude: Double)]
    {
        let projection = LocalProjection(latitude: zone.latitude, longitude: zone.longitude)
        let radius = polygonRadiusKM(areaKM2: zone.areaKM2, vertices: vertices)
        let count = max(3, vertices)
        var ring = (0..<count).map { index in
            let angle = 2 * Double.pi * Double(index) / Double(count)
            return projection.unproject(xKM: radius * cos(angle), yKM: radius * sin(angle))
        }
        if let first = ring.first { ring.append(first) }
        return ring
    }
}
