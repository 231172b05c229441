import TestSupport
import XCTest
@testable import PlanningEngine
@testable import PlanWriters

/// Money keys carry the rule set's currency: a USD rule set writes `capex_usd`, never `capex_cny`.
final class CurrencyWriterTests: XCTestCase {
    private let usdRules = """
        units:
          fast: {access: public, power_kw: 150, ports_per_site: 2, capex_usd: 1000, sessions_per_day: 1,
                 price_per_session_usd: 20, combine: max}
        rules:
          - id: fast
            for: zone
            add: fast
            count: "10.0 * zone.population_share"
          - id: money.capex
            for: city
            derive: capex_usd
            value: "city.units.fast.new * units.fast.capex_usd"
          - id: money.revenue
            for: city
            derive: revenue_usd
            value: "city.units.fast.installed * units.fast.price_per_session_usd * 365.0"

        """

    func testAUSDRuleSetPlansInUSD() throws {
        let plan = try TinyProject.plan(rules: usdRules, currency: "USD")
        XCTAssertEqual(plan.currency, "USD")
        let city = try XCTUnwrap(plan.cities.first)
        XCTAssertEqual(city.cityYears.first?.units.first?.capex, 10 * 1000)
        let files = PlanOutput.files(for: plan, formats: [.yaml, .json, .csv, .markdown])
        XCTAssertFalse(files.isEmpty)
        for file in files {
            XCTAssertFalse(file.content.contains("capex_cny") || file.content.contains("CNY"), file.path)
        }
        let yaml = try XCTUnwrap(files.first { $0.path == "tiny.yaml" }).content
        XCTAssertTrue(yaml.contains("capex_usd: 10000.00"), yaml)
        XCTAssertTrue(yaml.contains("revenue_usd: 73000.00"), yaml)
        let summary = try XCTUnwrap(files.first { $0.path == "_summary.yaml" }).content
        XCTAssertTrue(summary.contains(", capex_usd: 10000.00}"), summary)
        XCTAssertTrue(try XCTUnwrap(files.first { $0.path == "tiny.csv" }).content.contains(",unit_capex_usd,"))
        XCTAssertTrue(try XCTUnwrap(files.first { $0.path == "_summary.md" }).content.contains("capex USD"))
    }

    func testCNYKeysOfAUSDRuleSetAreUnknown() {
        let rules = usdRules.replacingOccurrences(of: "capex_usd: 1000", with: "capex_cny: 1000")
        XCTAssertThrowsError(try TinyProject.plan(rules: rules, currency: "USD")) { error in
            let messages = ((error as? DiagnosticsError)?.diagnostics ?? []).map(\.message)
            XCTAssertTrue(messages.contains { $0.contains("unknown key 'capex_cny'") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("missing required key 'capex_usd'") }, "\(messages)")
        }
    }
}
