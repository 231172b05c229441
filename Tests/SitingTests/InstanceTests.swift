import XCTest
@testable import Siting

final class InstanceTests: XCTestCase {
    private let valid = """
        {"radius_km": 2, "p": 2, "min_spacing_km": 0.5,
         "demand": [{"id": "d1", "lat": 31.80, "lon": 119.90, "weight": 10},
                    {"id": "d2", "lat": 31.81, "lon": 119.91, "weight": 5.5},
                    {"id": "d3", "lat": 31.90, "lon": 120.00, "weight": 7}],
         "candidates": [{"id": "a", "lat": 31.805, "lon": 119.905},
                        {"id": "b", "lat": 31.90, "lon": 120.001},
                        {"id": "c", "lat": 32.5, "lon": 121}],
         "fixed": ["c"]}
        """

    func testParseSolveEncode() throws {
        let out = try SitingInstance.run(json: Array(valid.utf8))
        XCTAssertEqual(
            out,
            """
            {
              "chosen": ["c", "a"],
              "coverage_ratio": 0.688889,
              "covered_weight": 15.500000,
              "covered_weight_by_chosen": [0.000000, 15.500000],
              "fixed": ["c"],
              "p": 2,
              "proved_optimal": true,
              "shortfall": 0,
              "total_weight": 22.500000,
              "upper_bound": 15.500000
            }

            """)
        // Same bytes every time.
        XCTAssertEqual(out, try SitingInstance.run(json: Array(valid.utf8)))
    }

    func testOptionalKeys() throws {
        let minimal = """
            {"radius_km": 1, "p": 1, "demand": [], "candidates": [{"id": "x", "lat": 0, "lon": 0}]}
            """
        let i = try SitingInstance.parse(json: minimal)
        XCTAssertNil(i.problem.minSpacingKM)
        XCTAssertEqual(i.problem.fixed, [])
        XCTAssertEqual(try i.solve().chosen, [0])
    }

    private func expectError(_ json: String, _ fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try SitingInstance.parse(json: json), line: line) { error in
            let message = (error as? SitingError)?.message ?? ""
            XCTAssertTrue(message.contains(fragment), "“\(message)” lacks “\(fragment)”", line: line)
        }
    }

    private func edited(_ from: String, _ to: String) -> String {
        valid.replacingOccurrences(of: from, with: to)
    }

    func testBadInstances() {
        expectError("[]", "must be a JSON object")
        expectError("{", "1:2:")
        expectError("{\"radius_km\": 2,}", "expected a key")
        expectError(edited("\"p\": 2,", "\"p\": 2, \"colour\": 1,"), "unknown key \"colour\"")
        expectError(edited("\"weight\": 10", "\"weight\": 10, \"w\": 1"), "demand[0]: unknown key \"w\"")
        expectError(edited("\"p\": 2,", ""), "missing key \"p\"")
        expectError(edited("\"p\": 2,", "\"p\": 2.5,"), "p: expected an integer")
        expectError(edited("\"p\": 2,", "\"p\": 99999999999999999999999,"), "p: expected an integer")
        expectError(edited("\"p\": 2,", "\"p\": \"2\","), "p: expected an integer, got a string")
        expectError(edited("\"radius_km\": 2", "\"radius_km\": 1e999"), "radius_km: number 1e999 is out of range")
        expectError(edited("\"radius_km\": 2", "\"radius_km\": 0"), "radius")
        expectError(edited("\"fixed\": [\"c\"]", "\"fixed\": [\"zz\"]"), "fixed[0]: unknown candidate id \"zz\"")
        expectError(edited("\"fixed\": [\"c\"]", "\"fixed\": [\"c\", \"c\"]"), "listed twice")
        expectError(edited("\"p\": 2,", "\"p\": 0,"), "less than the 1 fixed")
        expectError(edited("\"id\": \"b\"", "\"id\": \"a\""), "duplicate candidate id \"a\"")
        expectError(edited("\"lat\": 31.90, \"lon\": 120.00", "\"lat\": 95, \"lon\": 120.00"), "latitude 95.0")
        expectError(edited("\"weight\": 7", "\"weight\": -7"), "weight")
        expectError(edited("\"min_spacing_km\": 0.5", "\"min_spacing_km\": -0.5"), "spacing")
        expectError(edited("\"radius_km\": 2, \"p\": 2,", "\"radius_km\": 2, \"p\": 2, \"p\": 3,"), "duplicate key")
    }

    func testCanonicalNumbers() {
        XCTAssertEqual(canonicalNumber(0), "0.000000")
        XCTAssertEqual(canonicalNumber(-0.0), "0.000000")
        XCTAssertEqual(canonicalNumber(-1e-9), "0.000000")
        XCTAssertEqual(canonicalNumber(1e20), "100000000000000000000.000000")
        XCTAssertEqual(canonicalNumber(2.5), "2.500000")
    }

    func testJSONStringsRoundTrip() throws {
        let v = try JSONParser.parse(Array("[\"a\\\"b\\u00e9\\ud83d\\ude00\", -0.5e1, true, null, {}]".utf8))
        XCTAssertEqual(v, .array([.string("a\"bé😀"), .number("-0.5e1"), .bool(true), .null, .object([])]))
        XCTAssertEqual(jsonString("a\"b\n\u{1}"), "\"a\\\"b\\n\\u0001\"")
    }
}

