import TestSupport
import XCTest
@testable import PlanningEngine

/// `cap` and `add` rules may read `prev.`, with an `initial:` for the base year, as derive rules do.
final class PreviousYearRuleTests: XCTestCase {
    private func rules(adding text: String) -> [String: String] {
        Fixture.files(replacing: "Rules/basic/rules.yaml", with: Fixture.rules + text)
    }

    private static let homeCap = """
          - id: caps.home
            for: zone
            cap: wallbox
            max: "prev.zone.ev_stock * 0.1 + 100.0"
            initial: "50.0"

        """

    func testACapReadsLastYearsZoneFact() throws {
        let files = rules(adding: Self.homeCap)
        XCTAssertEqual(Fixture.diagnostics(files), [])
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        for zone in ["tv-core", "tv-rural"] {
            let years = plan.zoneYears.filter { $0.zone == zone }
            XCTAssertEqual(years.count, 5)
            let existing = zone == "tv-core" ? 60 : 40
            let base = try XCTUnwrap(years.first?.units.first { $0.unit == "wallbox" })
            XCTAssertEqual(base.installed, max(existing, 50), "the base year's cap is initial: (50)")
            XCTAssertTrue(base.rules.contains(.cap(rule: "caps.home")), "\(base.rules)")
            for (last, this) in zip(years, years.dropFirst()) {
                let evs = try XCTUnwrap(last.facts.first { $0.name == "ev_stock" })
                guard case .number(let lastEVs, _) = evs.value else { return XCTFail("ev_stock is a number") }
                let limit = lastEVs * 0.1 + 100
                let previous = try XCTUnwrap(last.units.first { $0.unit == "wallbox" }).installed
                let wallbox = try XCTUnwrap(this.units.first { $0.unit == "wallbox" })
                XCTAssertGreaterThan(wallbox.demand, Int(limit) + 1, "the cap binds in \(this.year)")
                XCTAssertLessThanOrEqual(wallbox.installed, max(previous, Int(limit) + 1), "\(zone) \(this.year)")
                XCTAssertGreaterThanOrEqual(wallbox.installed, Int(limit) - 1, "\(zone) \(this.year)")
                XCTAssertTrue(wallbox.rules.contains(.cap(rule: "caps.home")), "\(wallbox.rules)")
            }
        }
    }

    func testExplainShowsInitialInTheBaseYearAndLastYearsValueAfter() throws {
        let workspace = try Workspace.load(files: rules(adding: Self.homeCap))
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let compiled = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let planner = CityPlanner(
            rules: compiled, city: try XCTUnwrap(workspace.city("testville")), rollout: rollout,
            joins: 2020)
        func capNode(_ year: Int) throws -> Explanation.Node {
            let root = try XCTUnwrap(try planner.explain(zone: "tv-core", year: year, unit: "wallbox").roots.first)
            return try XCTUnwrap(root.children.first { $0.rule == "caps.home" }, "\(year)")
        }
        XCTAssertEqual(try capNode(2020).expression, "50.0")
        let later = try capNode(2022)
        XCTAssertEqual(later.expression, "prev.zone.ev_stock * 0.1 + 100.0")
        let prev = try XCTUnwrap(later.children.first { $0.label == "prev.zone.ev_stock" })
        XCTAssertEqual(prev.note, "last year's value; explain --year 2021 to expand")
    }

    func testAnAddReadsLastYearsUnits() throws {
        let files = rules(
            adding: """
                  - id: mix.mobile
                    for: zone
                    add: mobile
                    count: "prev.zone.units.fast.installed / 4.0"
                    initial: "1.0"

                """)
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        let core = plan.zoneYears.filter { $0.zone == "tv-core" }
        let base = try XCTUnwrap(core.first?.units.first { $0.unit == "mobile" })
        XCTAssertTrue(base.rules.contains(.add(rule: "mix.mobile")), "the base year adds initial: (1) \(base.rules)")
        for (last, this) in zip(core, core.dropFirst()) {
            let fast = try XCTUnwrap(last.units.first { $0.unit == "fast" }).installed
            let mobile = try XCTUnwrap(this.units.first { $0.unit == "mobile" })
            XCTAssertGreaterThanOrEqual(mobile.demand, Int((Double(fast) / 4).rounded(.up)), "\(this.year)")
        }
    }

    func testPrevWithoutInitialIsAnErrorAtTheRule() throws {
        let files = rules(adding: Self.homeCap.replacingOccurrences(of: "    initial: \"50.0\"\n", with: ""))
        let d = try XCTUnwrap(Fixture.diagnostics(files).first)
        XCTAssertEqual(
            d.message,
            "'caps.home' reads prev.zone.ev_stock but has no 'initial:' (the max in the base year)")
        XCTAssertEqual(d.position?.file, "Rules/basic/rules.yaml")
        let ruleLine = Fixture.rules.split(separator: "\n", omittingEmptySubsequences: false).count
        XCTAssertEqual(d.position?.line, ruleLine, "the line of the rule's id")
    }

    func testInitialCannotReadPrevAndACapCannotReadLastYearsCoverage() {
        let initialReads = rules(
            adding: Self.homeCap.replacingOccurrences(
                of: "initial: \"50.0\"",
                with: "initial: \"prev.zone.ev_stock\""))
        XCTAssertTrue(
            Fixture.diagnostics(initialReads).contains {
                $0.message == "'initial:' is the base-year value and cannot read prev.zone.ev_stock"
            })
        let coverage = rules(
            adding: Self.homeCap.replacingOccurrences(
                of: "prev.zone.ev_stock * 0.1",
                with: "prev.zone.coverage"))
        XCTAssertTrue(
            Fixture.diagnostics(coverage).contains {
                $0.message
                    == "cap rules decide the units and cannot read prev.zone.coverage, which is computed after them"
            }, "\(Fixture.diagnostics(coverage))")
    }

    func testARequireStillCannotReadPrev() {
        let files = rules(
            adding: """
                  - id: req.growth
                    for: city
                    require: "city.ev_stock >= prev.city.ev_stock"
                    severity: warning
                    message: fleet shrinks

                """)
        XCTAssertTrue(
            Fixture.diagnostics(files).contains {
                $0.message == "only derive, add and cap rules may read the previous year (prev.city.ev_stock)"
            })
    }
}
