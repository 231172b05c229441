import Foundation
import Siting

/// Reads a city's outline: `boundary: geo/<name>.geojson` names a GeoJSON file under Cities/ (a Feature, a
/// FeatureCollection of one Feature, or a bare Polygon / MultiPolygon), checked before the planner trusts a vertex.
enum BoundaryLoader {
    /// More vertices than a simplified district or county outline needs; a larger file is refused, not planned.
    static let maximumVertices = 200_000

    /// The path stays inside Cities/geo/: no folders, no `..`, no absolute paths. False (reported) otherwise: such a
    /// path is never read.
    @discardableResult
    static func checkPath(_ path: Located<String>, bag: inout DiagnosticBag) -> Bool {
        let name =
            path.value.hasPrefix("geo/") && path.value.hasSuffix(".geojson")
            ? String(path.value.dropFirst(4).dropLast(8)) : ""
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        let first = name.first.map { $0.isLetter || $0.isNumber } ?? false
        if name.isEmpty || name.count > 64 || !first || !name.allSatisfy(allowed.contains) {
            bag.error(
                "boundary must name a file geo/<name>.geojson under Cities/ (<name>: a-z, 0-9, '-', '_')",
                at: path.position, hint: "e.g. boundary: geo/haikou.geojson")
            return false
        }
        return true
    }

    /// A rule test's city (a fixture or inline) is planned without reading Cities/geo/: a zone there needs its
    /// own `area_km2` and `centre`, never a boundary file whose area would silently be 0.
    static func refuseZoneFiles(in city: CityProfile, bag: inout DiagnosticBag) {
        for zone in city.zones {
            guard let path = zone.outlinePath else { continue }
            bag.error(
                "a rule test's city cannot read a zone's boundary file", at: path.position,
                hint: "give the zone area_km2 and centre instead")
        }
    }

    /// The outline in `text` (the contents of `file`), or nil with the reasons in `bag`.
    static func parse(
        _ text: String, file: String, from reference: SourcePosition,
        bag: inout DiagnosticBag
    ) -> Boundary? {
        let at = SourcePosition(file: file, line: 1, column: 1)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            bag.append(
                .error("invalid GeoJSON: not JSON", at: at, hint: "boundary: at \(reference)", id: .geoJSONSyntax))
            return nil
        }
        var reader = Reader(file: at)
        guard let geometry = reader.geometry(of: json) else {
            bag.append(contentsOf: reader.problems)
            return nil
        }
        let boundary = reader.boundary(geometry)
        bag.append(contentsOf: reader.problems)
        return reader.problems.isEmpty ? boundary : nil
    }

    /// Walks the JSON, recording the first problem of each kind with the path to it.
    private struct Reader {
        let file: SourcePosition
        var problems: [Diagnostic] = []
        var vertices = 0

        mutating func fail<T>(_ message: String) -> T? {
            if problems.isEmpty { problems.append(.error("invalid GeoJSON: " + message, at: file)) }
            return nil
        }

        mutating func geometry(of json: Any) -> (type: String, coordinates: [Any])? {
            guard let object = json as? [String: Any], let type = object["type"] as? String else {
                return fail("expected an object with a \"type\"")
            }
            switch type {
            case "Feature":
                guard let inner = object["geometry"] else { return fail("a Feature without a \"geometry\"") }
                return geometry(of: inner)
            case "FeatureCollection":
                guard let features = object["features"] as? [Any], features.count == 1, let only = features.first else {
                    return fail("a FeatureCollection must hold exactly one Feature (the outline)")
                }
                return geometry(of: only)
            case "Polygon", "MultiPolygon":
                guard let coordinates = object["coordinates"] as? [Any] else {
                    return fail("\(type) without a \"coordinates\" array")
                }
                return (type, coordinates)
            default:
                return fail("a \(type) is not an outline: expected a Polygon or MultiPolygon")
            }
        }

        mutating func boundary(_ geometry: (type: String, coordinates: [Any])) -> Boundary? {
            let parts = geometry.type == "Polygon" ? [geometry.coordinates] : geometry.coordinates
            var polygons: [Boundary.Polygon] = []
            for (p, part) in parts.enumerated() {
                guard let rings = part as? [Any], !rings.isEmpty else { return fail("polygon \(p) has no rings") }
                var read: [Boundary.Ring] = []
                for (r, ring) in rings.enumerated() {
                    guard let ring = self.ring(ring, at: "polygon \(p), ring \(r)") else { return nil }
                    read.append(ring)
                }
                polygons.append(Boundary.Polygon(outer: read[0], holes: Array(read.dropFirst())))
            }
            guard !polygons.isEmpty else { return fail("no polygon") }
            return Boundary(polygons: polygons)
        }

        mutating func ring(_ json: Any, at place: String) -> Boundary.Ring? {
            guard let positions = json as? [Any], positions.count >= 4 else {
                return fail("\(place): a ring needs 4 or more positions")
            }
            vertices += positions.count
            if vertices > BoundaryLoader.maximumVertices {
                return fail("more than \(BoundaryLoader.maximumVertices) vertices; simplify the outline")
            }
            var points: [(latitude: Double, longitude: Double)] = []
            points.reserveCapacity(positions.count)
            for (k, position) in positions.enumerated() {
                guard let pair = position as? [Any], pair.count >= 2,
                    let longitude = (pair[0] as? NSNumber)?.doubleValue,
                    let latitude = (pair[1] as? NSNumber)?.doubleValue,
                    longitude.isFinite, latitude.isFinite
                else { return fail("\(place), position \(k): expected [longitude, latitude]") }
                guard (-180...180).contains(longitude), (-90...90).contains(latitude) else {
                    return fail("\(place), position \(k): [\(longitude), \(latitude)] is not a longitude and latitude")
                }
                points.append((latitude, longitude))
            }
            guard let first = points.first, let last = points.last,
                first.latitude == last.latitude, first.longitude == last.longitude
            else { return fail("\(place) is not closed: its last position must repeat its first") }
            return Boundary.Ring(points)
        }
    }
}

extension Zone {
    /// Takes the zone's area and centre from its outline (`boundary: geo/<file>.geojson`).
    mutating func adopt(_ outline: Boundary, file: InputHash) {
        self.outline = outline
        outlineFile = file
        areaKM2 = outline.areaKM2
        if let centre = outline.interiorPoint {
            latitude = centre.latitude
            longitude = centre.longitude
        }
    }
}
