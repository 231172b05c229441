import Foundation
import XCTest

/// The documented exit codes of the commands `ExitCodeTests` does not cover in full: each code of each command
/// (README's "Exit codes" and each command's `--help`) on a fixture small enough to reason about.
final class ExitCodeMatrixTests: XCTestCase {
    /// A rule that never fires: its `when:` is never true, so coverage is 2 of 3 rules.
    private let neverFiring = """
          - id: mix.never
            for: zone
            when: "city.ev_stock < 0.0"
            add: wallbox
            count: "1.0"

        """

    /// A rule test of the tiny rule set on an inline city, expecting `stock` EVs in 2021 (the rules give 1,100).
    private func ruleTest(expecting stock: Int) -> String {
        """
        tests:
          - name: stock-grows
            city: {id: t, name: T, province: P, base_year: 2020, evs: 1000, zones: [{id: t-core, kind: urban_core, \
        population: 1000, area_km2: 10, centre: [30.0, 120.0]}]}
            year: 2021
            expect:
              city.ev_stock: \(stock)

        """
    }

    func testRenderExitsOneWithErrorFindings() throws {
        let failing = try tinyProject(rulesExtra: neverHoldingRequirement(severity: "error"))
        let result = try run(["render"], in: failing)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: failing.path + "/reports/town-plan/_report.html"),
            "the report is written with its error findings")
        XCTAssertTrue(result.stdout.contains("(5 error findings, 0 warnings)"), result.stdout)
    }

    func testTestExitsZeroOnPassOneOnFailureOrLowCoverageTwoOnBadInput() throws {
        let passing = try tinyProject(rulesExtra: ruleTest(expecting: 1100))
        let pass = try run(["test"], in: passing)
        XCTAssertEqual(pass.status, 0, pass.stdout + pass.stderr)
        XCTAssertTrue(pass.stdout.contains("PASS  stock-grows"), pass.stdout)
        XCTAssertEqual(try run(["test", "--min-coverage", "100"], in: passing).status, 0, "every rule fires")

        let failing = try tinyProject(rulesExtra: ruleTest(expecting: 1200))
        let fail = try run(["test"], in: failing)
        XCTAssertEqual(fail.status, 1, fail.stdout + fail.stderr)
        XCTAssertTrue(fail.stdout.contains("city.ev_stock: expected 1200, got 1100"), fail.stdout)

        let updated = try run(["test", "--update"], in: failing)
        XCTAssertEqual(updated.status, 0, "every failure updated: " + updated.stdout + updated.stderr)
        XCTAssertEqual(try run(["test"], in: failing).status, 0, "passes after the update")

        let uncovered = try tinyProject(rulesExtra: neverFiring + ruleTest(expecting: 1100))
        XCTAssertEqual(try run(["test"], in: uncovered).status, 0, "coverage fails nothing without --min-coverage")
        let low = try run(["test", "--min-coverage", "90"], in: uncovered)
        XCTAssertEqual(low.status, 1, low.stdout + low.stderr)
        XCTAssertTrue(low.stderr.contains("coverage 60.0 % is below --min-coverage 90.0"), low.stderr)
        XCTAssertEqual(try run(["test", "--min-coverage", "60"], in: uncovered).status, 0, "at the threshold")

        let unknown = try run(["test", "--rule-set", "nope"], in: passing)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no rule set named 'nope'"), unknown.stderr)
    }

    func testFmtExitsZeroAndTwoWithoutCheck() throws {
        let project = try tinyProject()
        XCTAssertEqual(try run(["fmt"], in: project).status, 0, "the fixture made canonical")
        let city = project.appendingPathComponent("Cities/town.yaml")
        try (try String(contentsOf: city, encoding: .utf8) + "\n\n\n").write(
            to: city, atomically: true, encoding: .utf8)
        let rewritten = try run(["fmt"], in: project)
        XCTAssertEqual(rewritten.status, 0, rewritten.stderr)
        XCTAssertEqual(rewritten.stdout, "formatted Cities/town.yaml\n")
        let rollout = project.appendingPathComponent("Cities/rollouts/town-plan.yaml")
        try (try String(contentsOf: rollout, encoding: .utf8) + "\n\n").write(
            to: rollout, atomically: true, encoding: .utf8)
        try "zones: [\n".write(to: city, atomically: true, encoding: .utf8)
        let before = snapshot(of: project)
        XCTAssertEqual(try run(["fmt"], in: project).status, 2)
        XCTAssertEqual(snapshot(of: project), before, "nothing written, not even the file that could be formatted")
    }

    func testFindingsExitsZeroWhenNoneOneWhenAnyTwoOnBadInput() throws {
        let clean = try tinyProject()
        let none = try run(["findings"], in: clean)
        XCTAssertEqual(none.status, 0, none.stdout + none.stderr)
        let failing = try tinyProject(rulesExtra: neverHoldingRequirement(severity: "warning"))
        let listed = try run(["findings"], in: failing)
        XCTAssertEqual(listed.status, 1, listed.stdout + listed.stderr)
        XCTAssertTrue(listed.stdout.contains("req.never"), listed.stdout)
        let filtered = try run(["findings", "--severity", "error"], in: failing)
        XCTAssertEqual(filtered.status, 0, "warnings filtered out: none listed")
        let unknown = try run(["findings", "nope"], in: clean)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no rollout named 'nope'"), unknown.stderr)
    }

    func testCompareExitsZeroOneAndTwo() throws {
        let project = try tinyProject()
        try FileManager.default.createDirectory(
            at: project.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        try ScenarioCLITests.dense.write(
            to: project.appendingPathComponent("Scenarios/dense.yaml"), atomically: true, encoding: .utf8)
        let same = try run(["compare", "baseline", "baseline"], in: project)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        let differ = try run(["compare", "baseline", "dense"], in: project)
        XCTAssertEqual(differ.status, 1, differ.stdout + differ.stderr)
        let unknown = try run(["compare", "baseline", "sparse"], in: project)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no scenario named 'sparse'"), unknown.stderr)
        XCTAssertEqual(try run(["compare", "baseline"], in: project).status, 2, "usage: B is required")
    }

    func testBacktestExitsZeroOneAndTwo() throws {
        let project = try tinyProject(cityExtra: "observed:\n  city.ev_stock: {2021: 1000}\n")
        XCTAssertEqual(try run(["backtest", "--cutoff", "2020"], in: project).status, 0, "10 % is within 15 %")
        XCTAssertEqual(try run(["backtest", "--cutoff", "2020", "--tolerance", "9"], in: project).status, 1)
        XCTAssertEqual(try run(["backtest", "--cutoff", "2021"], in: project).status, 2, "nothing withheld")
    }

    func testMergeExitsZeroAndTwo() throws {
        let project = try tinyProject()
        for index in 1...2 {
            XCTAssertEqual(try run(["plan", "--shard", "\(index)/2", "-o", "shard\(index)"], in: project).status, 0)
        }
        let merged = try run(["merge", "shard1", "shard2", "-o", "merged"], in: project)
        XCTAssertEqual(merged.status, 0, merged.stdout + merged.stderr)
        let before = snapshot(of: project)
        let missing = try run(["merge", "shard1", "-o", "partial"], in: project)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("need shards 1…2 of 2 once each, have 1/2"), missing.stderr)
        XCTAssertEqual(snapshot(of: project), before, "nothing written")
    }

    func testSweepExitsZeroAndTwo() throws {
        let project = try tinyProject()
        try SweepCLITests.uncertainty.write(
            to: project.appendingPathComponent("Rules/basic/uncertainty.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["sweep", "town-plan", "--samples", "4", "--seed", "1"], in: project).status, 0)
        let unknown = try run(["sweep", "nowhere", "--samples", "4", "--seed", "1", "-o", "other"], in: project)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/other"), "nothing written")
        XCTAssertEqual(try run(["sweep", "town-plan", "--samples", "0", "--seed", "1"], in: project).status, 2)
    }

    func testSiteExitsZeroAndTwo() throws {
        let project = try tinyProject()
        let instance = project.appendingPathComponent("instance.json")
        try """
        {"radius_km": 5, "p": 1, "demand": [{"id": "d1", "lat": 31.8, "lon": 119.9, "weight": 120}],
         "candidates": [{"id": "c1", "lat": 31.8, "lon": 119.95}]}
        """.write(to: instance, atomically: true, encoding: .utf8)
        let solved = try run(["site", "--instance", instance.path], in: project)
        XCTAssertEqual(solved.status, 0, solved.stderr)
        XCTAssertTrue(solved.stdout.contains("\"c1\""), solved.stdout)
        try "{\"radius_km\": -1}".write(to: instance, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["site", "--instance", instance.path], in: project).status, 2, "a bad instance")
        XCTAssertEqual(try run(["site", "--instance", project.path + "/none.json"], in: project).status, 2)
        XCTAssertEqual(try run(["site"], in: project).status, 2, "usage: --instance is required")
    }

    func testSitePlanarAndMatrixInstances() throws {
        let project = try tinyProject()
        let instance = project.appendingPathComponent("planar.json")
        try """
        {"metric": "euclidean", "radius": 5, "p": 1,
         "demand": [{"id": "o", "x": 0, "y": 0, "weight": 1}, {"id": "e", "x": 3, "y": 4, "weight": 2}],
         "candidates": [{"id": "a", "x": 0, "y": 0}]}
        """.write(to: instance, atomically: true, encoding: .utf8)
        let planar = try run(["site", "--instance", instance.path], in: project)
        XCTAssertEqual(planar.status, 0, planar.stderr)
        XCTAssertTrue(
            planar.stdout.contains("\"covered_weight\": 3.000000"), "e at exactly the radius:\n\(planar.stdout)")
        try """
        {"metric": "matrix", "radius": 5, "p": 1, "demand": [{"id": "o", "weight": 1}, {"id": "e", "weight": 2}],
         "candidates": [{"id": "a"}], "distances": [[0], [5]]}
        """.write(to: instance, atomically: true, encoding: .utf8)
        let matrix = try run(["site", "--instance", instance.path], in: project)
        XCTAssertEqual(matrix.status, 0, matrix.stderr)
        XCTAssertEqual(matrix.stdout, planar.stdout, "the same instance as a matrix")
        for (bad, message) in [
            ("[[0], [-5]]", "distances[1][0]: a distance must be a finite number ≥ 0, got -5.0"),
            ("[[0]]", "distances: expected 2 rows (one per demand point), got 1"),
            ("[[0], [5, 6]]", "distances[1]: 2 entries, expected 1 (one per candidate)"),
        ] {
            try """
            {"metric": "matrix", "radius": 5, "p": 1, "demand": [{"id": "o", "weight": 1}, {"id": "e", "weight": 2}],
             "candidates": [{"id": "a"}], "distances": \(bad)}
            """.write(to: instance, atomically: true, encoding: .utf8)
            let refused = try run(["site", "--instance", instance.path], in: project)
            XCTAssertEqual(refused.status, 2, bad)
            XCTAssertEqual(refused.stderr, "\(instance.path): error: \(message)\n")
            XCTAssertEqual(refused.stdout, "", "nothing on stdout")
        }
        try """
        {"metric": "euclidean", "radius": 5, "p": 1, "demand": [{"id": "o", "x": 0, "lat": 0, "weight": 1}],
         "candidates": []}
        """.write(to: instance, atomically: true, encoding: .utf8)
        let mixed = try run(["site", "--instance", instance.path], in: project)
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(
            mixed.stderr.contains("demand[0].lat: a euclidean instance places points by x and y"), mixed.stderr)
    }

    func testSchemaExitsZeroAndTwo() throws {
        let project = try tinyProject()
        let printed = try run(["schema", "--kind", "rollout"], in: project)
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("2020-12"), printed.stdout)
        XCTAssertEqual(try run(["schema"], in: project).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.path + "/schemas/city.basic.schema.json"))
        let unknown = try run(["schema", "--kind", "city", "--rule-set", "nope"], in: project)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no rule set named 'nope'"), unknown.stderr)
    }

    func testExplainRefusesAnUnknownCityOrRollout() throws {
        let project = try tinyProject()
        let city = try run(["explain", "village", "--zone", "town-core", "--year", "2022"], in: project)
        XCTAssertEqual(city.status, 2)
        XCTAssertTrue(city.stderr.contains("no city named 'village'"), city.stderr)
        let rollout = try run(
            ["explain", "town", "--zone", "town-core", "--year", "2022", "--rollout", "elsewhere"], in: project)
        XCTAssertEqual(rollout.status, 2)
        XCTAssertTrue(rollout.stderr.contains("no rollout named 'elsewhere' includes 'town'"), rollout.stderr)
        let json = try run(
            ["explain", "town", "--zone", "town-core", "--year", "2022", "--format", "json"], in: project)
        XCTAssertEqual(json.status, 0, json.stderr)
    }

    /// A value outside an option's set is refused by the parser: the error names the option and its valid values.
    func testBadOptionValuesNameTheOptionAndExitTwo() throws {
        let project = try tinyProject()
        let cases: [(arguments: [String], option: String, values: [String])] = [
            (
                ["plan", "--format", "yml"], "--format <format>",
                ["yaml", "json", "csv", "markdown", "geojson", "html"]
            ),
            (["plan", "--shard", "3/2"], "--shard <I/N>", []),
            (["schema", "--kind", "nonsense"], "--kind <kind>", ["city", "rollout", "plan-summary", "geojson"]),
            (["check", "--format", "xml"], "--format <format>", ["text", "github", "json"]),
            (["diff", "a", "b", "--format", "html"], "--format <format>", ["text", "markdown", "json"]),
            (["compare", "a", "b", "--format", "csv"], "--format <format>", ["text", "markdown", "json"]),
            (["sweep", "r", "--samples", "1", "--seed", "1", "--format", "md"], "--format <format>", ["yaml", "csv"]),
            (["findings", "--severity", "fatal"], "--severity <severity>", ["error", "warning", "info"]),
            (["explain", "town", "--year", "2022", "--format", "yaml"], "--format <format>", ["text", "json"]),
            (["backtest", "--cutoff", "2020", "--format", "html"], "--format <format>", ["text", "json", "markdown"]),
        ]
        for (arguments, option, values) in cases {
            let result = try run(arguments, in: project)
            let shown = arguments.joined(separator: " ") + "\n" + result.stderr
            XCTAssertEqual(result.status, 2, shown)
            XCTAssertTrue(result.stderr.hasPrefix("Error: The value '"), shown)
            XCTAssertTrue(result.stderr.contains("' is invalid for '\(option)'"), shown)
            for value in values {
                // A long list is one value a line, a short one inline: "one of 'info', 'warning' or 'error'".
                let listed = result.stderr.contains("\n  - \(value)\n") || result.stderr.contains("'\(value)'")
                XCTAssertTrue(listed, value + ": " + shown)
            }
            XCTAssertTrue(result.stderr.contains("\nUsage: chargeplan \(arguments[0]) "), shown)
        }
    }

    func testUnknownCommandAndOptionExitTwo() throws {
        let project = try tinyProject()
        let command = try run(["plot"], in: project)
        XCTAssertEqual(command.status, 2, command.stderr)
        let option = try run(["plan", "--colour"], in: project)
        XCTAssertEqual(option.status, 2, option.stderr)
        XCTAssertTrue(option.stderr.contains("Unknown option '--colour'"), option.stderr)
    }
}
