extension SitingSolver {
    /// Lagrangian upper bound on the optimum (spacing relaxed): relaxing "demand i is covered
    /// only if a chosen station covers it" with multipliers 0 ≤ λᵢ ≤ wᵢ gives
    /// L(λ) = base + Σᵢ (wᵢ − λᵢ) + (sum of the k largest Σ_{i ∈ cover(j)} λᵢ over free j),
    /// which is ≥ the optimum for every λ. It starts at λ = weight left uncovered by the heuristic
    /// answer (then L is the classic submodular bound: covered + the k largest remaining gains)
    /// and descends by projected subgradient steps (Polyak step towards the heuristic value).
    static func lagrangianBound(
        index: CoverageIndex, start: CoverState, fixedState: CoverState, isFixed: [Bool], k: Int,
        incumbent: Double, tolerance: Double
    ) -> (bound: Double, top: [Int]) {
        let n = index.demandCount
        let (base, cap) = lagrangianCapacities(index: index, fixedState: fixedState)
        var lambda = [Double](repeating: 0, count: n)
        for i in 0..<n where cap[i] > 0 && start.count[i] == 0 { lambda[i] = cap[i] }
        let free = (0..<index.candidateCount).filter {
            !isFixed[$0] && index.candStart[$0 + 1] > index.candStart[$0]
        }
        var capSum = 0.0
        for i in 0..<n { capSum += cap[i] }
        if k >= free.count {
            // Every useful candidate can be chosen: all coverable weight is the bound.
            return (base + capSum, [])
        }
        let entries = max(1, index.entryCount)
        let maxIterations = min(lagrangianMaxIterations, max(8, lagrangianWorkBudget / entries))
        var best = Double.infinity
        var bestTop: [Int] = []
        var mu = 2.0
        var sinceImproved = 0
        var value = [Double](repeating: 0, count: free.count)
        var order = [Int](repeating: 0, count: free.count)
        var hits = [Int32](repeating: 0, count: n)
        var direction = [Double](repeating: 0, count: n)
        for _ in 0..<maxIterations {
            // Per-candidate value and the k best.
            lagrangianValues(index: index, free: free, lambda: lambda, value: &value, order: &order)
            var l = base
            for i in 0..<n where cap[i] > 0 { l += cap[i] - lambda[i] }
            for q in order.prefix(k) { l += value[q] }
            if l < best {
                best = l
                bestTop = order.prefix(k).map { free[$0] }
                sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= lagrangianPatience {
                    mu *= 0.5
                    sinceImproved = 0
                }
            }
            if best <= incumbent + tolerance || mu < 1e-4 { break }
            guard
                lagrangianStep(
                    index: index, free: free, order: order, k: k, cap: cap, lambda: &lambda,
                    direction: &direction, hits: &hits, stepScale: mu * max(l - incumbent, tolerance))
            else { break }
        }
        return (min(best, base + capSum), bestTop)
    }

    /// The weight the fixed stations already cover (`base`) and, per demand, the weight still to be won
    /// (w'ᵢ: its weight when some candidate covers it and no fixed station does, else 0).
    static func lagrangianCapacities(index: CoverageIndex, fixedState: CoverState) -> (base: Double, cap: [Double]) {
        let n = index.demandCount
        var base = 0.0
        var cap = [Double](repeating: 0, count: n)
        for i in 0..<n {
            if fixedState.count[i] > 0 {
                base += index.weight[i]
            } else if index.demStart[i + 1] > index.demStart[i] {
                cap[i] = index.weight[i]
            }
        }
        return (base, cap)
    }

    /// Each free candidate's value Σ_{i ∈ cover(j)} λᵢ into `value`, and `order` the positions in `free`
    /// by decreasing value (lower position on ties).
    @inline(__always)
    static func lagrangianValues(
        index: CoverageIndex, free: [Int], lambda: [Double], value: inout [Double], order: inout [Int]
    ) {
        index.candDemand.withUnsafeBufferPointer { cd in
            lambda.withUnsafeBufferPointer { lam in
                for (q, j) in free.enumerated() {
                    var s = 0.0
                    for e in index.candStart[j]..<index.candStart[j + 1] { s += lam[Int(cd[e])] }
                    value[q] = s
                }
            }
        }
        for q in 0..<free.count { order[q] = q }
        order.sort { value[$0] != value[$1] ? value[$0] > value[$1] : $0 < $1 }
    }

