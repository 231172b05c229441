/// Solves the maximal covering location problem without an external solver: lazy greedy
/// (CELF, within 1 − 1/e of optimal without spacing), first-improvement swap search, region
/// re-optimisation, a Lagrangian upper bound whose best relaxed choice seeds a second start,
/// a seeded iterated local search and, for small instances, an exact branch and bound.
/// Everything is deterministic: ties go to the lower candidate index, no hash order reaches a
/// result and every budget counts work, never time.
public enum SitingSolver {
    /// Largest number of swap passes of the local search.
    static let maxSwapPasses = 25
    /// Rounds of region re-optimisation.
    static let maxRegionRounds = 2
    /// Work allowed for all region re-optimisation together.
    static let regionTotalBudget = 12_000_000
    /// Work allowed for the subgradient iterations of the Lagrangian bound.
    static let lagrangianWorkBudget = 40_000_000
    /// At most this many subgradient iterations; the step is halved after `lagrangianPatience`
    /// iterations without a better bound.
    static let lagrangianMaxIterations = 600
    static let lagrangianPatience = 10
    /// Weight of the previous direction in the deflected subgradient step.
    static let lagrangianDeflection = 0.9
    /// Work of the iterated local search: this many times the coverage entries, but at least
    /// `ilsMinWork` and at most `ilsMaxWork` entries visited.
    static let ilsWorkPerEntry = 300
    static let ilsMinWork = 2_000_000
    static let ilsMaxWork = 100_000_000
    /// Branch and bound runs only below this many free candidates …
    static let exactCandidateLimit = 120
    /// … and gives up (keeping the heuristic answer and bound) after this much work
    /// (coverage-list entries visited).
    static let exactWorkBudget = 40_000_000

    public static func solve(_ problem: SitingProblem) throws(SitingError) -> SitingSolution {
        try validate(problem)
        let index = CoverageIndex(
            demand: problem.demand, candidates: problem.candidates,
            radiusKM: problem.radiusKM, minSpacingKM: problem.minSpacingKM, metric: problem.metric)
        return solve(problem, index: index)
    }

    /// `solve(_:)` reusing the coverage lists of the last instance solved with `cache` when this one has the
    /// same points, candidates, radius and spacing: the same solution, bit for bit.
    public static func solve(
        _ problem: SitingProblem, cache: inout SitingCoverageCache
    )
        throws(SitingError) -> SitingSolution
    {
        try validate(problem)
        return solve(problem, index: cache.index(for: problem))
    }

    static func validate(_ problem: SitingProblem) throws(SitingError) {
        let unit = problem.metric == .greatCircle ? " of km" : ""
        guard problem.radiusKM.isFinite, problem.radiusKM > 0 else {
            throw SitingError("radius must be a positive finite number\(unit), got \(problem.radiusKM)")
        }
        if let s = problem.minSpacingKM {
            guard s.isFinite, s >= 0 else {
                throw SitingError("minimum spacing must be a finite number\(unit) ≥ 0, got \(s)")
            }
        }
        guard problem.demand.count < Int(Int32.max), problem.candidates.count < Int(Int32.max) else {
            throw SitingError("too many demand points or candidate sites")
        }
        // Fields read in place (no copy of each point and its id), a message built only for a point that fails.
        for i in problem.demand.indices {
            let latitude = problem.demand[i].latitude, longitude = problem.demand[i].longitude
            let weight = problem.demand[i].weight
            if !validCoordinates(latitude, longitude) {
                try checkCoordinates(latitude, longitude, what: "demand point \(i) (\(problem.demand[i].id))")
            }
            guard weight.isFinite, weight >= 0 else {
                throw SitingError(
                    "demand point \(i) (\(problem.demand[i].id)): weight must be a finite number ≥ 0, got \(weight)")
            }
        }
        // Each weight may be finite and their sum not (2 × 1e308): coverage and bounds would all be infinite.
        guard problem.demand.reduce(0.0, { $0 + $1.weight }).isFinite else {
            throw SitingError(
                "the demand weights add up to more than \(Double.greatestFiniteMagnitude); scale them down")
        }
        for j in problem.candidates.indices {
            let latitude = problem.candidates[j].latitude, longitude = problem.candidates[j].longitude
            if !validCoordinates(latitude, longitude) {
                try checkCoordinates(latitude, longitude, what: "candidate site \(j) (\(problem.candidates[j].id))")
            }
        }
        try problem.metric.check(
            demandCount: problem.demand.count, candidateCount: problem.candidates.count, spacing: problem.minSpacingKM)
        var seen = [Bool](repeating: false, count: problem.candidates.count)
        for f in problem.fixed {
            guard f >= 0, f < problem.candidates.count else {
                throw SitingError("fixed station \(f) is not a candidate index (0..<\(problem.candidates.count))")
            }
            guard !seen[f] else {
                throw SitingError("fixed station \(f) (\(problem.candidates[f].id)) is listed twice")
            }
            seen[f] = true
        }
        guard problem.stationCount >= problem.fixed.count else {
            throw SitingError(
                "station count p = \(problem.stationCount) is less than the \(problem.fixed.count) fixed stations")
        }
    }