final class SiteGeneratorTests: XCTestCase {
    func testCandidatesAreDeterministicAndInsideTheZone() {
        let a = SiteGenerator.candidates(zoneID: "cz-core", centre: (31.81, 119.97), areaKM2: 420, count: 25)
        let b = SiteGenerator.candidates(zoneID: "cz-core", centre: (31.81, 119.97), areaKM2: 420, count: 25)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, 25)
        XCTAssertEqual(a.first?.id, "cz-core-c01")
        XCTAssertEqual(a.last?.id, "cz-core-c25")
        let radius = (420 / Double.pi).squareRoot()
        for c in a {
            XCTAssertLessThanOrEqual(greatCircleKM((31.81, 119.97), (c.latitude, c.longitude)), radius * 1.25)
        }
        let other = SiteGenerator.candidates(zoneID: "cz-north", centre: (31.81, 119.97), areaKM2: 420, count: 25)
        XCTAssertNotEqual(a.map(\.latitude), other.map(\.latitude))
        // Spread out: no two sites on top of each other.
        let spacing = (420 / (25 * 3.0.squareRoot() / 2)).squareRoot()
        for i in a.indices {
            for j in a.indices where j > i {
                XCTAssertGreaterThan(
                    greatCircleKM((a[i].latitude, a[i].longitude), (a[j].latitude, a[j].longitude)),
                    0.3 * spacing)
            }
        }
        XCTAssertEqual(
            SiteGenerator.candidates(zoneID: "z", centre: (0, 0), areaKM2: 10, count: 120).last?.id, "z-c120")
    }

    func testDemandWeightsSumAndIds() {
        let d = SiteGenerator.demand(zoneID: "hk", centre: (20.04, 110.32), areaKM2: 300, weight: 12_000, count: 40)
        XCTAssertEqual(d.count, 40)
        XCTAssertEqual(d.first?.id, "hk-d001")
        XCTAssertEqual(d.map(\.weight).reduce(0, +), 12_000, accuracy: 1e-6)
        XCTAssertTrue(d.allSatisfy { $0.weight > 0 })
        XCTAssertEqual(
            d, SiteGenerator.demand(zoneID: "hk", centre: (20.04, 110.32), areaKM2: 300, weight: 12_000, count: 40))
        // The centre gets more weight than the rim.
        XCTAssertGreaterThan(d[0].weight, d[39].weight)
    }

    func testDegenerateArguments() {
        XCTAssertEqual(SiteGenerator.candidates(zoneID: "z", centre: (0, 0), areaKM2: 10, count: 0), [])
        XCTAssertEqual(SiteGenerator.candidates(zoneID: "z", centre: (0, 0), areaKM2: 10, count: -5), [])
        let zeroArea = SiteGenerator.candidates(zoneID: "z", centre: (10, 20), areaKM2: 0, count: 3)
        XCTAssertEqual(zeroArea.map(\.latitude), [10, 10, 10])
        let polar = SiteGenerator.demand(zoneID: "p", centre: (90, 180), areaKM2: 1000, weight: 1, count: 10)
        XCTAssertTrue(polar.allSatisfy { (-90...90).contains($0.latitude) && (-180...180).contains($0.longitude) })
        // Generated sites are valid solver input.
        let c = SiteGenerator.candidates(zoneID: "p", centre: (89.99, 179.99), areaKM2: 500, count: 30)
        XCTAssertNoThrow(
            try SitingSolver.solve(SitingProblem(demand: polar, candidates: c, radiusKM: 3, stationCount: 5)))
    }

    func testStableHash() {
        // Published FNV-1a 64 test vectors.
        XCTAssertEqual(fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
    }
}
