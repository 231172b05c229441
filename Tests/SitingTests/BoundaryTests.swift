import XCTest
@testable import Siting

/// The radius and the spacing at their exact values: a demand point at exactly the radius is covered, two
/// stations exactly the spacing apart are allowed; one ulp further, neither.
final class BoundaryTests: XCTestCase {
    private let station = CandidateSite(id: "s", latitude: 31.81, longitude: 119.97)
    private let point = DemandPoint(id: "d", latitude: 31.83, longitude: 119.99, weight: 7)

    private var distance: Double {
        greatCircleKM((station.latitude, station.longitude), (point.latitude, point.longitude))
    }

    func testAPointAtExactlyTheRadiusIsCovered() throws {
        let exact = try SitingSolver.solve(
            SitingProblem(
                demand: [point], candidates: [station], radiusKM: distance,
                stationCount: 1))
        XCTAssertEqual(exact.coveredWeight, 7)
        let short = try SitingSolver.solve(
            SitingProblem(
                demand: [point], candidates: [station],
                radiusKM: distance.nextDown, stationCount: 1))
        XCTAssertEqual(short.coveredWeight, 0)
    }

    func testStationsExactlyTheSpacingApartAreBothAllowed() throws {
        let other = CandidateSite(id: "t", latitude: point.latitude, longitude: point.longitude)
        let demand = [
            DemandPoint(id: "a", latitude: station.latitude, longitude: station.longitude, weight: 1),
            DemandPoint(id: "b", latitude: other.latitude, longitude: other.longitude, weight: 1),
        ]
        let exact = try SitingSolver.solve(
            SitingProblem(
                demand: demand, candidates: [station, other], radiusKM: 0.1,
                stationCount: 2, minSpacingKM: distance))
        XCTAssertEqual(exact.chosen.sorted(), [0, 1])
        let wider = try SitingSolver.solve(
            SitingProblem(
                demand: demand, candidates: [station, other], radiusKM: 0.1,
                stationCount: 2, minSpacingKM: distance.nextUp))
        XCTAssertEqual(wider.chosen.count, 1, "one ulp more spacing: the second station is too close")
        XCTAssertEqual(wider.shortfall, 1)
    }

    func testTheCoverageListsIncludeTheExactRadius() {
        func covering(_ radius: Double) -> [Int32] {
            let index = CoverageIndex(demand: [point], candidates: [station], radiusKM: radius, minSpacingKM: nil)
            return Array(index.demCand[index.demStart[0]..<index.demStart[1]])
        }
        XCTAssertEqual(covering(distance), [0])
        XCTAssertEqual(covering(distance.nextDown), [])
    }
}