    /// What `checkCoordinates` accepts, without building anything.
    @inline(__always)
    private static func validCoordinates(_ lat: Double, _ lon: Double) -> Bool {
        lat.isFinite && lon.isFinite && (-90.0...90.0).contains(lat) && (-180.0...180.0).contains(lon)
    }

    /// `what` names the point in a message, built only when the check fails (validation runs on every solve).
    private static func checkCoordinates(
        _ lat: Double, _ lon: Double, what: @autoclosure () -> String
    )
        throws(SitingError)
    {
        guard lat.isFinite, lon.isFinite else {
            throw SitingError("\(what()): coordinates must be finite, got [\(lat), \(lon)]")
        }
        guard (-90.0...90.0).contains(lat) else {
            throw SitingError("\(what()): latitude \(lat) is outside -90...90")
        }
        guard (-180.0...180.0).contains(lon) else {
            throw SitingError("\(what()): longitude \(lon) is outside -180...180")
        }
    }

    static func solve(_ problem: SitingProblem, index: CoverageIndex) -> SitingSolution {
        let m = index.candidateCount
        var totalWeight = 0.0
        for w in index.weight { totalWeight += w }
        let tolerance = 1e-9 * totalWeight

        var state = CoverState(index: index)
        for f in problem.fixed { state.add(f) }
        let fixedState = state
        var isFixed = [Bool](repeating: false, count: m)
        for f in problem.fixed { isFixed[f] = true }
        let k = problem.stationCount - problem.fixed.count
        let pool = (0..<m).filter { !isFixed[$0] }

        // 1. Lazy greedy.
        var added = lazyGreedy(state: &state, pool: pool, count: k, respectSpacing: true).added
        // 2. Swap local search and region re-optimisation.
        let ilsBudget = min(max(ilsWorkPerEntry * index.entryCount, ilsMinWork), ilsMaxWork)
        improve(state: &state, added: &added, isFixed: isFixed, tolerance: tolerance, ilsBudget: 0)
        fill(state: &state, added: &added, count: k)

        // 3. Bounds and, for small instances, exact search.
        var covered = state.coveredWeight()
        var bound: Double
        var proved = false
        if added.count == pool.count || k <= 0 {
            // Every free candidate is chosen (or none may be): the choice is forced.
            bound = covered
            proved = true
        } else {
            let lag = lagrangianBound(
                index: index, start: state, fixedState: fixedState, isFixed: isFixed, k: k,
                incumbent: covered,
                tolerance: tolerance)
            bound = lag.bound
            proved = bound <= covered + tolerance
            // 4. Small instances: exact branch and bound first; when it finishes the answer is
            // optimal and the heuristic search below is not needed.
            if !proved
                && exactSearch(
                    state: &state, added: &added, covered: &covered, fixedState: fixedState, pool: pool, k: k,
                    tolerance: tolerance)
            {
                bound = covered
                proved = true
            }
            if !proved {
                secondStart(
                    state: &state, added: &added, covered: &covered, top: lag.top, fixedState: fixedState,
                    pool: pool, k: k, isFixed: isFixed, tolerance: tolerance, ilsBudget: ilsBudget)
                proved = bound <= covered + tolerance
            }
        }
        return canonicalSolution(
            problem, index: index, fixedState: fixedState, added: added, covered: covered,
            totalWeight: totalWeight, bound: bound, proved: proved)
    }

