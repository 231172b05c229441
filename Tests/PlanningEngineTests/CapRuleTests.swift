import TestSupport
import XCTest

@testable import PlanningEngine

/// The cap rule's guarantees on the test's own fixture (not the bundled rule sets): a fractional `max` is rounded
/// down for `limits: installed` and `limits: new`, a cap never un-builds what stands, and the units a cap turns away
/// spill into the other unit at the rule's ratio. Each test makes the cap bind in every year, so none holds vacuously.
final class CapRuleTests: XCTestCase {
    /// The fixture with the grid cap's `max:` (and the lines after it, e.g. `limits:`) replaced, and no fast chargers
    /// standing in the core, so a small cap binds from the first year.
    private func corePlan(max: String, extra: String = "", spillRatio: String = "0.5") throws -> [ZoneYear] {
        let rules = Fixture.rules.replacingOccurrences(
            of: """
                    max: "zone.grid_headroom_kw / units.fast.power_kw"
                    spill: {to: mobile, ratio: "0.5"}
                """,
            with: """
                    max: "\(max)"
                \(extra)    spill: {to: mobile, ratio: "\(spillRatio)"}
                """)
        XCTAssertNotEqual(rules, Fixture.rules, "the fixture's cap rule was found")
        let city = Fixture.city.replacingOccurrences(
            of: "existing_chargers: {wallbox: 60, fast: 8, mobile: 0}",
            with: "existing_chargers: {wallbox: 60, fast: 0, mobile: 0}")
        XCTAssertNotEqual(city, Fixture.city, "the fixture's core zone was found")
        var files = Fixture.files(replacing: "Rules/basic/rules.yaml", with: rules)
        files["Cities/testville.yaml"] = city
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        let core = plan.zoneYears.filter { $0.zone == "tv-core" }.sorted { $0.year < $1.year }
        XCTAssertEqual(core.count, 5)
        return core
    }

    private func fast(_ record: ZoneYear) throws -> UnitYear { try XCTUnwrap(record.units.first { $0.unit == "fast" }) }

    /// `limits: installed`: 2.5 allows 2 chargers, not 3; exactly 3.0 allows exactly 3.
    func testAFractionalInstalledCapIsRoundedDownAndAWholeOneIsExact() throws {
        for (max, limit) in [("2.5", 2), ("3.0", 3), ("2.9999", 2)] {
            for record in try corePlan(max: max) {
                let fast = try fast(record)
                XCTAssertGreaterThan(fast.demand, limit, "the cap binds in \(record.year)")
                XCTAssertEqual(fast.installed, limit, "max \(max) in \(record.year)")
                XCTAssertEqual(fast.unmet, fast.demand - limit)
            }
        }
    }

    /// `limits: new`: 2.5 allows 2 new chargers a year, not 3; exactly 3.0 allows exactly 3.
    func testAFractionalBuildRateIsRoundedDownAndAWholeOneIsExact() throws {
        for (max, rate) in [("2.5", 2), ("3.0", 3), ("2.9999", 2)] {
            let core = try corePlan(max: max, extra: "    limits: new\n")
            var previous = 0
            for record in core {
                let fast = try fast(record)
                XCTAssertGreaterThan(fast.demand, previous + rate, "the rate binds in \(record.year)")
                XCTAssertEqual(fast.installed, previous + rate, "max \(max) in \(record.year)")
                XCTAssertEqual(fast.new, rate)
                previous = fast.installed
            }
        }
    }

    /// A cap that falls from year to year (12, 10, 8, …) keeps what stands: installed never falls below last year's.
    func testAFallingCapNeverUnbuilds() throws {
        let core = try corePlan(max: "12.0 - 2.0 * double(year - 2020)")
        let installed = try core.map { try fast($0).installed }
        XCTAssertEqual(installed, [12, 12, 12, 12, 12])
        for record in core {
            let fast = try fast(record)
            XCTAssertEqual(fast.new, record.year == 2020 ? 12 : 0)
            XCTAssertEqual(fast.unmet, fast.demand - 12)
            XCTAssertTrue(fast.rules.contains(.cap(rule: "caps.grid")), "the cap binds in \(record.year)")
        }
    }

    /// What the cap turns away spills into mobile at the rule's ratio, rounded up to whole units.
    func testTurnedAwayUnitsSpillAtTheRatio() throws {
        for ratio in [("0.25", 0.25), ("0.5", 0.5), ("1.0", 1.0)] {
            for record in try corePlan(max: "3.0", spillRatio: ratio.0) {
                let fast = try fast(record)
                let mobile = try XCTUnwrap(record.units.first { $0.unit == "mobile" })
                XCTAssertGreaterThan(fast.unmet, 10, "the cap binds in \(record.year)")
                XCTAssertEqual(
                    mobile.demand, Int((Double(fast.unmet) * ratio.1).rounded(.up)), "ratio \(ratio.0), \(record.year)")
                XCTAssertTrue(mobile.rules.contains(.spill(rule: "caps.grid")))
            }
        }
    }
}
