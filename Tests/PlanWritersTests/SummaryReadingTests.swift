import PlanningEngine
import XCTest

@testable import PlanWriters

final class SummaryReadingTests: XCTestCase {
    /// Every rollout-wide file comes out the same from the slimmed plans as from the whole ones, format by format
    /// and all formats together, so a streamed or sharded run can drop what its formats do not read.
    func testEachFormatsSummariesAreTheSameFromWhatItKeeps() throws {
        let rollout = try ReportWriterTests.plan(rules: ReportWriterTests.rules)
        let city = try XCTUnwrap(rollout.cities.first)
        XCTAssertFalse(city.stations.isEmpty, "the fixture sites stations")
        XCTAssertFalse(city.findings.isEmpty, "the fixture has findings")
        for formats in PlanFormat.allCases.map({ [$0] }) + [PlanFormat.allCases] {
            var slim = rollout
            slim.cities = rollout.cities.map { $0.summaryOnly(readBy: formats) }
            let whole = PlanOutput.summaryFiles(for: rollout, formats: formats)
            let kept = PlanOutput.summaryFiles(for: slim, formats: formats)
            XCTAssertEqual(kept.map(\.path), whole.map(\.path), "\(formats)")
            for (a, b) in zip(kept, whole) { XCTAssertEqual(a.content, b.content, "\(a.path) of \(formats)") }
        }
    }

    func testWhatNoFormatReadsIsDroppedAndCountsStay() throws {
        let rollout = try ReportWriterTests.plan(rules: ReportWriterTests.rules)
        let city = try XCTUnwrap(rollout.cities.first)
        let yaml = city.summaryOnly(readBy: [.yaml, .json, .markdown])
        XCTAssertEqual(yaml.stations, [])
        XCTAssertEqual(yaml.zoneYears, [])
        XCTAssertEqual(yaml.zones, [])
        XCTAssertEqual(yaml.cityYears.flatMap(\.facts), [], "only the report reads NPV and payback")
        XCTAssertEqual(yaml.cityYears.flatMap(\.units).flatMap(\.rules), [], "no summary reads a count's rules")
        XCTAssertEqual(
            yaml.cityYears.map { $0.units.map(\.installed) }, city.cityYears.map { $0.units.map(\.installed) })
        XCTAssertEqual(yaml.findings.map(\.message), Array(repeating: "", count: city.findings.count))
        XCTAssertEqual(yaml.findings.map(\.severity), city.findings.map(\.severity))
        XCTAssertEqual(yaml.findings.map(\.rule), city.findings.map(\.rule))
        XCTAssertEqual(city.summaryOnly(readBy: [.csv]).stations, city.stations, "_stations.csv lists them")
        XCTAssertEqual(city.summaryOnly(readBy: [.geojson]).zoneYears, city.summaryOnly.zoneYears)
        XCTAssertEqual(city.summaryOnly(readBy: [.geojson]).zones, city.zones)
        let report = city.summaryOnly(readBy: [.yaml, .html])
        XCTAssertEqual(report.stations, city.stations, "the report reads everything else kept")
        XCTAssertEqual(report.zoneYears, city.summaryOnly.zoneYears)
        XCTAssertEqual(report.findings, city.findings)
        XCTAssertEqual(report.cityYears.map(\.facts), city.summaryOnly.cityYears.map(\.facts))
    }
}