    /// Step 4 of `solve`: exact branch and bound when few candidates are free. Returns whether it finished
    /// (the answer is then optimal); a strictly better set replaces `state`, `added` and `covered`.
    static func exactSearch(
        state: inout CoverState, added: inout [Int], covered: inout Double, fixedState: CoverState, pool: [Int],
        k: Int, tolerance: Double
    ) -> Bool {
        let index = state.index
        let freeCount = pool.filter { index.candStart[$0 + 1] > index.candStart[$0] }.count
        guard freeCount <= exactCandidateLimit,
            let exact = branchAndBound(
                fixedState: fixedState, pool: pool, k: k, incumbent: covered, tolerance: tolerance,
                workBudget: exactWorkBudget)
        else { return false }
        if let better = exact.improved {
            state = fixedState
            for j in better { state.add(j) }
            added = better
            fill(state: &state, added: &added, count: k)
            covered = state.coveredWeight()
        }
        return true
    }

    /// Step 5 of `solve`: a second start from the k best candidates of the best Lagrangian relaxation
    /// (`top`, an LP-like, well spread choice), completed greedily, improved like the first, then iterated
    /// local search from it. Without such a set (every useful candidate fits), the search continues from
    /// the first answer. The better answer wins; ties keep the first.
    static func secondStart(
        state: inout CoverState, added: inout [Int], covered: inout Double, top: [Int], fixedState: CoverState,
        pool: [Int], k: Int, isFixed: [Bool], tolerance: Double, ilsBudget: Int
    ) {
        var other = fixedState
        var otherAdded: [Int] = []
        if top.isEmpty {
            other = state
            otherAdded = added
        } else {
            for j in top where other.isFree(j) {
                other.add(j)
                otherAdded.append(j)
            }
            otherAdded +=
                lazyGreedy(
                    state: &other, pool: pool, count: k - otherAdded.count,
                    respectSpacing: true
                ).added
        }
        improve(
            state: &other, added: &otherAdded, isFixed: isFixed, tolerance: tolerance,
            ilsBudget: ilsBudget)
        fill(state: &other, added: &otherAdded, count: k)
        let value = other.coveredWeight()
        if value > covered + tolerance {
            state = other
            added = otherAdded
            covered = value
        }
    }

    /// Step 6 of `solve`: the fixed stations, then the added ones in canonical (greedy) order, with
    /// their marginal weights.
    static func canonicalSolution(
        _ problem: SitingProblem, index: CoverageIndex, fixedState: CoverState, added: [Int], covered: Double,
        totalWeight: Double, bound: Double, proved: Bool
    ) -> SitingSolution {
        var ordered = fixedState
        var byChosen: [Double] = []
        var prefix = CoverState(index: index)
        for f in problem.fixed {
            byChosen.append(prefix.gain(f))
            prefix.add(f)
        }
        let sortedAdded = added.sorted()
        let greedyOrder = lazyGreedy(
            state: &ordered, pool: sortedAdded, count: sortedAdded.count,
            respectSpacing: false)
        byChosen.append(contentsOf: greedyOrder.gains)
        let chosen = problem.fixed + greedyOrder.added

        return SitingSolution(
            chosen: chosen, coveredWeight: covered, totalWeight: totalWeight,
            upperBound: max(bound, covered), provedOptimal: proved,
            coveredWeightByChosen: byChosen,
            shortfall: max(0, problem.stationCount - chosen.count))
    }

    /// Swap local search, region re-optimisation (repeated while it improves) and, when
    /// `ilsBudget` > 0, iterated local search with that much work.
    static func improve(
        state: inout CoverState, added: inout [Int], isFixed: [Bool], tolerance: Double,
        ilsBudget: Int
    ) {
        guard !added.isEmpty else { return }
        let index = state.index
        localSearch(state: &state, added: &added, isFixed: isFixed, tolerance: tolerance)
        // 3-station region re-optimisation, then swaps again, while either improves.
        let budget = min(15 * index.entryCount + 500_000, regionTotalBudget)
        for _ in 0..<maxRegionRounds {
            guard
                regionSearch(
                    state: &state, added: &added, isFixed: isFixed, tolerance: tolerance,
                    totalBudget: budget)
            else { break }
            localSearch(state: &state, added: &added, isFixed: isFixed, tolerance: tolerance)
        }
        // Iterated local search (seeded perturbations), bounded by work.
        guard ilsBudget > 0 else { return }
        iteratedLocalSearch(
            state: &state, added: &added, isFixed: isFixed, tolerance: tolerance,
            workBudget: ilsBudget)
    }

