import TestSupport
import XCTest
@testable import PlanningEngine

final class RuleCompilationTests: XCTestCase {
    private func ruleDiagnostics(_ rules: String) -> [Diagnostic] {
        Fixture.diagnostics(Fixture.files(replacing: "Rules/basic/rules.yaml", with: rules))
    }

    func testTypeErrorPointsInsideTheExpression() throws {
        let rules = Fixture.rules.replacingOccurrences(
            of: "count: \"zone.ev_stock * params.fast_per_ev\"", with: "count: \"zone.ev_stock * 2\"")
        let d = try XCTUnwrap(ruleDiagnostics(rules).first)
        XCTAssertEqual(d.position?.file, "Rules/basic/rules.yaml")
        XCTAssertEqual(d.position?.line, 26)
        // The operator or operand inside the string, not the start of the line.
        XCTAssertGreaterThan(d.position?.column ?? 0, 12)
        XCTAssertNotNil(d.hint)
    }

    func testMisspeltFactInWhenIsReportedWithPosition() throws {
        let rules = Fixture.rules.replacingOccurrences(of: "require: \"city.ev_stock", with: "require: \"city.ev_stok")
        let d = try XCTUnwrap(ruleDiagnostics(rules).first)
        XCTAssertEqual(d.position?.line, 43)
        XCTAssertTrue(d.message.contains("ev_stok"), d.message)
    }

    func testCycleNamesEveryRule() {
        let rules = """
            rules:
              - id: a.rule
                for: city
                derive: a
                value: "city.b + 1.0"
              - id: b.rule
                for: city
                derive: b
                value: "city.a * 2.0"

            """
        let diagnostics = ruleDiagnostics(rules)
        XCTAssertEqual(diagnostics.count, 2, "\(diagnostics)")
        XCTAssertTrue(
            diagnostics.allSatisfy {
                $0.message.contains("a.rule") && $0.message.contains("b.rule") && $0.message.contains("cycle")
            })
        XCTAssertEqual(diagnostics.compactMap(\.position?.line), [2, 6])
    }

    func testPrevWithoutInitialIsAnError() {
        let rules = """
            rules:
              - id: grow
                for: city
                derive: n
                value: "prev.city.n + 1.0"

            """
        XCTAssertTrue(ruleDiagnostics(rules).contains { $0.message.contains("has no 'initial:'") })
    }

    func testUnknownUnitAndTwoDerivesOfOneFact() {
        let rules = """
            rules:
              - id: one
                for: zone
                derive: x
                value: "1.0"
              - id: two
                for: zone
                derive: x
                value: "2.0"
              - id: add.bus
                for: zone
                add: bus
                count: "1.0"

            """
        let messages = ruleDiagnostics(rules).map(\.message)
        XCTAssertTrue(messages.contains { $0.contains("derived by two rules") }, "\(messages)")
        XCTAssertTrue(messages.contains("unknown unit type 'bus'"), "\(messages)")
    }

    func testUnitRulesCannotReadFactsThatDependOnUnits() {
        let rules =
            Fixture.rules + """
                  - id: mix.mobile
                    for: zone
                    add: mobile
                    count: "city.capex_cny / 1000.0"

                """
        XCTAssertTrue(ruleDiagnostics(rules).contains { $0.message.contains("depends on them") })
    }

    func testSplittingRulesAcrossFilesInAnyOrderGivesTheSamePlan() throws {
        let blocks = Fixture.rules.components(separatedBy: "\n  - ").dropFirst().map { "  - " + $0 }
        func file(_ part: ArraySlice<String>) -> String {
            "rules:\n" + part.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        }
        let half = blocks.count / 2
        var forward = Fixture.files
        forward["Rules/basic/rules.yaml"] = nil
        forward["Rules/basic/a-first.yaml"] = file(blocks[..<half])
        forward["Rules/basic/b-second.yaml"] = file(blocks[half...])
        var backward = Fixture.files
        backward["Rules/basic/rules.yaml"] = nil
        backward["Rules/basic/a-first.yaml"] = file(blocks[half...])
        backward["Rules/basic/b-second.yaml"] = file(blocks[..<half])
        let a = try Fixture.plan(forward)
        let b = try Fixture.plan(backward)
        let reference = try Fixture.plan()
        XCTAssertEqual(a.cities.map(\.zoneYears), reference.cities.map(\.zoneYears))
        XCTAssertEqual(b.cities.map(\.zoneYears), reference.cities.map(\.zoneYears))
        XCTAssertEqual(b.cities.map(\.cityYears), reference.cities.map(\.cityYears))
        XCTAssertEqual(b.cities.map(\.stations), reference.cities.map(\.stations))
    }

    func testOrderDoesNotDependOnFileOrder() throws {
        let blocks = Fixture.rules.components(separatedBy: "\n  - ").dropFirst().map { "  - " + $0 }
        let reversed = "rules:\n" + blocks.reversed().map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        let a = try Fixture.plan()
        let b = try Fixture.plan(Fixture.files(replacing: "Rules/basic/rules.yaml", with: reversed))
        XCTAssertEqual(a.cities.map(\.cityYears), b.cities.map(\.cityYears))
        XCTAssertEqual(a.cities.map(\.zoneYears), b.cities.map(\.zoneYears))
    }
}
