#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An area's outline (a GeoJSON MultiPolygon, in degrees): points generated for its zones stay inside it, so a
/// coastal city's lattice does not put charging demand in the sea or stations across a border.
public struct Boundary: Sendable, Equatable {
    /// A closed ring (first point equals last), latitudes and longitudes side by side.
    public struct Ring: Sendable, Equatable {
        public let latitudes: [Double]
        public let longitudes: [Double]
        let minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double

        /// `points` as (latitude, longitude); the caller has checked that the ring is closed and has 4 or more.
        public init(_ points: [(latitude: Double, longitude: Double)]) {
            latitudes = points.map(\.latitude)
            longitudes = points.map(\.longitude)
            minLatitude = latitudes.min() ?? 0
            maxLatitude = latitudes.max() ?? 0
            minLongitude = longitudes.min() ?? 0
            maxLongitude = longitudes.max() ?? 0
        }

        /// Inside by the even-odd rule; a point on an edge or a vertex counts as inside.
        func contains(latitude y: Double, longitude x: Double) -> Bool {
            guard y >= minLatitude, y <= maxLatitude, x >= minLongitude, x <= maxLongitude else { return false }
            var inside = false
            for i in 1..<latitudes.count {
                let (y1, x1, y2, x2) = (latitudes[i - 1], longitudes[i - 1], latitudes[i], longitudes[i])
                if Self.onSegment(y, x, y1, x1, y2, x2) { return true }
                if (y1 > y) != (y2 > y), x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) { inside.toggle() }
            }
            return inside
        }

        private static func onSegment(
            _ y: Double, _ x: Double, _ y1: Double, _ x1: Double, _ y2: Double,
            _ x2: Double
        ) -> Bool {
            guard y >= min(y1, y2), y <= max(y1, y2), x >= min(x1, x2), x <= max(x1, x2) else { return false }
            return (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) == 0
        }

        /// Spherical area in km² (the formula of d3-geo and turf), positive whichever way the ring turns.
        public var areaKM2: Double {
            var total = 0.0
            for i in 1..<latitudes.count {
                let dLon = (longitudes[i] - longitudes[i - 1]) * Double.pi / 180
                total += dLon * (2 + sin(latitudes[i - 1] * Double.pi / 180) + sin(latitudes[i] * Double.pi / 180))
            }
            return abs(total) * earthRadiusKM * earthRadiusKM / 2
        }
    }

    /// A part of the outline: its outer ring, then its holes.
    public struct Polygon: Sendable, Equatable {
        public let outer: Ring
        public let holes: [Ring]

        public init(outer: Ring, holes: [Ring] = []) {
            self.outer = outer
            self.holes = holes
        }
    }

    public let polygons: [Polygon]

    public init(polygons: [Polygon]) {
        self.polygons = polygons
    }

    /// Inside some part and in none of that part's holes (a point on a hole's edge is inside the hole).
    public func contains(latitude: Double, longitude: Double) -> Bool {
        polygons.contains { polygon in
            polygon.outer.contains(latitude: latitude, longitude: longitude)
                && !polygon.holes.contains { $0.contains(latitude: latitude, longitude: longitude) }
        }
    }

    /// The outline's area in km²: the parts less their holes.
    public var areaKM2: Double {
        polygons.reduce(0) { sum, polygon in sum + polygon.outer.areaKM2 - polygon.holes.reduce(0) { $0 + $1.areaKM2 } }
    }

    public var vertexCount: Int {
        polygons.reduce(0) { $0 + $1.outer.latitudes.count + $1.holes.reduce(0) { $0 + $1.latitudes.count } }
    }
}