    /// CELF: keeps each candidate's last computed gain as an upper bound (gains only shrink as
    /// the set grows) and recomputes only the top of the heap. Picks exactly what the plain
    /// greedy picks, lower index on ties.
    static func lazyGreedy(
        state: inout CoverState, pool: [Int], count k: Int, respectSpacing: Bool
    ) -> (added: [Int], gains: [Double]) {
        var added: [Int] = []
        var gains: [Double] = []
        guard k > 0 else { return (added, gains) }
        var entries: [GainHeap.Entry] = []
        entries.reserveCapacity(pool.count)
        for j in pool where !state.chosen[j] {
            entries.append(.init(gain: state.gain(j), candidate: j, stamp: 0))
        }
        var heap = GainHeap(entries)
        var round = 0
        while added.count < k, let top = heap.pop() {
            let j = top.candidate
            if respectSpacing && state.blocked[j] > 0 { continue }
            if top.stamp == round {
                state.add(j)
                added.append(j)
                gains.append(top.gain)
                round += 1
            } else {
                heap.push(.init(gain: state.gain(j), candidate: j, stamp: round))
            }
        }
        return (added, gains)
    }

    /// Adds the lowest-index candidates still allowed until `count` stations are added (they
    /// cover nothing new, or the greedy would have taken them).
    static func fill(state: inout CoverState, added: inout [Int], count k: Int) {
        guard added.count < k else { return }
        for j in 0..<state.index.candidateCount where added.count < k {
            if state.isFree(j) {
                state.add(j)
                added.append(j)
            }
        }
    }

    /// First-improvement 1-swap search: for each candidate c outside the set (in index order),
    /// finds the best station s to give up for it; applies the swap when it gains more than the
    /// tolerance. The gain of every (s, c) pair is evaluated in one pass over c's list:
    /// weight c covers that nobody covers, plus, per s, weight covered by s alone.
    @discardableResult
    static func localSearch(
        state: inout CoverState, added: inout [Int], isFixed: [Bool], tolerance: Double,
        candidates restricted: [Int]? = nil, neighbours: ((Int) -> [Int])? = nil
    ) -> Int {
        var work = 0
        var queued = [Bool](repeating: false, count: state.index.candidateCount)
        let index = state.index
        let m = index.candidateCount
        var loss = [Double](repeating: 0, count: m)
        var extra = [Double](repeating: 0, count: m)
        var touched: [Int] = []
        var minTolerance = tolerance
        if minTolerance <= 0 { minTolerance = 0 }

        var swaps = 0
        let maxSwaps = max(1000, 50 * added.count)
        for _ in 0..<maxSwapPasses {
            recomputeLoss(&loss, of: added, state: state, work: &work)
            work += m
            guard var cheapest = minLossStation(of: added, loss: loss) else { return work }
            var improved = false
            // The candidates to try, in order; with `neighbours`, a swap puts the candidates near
            // the two stations involved back in the queue, and one pass is the whole search.
            var queue = restricted ?? Array(0..<m)
            if neighbours != nil { for c in queue { queued[c] = true } }
            var head = 0
            while head < queue.count {
                let c = queue[head]
                head += 1
                queued[c] = false
                if state.chosen[c] { continue }
                let start = index.candStart[c]
                let end = index.candStart[c + 1]
                if start == end { continue }
                work += end - start
                // Spacing: c may only replace the one station it conflicts with, if any.
                let room = spacingRoom(for: c, state: state, isFixed: isFixed)
                guard room.allowed else { continue }
                let best = bestSwap(
                    for: c, only: room.only, cheapest: cheapest, state: state, isFixed: isFixed, loss: loss,
                    minTolerance: minTolerance, extra: &extra, touched: &touched)
                if best.station >= 0 && best.delta > minTolerance {
                    applySwap(best.station, for: c, state: &state, added: &added, loss: &loss)
                    improved = true
                    swaps += 1
                    if let near = neighbours {
                        for t in near(best.station) + near(c) where !queued[t] {
                            queued[t] = true
                            queue.append(t)
                        }
                    }
                    if let ch = minLossStation(of: added, loss: loss) { cheapest = ch }
                    if swaps >= maxSwaps { return work }
                }
            }
            if !improved || neighbours != nil {
                for c in queue[head...] { queued[c] = false }
                return work
            }
        }
        return work
    }

