import Foundation
import TestSupport
import XCTest

@testable import PlanReview
@testable import PlanningEngine

/// `check` and `fmt` as library calls.
final class CheckAndFormatRequestTests: XCTestCase {
    func testCheckSeparatesFindingsFromUnreadableInput() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for (path, text) in try FixtureWorkspace.inputs() {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let clean = CheckRequest(root: root.path).run()
        XCTAssertTrue(clean.findings.isEmpty, "\(clean.findings)")
        XCTAssertFalse(clean.unreadable)
        let rules = root.appendingPathComponent("Rules/china/mix.yaml")
        let mix = try String(contentsOf: rules, encoding: .utf8)
        try Data((mix + "  - {id: broken\n").utf8).write(to: rules)
        let broken = CheckRequest(root: root.path).run()
        XCTAssertTrue(broken.unreadable, "YAML that does not parse")
        XCTAssertFalse(broken.findings.isEmpty)
        XCTAssertEqual(broken.listed.first?.position?.file, "Rules/china/mix.yaml")
    }

    func testFormatNamesWhatWouldChangeAndWritesOnlyWhenAsked() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let inputs = try FixtureWorkspace.inputs()
        let profile = try XCTUnwrap(inputs["Cities/haikou.yaml"])
        let url = root.appendingPathComponent("Cities/haikou.yaml")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(profile.utf8).write(to: url)
        let request = FormatRequest(root: root.path, files: ["./Cities/haikou.yaml"])
        XCTAssertEqual(try request.formatted().changed.count, 0, "the bundled profile is canonical")
        try Data(profile.replacingOccurrences(of: "\nid: haikou\n", with: "\nid:    haikou\n").utf8).write(to: url)
        let outcome = try request.formatted()
        XCTAssertEqual(outcome.paths, ["Cities/haikou.yaml"])
        XCTAssertEqual(outcome.changed.map(\.path), ["Cities/haikou.yaml"])
        XCTAssertNotEqual(try String(contentsOf: url, encoding: .utf8), profile, "nothing written yet")
        try request.write(outcome)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), profile)
        XCTAssertThrowsError(try FormatRequest(root: root.path, files: ["Cities/none.yaml"]).formatted())
    }
}
