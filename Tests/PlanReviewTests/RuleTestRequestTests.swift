import Foundation
import TestSupport
import XCTest

@testable import PlanReview
@testable import PlanningEngine

/// `chargeplan test` as a library call: the report lines, the coverage bar, an unknown rule set, and an update
/// written only when every file takes it.
final class RuleTestRequestTests: XCTestCase {
    private func workspace(_ files: [String: String]) throws -> Workspace { try Workspace.load(files: files) }

    func testTheBundledTestsPassAndABarAboveTheirCoverageFails() throws {
        let bundled = try workspace(try FixtureWorkspace.inputs())
        let passing = try RuleTestRequest(root: ".", minCoverage: 90).run(bundled)
        XCTAssertTrue(passing.passed)
        XCTAssertTrue(passing.problems.isEmpty)
        XCTAssertTrue(passing.lines.contains { $0.hasPrefix("rule set china: ") && $0.contains(" 0 failed") })
        let strict = try RuleTestRequest(root: ".", minCoverage: 100.5).run(bundled)
        XCTAssertFalse(strict.passed, "a bar above what the tests reach")
        XCTAssertEqual(strict.problems.count, 1)
        XCTAssertTrue(strict.problems.first?.message.hasSuffix("is below --min-coverage 100.5") ?? false)
        XCTAssertThrowsError(try RuleTestRequest(root: ".", ruleSet: "nope").run(bundled)) { error in
            XCTAssertEqual((error as? DiagnosticsError)?.diagnostics.first?.message, "no rule set named 'nope'")
        }
    }

    func testAFailureFailsAndAnUpdateRewritesItInPlace() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rule-test-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        var files = try FixtureWorkspace.inputs()
        let fleet = try XCTUnwrap(files["Rules/china/fleet.yaml"])
        files["Rules/china/fleet.yaml"] = fleet.replacingOccurrences(
            of: "      city.ev_stock: 25800\n", with: "      city.ev_stock: 25801\n")
        let path = root.appendingPathComponent("Rules/china/fleet.yaml")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((files["Rules/china/fleet.yaml"] ?? "").utf8).write(to: path)
        let failing = try RuleTestRequest(root: root.path).run(try workspace(files))
        XCTAssertFalse(failing.passed)
        XCTAssertTrue(failing.lines.contains { $0.hasPrefix("FAIL  fleet.base-year-takes-the-profile") })
        let updated = try RuleTestRequest(root: root.path, update: true).run(try workspace(files))
        XCTAssertTrue(updated.passed, "the failure is updated")
        XCTAssertTrue(updated.lines.contains { $0.contains("city.ev_stock: 25801 → 25800") })
        XCTAssertEqual(updated.lines.last, "updated 1 expected value of 1 test in 1 file")
        XCTAssertEqual(try String(contentsOf: path, encoding: .utf8), fleet)
    }
}