    /// Sets `loss[j]` of every added station j to the weight only j covers; `work` counts the entries read.
    @inline(__always)
    static func recomputeLoss(_ loss: inout [Double], of added: [Int], state: CoverState, work: inout Int) {
        let index = state.index
        for j in added { loss[j] = 0 }
        for j in added {
            var l = 0.0
            let start = index.candStart[j]
            let end = index.candStart[j + 1]
            work += end - start
            index.candDemand.withUnsafeBufferPointer { cd in
                state.count.withUnsafeBufferPointer { count in
                    index.weight.withUnsafeBufferPointer { weight in
                        for k in start..<end {
                            let i = Int(cd[k])
                            if count[i] == 1 { l += weight[i] }
                        }
                    }
                }
            }
            loss[j] = l
        }
    }

    /// The added station losing least when given up (lower index on ties), nil when none is added.
    @inline(__always)
    static func minLossStation(of added: [Int], loss: [Double]) -> Int? {
        var best: Int?
        for j in added {
            if let b = best {
                if loss[j] < loss[b] || (loss[j] == loss[b] && j < b) { best = j }
            } else {
                best = j
            }
        }
        return best
    }

    /// Whether candidate c may enter by a swap under the spacing rule and, when it conflicts with one
    /// chosen station, that station (the only one it may replace).
    @inline(__always)
    static func spacingRoom(for c: Int, state: CoverState, isFixed: [Bool]) -> (allowed: Bool, only: Int?) {
        let index = state.index
        guard index.hasSpacing && state.blocked[c] > 0 else { return (true, nil) }
        if state.blocked[c] > 1 { return (false, nil) }
        var only: Int? = nil
        for q in index.conflictStart[c]..<index.conflictStart[c + 1] {
            let s = Int(index.conflict[q])
            if state.chosen[s] { only = s; break }
        }
        guard let s = only, !isFixed[s] else { return (false, nil) }
        return (true, s)
    }

