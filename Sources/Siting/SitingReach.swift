/// Which candidate sites reach each demand point within a radius, from the same `CoverageIndex` the solver builds: a
/// planner's coverage shares and the solver's covered weight use one definition of "within the radius" (the
/// haversine distance `<=` the radius) and one implementation of it.
public struct SitingReach {
    private let index: CoverageIndex?

    /// The reach of `candidates` over `demand` (their weights are not used). A radius that is not a number, or a
    /// coordinate that is not finite (a profile's are checked on loading), reaches nothing: no distance is `<=` it.
    public init(demand: [DemandPoint], candidates: [CandidateSite], radiusKM: Double) {
        let finite =
            !radiusKM.isNaN && demand.allSatisfy { $0.latitude.isFinite && $0.longitude.isFinite }
            && candidates.allSatisfy { $0.latitude.isFinite && $0.longitude.isFinite }
        index =
            finite ? CoverageIndex(demand: demand, candidates: candidates, radiusKM: radiusKM, minSpacingKM: nil) : nil
    }

    /// Whether any candidate for which `isOpen` holds reaches demand point `point`.
    @inline(__always)
    public func isCovered(_ point: Int, byAnyOf isOpen: (Int) -> Bool) -> Bool {
        guard let index, point < index.demandCount else { return false }
        for q in index.demStart[point]..<index.demStart[point + 1] where isOpen(Int(index.demCand[q])) {
            return true
        }
        return false
    }

    /// The candidates reaching demand point `point`, by ascending index.
    public func candidates(reaching point: Int) -> [Int] {
        guard let index, point < index.demandCount else { return [] }
        return index.demCand[index.demStart[point]..<index.demStart[point + 1]].map { Int($0) }
    }
}
