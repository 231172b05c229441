import Foundation
import TestSupport
import XCTest

@testable import PlanningEngine

/// A plan's stations are its chargers, placed: in every zone-year the ports of a sited unit's open stations sum to
/// the zone's installed count of that unit, on the test's own fixture and on a bundled rollout.
final class StationPortsTests: XCTestCase {
    /// The ports of `station` in `year`: its last change on or before it, 0 before it opens.
    private func ports(_ station: Station, in year: Int) -> Int {
        station.portsByYear.last { $0.year <= year }?.ports ?? 0
    }

    private func assertStationsHoldTheInstalledUnits(
        _ plan: CityPlan, file: StaticString = #filePath, line: UInt = #line
    ) {
        var checked = 0
        for zoneYear in plan.zoneYears {
            for share in zoneYear.coverage {
                let installed = zoneYear.units.first { $0.unit == share.unit }?.installed ?? 0
                let held = plan.stations.filter { $0.unit == share.unit && $0.zone == zoneYear.zone }
                    .reduce(0) { $0 + ports($1, in: zoneYear.year) }
                XCTAssertEqual(
                    held, installed, "\(plan.city) \(zoneYear.zone) \(zoneYear.year) \(share.unit)", file: file,
                    line: line)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no sited zone-year in \(plan.city)", file: file, line: line)
        for station in plan.stations {
            XCTAssertEqual(station.portsByYear.first?.year, station.openingYear, station.id, file: file, line: line)
            XCTAssertEqual(station.portsByYear.last?.ports, station.ports, station.id, file: file, line: line)
            let years = station.portsByYear.map(\.year)
            XCTAssertEqual(
                years, Array(Set(years)).sorted(), "\(station.id): one entry per year", file: file, line: line)
            let counts = station.portsByYear.map(\.ports)
            XCTAssertEqual(counts, counts.sorted(), "\(station.id): ports never fall here", file: file, line: line)
        }
    }

    func testTheFixturesStationsHoldItsInstalledUnitsInEveryZoneYear() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        assertStationsHoldTheInstalledUnits(plan)
    }

    func testSitesTooSmallForTheInstalledUnitsHoldThemAllAndSaySo() throws {
        let city =
            Fixture.city
                + """
                candidate_sites:
                  - {id: s1, zone: tv-core, location: [29.99, 120.0], grid_kw: 1500, max_ports: 1}
                  - {id: s2, zone: tv-core, location: [30.01, 120.0], grid_kw: 1500, max_ports: 1, existing: true}

                """
        let plan = try XCTUnwrap(
            try Fixture.plan(Fixture.files(replacing: "Cities/testville.yaml", with: city)).cities.first)
        assertStationsHoldTheInstalledUnits(plan)
        let core = plan.stations.filter { $0.zone == "tv-core" }
        XCTAssertEqual(core.map(\.id), ["s1", "s2"])
        XCTAssertEqual(core.map(\.existing), [false, true])
        XCTAssertEqual(core.map(\.ports), [5, 5], "the core's 10 units, spread evenly beyond the sites' 1 port")
        let told = plan.findings.filter { $0.scope == "tv-core" && $0.rule == "site.fast" && $0.severity == .warning }
        XCTAssertEqual(told.count, 1, "once, in the first year the sites are too small")
        let message = told.first?.message ?? "none"
        XCTAssertTrue(message.contains("2 stations have room for 2 ports"), message)
    }

    /// The bundled project's plans of `rollout`.
    private func bundledPlans(_ rolloutID: String) throws -> [CityPlan] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let workspace = try Workspace.load(root: root)
        let rollout = try XCTUnwrap(workspace.rollout(rolloutID))
        let plans = try RolloutPlanner.plan(rollout, in: workspace, threads: 1).cities
        XCTAssertFalse(plans.isEmpty)
        return plans
    }

    func testABundledRolloutsStationsHoldItsInstalledUnitsInEveryZoneYear() throws {
        for plan in try bundledPlans("cams-changzhou") { assertStationsHoldTheInstalledUnits(plan) }
    }

    /// Every station that covers no demand weight as the plan writes it (0.00) is counted by an info finding of
    /// its zone and opening year that says why.
    func testEveryStationCoveringNoDemandIsExplainedByAFinding() throws {
        for plan in try bundledPlans("cams-changzhou") {
            var empty: [String: Int] = [:]
            for station in plan.stations where station.coveredWeight < 0.005 {
                empty["\(station.zone) \(station.openingYear)", default: 0] += 1
            }
            XCTAssertFalse(empty.isEmpty, "Changzhou opens stations for its installed units beyond coverage")
            var explained: [String: Int] = [:]
            for finding in plan.findings where finding.severity == .info && finding.rule == "site.public-dc" {
                let words = finding.message.split(separator: " ")
                let count = words.first == "station" ? 1 : Int(words.first ?? "") ?? 0
                XCTAssertTrue(finding.message.contains("cover"), finding.message)
                explained["\(finding.scope) \(finding.year)", default: 0] += count
            }
            XCTAssertEqual(explained, empty, plan.city)
        }
    }
}
