import TestSupport
import XCTest
@testable import PlanningEngine

/// List parameters (`values: [...]`), read by rules as `list(double)`.
final class ListParamTests: XCTestCase {
    private static let radius = "  radius_km: {value: 5.0, unit: km}\n"

    private func files(param: String, rule: String = "") -> [String: String] {
        let units = Fixture.units.replacingOccurrences(of: Self.radius, with: Self.radius + "  " + param + "\n")
        var files = Fixture.files(replacing: "Rules/basic/units.yaml", with: units)
        files["Rules/basic/rules.yaml"] = Fixture.rules + rule
        return files
    }

    /// The 1-based line and column of `needle` in the units file as `files(param:)` writes it.
    private func position(of needle: String, after anchor: String, in files: [String: String]) throws -> (Int, Int) {
        let text = try XCTUnwrap(files["Rules/basic/units.yaml"])
        let lines = text.components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex { $0.contains(anchor) })
        let range = try XCTUnwrap(lines[index].range(of: needle))
        return (index + 1, lines[index].distance(from: lines[index].startIndex, to: range.lowerBound) + 1)
    }

    func testARuleReadsAListParamWithSumAndGreatest() throws {
        let rule = """
              - id: shifts.total
                for: city
                derive: shift_total
                value: "math.sum(params.shift_hours) + math.greatest(params.shift_hours) + math.mean(params.shift_hours)"

            """
        let files = files(param: "shift_hours: {values: [8, 10, 12], unit: h}", rule: rule)
        XCTAssertEqual(Fixture.diagnostics(files).map(\.message), [])
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        XCTAssertFalse(plan.cityYears.isEmpty)
        for year in plan.cityYears {
            let fact = year.facts.first { $0.name == "shift_total" }
            guard case .number(let value, _)? = fact?.value else { return XCTFail("no shift_total in \(year.year)") }
            XCTAssertEqual(value, 30 + 12 + 10)
        }
    }

    func testAListParamIsTypedListOfDouble() {
        let rule = """
              - id: shifts.bad
                for: city
                derive: shift_bad
                value: "params.shift_hours * 2.0"

            """
        let files = files(param: "shift_hours: {values: [8, 10, 12]}", rule: rule)
        let messages = Fixture.diagnostics(files).map(\.message)
        XCTAssertTrue(messages.contains { $0.contains("list(double)") }, "\(messages)")
    }

    func testValueAndValuesTogetherIsAnErrorAtTheLaterKey() throws {
        let files = files(param: "shift_hours: {value: 8, values: [8, 10], unit: h}")
        let diagnostics = Fixture.diagnostics(files)
        let both = diagnostics.first { $0.message.contains("both 'value' and 'values'") }
        let error = try XCTUnwrap(both, "\(diagnostics)")
        let (line, column) = try position(of: "values:", after: "shift_hours", in: files)
        XCTAssertEqual(error.position?.file, "Rules/basic/units.yaml")
        XCTAssertEqual(error.position?.line, line)
        XCTAssertEqual(error.position?.column, column)
    }

    func testANonNumberElementIsAnErrorAtTheElement() throws {
        let files = files(param: "shift_hours: {values: [8, ten, 12], unit: h}")
        let diagnostics = Fixture.diagnostics(files)
        let error = try XCTUnwrap(diagnostics.first, "no diagnostics")
        XCTAssertEqual(error.message, "expected a number, found 'ten'")
        let (line, column) = try position(of: "ten", after: "shift_hours", in: files)
        XCTAssertEqual(error.position?.line, line)
        XCTAssertEqual(error.position?.column, column)
    }

    func testAnEmptyOrScalarValuesIsAnError() {
        let empty = Fixture.diagnostics(files(param: "shift_hours: {values: []}")).map(\.message)
        XCTAssertEqual(empty, ["parameter 'shift_hours': 'values' must list at least one number"])
        let scalar = Fixture.diagnostics(files(param: "shift_hours: {values: 8}")).map(\.message)
        XCTAssertEqual(scalar, ["'values' must be a list, found a scalar"])
    }
}
