import XCTest
@testable import Siting

/// Standalone instances in planar coordinates (`"metric": "euclidean"`) and with an explicit distance matrix
/// (`"metric": "matrix"`): parsed, solved with the same rules as on the sphere (covered at a distance `<=` the
/// radius, in conflict below the spacing), and every malformed shape refused with its JSON path.
final class InstanceMetricTests: XCTestCase {
    /// Three demand points on a 3-4-5 triangle: `e` is exactly 5 from `a` and from `b`, `f` a hair beyond 5 from
    /// `a` and within 5 of `b`.
    private let planar = """
        {"metric": "euclidean", "radius": 5, "p": 1,
         "demand": [{"id": "o", "x": 0, "y": 0, "weight": 1},
                    {"id": "e", "x": 3, "y": 4, "weight": 2},
                    {"id": "f", "x": 3, "y": 4.001, "weight": 4}],
         "candidates": [{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 6, "y": 8}]}
        """

    /// `planar` as a matrix: the distances the planar instance computes, row by row.
    private var matrix: String {
        let d = [(0.0, 0.0), (3.0, 4.0), (3.0, 4.001)].map { p in
            [(0.0, 0.0), (6.0, 8.0)].map { c in
                planarDistance(PlanarPoint(x: p.0, y: p.1), PlanarPoint(x: c.0, y: c.1))
            }
        }
        let rows = d.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ")
        return """
            {"metric": "matrix", "radius": 5, "p": 1,
             "demand": [{"id": "o", "weight": 1}, {"id": "e", "weight": 2}, {"id": "f", "weight": 4}],
             "candidates": [{"id": "a"}, {"id": "b"}],
             "distances": [\(rows)]}
            """
    }

    private func solve(_ json: String) throws -> SitingSolution {
        try SitingInstance.parse(json: json).solve()
    }

    func testPlanarInstanceCoversAPointAtExactlyTheRadius() throws {
        let instance = try SitingInstance.parse(json: planar)
        guard case .euclidean(let demand, let candidates) = instance.problem.metric else {
            return XCTFail("expected a euclidean metric, got \(instance.problem.metric)")
        }
        XCTAssertEqual(demand[1], PlanarPoint(x: 3, y: 4))
        XCTAssertEqual(candidates[1], PlanarPoint(x: 6, y: 8))
        XCTAssertEqual(planarDistance(demand[1], candidates[0]), 5, "exactly the radius")
        // b covers e (exactly 5) and f (4.9992): 6; a covers o and e (exactly 5): 3.
        let best = try instance.solve()
        XCTAssertEqual(best.chosen, [1])
        XCTAssertEqual(best.coveredWeight, 6)
        XCTAssertTrue(best.provedOptimal)
        // Only a: e at exactly the radius is covered, f just beyond is not.
        let onlyA = try solve(planar.replacingOccurrences(of: "\"p\": 1", with: "\"p\": 1, \"fixed\": [\"a\"]"))
        XCTAssertEqual(onlyA.chosen, [0])
        XCTAssertEqual(onlyA.coveredWeight, 3)
        // A radius a hair under 5 loses e from a: o alone.
        let shorter = planar.replacingOccurrences(of: "\"radius\": 5", with: "\"radius\": 4.999999")
        let onlyAShorter = try solve(shorter.replacingOccurrences(of: "\"p\": 1", with: "\"p\": 1, \"fixed\": [\"a\"]"))
        XCTAssertEqual(onlyAShorter.coveredWeight, 1)
        XCTAssertEqual(try solve(shorter).coveredWeight, 4, "b keeps only f")
    }

    func testMatrixInstanceGivesThePlanarAnswer() throws {
        let fromMatrix = try SitingInstance.parse(json: matrix)
        guard case .matrix(let table) = fromMatrix.problem.metric else {
            return XCTFail("expected a matrix metric, got \(fromMatrix.problem.metric)")
        }
        XCTAssertEqual(table.demandToCandidate[1][0], 5)
        XCTAssertNil(table.candidateToCandidate)
        XCTAssertEqual(try fromMatrix.solve(), try solve(planar))
        XCTAssertEqual(
            try SitingInstance.run(json: Array(matrix.utf8)), try SitingInstance.run(json: Array(planar.utf8)),
            "the same canonical output")
        let p2Matrix = try solve(matrix.replacingOccurrences(of: "\"p\": 1", with: "\"p\": 2"))
        XCTAssertEqual(p2Matrix.coveredWeight, 7)
        XCTAssertEqual(p2Matrix, try solve(planar.replacingOccurrences(of: "\"p\": 1", with: "\"p\": 2")))
    }

