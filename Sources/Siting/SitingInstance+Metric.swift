// How a standalone instance says where its points are: `"metric"` picks latitudes and longitudes (the default),
// planar `x`/`y`, or an explicit distance matrix, and with it the names of the radius and spacing keys.

extension SitingInstance {
    /// The instance's `"metric"`, with the keys it brings.
    enum Metric: String, CaseIterable {
        case greatCircle = "great_circle"
        case euclidean
        case matrix

        /// Reads `"metric"`; absent or null is great-circle, as every instance before it was.
        init(_ members: [(String, JSONValue)]) throws(SitingError) {
            guard let value = SitingInstance.member(members, "metric"), value != .null else {
                self = .greatCircle
                return
            }
            guard case .string(let name) = value else {
                throw SitingError("metric: expected a string, got \(value.kindName)")
            }
            guard let metric = Metric(rawValue: name) else {
                let names = Metric.allCases.map(\.rawValue).joined(separator: ", ")
                throw SitingError("metric: unknown metric \(jsonString(name)) (allowed: \(names))")
            }
            self = metric
        }

        var radiusKey: String { self == .greatCircle ? "radius_km" : "radius" }
        var spacingKey: String { self == .greatCircle ? "min_spacing_km" : "min_spacing" }

        /// The top-level keys an instance of this metric may have.
        var instanceKeys: [String] {
            var keys = [radiusKey, "p", spacingKey, "demand", "candidates", "fixed"]
            if self == .matrix { keys += ["distances", "candidate_distances"] }
            return keys + ["metric"]
        }

        /// The keys that place a demand point or candidate.
        var coordinateKeys: [String] {
            switch self {
            case .greatCircle: return ["lat", "lon"]
            case .euclidean: return ["x", "y"]
            case .matrix: return []
            }
        }

        /// Throws for a coordinate key of another metric, with what to write instead.
        func checkNoForeignCoordinates(_ m: [(String, JSONValue)], at: String) throws(SitingError) {
            for (key, _) in m where ["lat", "lon", "x", "y"].contains(key) && !coordinateKeys.contains(key) {
                switch self {
                case .greatCircle:
                    throw SitingError(
                        "\(at).\(key): planar x/y need \"metric\": \"euclidean\"; this instance is great_circle "
                            + "(lat/lon)")
                case .euclidean:
                    throw SitingError("\(at).\(key): a euclidean instance places points by x and y, not lat/lon")
                case .matrix:
                    throw SitingError(
                        "\(at).\(key): a matrix instance gives \"distances\", not coordinates; remove \"\(key)\"")
                }
            }
        }
    }

    /// The solver's metric for this instance: planar points from the parsed `x`/`y`, or the matrices.
    static func sitingMetric(
        _ metric: Metric, members: [(String, JSONValue)], demandXY: [PlanarPoint], candidateXY: [PlanarPoint]
    ) throws(SitingError) -> SitingMetric {
        switch metric {
        case .greatCircle:
            return .greatCircle
        case .euclidean:
            return .euclidean(demand: demandXY, candidates: candidateXY)
        case .matrix:
            guard let distances = member(members, "distances") else {
                throw SitingError("instance: missing key \"distances\" (one row per demand point)")
            }
            let between = member(members, "candidate_distances")
            return .matrix(
                DistanceMatrix(
                    demandToCandidate: try table(distances, at: "distances"),
                    candidateToCandidate: try between.flatMap { v throws(SitingError) in
                        v == .null ? nil : try table(v, at: "candidate_distances")
                    }))
        }
    }

    /// An array of arrays of numbers; its shape and signs are checked with the problem (`SitingMetric.check`).
    private static func table(_ v: JSONValue, at: String) throws(SitingError) -> [[Double]] {
        guard case .array(let rows) = v else {
            throw SitingError("\(at): expected an array of rows, got \(v.kindName)")
        }
        var table: [[Double]] = []
        table.reserveCapacity(rows.count)
        for (r, row) in rows.enumerated() {
            guard case .array(let entries) = row else {
                throw SitingError("\(at)[\(r)]: expected an array of numbers, got \(row.kindName)")
            }
            var values: [Double] = []
            values.reserveCapacity(entries.count)
            for (c, e) in entries.enumerated() { values.append(try number(e, at: "\(at)[\(r)][\(c)]")) }
            table.append(values)
        }
        return table
    }
}
