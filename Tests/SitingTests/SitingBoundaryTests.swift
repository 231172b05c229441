import XCTest

@testable import Siting

/// The radius and the spacing at their exact boundary: a demand point at exactly the radius is covered, two stations
/// exactly the minimum spacing apart are allowed. Random instances almost never put a point on a boundary, so a
/// `<=` turned into `<` (or the reverse) passes every other test. Distances are taken from `greatCircleKM`, the one
/// definition the solver uses, so "exactly" is exact to the bit.
final class SitingBoundaryTests: XCTestCase {
    /// Points on the meridian 120° E: the distance between two of them depends only on their latitudes.
    private let station = CandidateSite(id: "s", latitude: 31.0, longitude: 120.0)
    private let point = DemandPoint(id: "d", latitude: 31.05, longitude: 120.0, weight: 1)

    private func covered(radiusKM: Double) throws -> Double {
        let problem = SitingProblem(
            demand: [point], candidates: [station], radiusKM: radiusKM, stationCount: 1, minSpacingKM: nil)
        return try SitingSolver.solve(problem).coveredWeight
    }

    func testADemandPointAtExactlyTheRadiusIsCovered() throws {
        let distance = greatCircleKM((point.latitude, point.longitude), (station.latitude, station.longitude))
        XCTAssertGreaterThan(distance, 5)
        XCTAssertEqual(try covered(radiusKM: distance), 1)
        let index = CoverageIndex(
            demand: [point], candidates: [station], radiusKM: distance, minSpacingKM: nil)
        XCTAssertEqual(index.entryCount, 1)
    }

    func testADemandPointJustBeyondTheRadiusIsNotCovered() throws {
        let distance = greatCircleKM((point.latitude, point.longitude), (station.latitude, station.longitude))
        XCTAssertEqual(try covered(radiusKM: distance.nextDown), 0)
        let index = CoverageIndex(
            demand: [point], candidates: [station], radiusKM: distance.nextDown, minSpacingKM: nil)
        XCTAssertEqual(index.entryCount, 0)
    }

    /// Two candidates on the meridian, each the only one covering its own demand point: both are worth opening, so
    /// the spacing alone decides whether the second one opens.
    private func chosen(spacingKM: (Double) -> Double) throws -> [Int] {
        let a = CandidateSite(id: "a", latitude: 31.0, longitude: 120.0)
        let b = CandidateSite(id: "b", latitude: 31.02, longitude: 120.0)
        let gap = greatCircleKM((a.latitude, a.longitude), (b.latitude, b.longitude))
        let problem = SitingProblem(
            demand: [
                DemandPoint(id: "near-a", latitude: 31.0, longitude: 120.0, weight: 1),
                DemandPoint(id: "near-b", latitude: 31.02, longitude: 120.0, weight: 1),
            ],
            candidates: [a, b], radiusKM: gap / 4, stationCount: 2, minSpacingKM: spacingKM(gap))
        let solution = try SitingSolver.solve(problem)
        return solution.chosen.sorted()
    }

    func testTwoStationsExactlyTheMinimumSpacingApartAreAllowed() throws {
        XCTAssertEqual(try chosen { $0 }, [0, 1])
    }

    func testTwoStationsJustCloserThanTheMinimumSpacingAreNot() throws {
        XCTAssertEqual(try chosen { $0.nextUp }.count, 1)
    }

    func testTheSpacingConflictListsAgreeAtTheBoundary() {
        let candidates = [
            CandidateSite(id: "a", latitude: 31.0, longitude: 120.0),
            CandidateSite(id: "b", latitude: 31.02, longitude: 120.0),
        ]
        let gap = greatCircleKM((31.0, 120.0), (31.02, 120.0))
        let atSpacing = CoverageIndex(demand: [], candidates: candidates, radiusKM: 1, minSpacingKM: gap)
        XCTAssertEqual(atSpacing.conflict.count, 0)
        let beyond = CoverageIndex(demand: [], candidates: candidates, radiusKM: 1, minSpacingKM: gap.nextUp)
        XCTAssertEqual(beyond.conflict.count, 2)
    }
}