    /// Five candidates on a line 1 apart, demand on each; radius 0 covers only a candidate's own point.
    func testSpacingOnThePlaneAndInAMatrix() throws {
        let xs = [0, 1, 2, 3, 4]
        let weights = [5.0, 4, 3, 2, 1]
        let demand = zip(xs, weights).map { "{\"id\": \"d\($0)\", \"x\": \($0), \"y\": 0, \"weight\": \($1)}" }
        let candidates = xs.map { "{\"id\": \"c\($0)\", \"x\": \($0), \"y\": 0}" }
        let plane = """
            {"metric": "euclidean", "radius": 0.5, "p": 2, "min_spacing": 2,
             "demand": [\(demand.joined(separator: ", "))], "candidates": [\(candidates.joined(separator: ", "))]}
            """
        // Spacing 2: c0 and c1 are too close (1 < 2), c0 and c2 exactly 2 apart are allowed.
        let spaced = try solve(plane)
        XCTAssertEqual(spaced.chosen.sorted(), [0, 2])
        XCTAssertEqual(spaced.coveredWeight, 8)
        XCTAssertTrue(spaced.provedOptimal)
        XCTAssertEqual(
            try solve(plane.replacingOccurrences(of: "\"min_spacing\": 2", with: "\"min_spacing\": 0"))
                .coveredWeight, 9)

        func table(_ f: (Int, Int) -> Int) -> String {
            "[" + xs.map { r in "[" + xs.map { "\(f(r, $0))" }.joined(separator: ", ") + "]" }.joined(separator: ", ")
                + "]"
        }
        let distance = table { abs($0 - $1) }
        let inMatrix = """
            {"metric": "matrix", "radius": 0.5, "p": 2, "min_spacing": 2,
             "demand": [\(zip(xs, weights).map { "{\"id\": \"d\($0)\", \"weight\": \($1)}" }.joined(separator: ", "))],
             "candidates": [\(xs.map { "{\"id\": \"c\($0)\"}" }.joined(separator: ", "))],
             "distances": \(distance), "candidate_distances": \(distance)}
            """
        XCTAssertEqual(try solve(inMatrix), spaced)
    }

    func testDefaultMetricIsGreatCircle() throws {
        let explicit = """
            {"metric": "great_circle", "radius_km": 5, "p": 1,
             "demand": [{"id": "d1", "lat": 31.8, "lon": 119.9, "weight": 120}],
             "candidates": [{"id": "c1", "lat": 31.8, "lon": 119.95}]}
            """
        let implicit = explicit.replacingOccurrences(of: "\"metric\": \"great_circle\", ", with: "")
        XCTAssertEqual(try SitingInstance.parse(json: implicit).problem.metric, .greatCircle)
        XCTAssertEqual(try SitingInstance.parse(json: explicit).problem.metric, .greatCircle)
        XCTAssertEqual(
            try SitingInstance.run(json: Array(explicit.utf8)), try SitingInstance.run(json: Array(implicit.utf8)))
        XCTAssertEqual(try solve(implicit).coveredWeight, 120)
    }

