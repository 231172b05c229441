import Foundation
import XCTest

/// Every documented exit code of every command, on a project small enough to reason about.
final class ExitCodeTests: XCTestCase {
    private let failingError = neverHoldingRequirement(severity: "error")
    private let failingWarning = neverHoldingRequirement(severity: "warning")

    func testPlanExitsZeroOneAndTwo() throws {
        let clean = try tinyProject()
        let ok = try run(["plan"], in: clean)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: clean.path + "/plans/town-plan/town.yaml"))

        let warned = try tinyProject(rulesExtra: failingWarning)
        XCTAssertEqual(try run(["plan"], in: warned).status, 0, "warnings alone are not a failure")

        let failing = try tinyProject(rulesExtra: failingError)
        let findings = try run(["plan"], in: failing)
        XCTAssertEqual(findings.status, 1, findings.stderr)
        let plan = try String(contentsOfFile: failing.path + "/plans/town-plan/town.yaml", encoding: .utf8)
        XCTAssertTrue(plan.contains("req.never"), "written with its error findings")

        let broken = try tinyProject(cityExtra: "evs_typo: 3\n")
        let before = snapshot(of: broken)
        let bad = try run(["plan"], in: broken)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("Cities/town.yaml:8:1: error: unknown key 'evs_typo'"), bad.stderr)
        XCTAssertEqual(snapshot(of: broken), before, "nothing written")
        XCTAssertEqual(try run(["plan", "--format", "yml"], in: clean).status, 2, "usage")
    }

    func testCheckExitsZeroOneAndTwo() throws {
        XCTAssertEqual(try run(["check"], in: try tinyProject()).status, 0)
        let schema = try run(["check"], in: try tinyProject(cityExtra: "evs_typo: 3\n"))
        XCTAssertEqual(schema.status, 1, schema.stdout + schema.stderr)
        let syntax = try run(["check"], in: try tinyProject(cityExtra: "zones: [\n"))
        XCTAssertEqual(syntax.status, 2, syntax.stdout + syntax.stderr)
    }

    func testFmtCheckExitsZeroOneAndTwo() throws {
        let project = try tinyProject()
        XCTAssertEqual(try run(["fmt"], in: project).status, 0)
        XCTAssertEqual(try run(["fmt", "--check"], in: project).status, 0, "canonical after fmt")
        let city = project.appendingPathComponent("Cities/town.yaml")
        try (try String(contentsOf: city, encoding: .utf8) + "\n\n\n").write(
            to: city, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["fmt", "--check"], in: project).status, 1)
        try "zones: [\n".write(to: city, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["fmt", "--check"], in: project).status, 2)
    }

    func testDiffExitsZeroOneAndTwo() throws {
        let first = try tinyProject()
        let second = try tinyProject(cityExtra: "")
        let rules = second.appendingPathComponent("Rules/basic/rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "* 1.1", with: "* 1.2")
        try text.write(to: rules, atomically: true, encoding: .utf8)
        for project in [first, second] { XCTAssertEqual(try run(["plan"], in: project).status, 0) }
        let same = try run(["diff", first.path + "/plans", first.path + "/plans"], in: first)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        let changed = try run(["diff", first.path + "/plans", second.path + "/plans"], in: first)
        XCTAssertEqual(changed.status, 1, changed.stdout + changed.stderr)
        XCTAssertEqual(try run(["diff", first.path + "/plans", first.path + "/nowhere"], in: first).status, 2)
    }

    func testExplainTestSchemaAndRenderExitCodes() throws {
        let project = try tinyProject()
        XCTAssertEqual(try run(["explain", "town", "--zone", "town-core", "--year", "2022"], in: project).status, 0)
        XCTAssertEqual(try run(["explain", "town", "--zone", "nowhere", "--year", "2022"], in: project).status, 2)
        XCTAssertEqual(try run(["explain", "town", "--zone", "town-core", "--year", "1990"], in: project).status, 2)
        XCTAssertEqual(try run(["test"], in: project).status, 0, "no tests: nothing fails")
        XCTAssertEqual(try run(["test", "--min-coverage", "101"], in: project).status, 2)
        XCTAssertEqual(try run(["schema", "--kind", "nonsense"], in: project).status, 2)
        XCTAssertEqual(try run(["render"], in: project).status, 0)
        XCTAssertEqual(try run(["render", "nowhere"], in: project).status, 2)
    }
}
