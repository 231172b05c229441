#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Candidate sites and demand points for a zone whose city profile lists none: a jittered
/// hexagonal lattice filling the disc of the zone's area around its centre — inside the city's outline
/// when it has one, nearest the centre first, so the zone keeps its area on land. Deterministic:
/// the jitter is seeded from the zone id with FNV-1a (never Swift's per-process `Hasher`), so
/// the same zone always gets the same points, on every machine and run.
public enum SiteGenerator {
    /// Most points one call generates; larger requests are clamped.
    public static let maxCount = 1_000_000

    /// `count` candidate sites `<zoneID>-c01`, `<zoneID>-c02`, … (at least two digits), nearest
    /// the centre first.
    public static func candidates(
        zoneID: String, centre: (Double, Double), areaKM2: Double, count: Int, within outline: Boundary? = nil
    ) -> [CandidateSite] {
        lattice(
            zoneID: zoneID, salt: "candidates", centre: centre, areaKM2: areaKM2, count: count,
            offset: (0, 0), within: outline
        )
        .enumerated().map { k, p in
            CandidateSite(
                id: "\(zoneID)-c\(padded(k + 1, width: max(2, digits(count))))",
                latitude: p.lat, longitude: p.lon)
        }
    }

    /// `count` demand points `<zoneID>-d001`, … (at least three digits) sharing `weight`: each
    /// point's share falls linearly from 1 at the centre to 0.5 at the rim (denser cores), and
    /// the shares sum to `weight`. The lattice is offset by half a cell from the candidates'.
    public static func demand(
        zoneID: String, centre: (Double, Double), areaKM2: Double, weight: Double, count: Int,
        within outline: Boundary? = nil
    ) -> [DemandPoint] {
        let points = lattice(
            zoneID: zoneID, salt: "demand", centre: centre, areaKM2: areaKM2,
            count: count, offset: (0.5, 0.5), within: outline)
        guard !points.isEmpty else { return [] }
        let rim = max(points.map(\.distance).max() ?? 0, 1e-12)
        let shares = points.map { 1 - 0.5 * min(1, $0.distance / rim) }
        var shareSum = 0.0
        for s in shares { shareSum += s }
        let w = weight.isFinite && weight > 0 ? weight : 0
        return points.enumerated().map { k, p in
            DemandPoint(
                id: "\(zoneID)-d\(padded(k + 1, width: max(3, digits(count))))",
                latitude: p.lat, longitude: p.lon, weight: w * shares[k] / shareSum)
        }
    }

    // MARK: - lattice

    private struct Point {
        var lat: Double
        var lon: Double
        var distance: Double  // km from the centre, before jitter
    }

    private static func lattice(
        zoneID: String, salt: String, centre: (Double, Double), areaKM2: Double, count: Int,
        offset: (Double, Double), within outline: Boundary?
    ) -> [Point] {
        let n = min(max(count, 0), maxCount)
        guard n > 0 else { return [] }
        let lat0 = centre.0.isFinite ? min(90, max(-90, centre.0)) : 0
        let lon0 = centre.1.isFinite ? min(180, max(-180, centre.1)) : 0
        let area = areaKM2.isFinite && areaKM2 > 0 ? areaKM2 : 0
        // Hexagonal cell area is (√3/2)·s²; n cells fill the zone's area.
        let spacing = (area / (Double(n) * 3.0.squareRoot() / 2)).squareRoot()
        // Lattice points (a, b) ↦ (a + b/2, b·√3/2)·s have squared norm (a² + ab + b²)·s²:
        // integers, so "nearest the centre first" has exact ties, broken by (a, b).
        // Inside an outline, sites outside it are skipped: look as far as twice the disc's radius (four times its
        // area, enough for a zone three quarters at sea) and no farther, so a zone never takes points from elsewhere.
        let discRadius = (Double(n) * 3.0.squareRoot() / (2 * Double.pi)).squareRoot()
        let farthestNorm = outline == nil ? Double.infinity : (2 * discRadius) * (2 * discRadius)
        // The square |a|, |b| ≤ reach holds every lattice point within √3/2 · reach of the centre.
        let reach =
            outline == nil
            ? Int(Double(n).squareRoot().rounded(.up)) + 2 : Int((4 * discRadius / 3.0.squareRoot()).rounded(.up)) + 2
        var sites: [(norm: Double, a: Int, b: Int)] = []
        sites.reserveCapacity((2 * reach + 1) * (2 * reach + 1))
        for a in -reach...reach {
            for b in -reach...reach {
                let x = Double(a) + offset.0 + (Double(b) + offset.1) / 2
                let y = (Double(b) + offset.1) * 3.0.squareRoot() / 2
                sites.append((x * x + y * y, a, b))
            }
        }
        sites.sort { l, r in
            if l.norm != r.norm { return l.norm < r.norm }
            if l.a != r.a { return l.a < r.a }
            return l.b < r.b
        }
        var rng = SplitMix64(seed: fnv1a64(zoneID + "\u{0}" + salt))
        let kmPerDegree = earthRadiusKM * Double.pi / 180
        let cosLat = max(cos(lat0 * Double.pi / 180), 1e-6)
        var out: [Point] = []
        out.reserveCapacity(n)
        for s in outline == nil ? sites[..<min(n, sites.count)] : sites[...] {
            if out.count == n || s.norm > farthestNorm { break }
            let baseX = (Double(s.a) + offset.0 + (Double(s.b) + offset.1) / 2) * spacing
            let baseY = (Double(s.b) + offset.1) * 3.0.squareRoot() / 2 * spacing
            let jx = (rng.unit() - 0.5) * 0.5 * spacing
            let jy = (rng.unit() - 0.5) * 0.5 * spacing
            let lat = min(90, max(-90, lat0 + (baseY + jy) / kmPerDegree))
            var lon = lon0 + (baseX + jx) / (kmPerDegree * cosLat)
            if lon > 180 { lon -= 360 }
            if lon < -180 { lon += 360 }
            let point = Point(lat: lat, lon: min(180, max(-180, lon)), distance: s.norm.squareRoot() * spacing)
            if let outline, !outline.contains(latitude: point.lat, longitude: point.lon) { continue }
            out.append(point)
        }
        return out
    }

    private static func digits(_ n: Int) -> Int { String(max(n, 0)).count }

    /// `k` in decimal, zero-padded to `width` digits (site and point ids).
    static func padded(_ k: Int, width: Int) -> String {
        let s = String(k)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// 64-bit FNV-1a of the UTF-8 bytes: a stable hash (same value on every run and platform).
func fnv1a64(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }
    return h
}

/// SplitMix64: a tiny, well-mixed PRNG whose sequence is fixed by its seed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
