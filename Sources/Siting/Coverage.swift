/// Who covers whom, as compressed adjacency lists (CSR) in both directions, built in
/// near-linear time with a `SphereGrid`. Every list is sorted by index, so every sum over a
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

    init(
        demand: [DemandPoint], candidates: [CandidateSite], radiusKM: Double, minSpacingKM: Double?
    ) {
        let n = demand.count
        let m = candidates.count
        demandCount = n
        candidateCount = m
        weight = demand.map(\.weight)
        let dv = demand.map { Vec3(latitude: $0.latitude, longitude: $0.longitude) }
        let cv = candidates.map { Vec3(latitude: $0.latitude, longitude: $0.longitude) }
        let cll = candidates.map { ($0.latitude, $0.longitude) }

        // Demand → candidates, demand by demand.
        let grid = SphereGrid(points: cv, queryKM: radiusKM)
        let test = DistanceTest(limitKM: radiusKM)
        var dStart = [Int](repeating: 0, count: n + 1)
        var dCand: [Int32] = []
        dCand.reserveCapacity(n * 4)
        var scratch: [Int32] = []
        var perCand = [Int](repeating: 0, count: m)
        for i in 0..<n {
            let p = dv[i]
            let ll = (demand[i].latitude, demand[i].longitude)
            scratch.removeAll(keepingCapacity: true)
            grid.forEachNear(p) { j in
                if test.within(p, cv[j], ll, cll[j]) { scratch.append(Int32(truncatingIfNeeded: j)) }
            }
            scratch.sort()
            for j in scratch { perCand[Int(j)] += 1 }
            dCand.append(contentsOf: scratch)
            dStart[i + 1] = dCand.count
        }
        demStart = dStart
        demCand = dCand

        // Transpose: candidate → demand, filled in increasing demand order (so sorted).
        var cStart = [Int](repeating: 0, count: m + 1)
        for j in 0..<m { cStart[j + 1] = cStart[j] + perCand[j] }
        var fill = cStart
        var cDem = [Int32](repeating: 0, count: dCand.count)
        for i in 0..<n {
            for k in dStart[i]..<dStart[i + 1] {
                let j = Int(dCand[k])
                cDem[fill[j]] = Int32(truncatingIfNeeded: i)
                fill[j] += 1
            }
        }
        candStart = cStart
        candDemand = cDem

        // Candidate ↔ candidate conflicts for the spacing constraint.
        var fStart = [Int](repeating: 0, count: m + 1)
        var f: [Int32] = []
        if let s = minSpacingKM, s > 0 {
            hasSpacing = true
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
        } else {
            hasSpacing = false
        }
        conflictStart = fStart
        conflict = f
    }
}
