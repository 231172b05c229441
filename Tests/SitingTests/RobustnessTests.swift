import XCTest
@testable import Siting

final class SitingRobustnessTests: XCTestCase {
    /// Each weight is finite but their sum is not: the answer used to be all `null`s with exit 0.
    func testWeightsSummingToInfinityAreRejected() {
        let json = """
            {"radius_km": 5, "p": 1,
             "demand": [{"id": "d1", "lat": 1, "lon": 1, "weight": 1e308}, {"id": "d2", "lat": 1, "lon": 1, "weight": 1e308}],
             "candidates": [{"id": "c1", "lat": 1, "lon": 1}]}
            """
        XCTAssertThrowsError(try SitingInstance.run(json: Array(json.utf8))) { error in
            XCTAssertTrue((error as? SitingError)?.message.contains("demand weights add up") ?? false, "\(error)")
        }
        let problem = SitingProblem(
            demand: [
                DemandPoint(id: "a", latitude: 0, longitude: 0, weight: .greatestFiniteMagnitude),
                DemandPoint(id: "b", latitude: 0, longitude: 0, weight: .greatestFiniteMagnitude),
            ],
            candidates: [CandidateSite(id: "c", latitude: 0, longitude: 0)], radiusKM: 1, stationCount: 1,
            minSpacingKM: nil, fixed: [])
        XCTAssertThrowsError(try SitingSolver.solve(problem))
    }

    func testLargestFiniteWeightAloneStillSolves() throws {
        let json = """
            {"radius_km": 5, "p": 1,
             "demand": [{"id": "d1", "lat": 1, "lon": 1, "weight": 1e308}],
             "candidates": [{"id": "c1", "lat": 1, "lon": 1}]}
            """
        let out = try SitingInstance.run(json: Array(json.utf8))
        XCTAssertFalse(out.contains("null"), out)
    }
}
