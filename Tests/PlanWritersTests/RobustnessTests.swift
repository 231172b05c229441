import TestSupport
import Foundation
import XCTest
@testable import PlanningEngine
@testable import PlanWriters

final class WriterRobustnessTests: XCTestCase {
    /// Capex of 10^12 per unit times 9 × 10^11 new units: `value * height` in the bar chart
    /// overflowed Int and trapped `plan --format html` / `render`.
    func testReportWithHugeCapexRenders() throws {
        let rules = """
            units:
              wallbox: {access: private, power_kw: 7, ports_per_site: 1, capex_cny: 1e12, sessions_per_day: 1, combine: max}
            rules:
              - id: many
                for: zone
                add: wallbox
                count: "9e11 + double(year - 2020) * 1e9"

            """
        let plan = try TinyProject.plan(rules: rules, city: TinyProject.city(zones: TinyProject.zoneA))
        for html in [ReportWriter.html(plan), CityReportWriter.html(try XCTUnwrap(plan.cities.first))] {
            XCTAssertTrue(html.contains("aria-label=\"Capex per year, "))
            XCTAssertTrue(html.contains("00bn</text>"), "the capex axis is labelled in bn")
            XCTAssertFalse(html.contains("height=\"-"))
            XCTAssertFalse(html.contains("nan") || html.contains("inf"))
        }
    }
}
