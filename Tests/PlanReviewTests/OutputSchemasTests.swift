import Foundation
import TestSupport
import XCTest
@testable import PlanReview

@testable import PlanWriters
@testable import PlanningEngine

/// Every JSON file a bundled plan run writes, and a diff's JSON, match the committed schemas of `schemas/`.
/// JSON is read as YAML (it is a subset of it) so `SchemaValidator` sees quoted strings as strings and bare
/// numbers as numbers, exactly as JSON types them; `JSONSerialization` checks that it is JSON at all.
final class OutputSchemasTests: XCTestCase {
    private func committed(_ kind: OutputSchemas.Kind) throws -> SchemaValue {
        let text = try FixtureWorkspace.read("schemas/" + kind.fileName)
        XCTAssertEqual(
            text, OutputSchemas.text(kind), "schemas/\(kind.fileName) is stale; run: swift run chargeplan schema")
        return OutputSchemas.schema(kind)
    }

    private func errors(_ json: String, against schema: SchemaValue, file: String) throws -> [String] {
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)), file)
        return SchemaValidator(root: schema).validate(try YAMLTreeLoader.parse(json, file: file))
    }

    private static let bundledPlans: [(rollout: String, plan: RolloutPlan)] = {
        guard let workspace = try? Workspace.load(files: FixtureWorkspace.inputs()) else { return [] }
        return workspace.rollouts.compactMap { rollout in
            (try? RolloutPlanner.plan(rollout, in: workspace)).map { (rollout.id.value, $0) }
        }
    }()

    func testEveryJSONFileOfABundledPlanRunMatchesItsSchema() throws {
        let plan = try committed(.plan)
        let summary = try committed(.planSummary)
        XCTAssertEqual(
            Self.bundledPlans.map(\.rollout).sorted(),
            ["cams-changzhou", "china-backtest", "hainan-2030", "nio-41-cities"])
        var checked = 0
        for (rollout, rolloutPlan) in Self.bundledPlans {
            for file in PlanOutput.files(for: rolloutPlan, formats: PlanFormat.allCases)
            where file.path.hasSuffix(".json") {
                let schema = file.path == "_summary.json" ? summary : plan
                XCTAssertEqual(
                    try errors(file.content, against: schema, file: "\(rollout)/\(file.path)"), [],
                    "\(rollout)/\(file.path)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 41 + 19 + 1 + 1 + 4, "every city plan and every summary")
    }

    func testEveryGeoJSONFileOfABundledPlanRunMatchesItsSchema() throws {
        let schema = try committed(.geojson)
        var checked = 0
        for (rollout, rolloutPlan) in Self.bundledPlans {
            for file in PlanOutput.files(for: rolloutPlan, formats: [.geojson]) {
                XCTAssertEqual(
                    try errors(file.content, against: schema, file: "\(rollout)/\(file.path)"), [],
                    "\(rollout)/\(file.path)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 41 + 19 + 1 + 1 + 4, "every city's file and every rollout's")
        let station =
            #"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": "#
            + #"{"type": "Point", "coordinates": [120.1, 30.2]}, "properties": {"feature": "station", "#
            + #""rollout": "r", "city": "c", "id": "s1", "ports": -1}}]}"#
        XCTAssertEqual(try errors(station, against: schema, file: "bad.geojson").count, 1, "ports below 0")
    }

    func testADiffsJSONMatchesItsSchema() throws {
        let schema = try committed(.diff)
        var files = try FixtureWorkspace.inputs()
        let before = Self.bundledPlans.flatMap { rollout, plan in
            PlanOutput.files(for: plan, formats: [.yaml]).map { (rollout + "/" + $0.path, $0.content) }
        }
        let params = try XCTUnwrap(files["Rules/china/params.yaml"])
        // One parameter a quarter higher: the CAMS hubs' utilisation (a diff of one rollout, small enough to
        // parse), or the first parameter.
        var lines = params.components(separatedBy: "\n")
        let index = try XCTUnwrap(
            lines.firstIndex { $0.hasPrefix("  hpc_utilisation_hours: {value: ") }
                ?? lines.firstIndex { $0.contains(": {value: ") })
        let value = try XCTUnwrap(lines[index].range(of: #"(?<=\{value: )[0-9.]+"#, options: .regularExpression))
        lines[index].replaceSubrange(value, with: String((Double(lines[index][value]) ?? 1) * 1.25))
        files["Rules/china/params.yaml"] = lines.joined(separator: "\n")
        let after = try PlanDiff.planFiles(of: Workspace.load(files: files))
        var report = try PlanDiff.compare(old: before, new: after)
        report.inputs = InputChanges.compare(
            old: [("Rules/china/params.yaml", params)],
            new: [("Rules/china/params.yaml", files["Rules/china/params.yaml"] ?? "")],
            basis: .revision("HEAD")
        )
        XCTAssertFalse(report.changes.isEmpty)
        XCTAssertFalse(report.totals.isEmpty)
        XCTAssertFalse(report.largestChanges().isEmpty)
        XCTAssertEqual(try errors(PlanDiff.renderJSON(report), against: schema, file: "diff.json"), [])
        XCTAssertEqual(try errors(PlanDiff.renderJSON(PlanDiff.Report()), against: schema, file: "empty.json"), [])
    }

    /// The schemas say no to what a writer must not write: a number as a string, a key too many, one missing.
    func testTheSchemasRejectWhatTheWritersMustNotWrite() throws {
        let schema = try committed(.plan)
        let (_, rolloutPlan) = try XCTUnwrap(Self.bundledPlans.first { $0.rollout == "hainan-2030" })
        let json = try XCTUnwrap(
            PlanOutput.files(for: rolloutPlan, formats: [.json]).first { $0.path == "haikou.json" }
        ).content
        let installed = try XCTUnwrap(json.range(of: #""installed": [0-9]+"#, options: .regularExpression))
        let quoted = json.replacingCharacters(in: installed, with: "\"installed\": \"5\"")
        XCTAssertTrue(try errors(quoted, against: schema, file: "x.json").contains { $0.contains("expected integer") })
        let negative = json.replacingCharacters(in: installed, with: "\"installed\": -1")
        XCTAssertTrue(try errors(negative, against: schema, file: "x.json").contains { $0.contains("< minimum 0") })
        let extra = json.replacingOccurrences(
            of: "\"format_version\": 1,", with: "\"format_version\": 1, \"extra\": 2,")
        XCTAssertTrue(try errors(extra, against: schema, file: "x.json").contains { $0.contains("extra: unknown key") })
        let missing = json.replacingOccurrences(of: "\"joins\": ", with: "\"joined\": ")
        XCTAssertTrue(
            try errors(missing, against: schema, file: "x.json").contains { $0.contains("missing required 'joins'") })
        let severity = json.replacingOccurrences(of: "\"severity\": \"warning\"", with: "\"severity\": \"fatal\"")
        XCTAssertNotEqual(severity, json)
        XCTAssertTrue(
            try errors(severity, against: schema, file: "x.json").contains { $0.contains("'fatal' is not one of") })
        let version = json.replacingOccurrences(of: "\"format_version\": 1,", with: "\"format_version\": 2,")
        XCTAssertTrue(try errors(version, against: schema, file: "x.json").contains { $0.contains("> maximum 1") })
    }
    func testACompareJSONMatchesItsSchema() throws {
        let schema = try committed(.compare)
        let workspace = try Workspace.load(files: FixtureWorkspace.inputs())
        let differing = try ScenarioComparison.run(
            workspace, a: "nio-share-5", b: "nio-share-10", rollouts: ["nio-41-cities"])
        XCTAssertFalse(differing.isEmpty)
        XCTAssertFalse(differing.causes.isEmpty)
        XCTAssertEqual(try errors(ComparisonWriter.json(differing), against: schema, file: "compare.json"), [])
        let same = try ScenarioComparison.run(workspace, a: "baseline", b: "baseline", rollouts: ["cams-changzhou"])
        XCTAssertTrue(same.isEmpty)
        XCTAssertEqual(try errors(ComparisonWriter.json(same), against: schema, file: "same.json"), [])
        let json = ComparisonWriter.json(same)
        let extra = json.replacingOccurrences(of: "\"differs\": false,", with: "\"differs\": false, \"x\": 1,")
        XCTAssertTrue(try errors(extra, against: schema, file: "x.json").contains { $0.contains("x: unknown key") })
        let errorsKey = json.replacingOccurrences(of: "\"errors\": 0", with: "\"errors\": \"0\"")
        XCTAssertNotEqual(errorsKey, json)
        XCTAssertFalse(try errors(errorsKey, against: schema, file: "x.json").isEmpty)
    }

    func testASweepJSONMatchesItsSchema() throws {
        let schema = try committed(.sweep)
        let workspace = try Workspace.load(files: FixtureWorkspace.inputs())
        var checked = 0
        for (rollout, scenario) in [("cams-changzhou", "baseline"), ("nio-41-cities", "nio-share-5")] {
            let result = try Sweep.run(workspace, rollout: rollout, scenario: scenario, samples: 3, seed: 2)
            let json = try XCTUnwrap(SweepWriter.files(result, formats: [.json]).first { $0.path == "sweep.json" })
            XCTAssertEqual(try errors(json.content, against: schema, file: "\(rollout)/sweep.json"), [], rollout)
            checked += 1
        }
        XCTAssertEqual(checked, 2)
        let result = try Sweep.run(workspace, rollout: "cams-changzhou", samples: 2, seed: 2)
        let json = try XCTUnwrap(SweepWriter.files(result, formats: [.json]).first).content
        let p50 = try XCTUnwrap(json.range(of: #""p50": [0-9.]+"#, options: .regularExpression))
        let quoted = json.replacingCharacters(in: p50, with: "\"p50\": \"1\"")
        XCTAssertTrue(try errors(quoted, against: schema, file: "x.json").contains { $0.contains("expected number") })
        let missing = json.replacingCharacters(in: p50, with: "\"p51\": 1")
        XCTAssertTrue(
            try errors(missing, against: schema, file: "x.json").contains { $0.contains("missing required 'p50'") })
    }
}
