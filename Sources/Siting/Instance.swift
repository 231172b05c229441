import Foundation

/// A standalone siting instance, the file `chargeplan site --instance` reads: lets a siting
/// question be solved, benchmarked and compared with other solvers outside any city plan.
///
/// ```json
/// {"radius_km": 5, "p": 10, "min_spacing_km": 1,
///  "demand": [{"id": "d1", "lat": 31.8, "lon": 119.9, "weight": 120}],
///  "candidates": [{"id": "c1", "lat": 31.8, "lon": 119.95}],
///  "fixed": ["c1"]}
/// ```
/// Unknown keys are errors; `min_spacing_km` and `fixed` are optional. `"metric": "euclidean"` places
/// points by planar `x`/`y` (with `radius`, `min_spacing`), `"metric": "matrix"` gives `distances`
/// outright (see `SitingInstance.Metric` and docs/SITING.md).
public struct SitingInstance: Sendable {
    public var problem: SitingProblem

    public init(problem: SitingProblem) { self.problem = problem }

    /// Parses and checks an instance; the error message starts with a JSON path or line:column.
    public static func parse(json: [UInt8]) throws(SitingError) -> SitingInstance {
        let root = try JSONParser.parse(json)
        guard case .object(let members) = root else {
            throw SitingError("the instance must be a JSON object, got \(root.kindName)")
        }
        let metric = try Metric(members)
        try checkKeys(members, allowed: metric.instanceKeys, at: "instance")
        let radiusKey = metric.radiusKey
        let radius = try number(try required(members, radiusKey, at: "instance"), at: radiusKey)
        guard radius > 0 else { throw SitingError("\(radiusKey): the radius must be positive, got \(radius)") }
        let p = try integer(try required(members, "p", at: "instance"), at: "p")
        var spacing: Double?
        if let s = member(members, metric.spacingKey), s != .null {
            let value = try number(s, at: metric.spacingKey)
            guard value >= 0 else {
                throw SitingError("\(metric.spacingKey): the minimum spacing must be ≥ 0, got \(value)")
            }
            spacing = value
        }
        guard case .array(let demandItems) = try required(members, "demand", at: "instance") else {
            throw SitingError("demand: expected an array")
        }
        guard case .array(let candidateItems) = try required(members, "candidates", at: "instance") else {
            throw SitingError("candidates: expected an array")
        }
        var demand: [DemandPoint] = []
        var demandXY: [PlanarPoint] = []
        demand.reserveCapacity(demandItems.count)
        for (i, item) in demandItems.enumerated() {
            let point = try point(item, at: "demand[\(i)]", metric: metric, weighted: true)
            demand.append(DemandPoint(id: point.id, latitude: point.lat, longitude: point.lon, weight: point.weight))
            if metric == .euclidean { demandXY.append(point.xy) }
        }
        var candidates: [CandidateSite] = []
        var candidateXY: [PlanarPoint] = []
        candidates.reserveCapacity(candidateItems.count)
        for (j, item) in candidateItems.enumerated() {
            let point = try point(item, at: "candidates[\(j)]", metric: metric, weighted: false)
            candidates.append(CandidateSite(id: point.id, latitude: point.lat, longitude: point.lon))
            if metric == .euclidean { candidateXY.append(point.xy) }
        }
        let fixed = try fixedCandidates(members, candidates)
        let problem = SitingProblem(
            demand: demand, candidates: candidates, radiusKM: radius, stationCount: p,
            minSpacingKM: spacing, fixed: fixed,
            metric: try sitingMetric(metric, members: members, demandXY: demandXY, candidateXY: candidateXY))
        try SitingSolver.validate(problem)
        return SitingInstance(problem: problem)
    }

    /// One demand point or candidate: its id, where it is (by the metric's keys, zero for the others) and, for
    /// demand, its weight.
    private static func point(
        _ item: JSONValue, at: String, metric: Metric, weighted: Bool
    ) throws(SitingError) -> (
        id: String, lat: Double, lon: Double, xy: PlanarPoint, weight: Double
    ) {
        guard case .object(let m) = item else { throw SitingError("\(at): expected an object") }
        try metric.checkNoForeignCoordinates(m, at: at)
        let place = metric.coordinateKeys
        try checkKeys(m, allowed: ["id"] + place + (weighted ? ["weight"] : []), at: at)
        let id = try string(try required(m, "id", at: at), at: at + ".id")
        var c = (0.0, 0.0)
        if place.count == 2 {
            c.0 = try number(try required(m, place[0], at: at), at: at + "." + place[0])
            c.1 = try number(try required(m, place[1], at: at), at: at + "." + place[1])
        }
        let weight = weighted ? try number(try required(m, "weight", at: at), at: at + ".weight") : 0
        return metric == .greatCircle
            ? (id, c.0, c.1, PlanarPoint(x: 0, y: 0), weight) : (id, 0, 0, PlanarPoint(x: c.0, y: c.1), weight)
    }

