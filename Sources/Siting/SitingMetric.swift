/// How the distance between a demand point and a candidate (or two candidates) is measured. The planner sites on
/// the sphere; standalone instances may also be planar or give their distances outright, so published benchmarks
/// can be solved as published. Whatever the metric, the solver sees only who covers whom and who conflicts with
/// whom: a point is covered at a distance `<=` the radius, two candidates conflict at a distance `<` the spacing.
public enum SitingMetric: Sendable, Equatable {
    /// Great-circle kilometres between the points' latitudes and longitudes (`greatCircleKM`).
    case greatCircle
    /// `planarDistance` between these points, one per demand point and one per candidate, in their order; the
    /// radius and spacing are in the points' unit and the points' latitudes and longitudes are not used.
    case euclidean(demand: [PlanarPoint], candidates: [PlanarPoint])
    /// The distances of the matrix; the radius and spacing are in its unit.
    case matrix(DistanceMatrix)
}
