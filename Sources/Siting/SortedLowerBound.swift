extension Array where Element: Comparable {
    /// The first index whose element is not less than `value`, in an array sorted ascending (binary search): the
    /// spatial grids find a cell's run of points with it.
    @inline(__always)
    func lowerBound(of value: Element) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Each point's index sorted by (cell, index), with the cells in the same order: the layout both spatial grids
/// search with `lowerBound(of:)`.
func cellOrder<Point, Cell: Comparable>(of points: [Point], cell: (Point) -> Cell) -> (cells: [Cell], order: [Int32]) {
    var keyed: [(Cell, Int32)] = []
    keyed.reserveCapacity(points.count)
    for (i, p) in points.enumerated() {
        keyed.append((cell(p), Int32(truncatingIfNeeded: i)))
    }
    keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    return (keyed.map { $0.0 }, keyed.map { $0.1 })
}
