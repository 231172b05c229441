import Foundation
import PlanningEngine

/// The outline a zone is drawn with, on the report map and in GeoJSON. Profiles give a zone its centre and area
/// (no boundary), so a zone is a circle of its area around its centre: what the planner knows, no more.
public enum ZoneShape {
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

    /// The zone's polygon as a closed ring of (latitude, longitude), counter-clockwise (east first) as GeoJSON's
    /// right-hand rule asks; the last point is the first.
    public static func ring(_ zone: ZoneSummary, vertices: Int = polygonVertices) -> [(latitude: Double, longitude: Double)] {
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
