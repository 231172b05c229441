/// A point on a plane, in whatever unit its instance uses: published covering benchmarks (Swain's 55 nodes,
/// grid instances) give planar coordinates, not latitudes and longitudes.
public struct PlanarPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Straight-line distance between two planar points, `√(dx² + dy²)` in that order of operations (the formula
/// NumPy and SciPy use, so a benchmark computes bit-identical distances). Overflows to infinity, never traps.
public func planarDistance(_ a: PlanarPoint, _ b: PlanarPoint) -> Double {
    let dx = a.x - b.x
    let dy = a.y - b.y
    return (dx * dx + dy * dy).squareRoot()
}
