import TestSupport
import XCTest
@testable import PlanningEngine

final class AccessTests: XCTestCase {
    func testAccessTotalsAreTheSumsOfTheUnitsWithThatAccess() throws {
        let rollout = try Fixture.plan()
        let plan = try XCTUnwrap(rollout.cities.first)
        let ruleSet = try XCTUnwrap(try Workspace.load(files: Fixture.files).ruleSet("basic"))
        XCTAssertFalse(plan.cityYears.isEmpty)
        for year in plan.cityYears {
            XCTAssertEqual(year.access.map(\.access), UnitAccess.allCases, "every access, in order")
            for total in year.access {
                let members = year.units.filter { ruleSet.unit($0.unit)?.access == total.access }
                XCTAssertEqual(total.installed, members.reduce(0) { $0 + $1.installed }, "\(year.year) \(total.access)")
                XCTAssertEqual(total.new, members.reduce(0) { $0 + $1.new }, "\(year.year) \(total.access)")
            }
            XCTAssertEqual(year.access.first { $0.access == .swap }, AccessTotal(access: .swap, installed: 0, new: 0))
            XCTAssertEqual(
                year.access.first { $0.access == .public }?.installed,
                year.units.first { $0.unit == "fast" }?.installed)
            XCTAssertEqual(rollout.accessTotals(year: year.year), year.access, "one city: the rollout's totals are its")
        }
        XCTAssertGreaterThan(plan.cityYears.last?.access.first { $0.access == .private }?.installed ?? 0, 0)
    }

    func testUnknownAccessIsAnErrorAtItsPosition() throws {
        let units = Fixture.units.replacingOccurrences(of: "fast: {access: public,", with: "fast: {access: publik,")
        let diagnostics = Fixture.diagnostics(Fixture.files(replacing: "Rules/basic/units.yaml", with: units))
        let d = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics)")
        XCTAssertEqual(d.message, "unknown access 'publik'")
        XCTAssertEqual(d.position?.description, "Rules/basic/units.yaml:4:18")
        XCTAssertEqual(d.hint, "private, public, mobile, swap")
    }

    func testAccessIsRequired() {
        let units = Fixture.units.replacingOccurrences(of: "fast: {access: public, ", with: "fast: {")
        let files = Fixture.files(replacing: "Rules/basic/units.yaml", with: units)
        let messages = Fixture.diagnostics(files).map(\.message)
        XCTAssertTrue(messages.contains { $0.contains("missing required key 'access'") }, "\(messages)")
    }
}
