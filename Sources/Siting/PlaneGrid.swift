/// Grid buckets over planar points, the planar counterpart of `SphereGrid`: every pair within the query
/// distance lies in neighbouring cells, so coverage lists are built in near-linear time. Points are kept sorted
/// by cell (no hashing), so queries are binary searches and results are deterministic. Coordinates are
/// untrusted: the cell edge grows with the coordinates' extent so every cell index is a small integer.
struct PlaneGrid {
    struct Cell: Comparable {
        var x: Int
        var y: Int
        static func < (l: Cell, r: Cell) -> Bool { l.x != r.x ? l.x < r.x : l.y < r.y }
    }

    /// At least twice the query distance (so rounding can never push a pair within it two cells apart) and at
    /// least 2⁻³² of the extent (so `coordinate / cellEdge` stays within ±2³²).
    let cellEdge: Double
    private(set) var cells: [Cell] = []
    /// Point indices sorted by (cell, index).
    private(set) var order: [Int32] = []

    /// `extent`: the largest absolute coordinate of these points and of every point that will be queried.
    init(points: [PlanarPoint], queryDistance: Double, extent: Double) {
        cellEdge = max(2 * queryDistance, extent * 0x1p-32, 0x1p-960)
        (cells, order) = cellOrder(of: points) { cell(of: $0) }
    }

    /// The largest absolute coordinate of `points` (0 for none).
    static func extent(of points: [PlanarPoint]) -> Double {
        points.reduce(0.0) { max($0, abs($1.x), abs($1.y)) }
    }

    func cell(of p: PlanarPoint) -> Cell {
        Cell(x: index(p.x), y: index(p.y))
    }

    /// `⌊v / cellEdge⌋`, clamped (monotone, so neighbouring cells stay neighbours) and 0 for what is not a number:
    /// a conversion that cannot trap.
    private func index(_ v: Double) -> Int {
        let q = (v / cellEdge).rounded(.down)
        guard !q.isNaN else { return 0 }
        return Int(min(max(q, -0x1p40), 0x1p40))
    }

    /// Calls `body` with every point index in the 3 × 3 cells around `p` (a superset of the points within the
    /// query distance), in increasing cell order.
    @inline(__always)
    func forEachNear(_ p: PlanarPoint, _ body: (Int) -> Void) {
        let c = cell(of: p)
        for dx in -1...1 {
            let start = cells.lowerBound(of: Cell(x: c.x + dx, y: c.y - 1))
            let end = cells.lowerBound(of: Cell(x: c.x + dx, y: c.y + 2))
            var k = start
            while k < end {
                body(Int(order[k]))
                k += 1
            }
        }
    }
}
