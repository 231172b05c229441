import Foundation
import PlanningEngine
import XCTest

@testable import PlanWriters

/// The all-or-nothing writer: safe names only, unchanged rollouts untouched, interrupted runs finished
/// or discarded by the next one, nothing left behind.
final class PlanSetWriterTests: XCTestCase {
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-set-\(UUID().uuidString)")
            .path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }
    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testWritesEveryRolloutAndLeavesOnlyRolloutFolders() throws {
        let out = try scratch()
        let outcome = try PlanSetWriter.write(
            [
                .init(rollout: "a", files: [("x.yaml", "1\n")]), .init(rollout: "b", files: [("y.yaml", "2\n")]),
            ], into: out)
        XCTAssertEqual(outcome, .init(replaced: ["a", "b"], unchanged: []))
        XCTAssertEqual(try names(out), ["a", "b"])
        XCTAssertEqual(try text(out + "/b/y.yaml"), "2\n")
    }

    func testUnchangedRolloutIsNotRewritten() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write(
            [.init(rollout: "a", files: [("x.yaml", "1\n")]), .init(rollout: "b", files: [("y.yaml", "2\n")])],
            into: out)
        var before = stat()
        XCTAssertEqual(stat(out + "/a", &before), 0)
        let outcome = try PlanSetWriter.write(
            [
                .init(rollout: "a", files: [("x.yaml", "1\n")]), .init(rollout: "b", files: [("y.yaml", "3\n")]),
            ], into: out)
        XCTAssertEqual(outcome, .init(replaced: ["b"], unchanged: ["a"]))
        var after = stat()
        XCTAssertEqual(stat(out + "/a", &after), 0)
        XCTAssertEqual(before.st_ino, after.st_ino, "the unchanged folder is the same folder")
        XCTAssertEqual(try text(out + "/b/y.yaml"), "3\n")
    }

    func testAFileMoreOrLessIsAChange() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n")])], into: out)
        XCTAssertEqual(
            try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n"), ("z.yaml", "")])], into: out)
                .replaced, ["a"])
        XCTAssertEqual(
            try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n")])], into: out).replaced, ["a"])
        XCTAssertEqual(try names(out + "/a"), ["x.yaml"])
    }

    func testKeepingOtherFilesReplacesOnlyTheGivenOnesAndKeepsModes() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write(
            [.init(rollout: "a", files: [("one.yaml", "1\n"), ("two.yaml", "2\n")])], into: out)
        XCTAssertEqual(chmod(out + "/a/two.yaml", 0o600), 0)
        _ = try PlanSetWriter.write(
            [.init(rollout: "a", files: [("one.yaml", "new\n")], keepOtherFiles: true)], into: out)
        XCTAssertEqual(try names(out + "/a"), ["one.yaml", "two.yaml"])
        XCTAssertEqual(try text(out + "/a/one.yaml"), "new\n")
        XCTAssertEqual(try text(out + "/a/two.yaml"), "2\n")
        var info = stat()
        XCTAssertEqual(stat(out + "/a/two.yaml", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    func testUnsafeNamesAreRefusedAndNothingIsWritten() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write([.init(rollout: "ok", files: [("x.yaml", "1\n")])], into: out)
        let before = try names(out)
        for bad in [
            "", ".", "..", "../Cities", "a/b", "/abs", ".hidden", "a\u{0}b", "a\\b", String(repeating: "x", count: 256),
        ] {
            XCTAssertThrowsError(
                try PlanSetWriter.write(
                    [
                        .init(rollout: "ok", files: [("x.yaml", "2\n")]),
                        .init(rollout: bad, files: [("x.yaml", "1\n")]),
                    ], into: out),
                "rollout '\(bad)'")
            XCTAssertThrowsError(
                try PlanSetWriter.write([.init(rollout: "ok", files: [(bad, "1\n")])], into: out), "file '\(bad)'")
        }
        XCTAssertEqual(try names(out), before)
        XCTAssertEqual(try text(out + "/ok/x.yaml"), "1\n")
        XCTAssertTrue(SafePath.isSafe("_summary.yaml"))
        XCTAssertTrue(SafePath.isSafe(String(repeating: "x", count: 255)))
    }

    func testARolloutPathTakenByAFileFailsBeforeAnythingChanges() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n")])], into: out)
        XCTAssertTrue(FileManager.default.createFile(atPath: out + "/b", contents: Data("not a folder".utf8)))
        XCTAssertThrowsError(
            try PlanSetWriter.write(
                [
                    .init(rollout: "a", files: [("x.yaml", "2\n")]), .init(rollout: "b", files: [("y.yaml", "2\n")]),
                ], into: out)
        ) { error in
            XCTAssertTrue(String(describing: error).contains("is not a folder"), "\(error)")
        }
        XCTAssertEqual(try text(out + "/a/x.yaml"), "1\n")
        XCTAssertEqual(try names(out), ["a", "b"])
    }

    func testAMissingOutputFolderIsNotLeftBehindOnFailure() throws {
        let out = try scratch() + "/plans"
        XCTAssertThrowsError(
            try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n"), ("x.yaml", "2\n")])], into: out))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// Lays out a staging folder as a run killed at `step` would have left it, then lets the next run recover.
    func interrupted(at step: Int, committed: Bool) throws -> String {
        let out = try scratch()
        _ = try PlanSetWriter.write(
            [
                .init(rollout: "a", files: [("f", "old-a")]), .init(rollout: "b", files: [("f", "old-b")]),
            ], into: out)
        let staging = out + "/" + PlanSetWriter.stagingPrefix + "999999"
        let manager = FileManager.default
        for name in ["a", "b"] {
            try manager.createDirectory(atPath: staging + "/new/" + name, withIntermediateDirectories: true)
            try Data("new-\(name)".utf8).write(to: URL(fileURLWithPath: staging + "/new/\(name)/f"))
        }
        try manager.createDirectory(atPath: staging + "/old", withIntermediateDirectories: true)
        if committed {
            try Data("a\nb\n".utf8).write(to: URL(fileURLWithPath: staging + "/" + PlanSetWriter.commitMark))
        }
        // Steps of the apply loop: 1 a moved aside, 2 a moved in, 3 b moved aside, 4 b moved in.
        if step >= 1 { XCTAssertEqual(rename(out + "/a", staging + "/old/a"), 0) }
        if step >= 2 { XCTAssertEqual(rename(staging + "/new/a", out + "/a"), 0) }
        if step >= 3 { XCTAssertEqual(rename(out + "/b", staging + "/old/b"), 0) }
        if step >= 4 { XCTAssertEqual(rename(staging + "/new/b", out + "/b"), 0) }
        try PlanSetWriter.recover(out)
        return out
    }

    func testAnInterruptedRunBeforeItsCommitLeavesTheOldSet() throws {
        let out = try interrupted(at: 0, committed: false)
        XCTAssertEqual(try names(out), ["a", "b"])
        XCTAssertEqual(try text(out + "/a/f") + text(out + "/b/f"), "old-aold-b")
    }

    func testAnInterruptedRunAfterItsCommitIsFinishedAtEveryStep() throws {
        for step in 0...4 {
            let out = try interrupted(at: step, committed: true)
            XCTAssertEqual(try names(out), ["a", "b"], "step \(step)")
            XCTAssertEqual(try text(out + "/a/f") + text(out + "/b/f"), "new-anew-b", "step \(step)")
        }
    }

    func testLeftoversOfTheEarlierWriterAreCleaned() throws {
        let out = try scratch()
        _ = try PlanSetWriter.write([.init(rollout: "a", files: [("f", "a")])], into: out)
        let manager = FileManager.default
        try manager.createDirectory(atPath: out + "/.a.tmp-123", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: out + "/.b.old-77", withIntermediateDirectories: true)
        try Data("b".utf8).write(to: URL(fileURLWithPath: out + "/.b.old-77/f"))
        try PlanSetWriter.recover(out)
        XCTAssertEqual(try names(out), ["a", "b"], "a retired folder whose rollout is missing is put back")
    }
}
