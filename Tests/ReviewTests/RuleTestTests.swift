import XCTest
@testable import PlanningEngine

final class RuleTestTests: XCTestCase {
    func testBundledRuleTestsPassWithCoverage() throws {
        let reports = try RuleTestRunner.run(Workspace.load(files: repositoryInputs()))
        let china = try XCTUnwrap(reports.first { $0.ruleSet == "china" })
        XCTAssertGreaterThanOrEqual(china.results.count, 10)
        for result in china.results where result.status == .fail {
            XCTFail("\(result.name): \(result.problems.joined(separator: "; "))")
        }
        XCTAssertGreaterThanOrEqual(china.coverage, 90, "not fired: \(china.uncovered); outcomes: \(china.uncoveredOutcomes)")
    }

    func testAWrongExpectationFails() throws {
        var files = try repositoryInputs()
        let fleet = try XCTUnwrap(files["Rules/china/fleet.yaml"])
        files["Rules/china/fleet.yaml"] = fleet.replacingOccurrences(of: "      city.ev_stock: 25800\n", with: "      city.ev_stock: 25801\n")
        XCTAssertNotEqual(files["Rules/china/fleet.yaml"], fleet)
        let reports = try RuleTestRunner.run(Workspace.load(files: files))
        let result = try XCTUnwrap(reports.first?.results.first { $0.name == "fleet.base-year-takes-the-profile" })
        XCTAssertEqual(result.status, .fail)
        XCTAssertEqual(result.problems, ["city.ev_stock: expected 25801, got 25800"])
    }

    func testGivenOverridesAndFindings() throws {
        var files = try repositoryInputs()
        files["Rules/china/zz-tests.yaml"] = """
        tests:
          - name: t.headroom
            city: changzhou
            zone: changzhou-core
            year: 2019
            given: {zone.existing.public_dc: 0, zone.grid_headroom_kw: 3600}
            expect:
              zone.units.public_dc.installed: 561
              findings: [req.grid-peak, no.such-rule]
          - name: t.bad-path
            city: changzhou
            year: 2019
            given: {city.colour: 1}
          - name: t.pending
            city: changzhou
            year: 2019
            todo: later
            expect: {city.ev_stock: 1}
        """
        let reports = try RuleTestRunner.run(Workspace.load(files: files))
        let results = try XCTUnwrap(reports.first?.results.filter { $0.name.hasPrefix("t.") })
        XCTAssertEqual(results.map(\.status), [.fail, .fail, .todo])
        XCTAssertEqual(results[0].problems, ["findings: expected 'no.such-rule' in 2019, got req.grid-peak"])
        XCTAssertTrue(results[1].problems.first?.hasPrefix("given city.colour: not an input") ?? false)
        XCTAssertEqual(results[2].problems, ["city.ev_stock: expected 1, got 25800"])
    }

    func testGivenCannotOverrideAListParam() throws {
        var files = try repositoryInputs()
        files["Rules/china/zz-list.yaml"] = """
        params:
          shift_hours: {values: [8, 10, 12], unit: h}
        tests:
          - name: t.list-param
            city: changzhou
            year: 2019
            given: {params.shift_hours: 9}
        """
        let reports = try RuleTestRunner.run(Workspace.load(files: files))
        let result = try XCTUnwrap(reports.first?.results.first { $0.name == "t.list-param" })
        XCTAssertEqual(result.status, .fail)
        let problem = "given params.shift_hours: a list parameter (values:) cannot be overridden; "
            + "given sets numbers only"
        XCTAssertEqual(result.problems, [problem])
    }
}
