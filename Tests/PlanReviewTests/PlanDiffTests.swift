import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanWriters
@testable import PlanningEngine

final class PlanDiffTests: XCTestCase {
    /// A small workspace: the china rules, two Hainan cities and a short rollout.
    private func fixture() throws -> [String: String] {
        var files: [String: String] = [:]
        let wanted = [
            "Cities/haikou.yaml", "Cities/sanya.yaml", "Cities/geo/haikou.geojson", "Cities/geo/sanya.geojson",
        ]
        for path in FixtureWorkspace.inputFiles() + FixtureWorkspace.outlineFiles()
        where path.hasPrefix("Rules/") || wanted.contains(path) || path.hasPrefix("Cities/geo/haikou-") {
            files[path] = try FixtureWorkspace.read(path)
        }
        files["Cities/rollouts/t.yaml"] = """
            id: t
            name: Test rollout
            operator: Tests
            rule_set: china
            horizon: {first_year: 2019, last_year: 2022}
            cities:
              - {city: haikou, joins: 2019}
              - {city: sanya, joins: 2020}
            """
        return files
    }

    func testIdenticalPlansHaveNoChanges() throws {
        let plans = try PlanDiff.planFiles(of: Workspace.load(files: fixture()))
        XCTAssertEqual(plans.map(\.path), ["t/_summary.yaml", "t/haikou.yaml", "t/sanya.yaml"])
        let report = try PlanDiff.compare(old: plans, new: plans)
        XCTAssertTrue(report.isEmpty)
        XCTAssertEqual(PlanDiff.renderText(report), "no plan changes\n")
    }

    func testRaisingOneCitysPopulationChangesOnlyThatCity() throws {
        var files = try fixture()
        let before = try PlanDiff.planFiles(of: Workspace.load(files: files))
        let haikou = try XCTUnwrap(files["Cities/haikou.yaml"])
        // The rules read zone populations (population_share), so raise the first zone's.
        let line = try XCTUnwrap(haikou.split(separator: "\n").first { $0.hasPrefix("    population:") })
        files["Cities/haikou.yaml"] = haikou.replacingOccurrences(of: String(line), with: "    population: 9000000")
        let after = try PlanDiff.planFiles(of: Workspace.load(files: files))
        let report = try PlanDiff.compare(old: before, new: after)
        XCTAssertFalse(report.isEmpty)
        XCTAssertEqual(report.filesAdded, [])
        XCTAssertEqual(report.filesRemoved, [])
        XCTAssertEqual(
            report.changedFiles,
            ["t/_summary.yaml", "t/haikou.yaml"].filter { path in report.changes.contains { $0.file == path } })
        XCTAssertFalse(report.changes.contains { $0.file == "t/sanya.yaml" })
        XCTAssertTrue(report.changes.contains { $0.file == "t/haikou.yaml" })
        // Every change names its rules where a rule decided the value.
        let fact = report.changes.first { $0.file == "t/haikou.yaml" && $0.item == "fact public_ac_kwh_per_day" }
        XCTAssertNotNil(fact)
        XCTAssertEqual(fact?.rules, ["demand.public-ac-kwh"])
        let markdown = PlanDiff.renderMarkdown(report)
        XCTAssertTrue(markdown.contains("<code>t/haikou.yaml</code>"))
        XCTAssertFalse(markdown.contains("sanya"))
        XCTAssertTrue(PlanDiff.renderJSON(report).hasPrefix("{\n  \"format_version\": 1,\n  \"changed\": true,"))
    }

    func testRaisingACitysOwnPopulationNamesOnlyThatCity() throws {
        var files = try fixture()
        let before = try PlanDiff.planFiles(of: Workspace.load(files: files))
        let haikou = try XCTUnwrap(files["Cities/haikou.yaml"])
        let line = try XCTUnwrap(haikou.split(separator: "\n").first { $0.hasPrefix("population:") })
        files["Cities/haikou.yaml"] = haikou.replacingOccurrences(of: String(line), with: "population: 9000000")
        let after = try PlanDiff.planFiles(of: Workspace.load(files: files))
        let report = try PlanDiff.compare(old: before, new: after)
        XCTAssertEqual(report.changedFiles, ["t/haikou.yaml"])
        XCTAssertTrue(
            report.changes.contains {
                $0.item == "fact evs_per_1000_residents" && $0.rules == ["ind.evs-per-1000-residents"]
            })
    }

