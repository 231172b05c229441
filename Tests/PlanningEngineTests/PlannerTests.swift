import TestSupport
import XCTest
@testable import PlanningEngine

final class PlannerTests: XCTestCase {
    func testFleetFollowsTheFormulas() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        func fact(_ year: Int, _ name: String) -> Double? {
            guard let f = plan.cityYears.first(where: { $0.year == year })?.facts.first(where: { $0.name == name }),
                case .number(let v, _) = f.value
            else { return nil }
            return v
        }
        XCTAssertEqual(fact(2020, "ev_stock"), 10000)
        // 2021: share closes a quarter of the gap 0.1 → 0.5; stock = 10000 × 0.95 + 20000 × 0.2.
        XCTAssertEqual(try XCTUnwrap(fact(2021, "ev_sales_share")), 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(fact(2021, "ev_stock")), 13500, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(fact(2024, "ev_sales_share")), 0.5, accuracy: 1e-12)
    }

    func testGridCapSpillsToMobileAndNeverUnbuilds() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        let rural = plan.zoneYears.filter { $0.zone == "tv-rural" }
        for record in rural {
            let fast = try XCTUnwrap(record.units.first { $0.unit == "fast" })
            // 720 kW of headroom carries two 360 kW chargers.
            XCTAssertLessThanOrEqual(fast.installed, 2)
            let mobile = try XCTUnwrap(record.units.first { $0.unit == "mobile" })
            if fast.unmet > 0 {
                XCTAssertTrue(fast.rules.contains(.cap(rule: "caps.grid")))
                XCTAssertEqual(mobile.demand, Int((Double(fast.unmet) * 0.5).rounded(.up)))
                XCTAssertTrue(mobile.rules.contains(.spill(rule: "caps.grid")))
            }
        }
        for zone in ["tv-core", "tv-rural"] {
            let installed = plan.zoneYears.filter { $0.zone == zone }.compactMap {
                $0.units.first { $0.unit == "wallbox" }?.installed
            }
            XCTAssertEqual(installed, installed.sorted(), "installed units never fall")
        }
    }

    /// A cap's limit is rounded down: 3,779 kW carries 10 chargers of 360 kW (10.497), not 11; exactly 3,600 kW
    /// carries exactly 10.
    func testAFractionalCapIsRoundedDownAndAWholeOneIsExact() throws {
        for (headroom, limit) in [("3779", 10), ("3600", 10), ("3599.99", 9)] {
            let city = Fixture.city.replacingOccurrences(
                of: "grid_headroom_kw: 3600", with: "grid_headroom_kw: \(headroom)")
            let plan = try XCTUnwrap(
                try Fixture.plan(Fixture.files(replacing: "Cities/testville.yaml", with: city))
                    .cities.first)
            let core = plan.zoneYears.filter { $0.zone == "tv-core" }
            for record in core {
                let fast = try XCTUnwrap(record.units.first { $0.unit == "fast" })
                XCTAssertGreaterThan(fast.demand, limit, "the cap binds in \(record.year)")
                XCTAssertEqual(fast.installed, limit, "headroom \(headroom) kW in \(record.year)")
                XCTAssertEqual(fast.unmet, fast.demand - limit)
            }
        }
    }

    func testExistingChargersCountFirst() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        let first = try XCTUnwrap(plan.zoneYears.first { $0.zone == "tv-core" && $0.year == 2020 })
        let wallbox = try XCTUnwrap(first.units.first { $0.unit == "wallbox" })
        // 6000 EVs in the core × 0.5 with parking = 3000 needed, 60 exist.
        XCTAssertEqual(wallbox.demand, 3000)
        XCTAssertEqual(wallbox.installed, 3000)
        XCTAssertEqual(wallbox.new, 2940)
        XCTAssertEqual(wallbox.capex, 2940 * 5000)
    }

    func testStationsNestOverYears() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        XCTAssertFalse(plan.stations.isEmpty)
        XCTAssertEqual(Set(plan.stations.map(\.id)).count, plan.stations.count)
        for zoneYear in plan.zoneYears where zoneYear.zone == "tv-core" {
            let fast = zoneYear.units.first { $0.unit == "fast" }?.installed ?? 0
            let open = plan.stations.filter { $0.zone == "tv-core" && $0.openingYear <= zoneYear.year }.count
            XCTAssertEqual(open, (fast + 3) / 4, "stations = ceil(chargers / ports) in \(zoneYear.year)")
        }
    }

    func testFindingsCarryRuleAndYear() throws {
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        XCTAssertTrue(plan.findings.allSatisfy { $0.rule == "req.ratio" && $0.severity == .warning })
    }

    func testParallelEqualsSerial() throws {
        var files = Fixture.files
        var members = ""
        for index in 0..<6 {
            let id = "town\(index)"
            files["Cities/\(id).yaml"] = Fixture.city
                .replacingOccurrences(of: "id: testville", with: "id: \(id)")
                .replacingOccurrences(of: "tv-", with: "\(id)-")
                .replacingOccurrences(of: "population: 1000000", with: "population: \(1000000 + index * 1000)")
            members += "  - {city: \(id), joins: 2020}\n"
        }
        files["Cities/rollouts/test-rollout.yaml"] = Fixture.rollout + members
        let serial = try Fixture.plan(files, threads: 1)
        let parallel = try Fixture.plan(files, threads: 4)
        XCTAssertEqual(serial, parallel)
        XCTAssertEqual(serial.cities.map(\.city), serial.cities.map(\.city).sorted())
    }

    func testRuntimeErrorCarriesRulePosition() throws {
        let rules = Fixture.rules.replacingOccurrences(
            of: "count: \"zone.ev_stock * params.fast_per_ev\"",
            with: "count: \"double(int(zone.ev_stock) / (year - 2020))\"")
        XCTAssertThrowsError(try Fixture.plan(Fixture.files(replacing: "Rules/basic/rules.yaml", with: rules))) {
            error in
            let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
            XCTAssertTrue(
                diagnostics.contains {
                    $0.position?.file == "Rules/basic/rules.yaml" && $0.position?.line == 26
                        && $0.message.contains("mix.fast")
                }, "\(diagnostics)")
        }
    }
}
