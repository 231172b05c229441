/// Distances given outright instead of computed from coordinates (road network, travel time, a published table):
/// lets an instance whose distances are not straight lines be solved as it was published.
public struct DistanceMatrix: Sendable, Equatable {
    /// One row per demand point (in demand order), one entry per candidate (in candidate order).
    public var demandToCandidate: [[Double]]
    /// Candidate-to-candidate distances (square, symmetric), needed only for a minimum spacing.
    public var candidateToCandidate: [[Double]]?

    public init(demandToCandidate: [[Double]], candidateToCandidate: [[Double]]? = nil) {
        self.demandToCandidate = demandToCandidate
        self.candidateToCandidate = candidateToCandidate
    }
}
