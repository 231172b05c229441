// The checks `SitingSolver.validate` makes of a problem's metric. Messages name the parts as a standalone
// instance spells them (`distances[3][7]`, `demand[2]`), so `chargeplan site` reports them as they are.

extension SitingMetric {
    /// Throws unless the metric fits `demandCount` points and `candidateCount` candidates and every distance
    /// and coordinate is a finite number (distances ≥ 0); a spacing on a matrix needs candidate distances.
    func check(demandCount n: Int, candidateCount m: Int, spacing: Double?) throws(SitingError) {
        switch self {
        case .greatCircle:
            return
        case .euclidean(let demand, let candidates):
            try Self.checkPoints(demand, count: n, what: "demand")
            try Self.checkPoints(candidates, count: m, what: "candidates")
        case .matrix(let matrix):
            try Self.checkTable(matrix.demandToCandidate, rows: n, columns: m, what: "distances")
            if let table = matrix.candidateToCandidate {
                try Self.checkTable(table, rows: m, columns: m, what: "candidate_distances")
                try Self.checkSymmetric(table)
            } else if let s = spacing, s > 0 {
                throw SitingError(
                    "min_spacing: a minimum spacing on a distance matrix needs \"candidate_distances\" "
                        + "(candidate to candidate)")
            }
        }
    }

    private static func checkPoints(_ points: [PlanarPoint], count: Int, what: String) throws(SitingError) {
        guard points.count == count else {
            throw SitingError("\(what): \(points.count) planar points for \(count) \(what) entries")
        }
        for (i, p) in points.enumerated() where !p.x.isFinite || !p.y.isFinite {
            throw SitingError("\(what)[\(i)]: coordinates must be finite, got [\(p.x), \(p.y)]")
        }
    }

    private static func checkTable(_ table: [[Double]], rows: Int, columns: Int, what: String) throws(SitingError) {
        let rowKind = what == "distances" ? "demand point" : "candidate"
        guard table.count == rows else {
            throw SitingError("\(what): expected \(rows) rows (one per \(rowKind)), got \(table.count)")
        }
        for (r, row) in table.enumerated() {
            guard row.count == columns else {
                throw SitingError("\(what)[\(r)]: \(row.count) entries, expected \(columns) (one per candidate)")
            }
            for (c, d) in row.enumerated() where !(d.isFinite && d >= 0) {
                throw SitingError("\(what)[\(r)][\(c)]: a distance must be a finite number ≥ 0, got \(d)")
            }
        }
    }

    /// Spacing conflicts must be mutual, so the candidate matrix must be symmetric (bit for bit).
    private static func checkSymmetric(_ table: [[Double]]) throws(SitingError) {
        for r in table.indices {
            for c in 0..<r where table[r][c] != table[c][r] {
                throw SitingError(
                    "candidate_distances[\(r)][\(c)]: \(table[r][c]) differs from candidate_distances[\(c)][\(r)] "
                        + "= \(table[c][r]); the matrix must be symmetric")
            }
        }
    }
}
