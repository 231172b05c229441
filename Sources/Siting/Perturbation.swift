extension SitingSolver {
    /// Seed of the perturbation generator: a constant, so every run makes the same moves.
    static let perturbationSeed: UInt64 = 0x5171_6e67_2024_0001

    /// Iterated local search: repeatedly frees a random station and the (up to two) stations
    /// sharing most demand with it, puts a random nearby candidate in one of the freed places,
    /// refills the rest greedily among the nearby candidates, and runs the swap search on the
    /// candidates near the change (a work queue). A result at least as good as the best so far is kept
    /// (sideways moves let the search cross plateaus); a worse one is undone. The generator is
    /// seeded with a constant and the work (coverage-list entries visited) is bounded, so the
    /// result is the same on every machine. Returns whether the best coverage improved.
    @discardableResult
    static func iteratedLocalSearch(
        state: inout CoverState, added: inout [Int], isFixed: [Bool], tolerance: Double, workBudget: Int,
        seed: UInt64 = perturbationSeed
    ) -> Bool {
        guard !added.isEmpty else { return false }
        let index = state.index
        let m = index.candidateCount
        var rng = SplitMix64(seed: seed)
        var bestState = state
        var bestAdded = added
        var best = state.coveredWeight()
        var improved = false
        var work = 0
        var shared = [Double](repeating: 0, count: m)
        var mark = [Bool](repeating: false, count: m)

        // Candidates sharing demand with each candidate (itself included), computed once.
        let (nearStart, nearList) = candidateNeighbours(index: index, mark: &mark, work: &work)

        /// Candidates sharing demand with any of `stations`, in index order.
        func neighbourhood(of stations: [Int]) -> [Int] {
            var pool: [Int] = []
            for t in stations {
                work += nearStart[t + 1] - nearStart[t]
                for q in nearStart[t]..<nearStart[t + 1] {
                    let j = Int(nearList[q])
                    if !mark[j] {
                        mark[j] = true
                        pool.append(j)
                    }
                }
            }
            for j in pool { mark[j] = false }
            pool.sort()
            return pool
        }

        while work < workBudget {
            // 1. The region: a random station and its closest (most shared demand) partners.
            let s = added[Int(rng.next() % UInt64(added.count))]
            let size = 2 + Int(rng.next() % 2)
            let touched = partners(
                of: s, index: index, chosen: state.chosen, isFixed: isFixed, scratch: &shared, work: &work)
            let region = [s] + touched.prefix(size - 1)
            let near = neighbourhood(of: region)

            // 2. Free the region; one random nearby candidate, the rest greedily nearby.
            let placed = perturb(
                region: region, near: near, state: &state, added: &added, rng: &rng, work: &work)

            // 3. Swap search on the candidates near the change.
            let scan = neighbourhood(of: region + placed)
            let searchWork = localSearch(
                state: &state, added: &added, isFixed: isFixed, tolerance: tolerance,
                candidates: scan, neighbours: { neighbourhood(of: [$0]) })
            work += searchWork
            work += index.demandCount
            let value = state.coveredWeight()
            if value > best + tolerance {
                // A new best: make sure it is a swap optimum over all candidates too.
                work += localSearch(state: &state, added: &added, isFixed: isFixed, tolerance: tolerance)
                best = state.coveredWeight()
                bestState = state
                bestAdded = added
                improved = true
            } else if value < best - tolerance || added.count != bestAdded.count {
                state = bestState
                added = bestAdded
                work += index.demandCount + m
            }
        }
        // The best set found first (a sideways walk may have left an equal one).
        state = bestState
        added = bestAdded
        return improved
    }
    /// Candidates sharing demand with each candidate (itself included), in index order: candidate t's are
    /// `list[start[t]..<start[t + 1]]`. `mark` must be all false and is left so; `work` counts the entries read.
    static func candidateNeighbours(
        index: CoverageIndex, mark: inout [Bool], work: inout Int
    ) -> (start: [Int], list: [Int32]) {
        let m = index.candidateCount
        var nearStart = [Int](repeating: 0, count: m + 1)
        var nearList: [Int32] = []
        for t in 0..<m {
            var list: [Int32] = []
            for e in index.candStart[t]..<index.candStart[t + 1] {
                let i = Int(index.candDemand[e])
                work += index.demStart[i + 1] - index.demStart[i]
                for q in index.demStart[i]..<index.demStart[i + 1] {
                    let j = Int(index.demCand[q])
                    if !mark[j] {
                        mark[j] = true
                        list.append(Int32(truncatingIfNeeded: j))
                    }
                }
            }
            for j in list { mark[Int(j)] = false }
            list.sort()
            nearList.append(contentsOf: list)
            nearStart[t + 1] = nearList.count
        }
        return (nearStart, nearList)
    }

    /// One perturbation: frees `region`, puts a random candidate of `near` in one freed place and refills
    /// the rest greedily among `near`. Returns the stations placed (also appended to `added`).
    static func perturb(
        region: [Int], near: [Int], state: inout CoverState, added: inout [Int], rng: inout SplitMix64,
        work: inout Int
    ) -> [Int] {
        let index = state.index
        for t in region { state.remove(t) }
        added.removeAll { region.contains($0) }
        let options = near.filter { state.isFree($0) && !region.contains($0) }
        var placed: [Int] = []
        if !options.isEmpty {
            let c = options[Int(rng.next() % UInt64(options.count))]
            state.add(c)
            placed.append(c)
        }
        if placed.count < region.count {
            let pool = near.filter { state.isFree($0) }
            for j in pool { work += index.candStart[j + 1] - index.candStart[j] }
            let refill = lazyGreedy(
                state: &state, pool: pool, count: region.count - placed.count, respectSpacing: true)
            placed.append(contentsOf: refill.added)
        }
        added.append(contentsOf: placed)
        return placed
    }
}