    /// The best station to give up for candidate c (-1 when none is worth trying) and the coverage gained.
    /// `extra` must be all zeros and `touched` empty; both are left so.
    @inline(__always)
    static func bestSwap(
        for c: Int, only: Int?, cheapest: Int, state: CoverState, isFixed: [Bool], loss: [Double],
        minTolerance: Double, extra: inout [Double], touched: inout [Int]
    ) -> (station: Int, delta: Double) {
        let index = state.index
        let start = index.candStart[c]
        let end = index.candStart[c + 1]
        var gain0 = 0.0
        var soleTotal = 0.0
        index.candDemand.withUnsafeBufferPointer { cd in
            state.count.withUnsafeBufferPointer { count in
                state.soleSum.withUnsafeBufferPointer { soleSum in
                    index.weight.withUnsafeBufferPointer { weight in
                        isFixed.withUnsafeBufferPointer { fixed in
                            extra.withUnsafeMutableBufferPointer { ex in
                                for k in start..<end {
                                    let i = Int(cd[k])
                                    let cnt = count[i]
                                    if cnt == 0 {
                                        gain0 += weight[i]
                                    } else if cnt == 1 {
                                        let s = soleSum[i]
                                        if !fixed[s] {
                                            if ex[s] == 0 { touched.append(s) }
                                            ex[s] += weight[i]
                                            soleTotal += weight[i]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var bestS = -1
        var bestDelta = -Double.infinity
        if let s = only {
            bestS = s
            bestDelta = gain0 + extra[s] - loss[s]
        } else if gain0 + soleTotal - loss[cheapest] > minTolerance {
            bestS = cheapest
            bestDelta = gain0 + extra[cheapest] - loss[cheapest]
            for s in touched {
                let d = gain0 + extra[s] - loss[s]
                if d > bestDelta || (d == bestDelta && s < bestS) {
                    bestDelta = d
                    bestS = s
                }
            }
        }
        for s in touched { extra[s] = 0 }
        touched.removeAll(keepingCapacity: true)
        return (bestS, bestDelta)
    }

    /// Applies the swap s → c and updates the losses locally.
    @inline(__always)
    static func applySwap(_ s: Int, for c: Int, state: inout CoverState, added: inout [Int], loss: inout [Double]) {
        let index = state.index
        for k in index.candStart[s]..<index.candStart[s + 1] {
            let i = Int(index.candDemand[k])
            if state.count[i] == 2 {
                let other = state.soleSum[i] - s
                loss[other] += index.weight[i]
            }
        }
        state.remove(s)
        loss[s] = 0
        for k in index.candStart[c]..<index.candStart[c + 1] {
            let i = Int(index.candDemand[k])
            if state.count[i] == 0 {
                loss[c] += index.weight[i]
            } else if state.count[i] == 1 {
                loss[state.soleSum[i]] -= index.weight[i]
            }
        }
        state.add(c)
        if let pos = added.firstIndex(of: s) { added[pos] = c }
    }
}

extension SitingSolver {
    /// Stations re-optimised together in one region.
    static let regionSize = 3
    /// Work (coverage entries visited) allowed for one region's exact search.
    static let regionWorkBudget = 200_000

    /// The chosen, non-fixed stations that share demand with station `s`, most shared weight first
    /// (ties by index). `scratch` must be all zeros and is left so; `work` counts the entries read.
    static func partners(
        of s: Int, index: CoverageIndex, chosen: [Bool], isFixed: [Bool],
        scratch shared: inout [Double], work: inout Int
    ) -> [Int] {
        var touched: [Int] = []
        for e in index.candStart[s]..<index.candStart[s + 1] {
            let i = Int(index.candDemand[e])
            work += index.demStart[i + 1] - index.demStart[i]
            for q in index.demStart[i]..<index.demStart[i + 1] {
                let j = Int(index.demCand[q])
                if j != s && chosen[j] && !isFixed[j] {
                    if shared[j] == 0 { touched.append(j) }
                    shared[j] += index.weight[i] + 1e-300
                }
            }
        }
        touched.sort { shared[$0] != shared[$1] ? shared[$0] > shared[$1] : $0 < $1 }
        for j in touched { shared[j] = 0 }
        return touched
    }

    /// Large-neighbourhood search: for each added station s, frees s and the (up to two)
    /// stations sharing most demand with it, then re-chooses that many stations exactly (branch
    /// and bound) among the candidates sharing demand with the freed ones, everything else
    /// fixed. Finds the improvements that need two or three simultaneous moves, which 1-swaps
    /// cannot. Returns whether anything improved.
    static func regionSearch(
        state: inout CoverState, added: inout [Int], isFixed: [Bool], tolerance: Double, totalBudget: Int
    ) -> Bool {
        let index = state.index
        let m = index.candidateCount
        var shared = [Double](repeating: 0, count: m)
        var mark = [Bool](repeating: false, count: m)
        var improvedAny = false
        var spent = 0
        for s in added.sorted() where state.chosen[s] {
            if spent > totalBudget { break }
            var unused = 0
            let touched = partners(
                of: s, index: index, chosen: state.chosen, isFixed: isFixed, scratch: &shared, work: &unused)
            let region = [s] + touched.prefix(regionSize - 1)
            // Candidates sharing demand with a freed station.
            var pool: [Int] = []
            for t in region {
                for e in index.candStart[t]..<index.candStart[t + 1] {
                    let i = Int(index.candDemand[e])
                    for q in index.demStart[i]..<index.demStart[i + 1] {
                        let j = Int(index.demCand[q])
                        if !mark[j] && (!state.chosen[j] || region.contains(j)) {
                            mark[j] = true
                            pool.append(j)
                        }
                    }
                }
            }
            for j in pool { mark[j] = false }
            pool.sort()
            spent += pool.count
            for t in region { state.remove(t) }
            var incumbent = 0.0
            for t in region {
                incumbent += state.gain(t)
                state.add(t)
            }
            for t in region { state.remove(t) }
            let search = BranchAndBoundSearch(
                state: state, pool: pool, best: incumbent, tolerance: tolerance, budget: regionWorkBudget)
            _ = search.run(remaining: region.count, value: 0)
            spent += search.work
            if let better = search.bestSet {
                for t in better { state.add(t) }
                var next = added.filter { !region.contains($0) }
                next.append(contentsOf: better)
                added = next
                improvedAny = true
            } else {
                for t in region { state.add(t) }
            }
        }
        return improvedAny
    }
}
