#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Demand points and candidate sites of a zone with a real outline (a district's polygon): a jittered hexagonal
/// lattice laid over the whole outline and kept where it falls inside, so demand is spread over the district as it
/// is drawn, not over a disc around a guessed centre. Cells are sized so that about `count` fall inside; the
/// jitter is seeded from the zone id (FNV-1a), so the same outline always gives the same points.
public enum OutlineSampler {
    /// Lattice sites looked at per point asked for: bounds the work for an outline whose box is mostly empty
    /// (a thin coastal strip, islands far apart).
    static let maxSitesPerPoint = 400

    /// `count` (about) candidate sites `<zoneID>-c01`, … inside `outline`, nearest its interior point first.
    public static func candidates(zoneID: String, inside outline: Boundary, count: Int) -> [CandidateSite] {
        let points = lattice(zoneID: zoneID, salt: "candidates", outline: outline, count: count, offset: (0, 0))
        let width = max(2, String(points.count).count)
        return points.enumerated().map { k, p in
            CandidateSite(
                id: "\(zoneID)-c\(SiteGenerator.padded(k + 1, width: width))", latitude: p.lat, longitude: p.lon)
        }
    }

    /// `count` (about) demand points `<zoneID>-d001`, … inside `outline`, sharing `weight` equally: nothing finer
    /// than the zone's own figure says where in it people live.
    public static func demand(zoneID: String, inside outline: Boundary, weight: Double, count: Int) -> [DemandPoint] {
        let points = lattice(zoneID: zoneID, salt: "demand", outline: outline, count: count, offset: (0.5, 0.5))
        guard !points.isEmpty else { return [] }
        let w = weight.isFinite && weight > 0 ? weight / Double(points.count) : 0
        let width = max(3, String(points.count).count)
        return points.enumerated().map { k, p in
            DemandPoint(
                id: "\(zoneID)-d\(SiteGenerator.padded(k + 1, width: width))", latitude: p.lat, longitude: p.lon,
                weight: w)
        }
    }

    private struct Point {
        var lat: Double
        var lon: Double
        var norm: Double
    }

    /// Lattice points inside the outline, nearest the interior point first (ties by lattice index); the interior
    /// point alone when no cell centre falls inside (an outline smaller than one cell).
    private static func lattice(
        zoneID: String, salt: String, outline: Boundary, count: Int, offset: (Double, Double)
    ) -> [Point] {
        let n = min(max(count, 0), SiteGenerator.maxCount)
        guard n > 0, let centre = outline.interiorPoint, let box = outline.box else { return [] }
        let area = outline.areaKM2
        guard area.isFinite, area > 0 else { return [Point(lat: centre.latitude, lon: centre.longitude, norm: 0)] }
        let kmPerDegree = earthRadiusKM * Double.pi / 180
        let cosLat = max(cos(centre.latitude * Double.pi / 180), 1e-6)
        let spacing = (area / (Double(n) * 3.0.squareRoot() / 2)).squareRoot()
        let rowHeight = spacing * 3.0.squareRoot() / 2
        // The box in kilometres from the centre, then the lattice rows b and columns a that cover it.
        let south = (box.minLatitude - centre.latitude) * kmPerDegree
        let north = (box.maxLatitude - centre.latitude) * kmPerDegree
        let west = (box.minLongitude - centre.longitude) * kmPerDegree * cosLat
        let east = (box.maxLongitude - centre.longitude) * kmPerDegree * cosLat
        // Far more rows or columns than `maxSitesPerPoint` allows is refused before any Int conversion can trap.
        let rowSpan = (north - south) / rowHeight
        let columnSpan = max(abs(west), abs(east)) / spacing + (abs(south) + abs(north)) / rowHeight
        let limit = Double(n * maxSitesPerPoint)
        guard rowSpan.isFinite, columnSpan.isFinite, (rowSpan + 4) * (2 * columnSpan + 5) <= limit else {
            return [Point(lat: centre.latitude, lon: centre.longitude, norm: 0)]
        }
        let bLow = Int((south / rowHeight - offset.1).rounded(.down)) - 1
        let bHigh = Int((north / rowHeight - offset.1).rounded(.up)) + 1
        let columnsReach = Int(columnSpan.rounded(.up)) + 2
        var rng = SplitMix64(seed: fnv1a64(zoneID + "\u{0}outline-" + salt))
        var out: [(point: Point, a: Int, b: Int)] = []
        for b in bLow...bHigh {
            let y = (Double(b) + offset.1) * rowHeight
            for a in -columnsReach...columnsReach {
                let x = (Double(a) + offset.0 + (Double(b) + offset.1) / 2) * spacing
                // Draw the jitter for every site, inside or not, so a point's place depends on the lattice alone.
                let jx = (rng.unit() - 0.5) * 0.5 * spacing
                let jy = (rng.unit() - 0.5) * 0.5 * spacing
                guard x >= west - spacing, x <= east + spacing else { continue }
                let lat = min(90, max(-90, centre.latitude + (y + jy) / kmPerDegree))
                let lon = min(180, max(-180, centre.longitude + (x + jx) / (kmPerDegree * cosLat)))
                guard outline.contains(latitude: lat, longitude: lon) else { continue }
                out.append((Point(lat: lat, lon: lon, norm: x * x + y * y), a, b))
            }
        }
        guard !out.isEmpty else { return [Point(lat: centre.latitude, lon: centre.longitude, norm: 0)] }
        out.sort { l, r in
            if l.point.norm != r.point.norm { return l.point.norm < r.point.norm }
            return (l.a, l.b) < (r.a, r.b)
        }
        return out.map(\.point)
    }
}

