import XCTest

@testable import PlanningEngine
@testable import PlanWriters

/// `RolloutPlan.totals`, which the summary document, `_summary.csv` and the rollout report all read.
final class RolloutTotalsTests: XCTestCase {
    func testTotalsSumEveryCityPerYearAndEveryUnitTypeOfTheRollout() throws {
        var rollout = try ReportWriterTests.plan()
        guard var twin = rollout.cities.first, !twin.cityYears.isEmpty else { return XCTFail("no city") }
        twin.city = "twin"
        // A unit type only the twin plans, only in its first year: every year's totals carry it, zero elsewhere.
        twin.cityYears[0].units.append(
            UnitYear(unit: "zz", demand: 3, installed: 2, new: 2, unmet: 1, capex: 10.5, rules: []))
        rollout.cities.append(twin)
        let original = rollout.cities[0]
        let totals = rollout.totals
        XCTAssertEqual(totals.map(\.year), Array(rollout.firstYear...rollout.lastYear))
        XCTAssertTrue(rollout.unitIDs.contains("zz"))
        for total in totals {
            XCTAssertEqual(total.units.map(\.unit), rollout.unitIDs)
            let year = original.cityYears.first { $0.year == total.year }
            for unit in total.units where unit.unit != "zz" {
                let one = year?.units.first { $0.unit == unit.unit }
                XCTAssertEqual(unit.installed, 2 * (one?.installed ?? 0), "\(unit.unit) \(total.year)")
                XCTAssertEqual(unit.new, 2 * (one?.new ?? 0))
                XCTAssertEqual(unit.unmet, 2 * (one?.unmet ?? 0))
            }
            let first = total.year == twin.cityYears[0].year
            let extra = total.units.first { $0.unit == "zz" }
            XCTAssertEqual(extra?.installed, first ? 2 : 0)
            XCTAssertEqual(extra?.demand, first ? 3 : 0)
            let capex = rollout.cities.flatMap { $0.cityYears.first { $0.year == total.year }?.units ?? [] }
                .reduce(0) { $0 + $1.capex }
            XCTAssertEqual(total.capex, capex)
            XCTAssertEqual(total.access, rollout.accessTotals(year: total.year))
        }
        XCTAssertEqual(twin.horizonCapex, original.horizonCapex + 10.5, accuracy: 1e-9)
    }
}
