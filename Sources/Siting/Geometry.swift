#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Mean Earth radius (IUGG), the one every distance in chargeplan uses.
public let earthRadiusKM = 6371.0088

/// Great-circle distance in kilometres between two `(latitude, longitude)` points in degrees
/// (haversine formula, sphere of radius 6371.0088 km). The single definition of "within the
/// radius" everywhere in siting, so tests, solver and reports agree to the last bit.
public func greatCircleKM(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
    let rad = Double.pi / 180
    let phi1 = a.0 * rad
    let phi2 = b.0 * rad
    let dPhi = (b.0 - a.0) * rad
    let dLambda = (b.1 - a.1) * rad
    let s1 = sin(dPhi / 2)
    let s2 = sin(dLambda / 2)
    let h = s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2
    return 2 * earthRadiusKM * asin(min(1, max(0, h).squareRoot()))
}

/// A point on the sphere as a 3-D vector of length `earthRadiusKM`: straight-line (chord)
/// distances between these are monotone in great-circle distance and free of the pole and
/// antimeridian special cases of a lat/lon grid.
struct Vec3 {
    var x: Double
    var y: Double
    var z: Double

    init(latitude: Double, longitude: Double) {
        let rad = Double.pi / 180
        let phi = latitude * rad
        let lambda = longitude * rad
        let c = cos(phi)
        x = earthRadiusKM * c * cos(lambda)
        y = earthRadiusKM * c * sin(lambda)
        z = earthRadiusKM * sin(phi)
    }

    @inline(__always)
    func chord2(_ o: Vec3) -> Double {
        let dx = x - o.x
        let dy = y - o.y
        let dz = z - o.z
        return dx * dx + dy * dy + dz * dz
    }
}

/// Chord length for a great-circle distance, clamped to the sphere's diameter.
func chordKM(forGreatCircleKM d: Double) -> Double {
    if d >= Double.pi * earthRadiusKM { return 2 * earthRadiusKM }
    return 2 * earthRadiusKM * sin(d / (2 * earthRadiusKM))
}

/// Decides `greatCircleKM(a, b) <= limit` (or `< limit`) exactly as the haversine formula would,
/// but answers most pairs from the cheap chord length and only the borderline ones by haversine.
struct DistanceTest {
    let limitKM: Double
    let inner2: Double  // chord² certainly within
    let outer2: Double  // chord² certainly beyond

    init(limitKM: Double) {
        self.limitKM = limitKM
        let c = chordKM(forGreatCircleKM: limitKM)
        let eps = c * 1e-7 + 1e-7
        let lo = max(0, c - eps)
        let hi = c + eps
        inner2 = lo * lo
        outer2 = hi * hi
    }

    /// `greatCircleKM(a, b) <= limitKM`.
    @inline(__always)
    func within(_ va: Vec3, _ vb: Vec3, _ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        let d2 = va.chord2(vb)
        if d2 < inner2 { return true }
        if d2 > outer2 { return false }
        return greatCircleKM(a, b) <= limitKM
    }

    /// `greatCircleKM(a, b) < limitKM`.
    @inline(__always)
    func strictlyWithin(_ va: Vec3, _ vb: Vec3, _ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        let d2 = va.chord2(vb)
        if d2 < inner2 { return true }
        if d2 > outer2 { return false }
        return greatCircleKM(a, b) < limitKM
    }
}

/// Grid buckets over 3-D points with a cell edge at least the query chord, so all points within
/// the query distance of `p` lie in the 27 cells around `p`'s cell. Points are kept sorted by
/// cell (no hashing), so queries are a few binary searches and results are deterministic.
struct SphereGrid {
    struct Cell: Comparable {
        var x: Int
        var y: Int
        var z: Int
        static func < (l: Cell, r: Cell) -> Bool {
            if l.x != r.x { return l.x < r.x }
            if l.y != r.y { return l.y < r.y }
            return l.z < r.z
        }
    }

    let cellKM: Double
    private(set) var cells: [Cell] = []
    /// Point indices sorted by (cell, index).
    private(set) var order: [Int32] = []

    init(points: [Vec3], queryKM: Double) {
        // A tiny floor keeps cell indices well inside Int range whatever the radius.
        cellKM = max(chordKM(forGreatCircleKM: queryKM) * (1 + 1e-9), 1e-6)
        (cells, order) = cellOrder(of: points) { cell(of: $0) }
    }

    func cell(of p: Vec3) -> Cell {
        Cell(
            x: Int((p.x / cellKM).rounded(.down)), y: Int((p.y / cellKM).rounded(.down)),
            z: Int((p.z / cellKM).rounded(.down)))
    }

    /// Calls `body` with every point index in the cells around `p` (a superset of the points
    /// within the query distance).
    @inline(__always)
    func forEachNear(_ p: Vec3, _ body: (Int) -> Void) {
        let c = cell(of: p)
        for dx in -1...1 {
            for dy in -1...1 {
                let start = cells.lowerBound(of: Cell(x: c.x + dx, y: c.y + dy, z: c.z - 1))
                let end = cells.lowerBound(of: Cell(x: c.x + dx, y: c.y + dy, z: c.z + 2))
                var k = start
                while k < end {
                    body(Int(order[k]))
                    k += 1
                }
            }
        }
    }
}