extension Boundary {
    /// The box around every part, in degrees; nil for an outline with no vertex.
    public var box: (minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double)? {
        guard !polygons.isEmpty else { return nil }
        return (
            polygons.map(\.outer.minLatitude).min() ?? 0, polygons.map(\.outer.maxLatitude).max() ?? 0,
            polygons.map(\.outer.minLongitude).min() ?? 0, polygons.map(\.outer.maxLongitude).max() ?? 0
        )
    }

    /// A point inside the outline to stand for it (a zone's centre): the area-weighted centroid of its parts when
    /// that lies inside; otherwise the inside point nearest it on a 64 × 64 grid over the outline's box (a U-shaped
    /// district's centroid, or that of districts around another, falls outside); otherwise the centroid of the
    /// largest part, or that part's first vertex.
    public var interiorPoint: (latitude: Double, longitude: Double)? {
        guard let largest = polygons.max(by: { $0.outer.areaKM2 < $1.outer.areaKM2 }), let box else { return nil }
        var weight = 0.0
        var latitude = 0.0
        var longitude = 0.0
        for polygon in polygons {
            let area = polygon.outer.areaKM2
            let centroid = polygon.outer.centroid
            weight += area
            latitude += area * centroid.latitude
            longitude += area * centroid.longitude
        }
        let centroid =
            weight > 0 ? (latitude: latitude / weight, longitude: longitude / weight) : largest.outer.centroid
        if contains(latitude: centroid.latitude, longitude: centroid.longitude) { return centroid }
        let steps = 64
        let cosLat = max(cos(centroid.latitude * Double.pi / 180), 1e-6)
        var best: (latitude: Double, longitude: Double, d: Double)?
        for i in 0..<steps {
            for j in 0..<steps {
                let lat = box.minLatitude + (Double(i) + 0.5) / Double(steps) * (box.maxLatitude - box.minLatitude)
                let lon =
                    box.minLongitude + (Double(j) + 0.5) / Double(steps) * (box.maxLongitude - box.minLongitude)
                guard contains(latitude: lat, longitude: lon) else { continue }
                let dy = lat - centroid.latitude
                let dx = (lon - centroid.longitude) * cosLat
                let d = dx * dx + dy * dy
                if best.map({ d < $0.d }) ?? true { best = (lat, lon, d) }
            }
        }
        if let best { return (best.latitude, best.longitude) }
        let own = largest.outer.centroid
        if contains(latitude: own.latitude, longitude: own.longitude) { return own }
        return (largest.outer.latitudes[0], largest.outer.longitudes[0])
    }
}

extension Boundary.Ring {
    /// The area-weighted centroid of the ring in degrees (flat over a district's extent), or the mean of its
    /// vertices when the ring has no area.
    var centroid: (latitude: Double, longitude: Double) {
        let lat0 = latitudes[0]
        let lon0 = longitudes[0]
        var twiceArea = 0.0
        var cx = 0.0
        var cy = 0.0
        for i in 1..<latitudes.count {
            let (x1, y1) = (longitudes[i - 1] - lon0, latitudes[i - 1] - lat0)
            let (x2, y2) = (longitudes[i] - lon0, latitudes[i] - lat0)
            let cross = x1 * y2 - x2 * y1
            twiceArea += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        }
        guard twiceArea != 0, twiceArea.isFinite else {
            let count = Double(latitudes.count)
            return (latitudes.reduce(0, +) / count, longitudes.reduce(0, +) / count)
        }
        return (lat0 + cy / (3 * twiceArea), lon0 + cx / (3 * twiceArea))
    }
}
