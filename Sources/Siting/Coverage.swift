/// Who covers whom, as compressed adjacency lists (CSR) in both directions, built in
/// near-linear time with a `SphereGrid` (a `PlaneGrid` for planar instances, a scan of the matrix
/// for distance matrices): all the solver knows of the geometry. Every list is sorted by index, so every sum over a
/// list is taken in one fixed order and results are bit-for-bit reproducible.
struct CoverageIndex {
    let demandCount: Int
    let candidateCount: Int
    /// Demand weights by index; the only part a `SitingCoverageCache` changes between solves.
    var weight: [Double]
    /// Demand indices covered by candidate j: `candDemand[candStart[j]..<candStart[j+1]]`.
    let candStart: [Int]
    let candDemand: [Int32]
    /// Candidates covering demand i: `demCand[demStart[i]..<demStart[i+1]]`.
    let demStart: [Int]
    let demCand: [Int32]
    /// Candidates closer than the minimum spacing to candidate j (j itself excluded); empty
    /// lists when there is no spacing constraint.
    let conflictStart: [Int]
    let conflict: [Int32]
    let hasSpacing: Bool

    var entryCount: Int { candDemand.count }

    /// Sorted index lists per row (demand point or candidate), compressed: `items[start[r]..<start[r+1]]`.
    typealias Adjacency = (start: [Int], items: [Int32])

    init(
        demand: [DemandPoint], candidates: [CandidateSite], radiusKM: Double, minSpacingKM: Double?,
        metric: SitingMetric = .greatCircle
    ) {
        let n = demand.count
        let m = candidates.count
        demandCount = n
        candidateCount = m
        weight = demand.map(\.weight)
        let spacing = minSpacingKM.flatMap { $0 > 0 ? $0 : nil }
        let covers: Adjacency
        let conflicts: Adjacency?
        switch metric {
        case .greatCircle:
            (covers, conflicts) = Self.greatCircleLists(
                demand: demand, candidates: candidates, radiusKM: radiusKM, spacingKM: spacing)
        case .euclidean(let demandPoints, let candidatePoints):
            (covers, conflicts) = Self.planarLists(
                demand: demandPoints, candidates: candidatePoints, radius: radiusKM, spacing: spacing)
        case .matrix(let matrix):
            (covers, conflicts) = Self.matrixLists(
                matrix, demandCount: n, candidateCount: m, radius: radiusKM, spacing: spacing)
        }
        demStart = covers.start
        demCand = covers.items
        (candStart, candDemand) = Self.transpose(covers, columns: m)
        hasSpacing = conflicts != nil
        conflictStart = conflicts?.start ?? [Int](repeating: 0, count: m + 1)
        conflict = conflicts?.items ?? []
    }

    /// Candidate → demand lists from demand → candidate lists, filled in increasing demand order (so sorted).
    static func transpose(_ rows: Adjacency, columns m: Int) -> Adjacency {
        let n = rows.start.count - 1
        var count = [Int](repeating: 0, count: m)
        for j in rows.items { count[Int(j)] += 1 }
        var cStart = [Int](repeating: 0, count: m + 1)
        for j in 0..<m { cStart[j + 1] = cStart[j] + count[j] }
        var fill = cStart
        var cDem = [Int32](repeating: 0, count: rows.items.count)
        for i in 0..<n {
            for k in rows.start[i]..<rows.start[i + 1] {
                let j = Int(rows.items[k])
                cDem[fill[j]] = Int32(truncatingIfNeeded: i)
                fill[j] += 1
            }
        }
        return (cStart, cDem)
    }

    /// Coverage (haversine `<=` the radius) and spacing conflicts (`<` the spacing) on the sphere, with a
    /// `SphereGrid` and the chord pre-test of `DistanceTest`.
    static func greatCircleLists(
        demand: [DemandPoint], candidates: [CandidateSite], radiusKM: Double, spacingKM: Double?
    ) -> (covers: Adjacency, conflicts: Adjacency?) {
        let n = demand.count
        let m = candidates.count
        let cv = candidates.map { Vec3(latitude: $0.latitude, longitude: $0.longitude) }
        let cll = candidates.map { ($0.latitude, $0.longitude) }

        // Demand → candidates, demand by demand.
        let grid = SphereGrid(points: cv, queryKM: radiusKM)
        let test = DistanceTest(limitKM: radiusKM)
        var dStart = [Int](repeating: 0, count: n + 1)
        var dCand: [Int32] = []
        dCand.reserveCapacity(n * 4)
        var scratch: [Int32] = []
        for i in 0..<n {
            let p = Vec3(latitude: demand[i].latitude, longitude: demand[i].longitude)
            let ll = (demand[i].latitude, demand[i].longitude)
            scratch.removeAll(keepingCapacity: true)
            grid.forEachNear(p) { j in
                if test.within(p, cv[j], ll, cll[j]) { scratch.append(Int32(truncatingIfNeeded: j)) }
            }
            scratch.sort()
            dCand.append(contentsOf: scratch)
            dStart[i + 1] = dCand.count
        }
        guard let s = spacingKM else { return ((dStart, dCand), nil) }

        // Candidate ↔ candidate conflicts for the spacing constraint.
        var fStart = [Int](repeating: 0, count: m + 1)
        var f: [Int32] = []
        let sgrid = SphereGrid(points: cv, queryKM: s)
        let stest = DistanceTest(limitKM: s)
        for j in 0..<m {
            scratch.removeAll(keepingCapacity: true)
            sgrid.forEachNear(cv[j]) { k in
                if k != j && stest.strictlyWithin(cv[j], cv[k], cll[j], cll[k]) {
                    scratch.append(Int32(truncatingIfNeeded: k))
                }
            }
            scratch.sort()
            f.append(contentsOf: scratch)
            fStart[j + 1] = f.count
        }
        return ((dStart, dCand), (fStart, f))
    }
}
