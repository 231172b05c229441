import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanWriters
@testable import PlanningEngine

/// `compare A B`: two scenarios planned in memory and set side by side.
final class ScenarioComparisonTests: XCTestCase {
    static let rules = TinyProject.twoUnitRules

    static func scenario(_ id: String, _ overrides: String) -> String {
        "id: \(id)\nname: \(id)\nrule_set: s\noverrides:\n" + overrides
    }

    static func workspace(_ scenarios: [String: String] = [:]) throws -> Workspace {
        var files = TinyProject.files(rules: rules)
        for (id, text) in scenarios { files["Scenarios/\(id).yaml"] = text }
        return try Workspace.load(files: files)
    }

    static let more = scenario("more", "  params.fast_per_ev: {value: 0.02, doc: twice, source: test}\n")

    func testTheSameScenarioTwiceHasNoDifference() throws {
        let workspace = try Self.workspace(["more": Self.more])
        for id in ["baseline", "more"] {
            let report = try ScenarioComparison.run(workspace, a: id, b: id)
            XCTAssertTrue(report.isEmpty, id)
            XCTAssertEqual(report.causes, [], id)
            XCTAssertEqual(report.cities.map(\.city), ["tiny"])
            XCTAssertEqual(report.cities.first?.a, report.cities.first?.b)
            XCTAssertTrue(
                ComparisonWriter.text(report).hasPrefix("compare \(id) → \(id)"), ComparisonWriter.text(report))
            XCTAssertTrue(ComparisonWriter.text(report).contains("no differences in 1 cities"))
        }
    }

    func testAChangedParameterIsTheCauseOfTheDifferences() throws {
        let report = try ScenarioComparison.run(try Self.workspace(["more": Self.more]), a: "baseline", b: "more")
        XCTAssertEqual(report.causes, [.init(path: "params.fast_per_ev", a: "0.01 (model)", b: "0.02")])
        XCTAssertEqual(report.ruleSet, "s")
        // 1,000 EVs in 2020, 60 % and 40 % in the zones: 6 + 4 fast chargers at 0.01, 12 + 8 at 0.02.
        let fast2020 = report.changes.first { $0.year == 2020 && $0.item == "fast.installed" }
        XCTAssertEqual(
            fast2020,
            PlanDiff.Change(
                file: "r", scope: "tiny", year: 2020, item: "fast.installed",
                before: "10", after: "20", rules: ["mix.fast"]))
        let capex = report.changes.first { $0.year == 2020 && $0.item == "capex_cny" }
        // 500 wallboxes at 5,000 and 10 or 20 fast chargers at 360,000.
        XCTAssertEqual(capex?.before, "6100000.00")
        XCTAssertEqual(capex?.after, "9700000.00")
        XCTAssertEqual(report.changes.first { $0.year == 2020 && $0.item == "fact npv_cny" }?.after, "-20.00")
        XCTAssertEqual(report.changes.first { $0.year == 2020 && $0.item == "access.public.installed" }?.after, "20")
        // 20 fast chargers break the requirement in 2020; 10 do not (12 do, in 2021).
        let finding = report.changes.first { $0.year == 2020 && $0.item == "finding req.fast (city)" }
        XCTAssertEqual(finding?.before, nil)
        XCTAssertEqual(finding?.after, "warning: many fast chargers")
        XCTAssertNil(report.changes.first { $0.year == 2021 && $0.item.hasPrefix("finding") })
        XCTAssertNil(report.changes.first { $0.item.hasPrefix("wallbox") }, "wallboxes do not depend on the parameter")
        XCTAssertEqual(report.changes.map(\.year), report.changes.map(\.year).sorted { ($0 ?? 0) < ($1 ?? 0) })
        let text = ComparisonWriter.text(report)
        XCTAssertTrue(text.contains("cause: params.fast_per_ev: 0.01 (model) in baseline, 0.02 in more\n"), text)
        XCTAssertTrue(text.contains("      fast.installed: 10 → 20 (+10, +100.0 %)  [mix.fast]\n"), text)
        XCTAssertTrue(text.contains("      capex_cny: 6100000.00 → 9700000.00 (+3,600,000.00, +59.0 %)\n"), text)
        let totals = try XCTUnwrap(report.cities.first)
        XCTAssertEqual(totals.a.npv, -1)
        XCTAssertEqual(totals.b.installed.first { $0.unit == "fast" }?.count, 25, "2022: 15 + 10")
        // The other way round, the signs turn.
        let back = try ScenarioComparison.run(try Self.workspace(["more": Self.more]), a: "more", b: "baseline")
        XCTAssertEqual(back.causes, [.init(path: "params.fast_per_ev", a: "0.02", b: "0.01 (model)")])
        XCTAssertTrue(ComparisonWriter.text(back).contains("fast.installed: 20 → 10 (-10, -50.0 %)"))
    }

