import TestSupport
import XCTest
@testable import PlanningEngine
@testable import PlanWriters

final class CanonicalNumberTests: XCTestCase {
    func testFixedPrecisionWithoutExponentOrNegativeZero() {
        XCTAssertEqual(CanonicalNumber.fixed(1_000_000, digits: 2), "1000000.00")
        XCTAssertEqual(CanonicalNumber.fixed(1e20, digits: 2), "100000000000000000000.00")
        XCTAssertEqual(CanonicalNumber.fixed(-0.0, digits: 2), "0.00")
        XCTAssertEqual(CanonicalNumber.fixed(-0.004, digits: 2), "0.00")
        XCTAssertEqual(CanonicalNumber.fixed(0.125, digits: 2), "0.13")
        XCTAssertEqual(CanonicalNumber.fixed(-2.5, digits: 0), "-3")
        XCTAssertEqual(CanonicalNumber.fixed(0.05, digits: 4), "0.0500")
        XCTAssertEqual(CanonicalNumber.fixed(.nan, digits: 2), "0")
        XCTAssertEqual(CanonicalNumber.fixed(1.5e-7, digits: 3), "0.000")
    }

    func testYAMLScalarsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(YAMLEmitter.scalar("haikou-core"), "haikou-core")
        XCTAssertEqual(YAMLEmitter.scalar("true"), "\"true\"")
        XCTAssertEqual(YAMLEmitter.scalar("2019"), "\"2019\"")
        XCTAssertEqual(YAMLEmitter.scalar("a: b"), "\"a: b\"")
        XCTAssertEqual(YAMLEmitter.scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"")
        // The byte-level check's edges: reserved words in any case, a leading sign or dot, a trailing colon,
        // the empty string and non-ASCII letters are quoted; capitals, slashes and inner colons are not.
        XCTAssertEqual(YAMLEmitter.scalar("Yes"), "\"Yes\"")
        XCTAssertEqual(YAMLEmitter.scalar("NULL"), "\"NULL\"")
        XCTAssertEqual(YAMLEmitter.scalar("-x"), "\"-x\"")
        XCTAssertEqual(YAMLEmitter.scalar(".x"), "\".x\"")
        XCTAssertEqual(YAMLEmitter.scalar("a:"), "\"a:\"")
        XCTAssertEqual(YAMLEmitter.scalar(""), "\"\"")
        XCTAssertEqual(YAMLEmitter.scalar("café"), "\"café\"")
        XCTAssertEqual(YAMLEmitter.scalar("Haikou/a:b_2.x"), "Haikou/a:b_2.x")
        XCTAssertEqual(YAMLEmitter.scalar("x-"), "x-")
        let tree = PlanNode.object([
            ("k", .array([.object([("a", .number("1")), ("b", .string("on"))]), .null])),
            ("e", .array([])), ("f", .bool(false)),
        ])
        XCTAssertEqual(
            YAMLEmitter.emit(tree, header: "one\ntwo"),
            "# one\n# two\nk:\n  - {a: 1, b: \"on\"}\n  - null\ne: []\nf: false\n")
    }
}

final class PlanFileTests: XCTestCase {
    private let city = TinyProject.city()
    private let rules = """
        units:
          fast: {access: public, power_kw: 360, ports_per_site: 2, capex_cny: 1000, sessions_per_day: 1, combine: max}
        rules:
          - id: evs
            for: zone
            derive: evs
            value: "1000.0 * zone.population_share + zone.grid_headroom_kw / 1000.0"
          - id: fast
            for: zone
            add: fast
            count: "zone.evs / 100.0"
          - id: grid
            for: zone
            cap: fast
            max: "zone.grid_headroom_kw / units.fast.power_kw"

        """

    private func planText(_ cityText: String) throws -> String {
        let plan = try TinyProject.plan(rules: rules, city: cityText)
        return try XCTUnwrap(PlanOutput.files(for: plan, formats: [.yaml]).first { $0.path == "tiny.yaml" }).content
    }

    func testOneZoneChangeTouchesOnlyThatZoneAndTheTotals() throws {
        let before = try planText(city).split(separator: "\n")
        let changed = city.replacingOccurrences(
            of: "centre: [30.1, 120.1], grid_headroom_kw: 3600", with: "centre: [30.1, 120.1], grid_headroom_kw: 720")
        let after = try planText(changed).split(separator: "\n")
        XCTAssertEqual(before.count, after.count)
        let differing = zip(before, after).filter { $0 != $1 }.map { String($0.1) }
        XCTAssertFalse(differing.isEmpty)
        for line in differing {
            let allowed =
                line.contains("zone: tiny-b") || line.contains("{year: ") || line.contains("path: Cities/tiny.yaml")
            XCTAssertTrue(allowed, "unexpected change: \(line)")
        }
        XCTAssertFalse(differing.contains { $0.contains("zone: tiny-a") })
    }

    func testEveryFormatIsWrittenAndJSONCarriesItsVersion() throws {
        let plan = try TinyProject.plan(rules: rules, city: city)
        let files = PlanOutput.files(for: plan, formats: PlanFormat.allCases)
        XCTAssertEqual(
            files.map(\.path),
            [
                "_report.html", "_stations.csv", "_summary.csv", "_summary.geojson", "_summary.json", "_summary.md",
                "_summary.yaml", "tiny.csv", "tiny.geojson", "tiny.html", "tiny.json", "tiny.md", "tiny.yaml",
            ])
        let html = try XCTUnwrap(files.first { $0.path == "_report.html" }).content
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains("<a href=\"tiny.html\">Tiny</a>"))
        let json = try XCTUnwrap(files.first { $0.path == "tiny.json" }).content
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["format_version"] as? Int, PlanDocument.formatVersion)
        let geo = try XCTUnwrap(files.first { $0.path == "tiny.geojson" }).content
        let geoObject = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(geo.utf8)) as? [String: Any])
        XCTAssertEqual(geoObject["type"] as? String, "FeatureCollection")
        let csv = try XCTUnwrap(files.first { $0.path == "tiny.csv" }).content.split(separator: "\n")
        XCTAssertEqual(csv.count, 1 + 3 + 2 * 3, "the header, a row per city-year, a row per zone-year")
    }

    func testAtomicWriteReplacesTheFolderWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-write-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try PlanSetWriter.write(
            [.init(rollout: "r", files: [("a.yaml", "one\n"), ("b.yaml", "two\n")])], into: dir)
        _ = try PlanSetWriter.write([.init(rollout: "r", files: [("a.yaml", "three\n")])], into: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/r").sorted(), ["a.yaml"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/r/a.yaml", encoding: .utf8), "three\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["r"], "no staging folders left")
    }
}