    /// The `"fixed"` ids as candidate indices; candidate ids must be unique to be referenced.
    private static func fixedCandidates(
        _ members: [(String, JSONValue)], _ candidates: [CandidateSite]
    ) throws(SitingError) -> [Int] {
        // Sort once instead of hashing.
        let byID = candidates.indices.sorted {
            candidates[$0].id != candidates[$1].id ? candidates[$0].id < candidates[$1].id : $0 < $1
        }
        for k in byID.indices.dropFirst() where candidates[byID[k]].id == candidates[byID[k - 1]].id {
            throw SitingError("candidates[\(byID[k])].id: duplicate candidate id \"\(candidates[byID[k]].id)\"")
        }
        var fixed: [Int] = []
        if let f = member(members, "fixed"), f != .null {
            guard case .array(let ids) = f else { throw SitingError("fixed: expected an array of candidate ids") }
            for (q, v) in ids.enumerated() {
                let id = try string(v, at: "fixed[\(q)]")
                guard let j = lookup(id, in: byID, candidates) else {
                    throw SitingError("fixed[\(q)]: unknown candidate id \"\(id)\"")
                }
                if fixed.contains(j) { throw SitingError("fixed[\(q)]: candidate \"\(id)\" is listed twice") }
                fixed.append(j)
            }
        }
        return fixed
    }

    public static func parse(json: String) throws(SitingError) -> SitingInstance {
        try parse(json: Array(json.utf8))
    }

    public func solve() throws(SitingError) -> SitingSolution {
        try SitingSolver.solve(problem)
    }

    /// The canonical JSON answer: sorted keys, ids instead of indices, numbers with exactly six
    /// decimals (no exponent, no -0) and nothing that varies between runs (no timings).
    public func encode(_ s: SitingSolution) -> String {
        func ids(_ list: [Int]) -> String {
            "[" + list.map { jsonString(problem.candidates[$0].id) }.joined(separator: ", ") + "]"
        }
        var lines: [String] = []
        lines.append("  \"chosen\": \(ids(s.chosen))")
        lines.append("  \"coverage_ratio\": \(canonicalNumber(s.coverageRatio))")
        lines.append("  \"covered_weight\": \(canonicalNumber(s.coveredWeight))")
        lines.append(
            "  \"covered_weight_by_chosen\": ["
                + s.coveredWeightByChosen.map { canonicalNumber($0) }.joined(separator: ", ") + "]")
        lines.append("  \"fixed\": \(ids(problem.fixed))")
        lines.append("  \"p\": \(problem.stationCount)")
        lines.append("  \"proved_optimal\": \(s.provedOptimal)")
        lines.append("  \"shortfall\": \(s.shortfall)")
        lines.append("  \"total_weight\": \(canonicalNumber(s.totalWeight))")
        lines.append("  \"upper_bound\": " + (s.upperBound.map { canonicalNumber($0) } ?? "null"))
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// Parse, solve, encode: everything `chargeplan site` does between reading and printing.
    public static func run(json: [UInt8]) throws(SitingError) -> String {
        let instance = try parse(json: json)
        return instance.encode(try instance.solve())
    }

    // MARK: - helpers

    static func member(_ m: [(String, JSONValue)], _ key: String) -> JSONValue? {
        m.first(where: { $0.0 == key })?.1
    }

    static func required(_ m: [(String, JSONValue)], _ key: String, at: String) throws(SitingError) -> JSONValue {
        guard let v = member(m, key) else { throw SitingError("\(at): missing key \"\(key)\"") }
        return v
    }

    static func checkKeys(_ m: [(String, JSONValue)], allowed: [String], at: String) throws(SitingError) {
        for (k, _) in m where !allowed.contains(k) {
            throw SitingError("\(at): unknown key \"\(k)\" (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    static func number(_ v: JSONValue, at: String) throws(SitingError) -> Double {
        guard case .number(let text) = v else { throw SitingError("\(at): expected a number, got \(v.kindName)") }
        guard let d = Double(text), d.isFinite else { throw SitingError("\(at): number \(text) is out of range") }
        return d
    }

    static func integer(_ v: JSONValue, at: String) throws(SitingError) -> Int {
        guard case .number(let text) = v else { throw SitingError("\(at): expected an integer, got \(v.kindName)") }
        if let i = Int(text) { return i }
        // Accept integral values written as 10.0 or 1e2, within the exactly representable range.
        if let d = Double(text), d.isFinite, d == d.rounded(), abs(d) <= 9_007_199_254_740_992, let i = Int(exactly: d)
        {
            return i
        }
        throw SitingError("\(at): expected an integer, got \(text)")
    }

    static func string(_ v: JSONValue, at: String) throws(SitingError) -> String {
        guard case .string(let s) = v else { throw SitingError("\(at): expected a string, got \(v.kindName)") }
        return s
    }

    private static func lookup(_ id: String, in byID: [Int], _ candidates: [CandidateSite]) -> Int? {
        var lo = 0
        var hi = byID.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if candidates[byID[mid]].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < byID.count && candidates[byID[lo]].id == id ? byID[lo] : nil
    }
}

/// A number as plan files print it: fixed six decimals, never an exponent, never `-0`.
func canonicalNumber(_ x: Double, decimals: Int = 6) -> String {
    guard x.isFinite else { return "null" }
    let d = min(max(decimals, 0), 12)
    var s = String(format: "%.\(d)f", x)
    if s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
    return s
}

/// A JSON string literal with the mandatory escapes.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
