import Foundation
import XCTest

/// `chargeplan test` on its own fixtures, `test --update`, `explain` without a zone, horizons, `schema`.
final class RuleTestCLITests: XCTestCase {
    /// An empty folder, removed after the test.
    private func emptyFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func copy(_ path: String, into project: URL) throws {
        let target = project.appendingPathComponent(path)
        try makeFolder(of: target)
        try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent(path), to: target)
    }

    private func write(_ text: String, to path: String, in project: URL) throws {
        let target = project.appendingPathComponent(path)
        try makeFolder(of: target)
        try text.write(to: target, atomically: true, encoding: .utf8)
    }

    private func makeFolder(of file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    private func read(_ path: String, in project: URL) throws -> String {
        try String(contentsOf: project.appendingPathComponent(path), encoding: .utf8)
    }

    /// Replaces `old` by `new` in a file of `project` (which must hold it); returns the text before.
    @discardableResult
    private func edit(_ path: String, in project: URL, _ old: String, _ new: String) throws -> String {
        let text = try read(path, in: project)
        XCTAssertTrue(text.contains(old), "\(path) holds no '\(old)'")
        try write(text.replacingOccurrences(of: old, with: new), to: path, in: project)
        return text
    }

    static let haikouRollout = """
        # yaml-language-server: $schema=../../schemas/rollout.schema.json
        id: haikou-only
        name: Haikou alone
        operator: Test
        rule_set: china
        horizon: {first_year: 2019, last_year: 2025}
        cities:
          - {city: haikou, joins: 2019}

        """

    /// The acceptance case: Rules/china copied into a workspace whose only city is Haikou. Its rule tests plan
    /// their own fixture, so `check` and `test` pass, and `plan` plans Haikou alone (never the fixture).
    func testTheBundledRuleSetWorksInAnotherWorkspace() throws {
        let project = try emptyFolder()
        try copy("Rules", into: project)
        try copy("Cities/haikou.yaml", into: project)
        for outline in ["haikou", "haikou-longhua", "haikou-meilan", "haikou-xiuying", "haikou-qiongshan"] {
            try copy("Cities/geo/\(outline).geojson", into: project)
        }
        try write(Self.haikouRollout, to: "Cities/rollouts/haikou-only.yaml", in: project)
        let check = try run(["check"], in: project)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertEqual(check.stdout, "check: no findings\n")
        let test = try run(["test", "--min-coverage", "90"], in: project)
        XCTAssertEqual(test.status, 0, test.stdout + test.stderr)
        XCTAssertTrue(test.stdout.contains("rule set china: 30 passed, 0 failed, 0 todo"), test.stdout)
        let plan = try run(["plan"], in: project)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let files = try contents(of: project.appendingPathComponent("plans")).keys.sorted()
        XCTAssertEqual(files, ["/haikou-only/_summary.yaml", "/haikou-only/haikou.yaml"])
        XCTAssertEqual(try run(["fmt", "--check"], in: project).status, 0)
    }

    /// `test` reads Rules/ only: it needs no Cities/ (`check` does).
    func testTestNeedsNoCities() throws {
        let project = try emptyFolder()
        try copy("Rules", into: project)
        let test = try run(["test"], in: project)
        XCTAssertEqual(test.status, 0, test.stdout + test.stderr)
        let check = try run(["check"], in: project)
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.stderr.contains("no Cities/ folder"), check.stderr)
    }

    /// `file:line:col` of `needle` in the file's text (the first occurrence).
    private func position(of needle: String, in text: String, file: String) throws -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try XCTUnwrap(lines.firstIndex { $0.contains(needle) }, needle)
        let range = try XCTUnwrap(lines[index].range(of: needle))
        return "\(file):\(index + 1):\(lines[index].distance(from: lines[index].startIndex, to: range.lowerBound) + 1)"
    }

    /// Wrong expected values are reported at their scalar; `--update` writes the planned values back, changing
    /// only those scalars (a `{value, tolerance}` keeps its tolerance): here, the file becomes the original again.
    func testUpdateRewritesTheWrongExpectationsInPlace() throws {
        let project = try projectCopy()
        let path = "Rules/china/demand.yaml"
        let original = try read(path, in: project)
        let wrong =
            original
            .replacingOccurrences(of: "zone.private_evs: 6056    ", with: "zone.private_evs: 6050    ")
            .replacingOccurrences(of: "{value: 27827.4, tolerance: 0.1}", with: "{value: 27000.55, tolerance: 0.1}")
        XCTAssertEqual(wrong.count, original.count + 1)
        try write(wrong, to: path, in: project)
        let failing = try run(["test"], in: project)
        XCTAssertEqual(failing.status, 1, failing.stdout)
        let first = try position(of: "6050", in: wrong, file: path)
        let second = try position(of: "27000.55", in: wrong, file: path)
        XCTAssertTrue(
            failing.stdout.contains("      \(first): zone.private_evs: expected 6050, got 6056\n"),
            failing.stdout)
        XCTAssertTrue(
            failing.stdout.contains(
                "      \(second): zone.private_kwh_per_day: "
                    + "expected 27000.55 ± 0.1, got 27827.4\n"), failing.stdout)
        XCTAssertEqual(try read(path, in: project), wrong, "plain test writes nothing")

        let update = try run(["test", "--update"], in: project)
        XCTAssertEqual(update.status, 0, update.stdout + update.stderr)
        let line = { (position: String) in position.split(separator: ":").prefix(2).joined(separator: ":") }
        XCTAssertTrue(
            update.stdout.contains(
                "update \(line(first)): zone.private_evs: 6050 → 6056  "
                    + "(demand.core-base-year)\n"), update.stdout)
        XCTAssertTrue(
            update.stdout.contains(
                "update \(line(second)): zone.private_kwh_per_day: "
                    + "27000.55 → 27827.4"), update.stdout)
        XCTAssertTrue(update.stdout.contains("updated 2 expected values of 1 test in 1 file\n"), update.stdout)
        XCTAssertEqual(try read(path, in: project), original)
        XCTAssertEqual(try run(["test"], in: project).status, 0)
    }

    /// A findings list is rewritten to the year's findings; a failure that is no wrong value (no coverage of a
    /// unit that is never sited) is left for a person: `--update` still exits 1.
    func testUpdateRewritesFindingsAndLeavesTheRest() throws {
        let project = try projectCopy()
        let grid = "Rules/china/grid.yaml"
        let text = try edit(grid, in: project, "findings: [req.grid-peak]", "findings: [req.no-such, req.grid-peak]")
        let update = try run(["test", "--update"], in: project)
        XCTAssertEqual(update.status, 0, update.stdout + update.stderr)
        let updated = try read(grid, in: project)
        XCTAssertTrue(updated.contains("      findings: [req.grid-peak]\n"), updated)
        XCTAssertEqual(updated, text, "the added wrong id is gone, nothing else changed")

        let demand = "Rules/china/demand.yaml"
        try edit(
            demand, in: project, "      zone.sparse: 1\n",
            "      zone.sparse: 0\n      zone.coverage.wallbox: 1\n")
        let stuck = try read(demand, in: project)
        let partial = try run(["test", "--update"], in: project)
        XCTAssertEqual(partial.status, 1, partial.stdout)
        XCTAssertTrue(partial.stdout.contains("zone.coverage.wallbox: no coverage for 'wallbox'"), partial.stdout)
        XCTAssertEqual(
            try read(demand, in: project),
            stuck.replacingOccurrences(
                of: "      zone.sparse: 0\n      zone.coverage.wallbox: 1\n",
                with: "      zone.sparse: 1\n      zone.coverage.wallbox: 1\n"))
    }

    /// Bad input: exit 2 and nothing written, `--update` or not.
    func testUpdateWritesNothingOnBadInput() throws {
        let project = try projectCopy()
        try edit("Rules/china/demand.yaml", in: project, "zone.private_evs: 6056", "zone.privat_evs: 6050")
        let before = snapshot(of: project)
        let result = try run(["test", "--update"], in: project)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(
            result.stderr.contains(
                "Rules/china/demand.yaml:122:7: error: expect 'zone.privat_evs' is no "
                    + "fact, unit count or coverage of the rule set"), result.stderr)
        XCTAssertEqual(snapshot(of: project), before)
    }

    func testExplainACityFactWithoutAZone() throws {
        let project = try projectCopy()
        let explained = try run(["explain", "changzhou", "--year", "2020", "--fact", "city.ev_stock"], in: project)
        XCTAssertEqual(explained.status, 0, explained.stderr)
        XCTAssertTrue(
            explained.stdout.hasPrefix("changzhou / 2020 (rollout cams-changzhou)\ncity.ev_stock = 31726.98"),
            explained.stdout)
        XCTAssertTrue(
            explained.stdout.contains("city.vehicles.annual_sales = 72600  [from the profile]"),
            explained.stdout)
        let zoneFact = try run(
            [
                "explain", "changzhou", "--zone", "changzhou-core", "--year", "2020", "--fact",
                "zone.private_evs",
            ], in: project)
        XCTAssertTrue(
            zoneFact.stdout.contains("zone.population_share = 0.4268  [computed by the planner]"),
            zoneFact.stdout)
        let json = try run(
            ["explain", "changzhou", "--year", "2020", "--fact", "ev_stock", "--format", "json"],
            in: project)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"zone\": null"), json.stdout)
        let units = try run(["explain", "changzhou", "--year", "2020"], in: project)
        XCTAssertEqual(units.status, 2)
        XCTAssertEqual(
            units.stderr,
            "chargeplan: error: units are planned per zone: give --zone\n"
                + "  hint: without --zone, explain a city fact: --fact city.<fact>\n")
    }

    func testAHorizonBeforeABaseYearFailsAtTheHorizon() throws {
        let project = try projectCopy()
        let path = "Cities/rollouts/cams-changzhou.yaml"
        let text = try edit(path, in: project, "first_year: 2019", "first_year: 2018")
        let before = snapshot(of: project)
        let result = try run(["plan"], in: project)
        XCTAssertEqual(result.status, 2)
        let at = try position(of: "first_year", in: text, file: path)
        XCTAssertTrue(
            result.stderr.contains(
                "\(at): error: the horizon starts in 2018, "
                    + "before the base year 2019 of member city 'changzhou'"), result.stderr)
        XCTAssertEqual(snapshot(of: project), before)
    }

    /// `schema --output` writes the union schemas and one city schema per rule set; each prints alone too.
    func testSchemaWritesACitySchemaPerRuleSet() throws {
        let project = try projectCopy()
        let written = try run(["schema", "--output", "out"], in: project)
        XCTAssertEqual(written.status, 0, written.stderr)
        let out = project.appendingPathComponent("out").path
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(
            files,
            [
                "city.china.schema.json", "city.schema.json", "compare.schema.json",
                "diff.schema.json", "geojson.schema.json", "plan-summary.schema.json",
                "plan.schema.json", "rollout.schema.json", "rules.schema.json",
                "scenario.schema.json", "sweep.schema.json",
            ])
        let china = try run(["schema", "--kind", "city", "--rule-set", "china"], in: project)
        XCTAssertEqual(china.status, 0, china.stderr)
        XCTAssertEqual(china.stdout, try read("out/city.china.schema.json", in: project))
        XCTAssertEqual(try run(["schema", "--kind", "rules", "--rule-set", "china"], in: project).status, 2)
        XCTAssertEqual(try run(["schema", "--kind", "city", "--rule-set", "nope"], in: project).status, 2)
    }
}
