import Foundation
import PlanningEngine
import XCTest

@testable import PlanWriters

/// The streaming writer ends where `PlanSetWriter.write` ends: the same folders and bytes, unchanged rollouts
/// untouched, every refusal and failure leaving the output folder as it was.
final class PlanSetStreamTests: XCTestCase {
    func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("chargeplan-stream-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }
    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testFilesFromManyThreadsCommitToWhatTheWriterWrites() throws {
        let files = (0..<200).map { ("c\($0).yaml", String(repeating: "line \($0)\n", count: $0 % 7 + 1)) }
        let streamed = scratch()
        let stream = try PlanSetStream(into: streamed, rollouts: ["r", "s"])
        let failures = LockedCount()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            do { try stream.write(files[index], in: index % 3 == 0 ? "s" : "r") } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(try stream.commit(), .init(replaced: ["r", "s"], unchanged: []))
        let written = scratch()
        _ = try PlanSetWriter.write(
            [
                .init(rollout: "r", files: files.indices.filter { $0 % 3 != 0 }.map { files[$0] }),
                .init(rollout: "s", files: files.indices.filter { $0 % 3 == 0 }.map { files[$0] }),
            ], into: written)
        XCTAssertEqual(try names(streamed), ["r", "s"], "only rollout folders are left")
        for rollout in ["r", "s"] {
            XCTAssertEqual(try names(streamed + "/" + rollout), try names(written + "/" + rollout))
            for name in try names(written + "/" + rollout) {
                XCTAssertEqual(try text("\(streamed)/\(rollout)/\(name)"), try text("\(written)/\(rollout)/\(name)"))
            }
        }
    }

    func testAnUnchangedRolloutIsLeftAsItWasAndAChangedOneReplaced() throws {
        let out = scratch()
        _ = try PlanSetWriter.write(
            [
                .init(rollout: "a", files: [("x.yaml", "1\n")]),
                .init(rollout: "b", files: [("y.yaml", "2\n")]),
            ], into: out)
        var before = stat()
        XCTAssertEqual(stat(out + "/a", &before), 0)
        let stream = try PlanSetStream(into: out, rollouts: ["a", "b"])
        try stream.write(("x.yaml", "1\n"), in: "a")
        try stream.write(("y.yaml", "3\n"), in: "b")
        XCTAssertEqual(try stream.commit(), .init(replaced: ["b"], unchanged: ["a"]))
        var after = stat()
        XCTAssertEqual(stat(out + "/a", &after), 0)
        XCTAssertEqual(before.st_ino, after.st_ino, "the unchanged folder is the same folder")
        XCTAssertEqual(try text(out + "/b/y.yaml"), "3\n")
        XCTAssertEqual(try names(out), ["a", "b"])

        let fewer = try PlanSetStream(into: out, rollouts: ["a"])
        XCTAssertEqual(try fewer.commit(), .init(replaced: ["a"], unchanged: []), "a file less is a change")
        XCTAssertEqual(try names(out + "/a"), [])
    }

    func testDiscardingLeavesTheOutputAsItWas() throws {
        let out = scratch()
        _ = try PlanSetWriter.write([.init(rollout: "a", files: [("x.yaml", "1\n")])], into: out)
        let stream = try PlanSetStream(into: out, rollouts: ["a"])
        try stream.write(("x.yaml", "changed\n"), in: "a")
        stream.discard()
        XCTAssertEqual(try names(out), ["a"])
        XCTAssertEqual(try text(out + "/a/x.yaml"), "1\n")
        XCTAssertThrowsError(try stream.write(("z.yaml", ""), in: "a"), "closed after a discard")

        let missing = scratch() + "/deeper"
        let fresh = try PlanSetStream(into: missing, rollouts: ["a"])
        try fresh.write(("x.yaml", "1\n"), in: "a")
        fresh.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "a folder this run made is removed")
    }

    func testRefusalsAndAFailedCommitChangeNothing() throws {
        let missing = scratch()
        XCTAssertThrowsError(try PlanSetStream(into: missing, rollouts: ["../x"]))
        XCTAssertThrowsError(try PlanSetStream(into: missing, rollouts: ["a", "a"]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        let out = scratch()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let stream = try PlanSetStream(into: out, rollouts: ["a", "b"])
        try stream.write(("x.yaml", "1\n"), in: "a")
        XCTAssertThrowsError(try stream.write(("x.yaml", "2\n"), in: "a")) { error in
            XCTAssertEqual(String(describing: error), "file 'x.yaml' given twice in rollout 'a'")
        }
        XCTAssertThrowsError(try stream.write(("../y.yaml", ""), in: "a"))
        XCTAssertThrowsError(try stream.write(("y.yaml", ""), in: "c"))
        // A rollout path taken by a file: the commit fails and nothing is moved.
        XCTAssertTrue(FileManager.default.createFile(atPath: out + "/b", contents: Data("file\n".utf8)))
        XCTAssertThrowsError(try stream.commit()) { error in
            XCTAssertTrue(String(describing: error).contains("it exists and is not a folder"), "\(error)")
        }
        XCTAssertEqual(try names(out), ["b"])
        XCTAssertEqual(try text(out + "/b"), "file\n")
    }
}

/// A counter several threads add to.
private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