    /// `diff --git` compares the plan trees in memory: its report is the one the plans' YAML files give, for a
    /// changed value, a changed summary and a city the rollout drops.
    func testPlanTreesCompareAsTheirYAMLFilesDo() throws {
        var files = try fixture()
        let before = try Workspace.load(files: files)
        let haikou = try XCTUnwrap(files["Cities/haikou.yaml"])
        let line = try XCTUnwrap(haikou.split(separator: "\n").first { $0.hasPrefix("    population:") })
        files["Cities/haikou.yaml"] = haikou.replacingOccurrences(of: String(line), with: "    population: 9000000")
        files["Cities/rollouts/t.yaml"] = files["Cities/rollouts/t.yaml"]?.replacingOccurrences(
            of: "  - {city: sanya, joins: 2020}", with: "")
        let after = try Workspace.load(files: files)
        let fromFiles = try PlanDiff.compare(old: PlanDiff.planFiles(of: before), new: PlanDiff.planFiles(of: after))
        let fromTrees = try PlanDiff.compare(old: PlanDiff.planTrees(of: before), new: PlanDiff.planTrees(of: after))
        XCTAssertEqual(fromTrees.filesRemoved, ["t/sanya.yaml"])
        XCTAssertFalse(fromTrees.totals.isEmpty)
        XCTAssertTrue(fromTrees.changes.contains { $0.file == "t/haikou.yaml" && $0.before?.kind == .number })
        XCTAssertEqual(fromTrees, fromFiles)
        XCTAssertEqual(PlanDiff.renderText(fromTrees), PlanDiff.renderText(fromFiles))
        XCTAssertEqual(PlanDiff.renderJSON(fromTrees), PlanDiff.renderJSON(fromFiles))
        XCTAssertEqual(try PlanDiff.planTrees(of: before).map(\.path), try PlanDiff.planFiles(of: before).map(\.path))
    }

    func testAccessTotalsOfACityYearAreCompared() throws {
        let old = """
            format_version: 1
            city: x
            city_years:
              - {year: 2020, facts: {}, units: {}, access: {private: {installed: 0, new: 0}, public: {installed: 4, new: 1}}}
            zone_years: []

            """
        let new = old.replacingOccurrences(of: "public: {installed: 4", with: "public: {installed: 6")
        let report = try PlanDiff.compare(old: [("r/x.yaml", old)], new: [("r/x.yaml", new)])
        XCTAssertEqual(
            report.changes,
            [
                .init(
                    file: "r/x.yaml", scope: "city", year: 2020, item: "access.public.installed", before: "4",
                    after: "6",
                    rules: [])
            ])
    }

    func testAddedRemovedAndChangedValues() throws {
        let old = """
            format_version: 1
            city: x
            fact_rules: {ev_stock: fleet.ev-stock}
            city_years:
              - {year: 2020, facts: {ev_stock: 100}, units: {fast: {installed: 1, new: 0, demand: 1, unmet: 0, capex_cny: 0.00, rules: [mix.fast]}}}
            zone_years:
              - {zone: z1, year: 2020, facts: {}, units: {fast: {installed: 1, new: 0, demand: 1, unmet: 0, capex_cny: 0.00, rules: [mix.fast]}}}
            stations: []
            findings: []
            """
        let new = old.replacingOccurrences(of: "ev_stock: 100", with: "ev_stock: 120")
            .replacingOccurrences(
                of: "{zone: z1, year: 2020, facts: {}, units: {fast: {installed: 1",
                with: "{zone: z1, year: 2020, facts: {}, units: {fast: {installed: 3"
            )
            .replacingOccurrences(
                of: "findings: []",
                with: "findings:\n  - {year: 2020, scope: z1, severity: warning, rule: req.x, message: m}")
        let report = try PlanDiff.compare(
            old: [("r/x.yaml", old), ("r/gone.yaml", old)], new: [("r/x.yaml", new), ("r/new.yaml", new)])
        XCTAssertEqual(report.filesAdded, ["r/new.yaml"])
        XCTAssertEqual(report.filesRemoved, ["r/gone.yaml"])
        XCTAssertEqual(
            report.changes,
            [
                .init(
                    file: "r/x.yaml", scope: "city", year: 2020, item: "fact ev_stock", before: "100", after: "120",
                    rules: ["fleet.ev-stock"]),
                .init(
                    file: "r/x.yaml", scope: "z1", year: 2020, item: "fast.installed", before: "1", after: "3",
                    rules: ["mix.fast"]),
                .init(
                    file: "r/x.yaml", scope: "z1", year: 2020, item: "finding req.x", before: nil, after: "warning: m",
                    rules: ["req.x"]),
            ])
        XCTAssertEqual(
            PlanDiff.renderText(report),
            """
            plan changes: 1 file changed, 1 added, 1 removed, 3 values
            + r/new.yaml (new)
            - r/gone.yaml (removed)

            rollout totals (installed in the last year; money over the horizon)
              r
                units.fast.installed 2020: 2 → 2 (unchanged)

            largest changes (city totals, at the year each moved most)
              r/x.yaml fact ev_stock 2020: 100 → 120 (+20, +20.0 %; 1 year)  [fleet.ev-stock]

            details
            r/x.yaml
              city
                2020
                  fact ev_stock: 100 → 120  [fleet.ev-stock]
              z1
                2020
                  fast.installed: 1 → 3  [mix.fast]
                  finding req.x: (none) → warning: m  [req.x]

            """)
    }
}
