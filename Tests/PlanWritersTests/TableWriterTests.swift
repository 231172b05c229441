import TestSupport
import XCTest

@testable import PlanWriters
@testable import PlanningEngine

/// The CSV tables: unique, unit-suffixed headers; city-year rows; the rollout's summary and stations.
final class TableWriterTests: XCTestCase {
    /// A zone fact named `capex_cny`, as `Rules/china/money.yaml` has, beside the unit's capex.
    private let rules = """
        units:
          fast: {access: public, power_kw: 360, ports_per_site: 2, capex_cny: 1000, sessions_per_day: 1, combine: max}
        rules:
          - id: fleet
            for: city
            derive: evs
            value: "1000.0"
          - id: fast
            for: zone
            add: fast
            count: "10.0 * zone.population_share"
          - id: zone-capex
            for: zone
            derive: capex_cny
            value: "double(zone.units.fast.new) * units.fast.capex_cny"

        """

    func testCityTableHasCityAndZoneRowsUnderUniqueUnitSuffixedHeaders() throws {
        let plan = try TinyProject.plan(rules: rules)
        let csv = CSVWriter.city(try XCTUnwrap(plan.cities.first))
        XCTAssertEqual(
            csv,
            """
            rollout,city,scope,zone,zone_kind,year,unit,demand_units,installed_units,\
            new_units,unmet_units,unit_capex_cny,coverage_share,rules,city.evs,zone.capex_cny
            r,tiny,city,,,2020,fast,10,10,10,0,10000.00,,fast,1000.00,
            r,tiny,city,,,2021,fast,10,10,0,0,0.00,,fast,1000.00,
            r,tiny,city,,,2022,fast,10,10,0,0,0.00,,fast,1000.00,
            r,tiny,zone,tiny-a,urban_core,2020,fast,6,6,6,0,6000.00,,fast,,6000.00
            r,tiny,zone,tiny-a,urban_core,2021,fast,6,6,0,0,0.00,,fast,,0.00
            r,tiny,zone,tiny-a,urban_core,2022,fast,6,6,0,0,0.00,,fast,,0.00
            r,tiny,zone,tiny-b,suburban,2020,fast,4,4,4,0,4000.00,,fast,,4000.00
            r,tiny,zone,tiny-b,suburban,2021,fast,4,4,0,0,0.00,,fast,,0.00
            r,tiny,zone,tiny-b,suburban,2022,fast,4,4,0,0,0.00,,fast,,0.00

            """)
    }

    /// Every table's header is unique, and each engine column of a quantity names its unit.
    func testEveryHeaderIsUniqueAndEachQuantityNamesItsUnit() throws {
        let plan = try TinyProject.plan(rules: rules)
        let tables = [
            CSVWriter.city(try XCTUnwrap(plan.cities.first)), CSVWriter.summary(plan), CSVWriter.stations(plan),
        ]
        let identifiers: Set<String> = [
            "rollout", "city", "scope", "zone", "zone_kind", "year", "unit", "rules", "station", "rule",
            "existing", "ports", "ports_by_year", "opening_year", "covered_weight",
        ]
        let suffixes = ["_units", "_cny", "_share", "_deg"]
        for table in tables {
            let header = try XCTUnwrap(table.split(separator: "\n").first).split(separator: ",").map(String.init)
            XCTAssertEqual(Set(header).count, header.count, "duplicate header in \(header)")
            for column in header where !identifiers.contains(column) && !column.contains(".") {
                XCTAssertTrue(suffixes.contains { column.hasSuffix($0) }, "\(column) names no unit")
            }
        }
    }

    func testSummaryTableHasTheRolloutTotalsThenEachCityPerYear() throws {
        let plan = try TinyProject.plan(rules: rules)
        XCTAssertEqual(
            CSVWriter.summary(plan),
            """
            rollout,scope,city,year,fast_installed_units,fast_new_units,\
            access_private_installed_units,access_private_new_units,access_public_installed_units,\
            access_public_new_units,access_mobile_installed_units,access_mobile_new_units,access_swap_installed_units,\
            access_swap_new_units,capex_cny
            r,rollout,,2020,10,10,0,0,10,10,0,0,0,0,10000.00
            r,rollout,,2021,10,0,0,0,10,0,0,0,0,0,0.00
            r,rollout,,2022,10,0,0,0,10,0,0,0,0,0,0.00
            r,city,tiny,2020,10,10,0,0,10,10,0,0,0,0,10000.00
            r,city,tiny,2021,10,0,0,0,10,0,0,0,0,0,0.00
            r,city,tiny,2022,10,0,0,0,10,0,0,0,0,0,0.00

            """)
    }

    func testStationsTableListsEveryStationAndQuotesWhatNeedsIt() throws {
        var plan = try TinyProject.plan(rules: rules)
        plan.cities[0].stations = [
            Station(
                id: "s1", unit: "fast", zone: "tiny-a", latitude: 30.000004, longitude: 120.5, ports: 8,
                openingYear: 2021,
                coveredWeight: 12.345, existing: false, rule: "site.fast",
                portsByYear: [PortsChange(year: 2021, ports: 4), PortsChange(year: 2023, ports: 8)]),
            Station(
                id: "s2", unit: "fast", zone: "tiny-b", latitude: -1, longitude: 2, ports: 2, openingYear: 2020,
                coveredWeight: 0,
                existing: true, rule: "a,\"b\""),
        ]
        XCTAssertEqual(
            CSVWriter.stations(plan),
            #"""
            rollout,city,station,unit,zone,latitude_deg,longitude_deg,ports,ports_by_year,opening_year,covered_weight,\#
            existing,rule
            r,tiny,s1,fast,tiny-a,30.00000,120.50000,8,2021:4 2023:8,2021,12.35,false,site.fast
            r,tiny,s2,fast,tiny-b,-1.00000,2.00000,2,,2020,0.00,true,"a,""b"""

            """#)
        plan.cities[0].stations = []
        XCTAssertEqual(CSVWriter.stations(plan).split(separator: "\n").count, 1, "the header alone")
    }

    func testTheCSVFormatWritesTheCityTableTheSummaryAndTheStations() throws {
        let plan = try TinyProject.plan(rules: rules)
        XCTAssertEqual(
            PlanOutput.files(for: plan, formats: [.csv]).map(\.path), ["_stations.csv", "_summary.csv", "tiny.csv"])
        XCTAssertEqual(PlanOutput.cityFiles(for: plan, formats: [.csv]).map(\.path), ["tiny.csv"])
        XCTAssertEqual(CSVWriter.field("a\rb"), "\"a\rb\"")
    }
}
