import Foundation
import XCTest

/// The bundled data's plans, byte for byte: a change that moves any plan line fails here, so it is made on
/// purpose and shows in review as a diff of `Tests/Golden/plans/`. Regenerate (in a commit of its own) with
/// `CHARGEPLAN_REGENERATE_GOLDEN=1 swift test --filter GoldenPlanTests`.
final class GoldenPlanTests: XCTestCase {
    static let regenerateVariable = "CHARGEPLAN_REGENERATE_GOLDEN"

    var goldenFolder: URL { Self.packageRoot.appendingPathComponent("Tests/Golden/plans") }

    func testTheBundledPlansEqualTheGoldenSet() throws {
        let project = try projectCopy()
        let result = try run(["plan", "--output", "out"], in: project, timeLimit: 600)
        XCTAssertFalse(result.timedOut)
        XCTAssertTrue([0, 1].contains(result.status), "plan failed (\(result.status)):\n\(result.stderr)")
        let written = try contents(of: project.appendingPathComponent("out"))
        XCTAssertFalse(written.isEmpty, "plan wrote nothing")

        if ProcessInfo.processInfo.environment[Self.regenerateVariable] == "1" {
            try? FileManager.default.removeItem(at: goldenFolder)
            for (path, data) in written {
                let url = goldenFolder.appendingPathComponent(String(path.drop { $0 == "/" }))
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            return
        }

        let golden = try contents(of: goldenFolder)
        XCTAssertFalse(golden.isEmpty, "no golden plans in \(goldenFolder.path)")
        let missing = Set(golden.keys).subtracting(written.keys).sorted()
        let extra = Set(written.keys).subtracting(golden.keys).sorted()
        let changed = Set(golden.keys).intersection(written.keys).filter { golden[$0] != written[$0] }.sorted()
        let hint = "regenerate: \(Self.regenerateVariable)=1 swift test --filter GoldenPlanTests"
        XCTAssertEqual(missing, [], "golden plans no longer written; \(hint)")
        XCTAssertEqual(extra, [], "plans not in the golden set; \(hint)")
        XCTAssertEqual(changed, [], "plans that differ from the golden set; \(hint)")
        if let first = changed.first, let old = golden[first], let new = written[first] {
            XCTFail("first difference in \(first): \(Self.firstDifference(old, new))")
        }
    }

    /// The first line that differs, as `line N: - old / + new` (each cut to 200 characters).
    static func firstDifference(_ old: Data, _ new: Data) -> String {
        let oldLines = String(decoding: old, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = String(decoding: new, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(oldLines.count, newLines.count) {
            let before = index < oldLines.count ? String(oldLines[index]) : "<end of file>"
            let after = index < newLines.count ? String(newLines[index]) : "<end of file>"
            if before != after {
                return "line \(index + 1):\n- \(before.prefix(200))\n+ \(after.prefix(200))"
            }
        }
        return "same lines, different bytes"
    }

    func testTheFirstDifferenceNamesTheLine() {
        let report = Self.firstDifference(Data("a\nb\nc\n".utf8), Data("a\nB\nc\n".utf8))
        XCTAssertEqual(report, "line 2:\n- b\n+ B")
        XCTAssertEqual(Self.firstDifference(Data("a\n".utf8), Data("a\nb".utf8)), "line 2:\n- \n+ b")
    }
}