    private func expectError(_ json: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try SitingInstance.parse(json: json), line: line) { error in
            XCTAssertEqual((error as? SitingError)?.message, message, line: line)
        }
    }

    func testBadPlanarInstances() {
        func edited(_ from: String, _ to: String) -> String { planar.replacingOccurrences(of: from, with: to) }
        expectError(
            edited("\"metric\": \"euclidean\"", "\"metric\": \"manhattan\""),
            "metric: unknown metric \"manhattan\" (allowed: great_circle, euclidean, matrix)")
        expectError(edited("\"metric\": \"euclidean\"", "\"metric\": 2"), "metric: expected a string, got a number")
        expectError(
            edited("\"x\": 3, \"y\": 4,", "\"x\": 3, \"y\": 4, \"lat\": 4,"),
            "demand[1].lat: a euclidean instance places points by x and y, not lat/lon")
        expectError(edited("{\"id\": \"e\", \"x\": 3,", "{\"id\": \"e\","), "demand[1]: missing key \"x\"")
        expectError(
            edited("{\"id\": \"b\", \"x\": 6, \"y\": 8}", "{\"id\": \"b\", \"x\": 6}"),
            "candidates[1]: missing key \"y\"")
        expectError(
            edited("\"x\": 3, \"y\": 4,", "\"x\": \"3\", \"y\": 4,"), "demand[1].x: expected a number, got a string")
        expectError(edited("\"x\": 6", "\"x\": 1e999"), "candidates[1].x: number 1e999 is out of range")
        expectError(edited("\"radius\": 5, ", ""), "instance: missing key \"radius\"")
        expectError(edited("\"radius\": 5", "\"radius\": 0"), "radius: the radius must be positive, got 0.0")
        expectError(
            edited("\"radius\": 5", "\"radius_km\": 5"),
            "instance: unknown key \"radius_km\" (allowed: radius, p, min_spacing, demand, candidates, fixed, metric)")
        expectError(
            edited("\"p\": 1,", "\"p\": 1, \"min_spacing\": -1,"),
            "min_spacing: the minimum spacing must be ≥ 0, got -1.0")
        expectError(
            edited("\"p\": 1,", "\"p\": 1, \"distances\": [],"),
            "instance: unknown key \"distances\" (allowed: radius, p, min_spacing, demand, candidates, fixed, metric)")
        // x/y without the metric: the great-circle default says what to write.
        expectError(
            """
            {"radius_km": 5, "p": 1, "demand": [], "candidates": [{"id": "a", "x": 0, "y": 0}]}
            """,
            "candidates[0].x: planar x/y need \"metric\": \"euclidean\"; this instance is great_circle (lat/lon)")
    }

    func testBadMatrixInstances() {
        let base = """
            {"metric": "matrix", "radius": 5, "p": 1,
             "demand": [{"id": "o", "weight": 1}, {"id": "e", "weight": 2}],
             "candidates": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
             "distances": [[0, 1, 2], [3, 4, 5]]}
            """
        func edited(_ from: String, _ to: String) -> String { base.replacingOccurrences(of: from, with: to) }
        XCTAssertEqual(try SitingInstance.parse(json: base).problem.demand.count, 2, "the base instance is valid")
        expectError(
            edited("[[0, 1, 2], [3, 4, 5]]", "[[0, 1, 2]]"), "distances: expected 2 rows (one per demand point), got 1")
        expectError(
            edited("[[0, 1, 2], [3, 4, 5]]", "[[0, 1, 2], [3, 4]]"),
            "distances[1]: 2 entries, expected 3 (one per candidate)")
        expectError(
            edited("[[0, 1, 2], [3, 4, 5]]", "[[0, 1, 2], [3, 4, 5, 6]]"),
            "distances[1]: 4 entries, expected 3 (one per candidate)")
        expectError(
            edited("[3, 4, 5]", "[3, 4, -5]"), "distances[1][2]: a distance must be a finite number ≥ 0, got -5.0")
        expectError(edited("[3, 4, 5]", "[3, 4, 1e400]"), "distances[1][2]: number 1e400 is out of range")
        expectError(edited("[3, 4, 5]", "[3, null, 5]"), "distances[1][1]: expected a number, got null")
        // JSON has no NaN or infinity: such a distance stops the reader at its line and column.
        expectError(edited("[3, 4, 5]", "[3, NaN, 5]"), "4:31: unexpected character")
        expectError(edited("[3, 4, 5]", "[3, -Infinity, 5]"), "4:32: invalid number")
        expectError(edited("[3, 4, 5]", "{}"), "distances[1]: expected an array of numbers, got an object")
        expectError(edited("[[0, 1, 2], [3, 4, 5]]", "7"), "distances: expected an array of rows, got a number")
        expectError(
            edited(",\n \"distances\": [[0, 1, 2], [3, 4, 5]]", ""),
            "instance: missing key \"distances\" (one row per demand point)")
        expectError(
            edited("{\"id\": \"e\", \"weight\": 2}", "{\"id\": \"e\", \"x\": 1, \"weight\": 2}"),
            "demand[1].x: a matrix instance gives \"distances\", not coordinates; remove \"x\"")
        expectError(
            edited("\"p\": 1,", "\"p\": 1, \"min_spacing\": 1,"),
            "min_spacing: a minimum spacing on a distance matrix needs \"candidate_distances\" (candidate to candidate)"
        )
        let spaced = "\"p\": 1, \"min_spacing\": 1, \"candidate_distances\": "
        expectError(
            edited("\"p\": 1,", spaced + "[[0, 1, 2], [1, 0, 3]],"),
            "candidate_distances: expected 3 rows (one per candidate), got 2")
        expectError(
            edited("\"p\": 1,", spaced + "[[0, 1, 2], [1, 0, 3], [2, 3.5, 0]],"),
            "candidate_distances[2][1]: 3.5 differs from candidate_distances[1][2] = 3.0; the matrix must be symmetric")
        expectError(
            edited("\"p\": 1,", spaced + "[[0, 1, 2], [1, 0, 3], [2, 3, -0.5]],"),
            "candidate_distances[2][2]: a distance must be a finite number ≥ 0, got -0.5")
        XCTAssertNoThrow(
            try SitingInstance.parse(json: edited("\"p\": 1,", spaced + "[[0, 1, 2], [1, 0, 3], [2, 3, 0]],")))
    }

    /// The library checks a metric built by hand too, with the instance's names for its parts.
    func testSolverRefusesAMetricOfTheWrongShape() {
        let demand = [DemandPoint(id: "d", latitude: 0, longitude: 0, weight: 1)]
        let candidates = [CandidateSite(id: "c", latitude: 0, longitude: 0)]
        let planar = SitingProblem(
            demand: demand, candidates: candidates, radiusKM: 1, stationCount: 1,
            metric: .euclidean(demand: [], candidates: [PlanarPoint(x: 0, y: 0)]))
        XCTAssertThrowsError(try SitingSolver.solve(planar)) { error in
            XCTAssertEqual((error as? SitingError)?.message, "demand: 0 planar points for 1 demand entries")
        }
        let infinite = SitingProblem(
            demand: demand, candidates: candidates, radiusKM: 1, stationCount: 1,
            metric: .euclidean(demand: [PlanarPoint(x: .infinity, y: 0)], candidates: [PlanarPoint(x: 0, y: 0)]))
        XCTAssertThrowsError(try SitingSolver.solve(infinite)) { error in
            XCTAssertEqual((error as? SitingError)?.message, "demand[0]: coordinates must be finite, got [inf, 0.0]")
        }
        let nan = SitingProblem(
            demand: demand, candidates: candidates, radiusKM: 1, stationCount: 1,
            metric: .matrix(DistanceMatrix(demandToCandidate: [[.nan]])))
        XCTAssertThrowsError(try SitingSolver.solve(nan)) { error in
            XCTAssertEqual(
                (error as? SitingError)?.message, "distances[0][0]: a distance must be a finite number ≥ 0, got nan")
        }
    }

    /// Coordinates and radii at the ends of the Double range are answered, never trapped on: distances that
    /// overflow are infinite (not covered), a subnormal radius still covers a point at distance 0.
    func testExtremePlanarNumbers() throws {
        let huge = try solve(
            """
            {"metric": "euclidean", "radius": 1e308, "p": 1,
             "demand": [{"id": "d", "x": -1e308, "y": 1e308, "weight": 1}, {"id": "n", "x": 1e308, "y": -1e308, "weight": 2}],
             "candidates": [{"id": "c", "x": 1e308, "y": -1e308}]}
            """)
        XCTAssertEqual(huge.coveredWeight, 2)
        let tiny = try solve(
            """
            {"metric": "euclidean", "radius": 5e-324, "p": 1,
             "demand": [{"id": "d", "x": 5e-324, "y": 0, "weight": 1}],
             "candidates": [{"id": "far", "x": 1e300, "y": -1e-300}, {"id": "here", "x": 5e-324, "y": 0}]}
            """)
        XCTAssertEqual(tiny.chosen, [1])
        XCTAssertEqual(tiny.coveredWeight, 1)
    }

    /// A cached solve of a planar problem is the uncached one, and a different metric is not served the lists
    /// of the last.
    func testCoverageCacheKeysOnTheMetric() throws {
        let instance = try SitingInstance.parse(json: planar)
        var cache = SitingCoverageCache()
        XCTAssertEqual(try SitingSolver.solve(instance.problem, cache: &cache), try instance.solve())
        var moved = instance.problem
        moved.metric = .euclidean(
            demand: [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 100, y: 100), PlanarPoint(x: 200, y: 200)],
            candidates: [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 300, y: 300)])
        let solved = try SitingSolver.solve(moved, cache: &cache)
        XCTAssertEqual(cache.builds, 2)
        XCTAssertEqual(solved.coveredWeight, 1)
    }

    /// The grid finds exactly the pairs a scan of every pair finds, at the radius and the spacing, on points
    /// with many exact ties (integer coordinates) and a radius that is a whole number.
    func testPlaneGridListsEqualABruteForceScan() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double((state >> 33) % 41) - 20
        }
        let demand = (0..<300).map { _ in PlanarPoint(x: next(), y: next()) }
        let candidates = (0..<120).map { _ in PlanarPoint(x: next(), y: next()) }
        let sites = candidates.indices.map { CandidateSite(id: "c\($0)", latitude: 0, longitude: 0) }
        let points = demand.indices.map { DemandPoint(id: "d\($0)", latitude: 0, longitude: 0, weight: 1) }
        for (radius, spacing) in [(5.0, 3.0), (0.5, 1.0), (13.0, 5.0)] {
            let index = CoverageIndex(
                demand: points, candidates: sites, radiusKM: radius, minSpacingKM: spacing,
                metric: .euclidean(demand: demand, candidates: candidates))
            for i in demand.indices {
                let expected = candidates.indices.filter { planarDistance(demand[i], candidates[$0]) <= radius }
                XCTAssertEqual(index.demCand[index.demStart[i]..<index.demStart[i + 1]].map { Int($0) }, expected)
            }
            for j in candidates.indices {
                let expected = candidates.indices.filter {
                    $0 != j && planarDistance(candidates[j], candidates[$0]) < spacing
                }
                XCTAssertEqual(
                    index.conflict[index.conflictStart[j]..<index.conflictStart[j + 1]].map { Int($0) }, expected)
            }
            XCTAssertGreaterThan(index.entryCount, 0)
        }
    }
}
