import Foundation
import XCTest

/// The scale benchmark's generator (Benchmarks/scale/generate.py) stays valid for the current formats and
/// rule set: a small set it writes plans without a diagnostic, and the same seed gives the same bytes.
final class ScaleGeneratorTests: XCTestCase {
    func generate(cities: Int, zones: Int, seed: Int, into folder: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.packageRoot.appendingPathComponent("Benchmarks/scale/generate.py").path,
            "--cities", String(cities), "--zones", String(zones), "--seed", String(seed),
            "--out", folder.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-scale-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testAGeneratedSetPlansCleanlyAndIsReproducible() throws {
        let first = try scratch()
        guard try generate(cities: 3, zones: 8, seed: 5, into: first.appendingPathComponent("set")) == 0 else {
            throw XCTSkip("python3 is not available to run Benchmarks/scale/generate.py")
        }
        let set = first.appendingPathComponent("set")
        let profiles = try FileManager.default.contentsOfDirectory(atPath: set.appendingPathComponent("Cities").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(profiles, ["county-0001.yaml", "county-0002.yaml", "county-0003.yaml"])
        let profile = try String(contentsOf: set.appendingPathComponent("Cities/county-0002.yaml"), encoding: .utf8)
        XCTAssertEqual(profile.components(separatedBy: "\n  - id: county-0002-z").count - 1, 8, "8 zones")
        XCTAssertTrue(profile.contains("kind: highway"), "the seventh zone is a corridor")

        let plan = try run(
            ["plan", "--root", set.path, "--output", "out", "--threads", "2"], in: first, timeLimit: 300)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(plan.stderr, "")
        let written = try contents(of: set.appendingPathComponent("out")).keys.sorted()
        XCTAssertEqual(
            written,
            [
                "/national/_summary.yaml", "/national/county-0001.yaml", "/national/county-0002.yaml",
                "/national/county-0003.yaml",
            ])

        let second = try scratch()
        XCTAssertEqual(try generate(cities: 3, zones: 8, seed: 5, into: second), 0)
        let again = try contents(of: second.appendingPathComponent("Cities"))
        XCTAssertEqual(again, try contents(of: set.appendingPathComponent("Cities")), "same seed, same bytes")
        let other = try scratch()
        XCTAssertEqual(try generate(cities: 3, zones: 8, seed: 6, into: other), 0)
        XCTAssertNotEqual(try contents(of: other.appendingPathComponent("Cities")), again, "the seed matters")
    }

    func testTheGeneratorRefusesTheRepositoryAndEmptySets() throws {
        let probe = try scratch()
        guard try generate(cities: 1, zones: 1, seed: 1, into: probe) == 0 else {
            throw XCTSkip("python3 is not available to run Benchmarks/scale/generate.py")
        }
        // Only a folder that does not exist is named, so a broken refusal could not replace anything.
        let inside = Self.packageRoot.appendingPathComponent("Cities/synthetic-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: inside) }
        XCTAssertNotEqual(try generate(cities: 1, zones: 4, seed: 1, into: inside), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: inside.path), "wrote into the repository")
        let empty = try scratch()
        XCTAssertNotEqual(try generate(cities: 0, zones: 4, seed: 1, into: empty), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty.path))
    }
}
