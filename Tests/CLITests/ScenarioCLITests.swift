import Foundation
import XCTest

/// `plan --scenario`, `check` of Scenarios/ and `compare`, run as the built executable.
final class ScenarioCLITests: XCTestCase {
    static let dense = """
        id: dense
        name: Twice the EVs
        rule_set: basic
        overrides:
          city.town.evs: {value: 2000, doc: twice the EVs of the profile, source: a test}
          units.wallbox.capex_cny: {scale: 0.5, doc: cheaper wallboxes, source: a test}

        """

    /// The tiny project with these scenario files.
    func project(_ scenarios: [String: String] = ["dense": dense]) throws -> URL {
        let dir = try tinyProject()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        for (id, text) in scenarios {
            try text.write(to: dir.appendingPathComponent("Scenarios/\(id).yaml"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    func testPlanWritesAScenarioBesideTheBaseline() throws {
        let dir = try project()
        let plan = try run(["plan", "--scenario", "dense"], in: dir)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("into plans/scenarios/dense/"), plan.stdout)
        let files = try contents(of: dir.appendingPathComponent("plans"))
        XCTAssertEqual(
            files.keys.sorted(), ["/scenarios/dense/town-plan/_summary.yaml", "/scenarios/dense/town-plan/town.yaml"])
        let town = String(decoding: try XCTUnwrap(files["/scenarios/dense/town-plan/town.yaml"]), as: UTF8.self)
        XCTAssertTrue(town.contains("{path: Scenarios/dense.yaml, sha256: "), town)
        // 2,000 EVs: 1,000 wallboxes in 2020 at 2,500 each.
        XCTAssertTrue(
            town.contains(
                "{zone: town-core, year: 2020, facts: {}, units: {wallbox: "
                    + "{installed: 1000, new: 1000, demand: 1000, unmet: 0, capex_cny: 2500000.00"), town)
        XCTAssertEqual(try run(["plan"], in: dir).status, 0)
        XCTAssertEqual(try run(["plan", "--scenario", "baseline"], in: dir).status, 0)
        let all = try contents(of: dir.appendingPathComponent("plans"))
        XCTAssertEqual(
            all["/scenarios/baseline/town-plan/town.yaml"], all["/town-plan/town.yaml"],
            "baseline is the model without an overlay")
        XCTAssertEqual(
            all["/scenarios/dense/town-plan/town.yaml"], files["/scenarios/dense/town-plan/town.yaml"],
            "planning the baseline leaves the scenario's plans alone")
        let again = try run(["plan", "--scenario", "dense", "--threads", "1"], in: dir)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try contents(of: dir.appendingPathComponent("plans")), all, "deterministic")
    }

    func testExplainUnderAScenarioNamesTheOverride() throws {
        let dir = try project()
        let baseline = try run(
            ["explain", "town", "--zone", "town-core", "--year", "2020", "--unit", "wallbox"], in: dir)
        XCTAssertEqual(baseline.status, 0, baseline.stderr)
        XCTAssertTrue(baseline.stdout.contains("city.evs = 1000  [from the profile]"), baseline.stdout)
        let dense = try run(
            ["explain", "town", "--zone", "town-core", "--year", "2020", "--unit", "wallbox", "--scenario", "dense"],
            in: dir)
        XCTAssertEqual(dense.status, 0, dense.stderr)
        XCTAssertTrue(
            dense.stdout.contains("city.evs = 2000  (Scenarios/dense.yaml:5:3)  [from the scenario 'dense']"),
            dense.stdout)
        XCTAssertFalse(dense.stdout.contains("[from the profile]"), dense.stdout)
        let unknown = try run(
            ["explain", "town", "--zone", "town-core", "--year", "2020", "--scenario", "dens"], in: dir)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("error: no scenario named 'dens'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'dense'?"), unknown.stderr)
        XCTAssertEqual(unknown.stdout, "")
    }

    func testBadScenariosExitTwoAndWriteNothing() throws {
        let bad = """
            id: bad
            name: Bad
            rule_set: basic
            overrides:
              city.town.evz: {value: 2000, doc: a typo, source: a test}

            """
        let dir = try project(["dense": Self.dense, "bad": bad])
        let before = snapshot(of: dir)
        for arguments in [["plan", "--scenario", "dense"], ["plan", "--scenario", "nope"], ["plan"]] {
            let result = try run(arguments, in: dir)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(
                result.stderr.contains("Scenarios/bad.yaml:5:3: error: unknown city input 'evz' in rule set 'basic'"),
                result.stderr)
            XCTAssertTrue(result.stderr.contains("hint: did you mean 'evs'?"), result.stderr)
        }
        XCTAssertEqual(snapshot(of: dir), before, "nothing written")
        let check = try run(["check"], in: dir)
        XCTAssertEqual(check.status, 1, "a finding: " + check.stderr)
        XCTAssertTrue(check.stderr.contains("Scenarios/bad.yaml:5:3: error: unknown city input 'evz'"), check.stderr)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("Scenarios/bad.yaml"))
        let clean = snapshot(of: dir)
        let unknown = try run(["plan", "--scenario", "dens"], in: dir)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(
            unknown.stderr.contains("chargeplan: error: no scenario named 'dens'\n  hint: did you mean 'dense'?"),
            unknown.stderr)
        XCTAssertEqual(snapshot(of: dir), clean)
    }

