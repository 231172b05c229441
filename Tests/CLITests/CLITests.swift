import Foundation
import XCTest

/// Runs the built `chargeplan` executable on a copy of the bundled data, as a new user would.
final class CLITests: XCTestCase {
    func testPlanIsByteIdenticalAcrossLocaleTimeZoneAndThreads() throws {
        let project = try projectCopy()
        let first = try run(["plan"], in: project, environment: ["LANG": "C", "TZ": "UTC"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let plans = project.appendingPathComponent("plans")
        let before = try contents(of: plans)
        XCTAssertEqual(before.keys.filter { $0.hasPrefix("/nio-41-cities/") && !$0.contains("_summary") }.count, 41)
        XCTAssertEqual(before.keys.filter { $0.hasPrefix("/hainan-2030/") && !$0.contains("_summary") }.count, 19)
        XCTAssertNotNil(before["/cams-changzhou/changzhou.yaml"])
        let second = try run(
            ["plan", "--threads", "1"], in: project,
            environment: ["LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "TZ": "Asia/Shanghai"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try contents(of: plans), before)
    }

    func testPlanFilesHaveNoExponentsNoNegativeZeroAndNoMachinePaths() throws {
        let project = try projectCopy()
        XCTAssertEqual(try run(["plan", "hainan-2030"], in: project).status, 0)
        let files = try contents(of: project.appendingPathComponent("plans"))
        XCTAssertFalse(files.isEmpty)
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.contains("sha256") }
                .joined(separator: "\n")
            XCTAssertNil(text.range(of: #"[0-9]e[+-]?[0-9]"#, options: .regularExpression), path)
            XCTAssertNil(text.range(of: #"[^0-9.]-0(\.0+)?[,} \n]"#, options: .regularExpression), path)
            XCTAssertFalse(text.contains(project.path), path)
        }
    }

    func assertBadInputFails(
        _ mutate: (String) -> String, expecting pattern: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let project = try projectCopy()
        XCTAssertEqual(try run(["plan"], in: project).status, 0, file: file, line: line)
        let plans = project.appendingPathComponent("plans")
        let before = try contents(of: plans)
        let city = project.appendingPathComponent("Cities/haikou.yaml")
        let original = try String(contentsOf: city, encoding: .utf8)
        try mutate(original).write(to: city, atomically: true, encoding: .utf8)
        let result = try run(["plan"], in: project)
        XCTAssertEqual(result.status, 2, result.stderr, file: file, line: line)
        XCTAssertNotNil(
            result.stderr.range(of: pattern, options: .regularExpression), result.stderr, file: file, line: line)
        XCTAssertEqual(try contents(of: plans), before, "previous plans stay intact", file: file, line: line)
    }

    func testUnknownKeyFailsWithPosition() throws {
        try assertBadInputFails(
            { $0 + "\nfavourite_colour: blue\n" },
            expecting: #"Cities/haikou\.yaml:[0-9]+:1: error: unknown key 'favourite_colour'"#)
    }

    func testTruncatedYAMLFailsWithPosition() throws {
        try assertBadInputFails(
            { String($0.prefix($0.count / 2)) + "\n  - [19.9," },
            expecting: #"Cities/haikou\.yaml:[0-9]+:[0-9]+: error: invalid YAML"#)
    }

    func testWordForNumberFailsWithPosition() throws {
        try assertBadInputFails(
            { text in
                text.replacingOccurrences(
                    of: #"(?m)^population: [0-9_]+"#, with: "population: lots", options: .regularExpression)
            }, expecting: #"Cities/haikou\.yaml:[0-9]+:13: error: expected a number, found 'lots'"#)
    }

    func testRepeatedKeyFailsWithPosition() throws {
        try assertBadInputFails(
            { text in
                text.replacingOccurrences(of: #"(?m)^(province: .*)$"#, with: "$1\n$1", options: .regularExpression)
            }, expecting: #"Cities/haikou\.yaml:[0-9]+:1: error: duplicate key 'province'"#)
    }

    func testPlanningOneCityKeepsTheRestOfItsRollouts() throws {
        let project = try projectCopy()
        XCTAssertEqual(try run(["plan"], in: project).status, 0)
        let plans = project.appendingPathComponent("plans")
        let before = try contents(of: plans)
        let one = try run(["plan", "haikou"], in: project)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("rollout summaries not updated"))
        XCTAssertEqual(
            try contents(of: plans), before,
            "re-planning one city rewrites its file with the same bytes and touches nothing else")
    }

    func testShardsMergeIntoTheBytesOfOneRun() throws {
        let project = try projectCopy()
        let formats = ["--format", "yaml", "--format", "html", "--format", "csv"]
        XCTAssertEqual(try run(["plan"] + formats, in: project).status, 0)
        for index in 1...2 {
            let shard = try run(["plan", "--shard", "\(index)/2", "--output", "shard\(index)"] + formats, in: project)
            XCTAssertEqual(shard.status, 0, shard.stderr)
        }
        let merged = try run(["merge", "shard1", "shard2", "--output", "merged"], in: project)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(
            try contents(of: project.appendingPathComponent("merged")),
            try contents(of: project.appendingPathComponent("plans")))
        let incomplete = try run(["merge", "shard1", "--output", "incomplete"], in: project)
        XCTAssertEqual(incomplete.status, 2)
        XCTAssertTrue(incomplete.stderr.contains("need shards 1…2"), incomplete.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent("incomplete").path))
        XCTAssertEqual(try run(["plan", "--shard", "3/2"], in: project).status, 2)
    }

    func testUsageErrorsExitTwo() throws {
        let project = try projectCopy()
        let badFormat = try run(["plan", "--format", "pdf"], in: project)
        XCTAssertEqual(badFormat.status, 2)
        XCTAssertTrue(badFormat.stderr.contains("The value 'pdf' is invalid for '--format <format>'"), badFormat.stderr)
        XCTAssertEqual(try run(["plan", "--no-such-option"], in: project).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent("plans").path))
    }

    func testUnknownTargetIsUsageError() throws {
        let project = try projectCopy()
        let result = try run(["plan", "atlantis"], in: project)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no rollout or city named 'atlantis'"))
    }
}
