import Foundation
import XCTest

/// Shell completion of ids, asked the way the generated scripts ask (`---completion <command> -- <argument>
/// <word index> <cursor> <words…>`), on a copy of the bundled data.
final class CompletionCLITests: XCTestCase {
    func complete(_ command: String, _ argument: String, _ words: [String], in dir: URL) throws -> [String] {
        let result = try run(
            [
                "---completion", command, "--", argument, String(words.count - 1),
                String(words.last?.count ?? 0),
            ] + words, in: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testRolloutsAndCitiesCompleteFromTheProject() throws {
        let dir = try projectCopy()
        XCTAssertEqual(
            try complete("plan", "positional@0", ["chargeplan", "plan", "hai"], in: dir),
            ["hainan-2030", "haikou"])
        XCTAssertEqual(
            try complete("sweep", "positional@0", ["chargeplan", "sweep", "c"], in: dir),
            ["cams-changzhou", "china-backtest"])
        XCTAssertEqual(
            try complete("explain", "positional@0", ["chargeplan", "explain", "changz"], in: dir),
            ["changzhou"])
    }

    func testZonesAreThoseOfTheCityOnTheLine() throws {
        let dir = try projectCopy()
        XCTAssertEqual(
            try complete("explain", "--zone", ["chargeplan", "explain", "haikou", "--zone", ""], in: dir),
            ["haikou-longhua", "haikou-meilan", "haikou-xiuying", "haikou-qiongshan", "haikou-g98"])
    }

    func testScenariosIncludeTheBaselineAndRootIsHonoured() throws {
        let dir = try projectCopy()
        let elsewhere = FileManager.default.temporaryDirectory
        let ids = try complete(
            "compare", "positional@0",
            ["chargeplan", "compare", "--root", dir.path, ""], in: elsewhere)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Scenarios").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertEqual(ids, ["baseline"] + files)
        XCTAssertFalse(files.isEmpty)
    }

    func testAFolderThatIsNoProjectCompletesNothingAndSaysNothing() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-project-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: empty) }
        let result = try run(
            [
                "---completion", "explain", "--", "--zone", "3", "0", "chargeplan", "explain", "--zone",
                "",
            ], in: empty)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "")
    }
}
