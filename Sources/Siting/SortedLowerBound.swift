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
