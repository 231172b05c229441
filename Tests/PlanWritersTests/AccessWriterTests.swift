import TestSupport
import XCTest
@testable import PlanningEngine
@testable import PlanWriters

final class AccessWriterTests: XCTestCase {
    private let rules = """
        units:
          wallbox: {access: private, power_kw: 7, ports_per_site: 1, capex_cny: 5000, sessions_per_day: 1, combine: max}
          fast: {access: public, power_kw: 360, ports_per_site: 2, capex_cny: 1000, sessions_per_day: 1, combine: max}
        rules:
          - id: home
            for: zone
            add: wallbox
            count: "100.0 * zone.population_share"
          - id: fast
            for: zone
            add: fast
            count: "10.0 * zone.population_share"

        """

    private func file(_ path: String, _ format: PlanFormat) throws -> String {
        let plan = try TinyProject.plan(rules: rules)
        return try XCTUnwrap(PlanOutput.files(for: plan, formats: [format]).first { $0.path == path }).content
    }

    func testASummaryYearTotalsUnitsByAccess() throws {
        let lines = try file("_summary.yaml", .yaml).split(separator: "\n")
        let line = try XCTUnwrap(lines.first { $0.hasPrefix("  - {year: 2020,") })
        XCTAssertEqual(
            line,
            "  - {year: 2020, fast: {installed: 10, new: 10}, wallbox: {installed: 100, new: 100}, "
                + "access: {private: {installed: 100, new: 100}, public: {installed: 10, new: 10}, "
                + "mobile: {installed: 0, new: 0}, swap: {installed: 0, new: 0}}, capex_cny: 510000.00}")
    }

    func testACityYearLineTotalsUnitsByAccess() throws {
        let lines = try file("tiny.yaml", .yaml).split(separator: "\n")
        let line = try XCTUnwrap(lines.first { $0.hasPrefix("  - {year: 2021,") })
        XCTAssertTrue(
            line.hasSuffix(
                ", access: {private: {installed: 100, new: 0}, public: {installed: 10, new: 0}, "
                    + "mobile: {installed: 0, new: 0}, swap: {installed: 0, new: 0}}}"), String(line))
    }

    func testJSONTotalsCarryEveryAccess() throws {
        let json = try file("_summary.json", .json)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let totals = try XCTUnwrap(object["totals"] as? [[String: Any]])
        let access = try XCTUnwrap(totals.first?["access"] as? [String: [String: Int]])
        XCTAssertEqual(access["private"], ["installed": 100, "new": 100])
        XCTAssertEqual(access["swap"], ["installed": 0, "new": 0])
        XCTAssertEqual(Set(access.keys), ["private", "public", "mobile", "swap"])
        XCTAssertTrue(json.contains("\"access\": {\"private\": "), "keys in declaration order")
    }
}