    /// One projected, deflected subgradient step on λ given the k best candidates (`free` at the first k
    /// positions of `order`); `stepScale` is
    /// μ·(L − incumbent). `hits` must be all zeros and is left so. Returns false when the direction is zero.
    @inline(__always)
    static func lagrangianStep(
        index: CoverageIndex, free: [Int], order: [Int], k: Int, cap: [Double], lambda: inout [Double],
        direction: inout [Double],
        hits: inout [Int32], stepScale: Double
    ) -> Bool {
        let n = index.demandCount
        let deflection = lagrangianDeflection
        // Subgradient: (stations of the k best covering i) − 1, projected on the box.
        for q in order.prefix(k) {
            let j = free[q]
            for e in index.candStart[j]..<index.candStart[j + 1] { hits[Int(index.candDemand[e])] += 1 }
        }
        // Deflected direction d = g + β·d_previous (damps the zigzag), projected on the box.
        var norm = 0.0
        for i in 0..<n where cap[i] > 0 {
            var g = Double(hits[i]) - 1 + deflection * direction[i]
            if (g > 0 && lambda[i] <= 0) || (g < 0 && lambda[i] >= cap[i]) { g = 0 }
            direction[i] = g
            norm += g * g
        }
        guard norm != 0 else {
            for i in 0..<n { hits[i] = 0 }
            return false
        }
        let step = stepScale / norm
        for i in 0..<n where cap[i] > 0 {
            let g = direction[i]
            if g != 0 {
                lambda[i] = min(cap[i], max(0, lambda[i] - step * g))
            }
        }
        for i in 0..<n { hits[i] = 0 }
        return true
    }

    /// Result of a finished branch and bound: the added stations when strictly better than the
    /// incumbent, else nil (the incumbent is optimal).
    struct ExactResult {
        var improved: [Int]?
    }

    /// Exact search for small instances: branches on the free candidate of largest marginal
    /// gain (take it / exclude it), pruning with value + the largest remaining gains (valid by
    /// submodularity). Spacing is honoured exactly. Returns nil when the work budget runs out.
    static func branchAndBound(
        fixedState: CoverState, pool: [Int], k: Int, incumbent: Double, tolerance: Double,
        workBudget: Int
    ) -> ExactResult? {
        let search = BranchAndBoundSearch(
            state: fixedState, pool: pool, best: incumbent, tolerance: tolerance, budget: workBudget)
        guard search.run(remaining: k, value: fixedState.coveredWeight()) else { return nil }
        return ExactResult(improved: search.bestSet)
    }
}

final class BranchAndBoundSearch {
    var state: CoverState
    let pool: [Int]
    var best: Double
    let tolerance: Double
    let budget: Int
    var work = 0
    var excluded: [Bool]
    var current: [Int] = []
    var bestSet: [Int]?

    init(state: CoverState, pool: [Int], best: Double, tolerance: Double, budget: Int) {
        self.state = state
        self.pool = pool
        self.best = best
        self.tolerance = tolerance
        self.budget = budget
        excluded = [Bool](repeating: false, count: state.index.candidateCount)
    }

    /// False when the budget ran out.
    func run(remaining r: Int, value: Double) -> Bool {
        if value > best + tolerance {
            best = value
            bestSet = current
        }
        if r <= 0 { return true }
        var gains: [(gain: Double, j: Int)] = []
        let index = state.index
        for j in pool where state.isFree(j) && !excluded[j] {
            work += index.candStart[j + 1] - index.candStart[j] + 1
            let g = state.gain(j)
            if g > 0 { gains.append((g, j)) }
        }
        if work > budget { return false }
        if gains.isEmpty { return true }
        gains.sort { $0.gain != $1.gain ? $0.gain > $1.gain : $0.j < $1.j }
        var bound = value
        for e in gains.prefix(r) { bound += e.gain }
        if bound <= best + tolerance { return true }
        let (g, j) = gains[0]
        state.add(j)
        current.append(j)
        guard run(remaining: r - 1, value: value + g) else { return false }
        current.removeLast()
        state.remove(j)
        excluded[j] = true
        guard run(remaining: r, value: value) else { return false }
        excluded[j] = false
        return true
    }
}
