import TestSupport
import XCTest
@testable import PlanningEngine

/// `observed:` in profiles: loading errors at the offending key or value, values pinned in their years,
/// city-wide counts and access totals shared out exactly, and the plan projecting from the last observation.
final class ObservedTests: XCTestCase {
    /// The fixture city with `observed` appended (at the city) and `zoneObserved` inside the first zone.
    private func files(observed: String = "", zoneObserved: String = "", units: String? = nil) -> [String: String] {
        var city = Fixture.city
        if !zoneObserved.isEmpty {
            city = city.replacingOccurrences(
                of: "    existing_chargers: {wallbox: 60, fast: 8, mobile: 0}\n",
                with: "    existing_chargers: {wallbox: 60, fast: 8, mobile: 0}\n"
                    + "    observed:\n" + zoneObserved)
        }
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city + observed)
        if let units { files["Rules/basic/units.yaml"] = units }
        return files
    }

    /// Strips the `1️⃣` marker from `text` and returns where it stood in the city file.
    private func marked(_ text: String, lineOffset: Int) -> (text: String, line: Int, column: Int) {
        let lines = text.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            if let range = line.range(of: "1️⃣") {
                let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                return (text.replacingOccurrences(of: "1️⃣", with: ""), lineOffset + index + 1, column)
            }
        }
        XCTFail("no marker in \(text)")
        return (text, 0, 0)
    }

    private var cityLines: Int { Fixture.city.components(separatedBy: "\n").count - 1 }

    private func assertError(_ observed: String, _ message: String, file: StaticString = #filePath, line: UInt = #line)
    {
        let mark = marked(observed, lineOffset: cityLines)
        let diagnostics = Fixture.diagnostics(files(observed: mark.text))
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)", file: file, line: line)
        guard let first = diagnostics.first else { return }
        XCTAssertTrue((first.message + " " + (first.hint ?? "")).contains(message), "\(first)", file: file, line: line)
        XCTAssertEqual(first.position?.file, "Cities/testville.yaml", file: file, line: line)
        XCTAssertEqual(first.position?.line, mark.line, "\(first)", file: file, line: line)
        XCTAssertEqual(first.position?.column, mark.column, "\(first)", file: file, line: line)
    }

    // MARK: Loading

    func testBadObservationsAreErrorsAtTheKeyOrValue() {
        assertError("observed:\n  1️⃣zone.ev_stock: {2021: 5}\n", "begins with 'city.'")
        assertError("observed:\n  1️⃣city.access.shared.installed: {2021: 5}\n", "unknown access 'shared'")
        assertError("observed:\n  1️⃣city.units.fast.demand: {2021: 5}\n", "not an observable quantity")
        assertError("observed:\n  city.ev_stock: {1️⃣twenty: 5}\n", "map years")
        assertError("observed:\n  city.ev_stock: {1️⃣2019: 5}\n", "before the profile's base_year 2020")
        assertError("observed:\n  city.units.fast.installed: {2021: 1️⃣12.5}\n", "whole number")
        assertError("observed:\n  city.units.fast.installed: {2021: 1️⃣-1}\n", "whole number")
        assertError("observed:\n  city.ev_stock: {2021: 1️⃣many}\n", "number")
        assertError("observed:\n  1️⃣city.ev_stok: {2021: 5}\n", "did you mean 'ev_stock'?")
        assertError("observed:\n  1️⃣city.units.fats.installed: {2021: 5}\n", "unknown unit type 'fats'")
        assertError("observed:\n  city.ev_stock: 1️⃣[]\n", "maps years to values")
        assertError(
            "observed:\n  1️⃣city.access.swap.installed: {2021: 5}\n", "no unit of rule set 'basic' has access 'swap'")
    }

    func testTheBaseYearItselfMayBeObserved() {
        XCTAssertEqual(Fixture.diagnostics(files(observed: "observed:\n  city.ev_stock: {2020: 10000}\n")), [])
    }

    func testAZoneObservesInItsOwnSection() {
        XCTAssertEqual(Fixture.diagnostics(files(zoneObserved: "      zone.ev_stock: {2021: 7000}\n")), [])
        let diagnostics = Fixture.diagnostics(files(zoneObserved: "      city.ev_stock: {2021: 7000}\n"))
        XCTAssertEqual(diagnostics.first?.message.contains("begins with 'zone.'"), true, "\(diagnostics)")
    }

    // MARK: Pinning

    private func cityYear(_ plan: RolloutPlan, _ year: Int) throws -> CityYear {
        try cityYear(try XCTUnwrap(plan.cities.first), year)
    }

    private func cityYear(_ city: CityPlan, _ year: Int) throws -> CityYear {
        try XCTUnwrap(city.cityYears.first { $0.year == year })
    }

    private func number(_ facts: [FactValue], _ name: String) throws -> Double {
        let fact = try XCTUnwrap(facts.first { $0.name == name }, name)
        guard case .number(let value, _) = fact.value else { throw Fixture.FixtureError.missing }
        return value
    }

    func testAnObservedFactIsPinnedAndTheNextYearProjectsFromIt() throws {
        let plan = try Fixture.plan(files(observed: "observed:\n  city.ev_stock: {2022: 30000}\n"))
        let pinned = try cityYear(plan, 2022)
        XCTAssertEqual(try number(pinned.facts, "ev_stock"), 30000)
        XCTAssertEqual(pinned.facts.first { $0.name == "ev_stock" }?.rules, ["observed"])
        let next = try cityYear(plan, 2023)
        let share = try number(next.facts, "ev_sales_share")
        XCTAssertEqual(try number(next.facts, "ev_stock"), 30000 * 0.95 + 20000 * share, accuracy: 1e-6)
        XCTAssertEqual(next.facts.first { $0.name == "ev_stock" }?.rules, ["fleet.stock"])
        // Zone facts read the pinned city value.
        let core = try XCTUnwrap(plan.cities.first?.zoneYears.first { $0.zone == "tv-core" && $0.year == 2022 })
        XCTAssertEqual(try number(core.facts, "ev_stock"), 30000 * 0.6, accuracy: 1e-9)
    }

    func testACityUnitCountIsSharedOverTheZonesExactly() throws {
        let model = try Fixture.plan()
        let plan = try Fixture.plan(files(observed: "observed:\n  city.units.wallbox.installed: {2022: 1001}\n"))
        let zones = try XCTUnwrap(plan.cities.first?.zoneYears.filter { $0.year == 2022 })
        let counts = zones.compactMap { $0.units.first { $0.unit == "wallbox" } }
        XCTAssertEqual(counts.map(\.installed).reduce(0, +), 1001)
        XCTAssertEqual(counts.map(\.rules), [[.observed], [.observed]])
        let modelled = try XCTUnwrap(model.cities.first?.zoneYears.filter { $0.year == 2022 })
            .compactMap { $0.units.first { $0.unit == "wallbox" }?.installed }
        // In proportion to the model's zones (largest remainder).
        let quota = Double(1001) * Double(modelled[0]) / Double(modelled.reduce(0, +))
        XCTAssertTrue(
            [Int(quota.rounded(.down)), Int(quota.rounded(.up))].contains(counts[0].installed),
            "\(counts.map(\.installed)) vs model \(modelled)")
        XCTAssertEqual(try cityYear(plan, 2022).units.first { $0.unit == "wallbox" }?.installed, 1001)
        XCTAssertEqual(try cityYear(plan, 2022).access.first { $0.access == .private }?.installed, 1001)
        // A plan never un-builds what it models, but history may be lower: new is never negative.
        XCTAssertTrue(counts.allSatisfy { $0.new >= 0 })
    }

    func testAZoneCountIsKeptWhenTheCityCountIsSharedOut() throws {
        let plan = try Fixture.plan(
            files(
                observed: "observed:\n  city.units.wallbox.installed: {2022: 1000}\n",
                zoneObserved: "      zone.units.wallbox.installed: {2022: 900}\n"))
        let zones = try XCTUnwrap(plan.cities.first?.zoneYears.filter { $0.year == 2022 })
        XCTAssertEqual(zones.map { $0.units.first { $0.unit == "wallbox" }?.installed }, [900, 100])
    }

    private static let twoPublicUnits = Fixture.units.replacingOccurrences(
        of: "  mobile: {access: mobile,",
        with: "  public_ac: {access: public, power_kw: 7, ports_per_site: 1, capex_cny: 20000, sessions_per_day: 3,\n"
            + "              combine: max}\n  mobile: {access: mobile,")

    func testAnAccessTotalIsSharedOverItsUnitTypesAfterTheOnesObservedThemselves() throws {
        let units = Self.twoPublicUnits
        XCTAssertNotEqual(units, Fixture.units)
        let alone = try Fixture.plan(
            files(
                observed: "observed:\n  city.access.public.installed: {2021: 500}\n",
                units: units))
        let year = try cityYear(alone, 2021)
        XCTAssertEqual(year.access.first { $0.access == .public }?.installed, 500)
        // The model builds no public_ac, so the whole total goes to fast.
        XCTAssertEqual(year.units.first { $0.unit == "fast" }?.installed, 500)
        let both = try Fixture.plan(
            files(
                observed:
                    "observed:\n  city.access.public.installed: {2021: 500}\n  city.units.fast.installed: {2021: 120}\n",
                units: units))
        let split = try cityYear(both, 2021)
        XCTAssertEqual(split.units.first { $0.unit == "fast" }?.installed, 120)
        XCTAssertEqual(split.units.first { $0.unit == "public_ac" }?.installed, 380)
    }

    func testObservedPartsLargerThanTheirTotalAreAnErrorAtTheTotal() throws {
        let observed =
            "observed:\n  city.access.public.installed: {2021: 1️⃣100}\n  city.units.fast.installed: {2021: 120}\n"
        let mark = marked(observed, lineOffset: cityLines)
        XCTAssertThrowsError(try Fixture.plan(files(observed: mark.text))) { error in
            guard let error = error as? DiagnosticsError, let first = error.diagnostics.first else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(first.message.contains("city.access.public.installed in 2021 cannot be 100"), first.message)
            XCTAssertEqual(first.position?.line, mark.line)
            XCTAssertEqual(first.position?.column, mark.column)
        }
    }

    func testApportionIsExactDeterministicAndFallsBack() {
        XCTAssertEqual(CityPlanner.apportion(10, weights: [1, 1, 1]), [4, 3, 3], "ties go to the earlier part")
        XCTAssertEqual(CityPlanner.apportion(7, weights: [0, 0]), [4, 3], "no weight: equal parts")
        XCTAssertEqual(CityPlanner.apportion(5, weights: [3, 0, 1]), [4, 0, 1])
        XCTAssertEqual(CityPlanner.apportion(0, weights: [2, 5]), [0, 0])
        XCTAssertEqual(CityPlanner.apportion(3, weights: []), [])
        XCTAssertEqual(CityPlanner.apportion(1_000_000_000_000, weights: [1, 2]).reduce(0, +), 1_000_000_000_000)
        XCTAssertEqual(CityPlanner.apportion(9, weights: [.infinity, 1, .nan]), [0, 9, 0])
    }

    // MARK: Backtest

    func testBacktestWithholdsOnlyTheYearsAfterTheCutoff() throws {
        let observed = "observed:\n  city.ev_stock: {2020: 10000, 2021: 14000, 2022: 20000}\n"
        let workspace = try Workspace.load(files: files(observed: observed))
        let report = try Backtest.run(workspace, cutoff: 2021, tolerance: 0.15, threads: 1)
        XCTAssertEqual(report.rows.map(\.year), [2022], "2021 is the cutoff: pinned, not withheld")
        let row = try XCTUnwrap(report.rows.first)
        // The model for 2022 projects from the pinned 2021 value.
        let plan = try Fixture.plan(files(observed: "observed:\n  city.ev_stock: {2021: 14000}\n"))
        XCTAssertEqual(row.model, try number(try cityYear(plan, 2022).facts, "ev_stock"), accuracy: 1e-9)
        XCTAssertEqual(row.quantity, "city.ev_stock")
        XCTAssertEqual(row.observed, 20000)
        XCTAssertEqual(report.rollouts, ["test-rollout"])
    }

    func testTheToleranceBoundaryIsInclusive() {
        let row = Backtest.Row(
            rollout: "r", city: "c", zone: nil, quantity: "city.x", year: 2022, observed: 100,
            model: 115, position: SourcePosition(file: "f", line: 1, column: 1))
        XCTAssertEqual(row.errorShare, 0.15)
        XCTAssertTrue(row.within(0.15))
        XCTAssertFalse(row.within(0.1499))
        var low = row
        low.model = 85
        XCTAssertTrue(low.within(0.15))
        low.model = 84.99
        XCTAssertFalse(low.within(0.15))
        var zero = row
        zero.observed = 0
        zero.model = 0
        XCTAssertTrue(zero.within(0.01))
        zero.model = 1
        XCTAssertNil(zero.errorShare)
        XCTAssertFalse(zero.within(10))
    }

    func testBacktestWithoutLaterObservationsIsAnError() throws {
        let workspace = try Workspace.load(files: files(observed: "observed:\n  city.ev_stock: {2021: 14000}\n"))
        XCTAssertThrowsError(try Backtest.run(workspace, cutoff: 2021, tolerance: 0.15)) { error in
            XCTAssertEqual(
                (error as? DiagnosticsError)?.diagnostics.first?.message,
                "no rollout observes anything after 2021")
        }
        XCTAssertThrowsError(try Backtest.run(workspace, cutoff: 2020, rolloutIDs: ["test-rollot"], tolerance: 0.15)) {
            XCTAssertEqual(($0 as? DiagnosticsError)?.diagnostics.first?.hint, "did you mean 'test-rollout'?")
        }
        XCTAssertEqual(
            try Backtest.run(workspace, cutoff: 2020, rolloutIDs: ["test-rollout"], tolerance: 0.15).rows.count,
            1)
    }

    func testBacktestComparesZoneUnitsAndAccessTotalsAndCountsYearsBeyondTheHorizon() throws {
        let workspace = try Workspace.load(
            files: files(
                observed: "observed:\n  city.access.public.installed: {2023: 40, 2030: 90}\n",
                zoneObserved: "      zone.units.wallbox.installed: {2024: 700}\n"))
        let report = try Backtest.run(workspace, cutoff: 2020, tolerance: 0.15)
        XCTAssertEqual(report.rows.map(\.quantity), ["city.access.public.installed", "zone.units.wallbox.installed"])
        XCTAssertEqual(report.rows.map(\.zone), [nil, "tv-core"])
        XCTAssertEqual(report.beyondHorizon, 1, "2030 is after the rollout's last year")
        let plan = try Fixture.plan()
        let modelled = try XCTUnwrap(plan.cities.first?.cityYears.first { $0.year == 2023 })
        XCTAssertEqual(
            report.rows.first?.model, Double(modelled.access.first { $0.access == .public }?.installed ?? -1))
        XCTAssertEqual(report.summaries.count, 2)
    }

    // MARK: A rollout's own observations

    /// The fixture with a second city (Testville's profile under another id, half its EVs) and `observed` appended
    /// to the rollout.
    private func rolloutFiles(observed: String) -> [String: String] {
        var files = Fixture.files
        files["Cities/twinville.yaml"] = Fixture.city.replacingOccurrences(of: "id: testville", with: "id: twinville")
            .replacingOccurrences(of: "tv-", with: "tw-").replacingOccurrences(
                of: "ev_stock: 10000", with: "ev_stock: 5000")
        files["Cities/rollouts/test-rollout.yaml"] =
            Fixture.rollout + "  - {city: twinville, joins: 2021}\n" + observed
        return files
    }

    func testARolloutObservationIsComparedWithTheSumOfItsCitiesPlans() throws {
        let observed =
            "observed:\n  city.ev_stock: {2020: 15000, 2022: 30000, 2030: 1}\n"
            + "  city.access.public.installed: {2023: 50}\n"
        let workspace = try Workspace.load(files: rolloutFiles(observed: observed))
        XCTAssertEqual(
            workspace.rollout("test-rollout")?.observed.map(\.key),
            [
                "city.ev_stock", "city.access.public.installed",
            ])
        let report = try Backtest.run(workspace, cutoff: 2020, tolerance: 0.15, threads: 1)
        XCTAssertEqual(report.rows.map(\.quantity), ["city.ev_stock", "city.access.public.installed"])
        XCTAssertEqual(report.rows.map(\.city), [Backtest.Row.allCities, Backtest.Row.allCities])
        XCTAssertEqual(report.rows.map(\.year), [2022, 2023], "2020 is the cutoff; 2030 is beyond the horizon")
        XCTAssertEqual(report.beyondHorizon, 1)
        let plan = try Fixture.plan(rolloutFiles(observed: ""))
        XCTAssertEqual(plan.cities.map(\.city), ["testville", "twinville"])
        let stock = try plan.cities.reduce(0.0) { $0 + (try number(try cityYear($1, 2022).facts, "ev_stock")) }
        XCTAssertEqual(report.rows.first?.model, stock, "the two cities' plans summed")
        XCTAssertGreaterThan(stock, try number(try cityYear(plan.cities[0], 2022).facts, "ev_stock"))
        let publicTotal = plan.cities.reduce(0) { total, city in
            total + (city.cityYears.first { $0.year == 2023 }?.access.first { $0.access == .public }?.installed ?? 0)
        }
        XCTAssertEqual(report.rows.last?.model, Double(publicTotal))
        XCTAssertEqual(report.rows.first?.position.file, "Cities/rollouts/test-rollout.yaml")
        XCTAssertEqual(report.rows.first?.position.line, 10, "on the line of its quantity")
        // Only the rollout observes: the rollout is still chosen when no id is given.
        XCTAssertEqual(report.rollouts, ["test-rollout"])
    }

    func testARolloutObservationIsNeverPinned() throws {
        let plain = try Fixture.plan(rolloutFiles(observed: ""))
        let observed = try Fixture.plan(rolloutFiles(observed: "observed:\n  city.ev_stock: {2022: 99}\n"))
        XCTAssertEqual(
            try plain.cities.map { try number(try cityYear($0, 2022).facts, "ev_stock") },
            try observed.cities.map { try number(try cityYear($0, 2022).facts, "ev_stock") })
    }

    func testBadRolloutObservationsAreErrorsInTheRolloutFile() {
        let cases: [(String, String, Int, Int)] = [
            ("observed:\n  zone.ev_stock: {2021: 5}\n", "begins with 'city.'", 10, 3),
            ("observed:\n  city.ev_stok: {2021: 5}\n", "did you mean 'ev_stock'?", 10, 3),
            ("observed:\n  city.units.fats.installed: {2021: 5}\n", "unknown unit type 'fats'", 10, 3),
            ("observed:\n  city.ev_stock: {2021: lots}\n", "number", 10, 25),
            ("observed: 5\n", "'observed' maps quantities", 9, 11),
        ]
        for (text, message, line, column) in cases {
            let diagnostics = Fixture.diagnostics(rolloutFiles(observed: text))
            XCTAssertEqual(diagnostics.count, 1, "\(text): \(diagnostics)")
            guard let first = diagnostics.first else { continue }
            XCTAssertTrue((first.message + " " + (first.hint ?? "")).contains(message), "\(text): \(first)")
            XCTAssertEqual(first.position?.file, "Cities/rollouts/test-rollout.yaml", text)
            XCTAssertEqual(first.position?.line, line, "\(text): \(first)")
            XCTAssertEqual(first.position?.column, column, "\(text): \(first)")
        }
    }
}
