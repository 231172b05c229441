import Foundation
import XCTest

/// `sweep --shard I/N` and `merge` of sweep shards, run as the built executable: the merged files are the bytes of
/// one run, and every way the shards can fail to make one sweep exits 2 with nothing written.
final class SweepShardCLITests: XCTestCase {
    func project() throws -> URL {
        let dir = try tinyProject()
        try SweepCLITests.uncertainty.write(
            to: dir.appendingPathComponent("Rules/basic/uncertainty.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static let formats = ["--format", "yaml", "--format", "json", "--format", "csv"]

    func sweep(_ shard: String?, in dir: URL, seed: String = "3", samples: String = "20") throws -> Run {
        let output = shard.map { "shards/" + $0.replacingOccurrences(of: "/", with: "-of-") } ?? "single"
        return try run(
            ["sweep", "town-plan", "--samples", samples, "--seed", seed] + Self.formats
                + ["--output", output] + (shard.map { ["--shard", $0] } ?? []), in: dir)
    }

    func testMergedShardsAreTheBytesOfOneRun() throws {
        let dir = try project()
        XCTAssertEqual(try sweep(nil, in: dir).status, 0)
        for shard in ["1/3", "2/3", "3/3"] {
            let result = try sweep(shard, in: dir)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stderr, "", "no progress bar on a pipe")
        }
        XCTAssertEqual(
            try sweep("2/3", in: dir).stdout,
            "swept 7 samples (shard 2/3 of 20) of 1 uncertain number over 1 city into shards/2-of-3/town-plan/; "
                + "join the shards with `chargeplan merge`\n")
        XCTAssertEqual(
            try contents(of: dir.appendingPathComponent("shards/1-of-3")).keys.sorted(),
            ["/town-plan/_sweep-shard-1-of-3.jsonl"], "a shard writes its shard file only")
        let lines = try String(
            contentsOfFile: dir.path + "/shards/1-of-3/town-plan/_sweep-shard-1-of-3.jsonl", encoding: .utf8
        ).split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 7, "the header, then samples 1, 4, …, 19")
        XCTAssertTrue(lines[0].hasPrefix("{\"chargeplan_sweep_shard\":1,"), String(lines[0]))
        XCTAssertTrue(lines[0].contains("\"seed\":3"), String(lines[0]))
        XCTAssertTrue(lines[1].contains("\"sample\":1,"), String(lines[1]))
        XCTAssertTrue(lines[2].contains("\"sample\":4,"), String(lines[2]))
        // In any order of the folders, the merge writes what one run wrote.
        let merged = try run(
            ["merge", "shards/3-of-3", "shards/1-of-3", "shards/2-of-3", "--output", "merged"], in: dir)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(merged.stdout, "merged 3 shard folders into 1 sweep in merged/\n")
        let single = try contents(of: dir.appendingPathComponent("single"))
        XCTAssertEqual(single.keys.sorted().count, 5)
        XCTAssertEqual(try contents(of: dir.appendingPathComponent("merged")), single, "byte for byte")
        // The default output of a sweep merge is sweeps/.
        XCTAssertEqual(try run(["merge", "shards/1-of-3", "shards/2-of-3", "shards/3-of-3"], in: dir).status, 0)
        XCTAssertEqual(try contents(of: dir.appendingPathComponent("sweeps")), single)
    }

    func testTheShardsOfAScenarioSweepMergeIntoItsFolder() throws {
        let dir = try project()
        try SweepCLITests.writeDearScenario(in: dir)
        let scenario = ["--scenario", "dear"]
        let base = ["sweep", "town-plan", "--samples", "9", "--seed", "2"] + scenario
        XCTAssertEqual(try run(base + ["--output", "single"], in: dir).status, 0)
        for shard in ["1/2", "2/2"] {
            let result = try run(base + ["--shard", shard, "--output", "shard" + shard.prefix(1)], in: dir)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertTrue(
            FileManager.default.fileExists(
                atPath: dir.path + "/shard1/scenarios/dear/town-plan/_sweep-shard-1-of-2.jsonl"))
        let merged = try run(["merge", "shard1", "shard2", "--output", "merged"], in: dir)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(merged.stdout, "merged 2 shard folders into 1 sweep in merged/scenarios/dear/\n")
        XCTAssertEqual(
            try contents(of: dir.appendingPathComponent("merged")),
            try contents(of: dir.appendingPathComponent("single")))
        // The baseline's shards are of another sweep than the scenario's.
        XCTAssertEqual(
            try run(
                ["sweep", "town-plan", "--samples", "9", "--seed", "2", "--shard", "2/2", "--output", "base"],
                in: dir
            ).status, 0)
        let mixed = try run(["merge", "shard1", "base", "--output", "mixed"], in: dir)
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(
            mixed.stderr.contains("error: sweep scenarios/dear/town-plan: shard 2/2 missing (have 1/2)"), mixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/mixed"))
    }

    func testOneShardOfOneIsTheSweep() throws {
        let dir = try project()
        XCTAssertEqual(try sweep(nil, in: dir, samples: "1").status, 0)
        XCTAssertEqual(try sweep("1/1", in: dir, samples: "1").status, 0)
        XCTAssertEqual(try run(["merge", "shards/1-of-1", "--output", "merged"], in: dir).status, 0)
        XCTAssertEqual(
            try contents(of: dir.appendingPathComponent("merged")),
            try contents(of: dir.appendingPathComponent("single")))
    }

    func testShardsThatMakeNoSweepExitTwoAndWriteNothing() throws {
        let dir = try project()
        for shard in ["1/3", "2/3", "3/3"] { XCTAssertEqual(try sweep(shard, in: dir).status, 0) }
        // Another seed, and (after a profile edit) other inputs, written as shard 3/3 elsewhere.
        let seeded = try run(
            ["sweep", "town-plan", "--samples", "20", "--seed", "4", "--shard", "3/3", "--output", "seed4"]
                + Self.formats, in: dir)
        XCTAssertEqual(seeded.status, 0, seeded.stderr)
        XCTAssertEqual(
            try run(
                [
                    "sweep", "town-plan", "--samples", "20", "--seed", "3", "--shard", "3/3", "--output", "json-only",
                    "--format", "json",
                ], in: dir
            ).status, 0)
        let profile = dir.appendingPathComponent("Cities/town.yaml")
        let text = try String(contentsOf: profile, encoding: .utf8)
        try (text + "# edited\n").write(to: profile, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try run(
                ["sweep", "town-plan", "--samples", "20", "--seed", "3", "--shard", "3/3", "--output", "edited"]
                    + Self.formats, in: dir
            ).status, 0)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("damaged/town-plan"), withIntermediateDirectories: true)
        let third = try String(
            contentsOfFile: dir.path + "/shards/3-of-3/town-plan/_sweep-shard-3-of-3.jsonl", encoding: .utf8)
        try String(third.dropLast(40)).write(
            toFile: dir.path + "/damaged/town-plan/_sweep-shard-3-of-3.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["plan", "--shard", "1/1", "--output", "planshard"], in: dir).status, 0)
        let before = snapshot(of: dir)
        let cases: [(folders: [String], message: String)] = [
            (["shards/1-of-3", "shards/2-of-3"], "error: sweep town-plan: shard 3/3 missing (have 1/3, 2/3)"),
            (
                ["shards/1-of-3", "shards/2-of-3", "shards/3-of-3", "shards/2-of-3"],
                "shards/2-of-3/town-plan/_sweep-shard-2-of-3.jsonl:1:1: error: shard 2/3 of town-plan is given twice"
            ),
            (
                ["shards/1-of-3", "shards/2-of-3", "seed4"],
                "seed4/town-plan/_sweep-shard-3-of-3.jsonl:1:1: error: shard 3/3 is of another sweep than "
            ),
            (["shards/1-of-3", "shards/2-of-3", "seed4"], "seed 3 and 4"),
            (["shards/1-of-3", "shards/2-of-3", "edited"], "inputs Cities/town.yaml"),
            (["shards/1-of-3", "shards/2-of-3", "json-only"], "formats yaml+json+csv and json"),
            (
                ["shards/1-of-3", "shards/2-of-3", "damaged"],
                "damaged/town-plan/_sweep-shard-3-of-3.jsonl:7:1: error: not sample 18 of shard 3/3"
            ),
            (["shards/1-of-3", "planshard"], "error: planshard holds no sweep shard files, shards/1-of-3 does"),
            (["nowhere", "shards/1-of-3"], "error: nowhere holds no sweep shard files"),
        ]
        for (folders, message) in cases {
            let result = try run(["merge"] + folders + ["--output", "merged"], in: dir)
            XCTAssertEqual(result.status, 2, "\(folders): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(folders): \(result.stderr)")
        }
        XCTAssertEqual(snapshot(of: dir), before, "nothing written")
        // A shard header edited by hand no longer matches its hash.
        let edited = third.replacingOccurrences(of: "\"seed\":3", with: "\"seed\":5")
        try edited.write(
            toFile: dir.path + "/damaged/town-plan/_sweep-shard-3-of-3.jsonl", atomically: true, encoding: .utf8)
        let hand = try run(["merge", "shards/1-of-3", "shards/2-of-3", "damaged", "--output", "merged"], in: dir)
        XCTAssertEqual(hand.status, 2)
        XCTAssertTrue(
            hand.stderr.contains("_sweep-shard-3-of-3.jsonl:1:1: error: the shard header is inconsistent"),
            hand.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/merged"))
    }

    func testBadShardOptionsExitTwo() throws {
        let dir = try project()
        for shard in ["0/3", "4/3", "3", "a/b", "1/0", "1/100001", "6/6"] {
            let result = try run(["sweep", "town-plan", "--samples", "5", "--seed", "1", "--shard", shard], in: dir)
            XCTAssertEqual(result.status, 2, "\(shard): \(result.stderr)")
        }
        XCTAssertTrue(
            try run(["sweep", "town-plan", "--samples", "5", "--seed", "1", "--shard", "6/6"], in: dir).stderr
                .contains("--shard 6/6: more shards than the 5 samples"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/sweeps"))
    }
}
