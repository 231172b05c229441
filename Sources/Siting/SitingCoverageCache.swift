/// The coverage lists of the last instance solved with it, kept for the next one. A planner re-solves one zone's
/// instance every year with new weights, a larger station count and more fixed stations, but the same demand
/// points, candidates, radius and spacing; the lists depend only on those and are the costly part of a small
/// solve, so they are built once. A solve through a cache gives exactly the solution of a solve without one.
public struct SitingCoverageCache: Sendable {
    /// What the lists depend on, bit for bit: coordinates of the points and candidates, radius and spacing; and
    /// the metric (compared by value: a planar coordinate or distance of 0 and one of -0 give the same lists).
    struct Key: Equatable, Sendable {
        var metric: SitingMetric
        var radiusBits: UInt64
        var spacingBits: UInt64?
        var demandBits: [UInt64]
        var candidateBits: [UInt64]

        init(_ problem: SitingProblem) {
            metric = problem.metric
            radiusBits = problem.radiusKM.bitPattern
            spacingBits = problem.minSpacingKM?.bitPattern
            demandBits = []
            demandBits.reserveCapacity(2 * problem.demand.count)
            for i in problem.demand.indices {
                demandBits.append(problem.demand[i].latitude.bitPattern)
                demandBits.append(problem.demand[i].longitude.bitPattern)
            }
            candidateBits = []
            candidateBits.reserveCapacity(2 * problem.candidates.count)
            for j in problem.candidates.indices {
                candidateBits.append(problem.candidates[j].latitude.bitPattern)
                candidateBits.append(problem.candidates[j].longitude.bitPattern)
            }
        }
    }

    private var key: Key?
    private var index: CoverageIndex?
    /// How many solves built their lists (the rest reused them): for tests.
    public private(set) var builds = 0

    public init() {}

    /// The coverage index of `problem`: the cached lists with the problem's weights when its key matches.
    mutating func index(for problem: SitingProblem) -> CoverageIndex {
        let key = Key(problem)
        if var cached = index, self.key == key {
            index = nil  // the cached lists held once, so the weights are replaced in place
            for i in problem.demand.indices { cached.weight[i] = problem.demand[i].weight }
            index = cached
            return cached
        }
        let built = CoverageIndex(
            demand: problem.demand, candidates: problem.candidates,
            radiusKM: problem.radiusKM, minSpacingKM: problem.minSpacingKM, metric: problem.metric)
        self.key = key
        index = built
        builds += 1
        return built
    }
}