    /// An unparsable scenario or rule-test fixture is reported at its position (exit 2), never a trap: the
    /// parser records into the loader's diagnostics, which must not be lent out at the same time.
    func testUnparsableScenariosAndFixturesExitTwo() throws {
        let dir = try project(["bad": "overrides: [\n"])
        let scenario = try run(["check"], in: dir)
        XCTAssertEqual(scenario.status, 2, scenario.stderr)
        XCTAssertTrue(scenario.stderr.contains("Scenarios/bad.yaml:2:1: error: invalid YAML"), scenario.stderr)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("Scenarios/bad.yaml"))
        let fixtures = dir.appendingPathComponent("Rules/basic/tests/fixtures")
        try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
        try "zones: [\n".write(to: fixtures.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        for command in ["check", "plan", "test"] {
            let fixture = try run([command], in: dir)
            XCTAssertEqual(fixture.status, 2, command + ": " + fixture.stderr)
            XCTAssertTrue(
                fixture.stderr.contains("Rules/basic/tests/fixtures/broken.yaml:2:1: error: invalid YAML"),
                fixture.stderr)
        }
    }

    func testCompareExitsZeroOneAndTwo() throws {
        let dir = try project()
        let same = try run(["compare", "dense", "dense"], in: dir)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(
            same.stdout.hasPrefix("compare dense → dense (rule set basic): no differences in 1 cities\n"),
            same.stdout)
        let changed = try run(["compare", "baseline", "dense"], in: dir)
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssertTrue(
            changed.stdout.contains("cause: city.town.evs: the profiles' in baseline, 2000 in dense\n"),
            changed.stdout)
        XCTAssertTrue(
            changed.stdout.contains("cause: units.wallbox.capex_cny: 5000 (model) in baseline, 2500 in dense\n"),
            changed.stdout)
        XCTAssertTrue(
            changed.stdout.contains("      wallbox.installed: 500 → 1000 (+500, +100.0 %)  [mix.wallbox]\n"),
            changed.stdout)
        for format in ["json", "markdown"] {
            XCTAssertEqual(try run(["compare", "baseline", "dense", "--format", format], in: dir).status, 1, format)
            XCTAssertEqual(try run(["compare", "baseline", "baseline", "--format", format], in: dir).status, 0, format)
        }
        let before = snapshot(of: dir)
        XCTAssertEqual(try run(["compare", "baseline", "nope"], in: dir).status, 2)
        XCTAssertEqual(try run(["compare", "baseline"], in: dir).status, 2, "usage")
        XCTAssertEqual(try run(["compare", "baseline", "dense", "--format", "yaml"], in: dir).status, 2, "usage")
        XCTAssertEqual(try run(["compare", "baseline", "dense", "--threads", "0"], in: dir).status, 2, "usage")
        XCTAssertEqual(try run(["compare", "baseline", "dense", "--rollout", "nope"], in: dir).status, 2)
        XCTAssertEqual(snapshot(of: dir), before, "compare writes nothing")
    }
}