    func testAnOverrideThatRestatesTheModelIsNoCause() throws {
        let same = Self.scenario("same", "  params.fast_per_ev: {value: 0.01, doc: restated, source: test}\n")
        let report = try ScenarioComparison.run(try Self.workspace(["same": same]), a: "baseline", b: "same")
        XCTAssertTrue(report.isEmpty)
        XCTAssertEqual(report.causes, [])
    }

    func testInputOverridesAreNamedAsWritten() throws {
        let parking = Self.scenario(
            "parking",
            """
              city.*.home_parking_share: {scale: {2021: 1, 2022: 2}, doc: more parking, source: test}
              units.wallbox.capex_cny: {value: 4000, doc: cheaper, source: test}

            """)
        let report = try ScenarioComparison.run(
            try Self.workspace(["parking": parking, "more": Self.more]),
            a: "more", b: "parking")
        XCTAssertEqual(
            report.causes,
            [
                .init(path: "params.fast_per_ev", a: "0.02", b: "0.01 (model)"),
                .init(path: "city.*.home_parking_share", a: "the profiles'", b: "× {2021: 1, 2022: 2}"),
                .init(path: "units.wallbox.capex_cny", a: "5000 (model)", b: "4000"),
            ])
        XCTAssertNil(report.changes.first { $0.year == 2021 && $0.item == "wallbox.installed" }, "doubled from 2022")
        XCTAssertNotNil(report.changes.first { $0.year == 2022 && $0.item == "wallbox.installed" })
    }

    func testMarkdownAndJSON() throws {
        let report = try ScenarioComparison.run(try Self.workspace(["more": Self.more]), a: "baseline", b: "more")
        let markdown = ComparisonWriter.markdown(report)
        XCTAssertTrue(markdown.hasPrefix("## Compare `baseline` → `more`\n"), markdown)
        XCTAssertTrue(markdown.contains("| `params.fast_per_ev` | 0.01 (model) | 0.02 |"), markdown)
        XCTAssertTrue(
            markdown.contains("| tiny | 13 → 25 | 605 | 13 → 25 | 0 | 7705000.00 → 12025000.00 | 2 → 3 |"), markdown)
        XCTAssertTrue(markdown.contains("| r | tiny | 2020 | fast.installed | 10 | 20 | +10 (+100.0 %) |"), markdown)
        let json = ComparisonWriter.json(report)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["differs"] as? Bool, true)
        XCTAssertEqual((object["causes"] as? [[String: Any]])?.first?["path"] as? String, "params.fast_per_ev")
        let change = (object["changes"] as? [[String: Any]])?.first { $0["item"] as? String == "fast.installed" }
        XCTAssertEqual(change?["rollout"] as? String, "r")
        XCTAssertEqual(change?["city"] as? String, "tiny")
        let city = (object["cities"] as? [[String: Any]])?.first
        XCTAssertEqual(((city?["b"] as? [String: Any])?["installed"] as? [String: Any])?["fast"] as? Int, 25)
        let empty = try ScenarioComparison.run(try Self.workspace(), a: "baseline", b: "baseline")
        let emptyObject = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(ComparisonWriter.json(empty).utf8)) as? [String: Any])
        XCTAssertEqual(emptyObject["differs"] as? Bool, false)
        XCTAssertEqual((emptyObject["changes"] as? [Any])?.count, 0)
    }

    func testBadComparisons() throws {
        let workspace = try Self.workspace(["more": Self.more])
        XCTAssertThrowsError(try ScenarioComparison.run(workspace, a: "baseline", b: "mor")) { error in
            XCTAssertEqual((error as? DiagnosticsError)?.diagnostics.first?.hint, "did you mean 'more'?")
        }
        XCTAssertThrowsError(try ScenarioComparison.run(workspace, a: "baseline", b: "more", rollouts: ["q"])) {
            error in
            XCTAssertEqual(
                (error as? DiagnosticsError)?.diagnostics.first?.message,
                "no rollout named 'q' in the scenarios compared")
        }
        XCTAssertEqual(try ScenarioComparison.run(workspace, a: "baseline", b: "more", rollouts: ["r"]).cities.count, 1)
    }
}
