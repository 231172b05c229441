import Siting
import TestSupport
import XCTest

@testable import PlanningEngine

/// A zone's coverage counts a demand point exactly at the radius from an open station, and not one a hair beyond: on
/// the test's own fixture, with one listed site and one listed demand point on a meridian in the core.
final class SitingCoverageTests: XCTestCase {
    private let site = (29.90, 120.0)
    private let point = (29.95, 120.0)

    private func coreCoverage(radiusKM: Double) throws -> [Double] {
        let city =
            Fixture.city
                + """
                candidate_sites:
                  - {id: s1, zone: tv-core, location: [\(site.0), \(site.1)], grid_kw: 1500, max_ports: 4}
                demand_points:
                  - {id: d1, zone: tv-core, location: [\(point.0), \(point.1)], weight: 1}

                """
        let rules = Fixture.units.replacingOccurrences(
            of: "radius_km: {value: 5.0, unit: km}", with: "radius_km: {value: \(radiusKM), unit: km}")
        XCTAssertNotEqual(rules, Fixture.units, "the fixture's radius was found")
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        files["Rules/basic/units.yaml"] = rules
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        XCTAssertTrue(plan.stations.contains { $0.id == "s1" }, "the listed site opens")
        let core = plan.zoneYears.filter { $0.zone == "tv-core" }
        XCTAssertEqual(core.count, 5)
        return try core.map { record in try XCTUnwrap(record.coverage.first { $0.unit == "fast" }).share }
    }

    func testADemandPointAtExactlyTheRadiusIsCovered() throws {
        let distance = greatCircleKM(point, site)
        XCTAssertEqual(Double("\(distance)"), distance, "the radius is written and read back exactly")
        XCTAssertEqual(try coreCoverage(radiusKM: distance), [1, 1, 1, 1, 1])
    }

    func testADemandPointJustBeyondTheRadiusIsNot() throws {
        XCTAssertEqual(try coreCoverage(radiusKM: greatCircleKM(point, site).nextDown), [0, 0, 0, 0, 0])
    }
}
