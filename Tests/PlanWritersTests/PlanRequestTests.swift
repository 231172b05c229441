import Foundation
import PlanningEngine
import TestSupport
import XCTest

@testable import PlanWriters

/// `plan` as a library call: the formats written, the folder, whole rollouts against some cities, shards, and the
/// closing line.
final class PlanRequestTests: XCTestCase {
    private func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-req-\(UUID().uuidString)")
            .path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func workspace() throws -> Workspace {
        try Workspace.load(files: TinyProject.files(rules: TinyProject.twoUnitRules))
    }

    private func files(_ folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        return ((enumerator?.allObjects as? [String]) ?? []).filter { !$0.hasSuffix("/") && $0.contains(".") }.sorted()
    }

    func testYAMLComesFirstAndEachFormatOnce() {
        let request = PlanRequest(root: ".", targets: [], output: "plans", formats: [.csv, .yaml, .csv, .json])
        XCTAssertEqual(request.writtenFormats, [.yaml, .csv, .json])
        var report = request
        report.reportOnly = true
        report.formats = [.html]
        XCTAssertEqual(report.writtenFormats, [.html], "the report alone")
    }

    func testTheOutputFolderOfAScenarioAndOfAnAbsolutePath() {
        var request = PlanRequest(root: "proj", targets: [], output: "plans", formats: [])
        XCTAssertEqual(request.outputRoot, "proj/plans")
        request.scenario = "dense"
        XCTAssertEqual(request.shownOutput, "plans/scenarios/dense")
        XCTAssertEqual(request.outputRoot, "proj/plans/scenarios/dense")
        request.output = "/tmp/out"
        XCTAssertEqual(request.outputRoot, "/tmp/out/scenarios/dense")
    }

    func testWholeRolloutsWriteTheSummariesAndACityOnlyItsFiles() throws {
        let out = scratch()
        let whole = try PlanRequest(root: ".", targets: [], output: out, formats: []).run(
            try workspace(), progress: nil)
        XCTAssertEqual(files(out), ["r/_summary.yaml", "r/tiny.yaml"])
        XCTAssertFalse(whole.partial)
        XCTAssertEqual(whole.cityCount, 1)
        XCTAssertEqual(whole.errorFindings, 0)
        XCTAssertEqual(whole.warnings, 2)
        XCTAssertEqual(whole.summary, "planned 1 city plan in 1 rollout into \(out)/ (0 error findings, 2 warnings)")

        let city = try PlanRequest(root: ".", targets: ["tiny"], output: out, formats: [.csv])
            .run(try workspace(), progress: nil)
        XCTAssertTrue(city.partial)
        XCTAssertEqual(files(out), ["r/_summary.yaml", "r/tiny.csv", "r/tiny.yaml"], "the summary is kept as it was")
        XCTAssertTrue(
            city.summary.hasSuffix("; rollout summaries not updated (plan the whole rollout to refresh them)"))
    }

    func testAShardWritesItsManifestAndSaysHowToJoin() throws {
        let out = scratch()
        let shard = try XCTUnwrap(Sharding.Shard(parsing: "1/2"))
        let outcome = try PlanRequest(root: ".", targets: [], output: out, formats: [], shard: shard)
            .run(try workspace(), progress: nil)
        XCTAssertEqual(files(out), ["r/_shard-1-of-2.json", "r/tiny.yaml"])
        XCTAssertTrue(outcome.summary.hasSuffix("; shard 1/2: join the shards with `chargeplan merge`"))
    }

    func testAnUnknownScenarioOrTargetWritesNothing() throws {
        let out = scratch()
        for request in [
            PlanRequest(root: ".", targets: [], output: out, formats: [], scenario: "nope"),
            PlanRequest(root: ".", targets: ["nowhere"], output: out, formats: []),
        ] {
            XCTAssertThrowsError(try request.run(try workspace(), progress: nil)) {
                guard case .diagnostics = $0 as? PlanRequestError else { return XCTFail("\($0)") }
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
