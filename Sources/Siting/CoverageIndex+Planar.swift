// Coverage and spacing lists of the planar and distance-matrix metrics, with the sphere's rules:
// covered at a distance `<=` the radius, in conflict at a distance `<` the spacing.

extension CoverageIndex {
    /// Lists from `planarDistance`, candidates found with a `PlaneGrid`.
    static func planarLists(
        demand: [PlanarPoint], candidates: [PlanarPoint], radius: Double, spacing: Double?
    ) -> (covers: Adjacency, conflicts: Adjacency?) {
        let n = demand.count
        let m = candidates.count
        let extent = max(PlaneGrid.extent(of: demand), PlaneGrid.extent(of: candidates))
        let grid = PlaneGrid(points: candidates, queryDistance: radius, extent: extent)
        var dStart = [Int](repeating: 0, count: n + 1)
        var dCand: [Int32] = []
        var scratch: [Int32] = []
        for i in 0..<n {
            let p = demand[i]
            scratch.removeAll(keepingCapacity: true)
            grid.forEachNear(p) { j in
                if planarDistance(p, candidates[j]) <= radius { scratch.append(Int32(truncatingIfNeeded: j)) }
            }
            scratch.sort()
            dCand.append(contentsOf: scratch)
            dStart[i + 1] = dCand.count
        }
        guard let s = spacing else { return ((dStart, dCand), nil) }
        let sgrid = PlaneGrid(points: candidates, queryDistance: s, extent: extent)
        var fStart = [Int](repeating: 0, count: m + 1)
        var f: [Int32] = []
        for j in 0..<m {
            scratch.removeAll(keepingCapacity: true)
            sgrid.forEachNear(candidates[j]) { k in
                if k != j && planarDistance(candidates[j], candidates[k]) < s {
                    scratch.append(Int32(truncatingIfNeeded: k))
                }
            }
            scratch.sort()
            f.append(contentsOf: scratch)
            fStart[j + 1] = f.count
        }
        return ((dStart, dCand), (fStart, f))
    }

    /// Lists read off the matrix, row by row (so already sorted). The shape was checked by
    /// `SitingSolver.validate`; a short row or a missing candidate matrix only yields fewer entries.
    static func matrixLists(
        _ matrix: DistanceMatrix, demandCount n: Int, candidateCount m: Int, radius: Double, spacing: Double?
    ) -> (covers: Adjacency, conflicts: Adjacency?) {
        func rows(_ table: [[Double]], count: Int, skipDiagonal: Bool, _ within: (Double) -> Bool) -> Adjacency {
            var start = [Int](repeating: 0, count: count + 1)
            var items: [Int32] = []
            for r in 0..<min(count, table.count) {
                for (c, d) in table[r].prefix(m).enumerated() where !(skipDiagonal && c == r) && within(d) {
                    items.append(Int32(truncatingIfNeeded: c))
                }
                start[r + 1] = items.count
            }
            for r in min(count, table.count)..<count { start[r + 1] = items.count }
            return (start, items)
        }
        let covers = rows(matrix.demandToCandidate, count: n, skipDiagonal: false) { $0 <= radius }
        guard let s = spacing else { return (covers, nil) }
        let conflicts = rows(matrix.candidateToCandidate ?? [], count: m, skipDiagonal: true) { $0 < s }
        return (covers, conflicts)
    }
}
