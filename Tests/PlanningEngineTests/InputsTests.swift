import TestSupport
import CEL
import XCTest
@testable import PlanningEngine

/// Inputs declared by the rule set (`inputs:`, `zone_kinds:`) and series of declared numbers.
final class InputsTests: XCTestCase {
    static let tripInput = """
        inputs:
          zone:
            avg_trip_km: {type: number, unit: km, min: 0, max: 500, default: 12.0, doc: "mean trip length"}

        """

    static let tripRules = """
        rules:
          - id: zone.trip
            for: zone
            derive: trip_kwh
            value: "zone.avg_trip_km * 0.25"
          - id: city.sales
            for: city
            derive: sales
            precision: 0
            value: "city.vehicles.annual_sales"
          - id: city.ev-sales
            for: city
            derive: ev_sales
            precision: 0
            value: "city.vehicles.annual_sales * city.ev_sales_share"

        """

    /// The fixture with a zone input `avg_trip_km`, rules that read it and the sales, and `city` as the profile.
    private func files(city: String = Fixture.city, inputs: String = tripInput) -> [String: String] {
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        files["Rules/basic/trips.yaml"] = inputs + Self.tripRules
        return files
    }

    private func coreWithTrip(_ value: String) -> String {
        Fixture.city.replacingOccurrences(
            of: "    grid_headroom_kw: 3600\n",
            with: "    grid_headroom_kw: 3600\n    avg_trip_km: \(value)\n")
    }

    private func position(of needle: String, in text: String, file: String = "Cities/testville.yaml") -> String? {
        Fixture.position(of: needle, in: text, file: file)
    }

    private func number(_ facts: [FactValue], _ name: String) -> Double? {
        guard case .number(let value, _)? = facts.first(where: { $0.name == name })?.value else { return nil }
        return value
    }

    private func cityFacts(_ files: [String: String], _ name: String) throws -> [Int: Double] {
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        var result: [Int: Double] = [:]
        for year in plan.cityYears { result[year.year] = number(year.facts, name) }
        return result
    }

    func testADeclaredZoneInputIsReadByARule() throws {
        let plan = try XCTUnwrap(try Fixture.plan(files(city: coreWithTrip("20"))).cities.first)
        for record in plan.zoneYears {
            // tv-core gives 20 km; tv-rural leaves it out and gets the declared default, 12 km.
            XCTAssertEqual(number(record.facts, "trip_kwh"), record.zone == "tv-core" ? 5 : 3, "\(record.zone)")
        }
    }

    func testAMisspeltInputIsAnErrorAtItsKeyWithASuggestion() throws {
        let city = coreWithTrip("20").replacingOccurrences(of: "avg_trip_km:", with: "avg_trip_kms:")
        let diagnostics = Fixture.diagnostics(files(city: city))
        let error = try XCTUnwrap(diagnostics.first { $0.message == "unknown key 'avg_trip_kms'" }, "\(diagnostics)")
        XCTAssertEqual(error.position?.description, position(of: "avg_trip_kms", in: city))
        XCTAssertEqual(error.hint, "did you mean 'avg_trip_km'?")
    }

    func testAValueOutsideItsDeclaredRangeIsAnErrorAtTheValue() throws {
        let city = coreWithTrip("900")
        let diagnostics = Fixture.diagnostics(files(city: city))
        let error = try XCTUnwrap(diagnostics.first { $0.message.contains("out of range") }, "\(diagnostics)")
        XCTAssertEqual(error.message, "900 is out of range 0…500")
        XCTAssertEqual(error.position?.description, position(of: "900", in: city))
        let share = Fixture.city.replacingOccurrences(of: "ev_stock: 10000", with: "ev_stock: 300000")
        let above = Fixture.diagnostics(files(city: share))
        XCTAssertTrue(
            above.contains {
                $0.message.contains("vehicles.ev_stock is above vehicles.stock")
                    && $0.position?.description == position(of: "300000", in: share)
            }, "\(above)")
    }

    func testAMissingRequiredInputIsAnError() throws {
        let city = Fixture.city.replacingOccurrences(of: "home_parking_share: 0.5\n", with: "")
        let diagnostics = Fixture.diagnostics(files(city: city))
        XCTAssertTrue(
            diagnostics.contains { $0.message == "missing required key 'home_parking_share'" },
            "\(diagnostics)")
    }

    func testASeriesIsInterpolatedBetweenItsYearsAndFlatOutside() throws {
        let city = Fixture.city.replacingOccurrences(
            of: "annual_sales: 20000",
            with: "annual_sales: {2021: 20000, 2023: 30000}")
        let sales = try cityFacts(files(city: city), "sales")
        // Flat before 2021, linear to 2023 (2022 halfway), flat after.
        XCTAssertEqual(sales, [2020: 20000, 2021: 20000, 2022: 25000, 2023: 30000, 2024: 30000])
        let base = try cityFacts(files(), "ev_sales")
        let series = try cityFacts(files(city: city), "ev_sales")
        for year in 2020...2024 {
            let expected = try XCTUnwrap(base[year]) * (try XCTUnwrap(sales[year])) / 20000
            XCTAssertEqual(try XCTUnwrap(series[year]), expected, accuracy: 1e-6, "\(year)")
        }
        XCTAssertEqual(series[2021], base[2021])
        XCTAssertNotEqual(series[2022], base[2022])
    }

    func testAStepSeriesHoldsUntilTheNextYear() throws {
        let city = Fixture.city.replacingOccurrences(
            of: "annual_sales: 20000",
            with: "annual_sales: {2021: 20000, 2023: 30000}")
        let inputs = Fixture.inputs.replacingOccurrences(
            of: "vehicles.annual_sales: {type: number, unit: vehicles/year, min: 0, max: 1e10}",
            with: "vehicles.annual_sales: {type: number, unit: vehicles/year, min: 0, max: 1e10, between: step}")
        XCTAssertNotEqual(inputs, Fixture.inputs)
        var files = files(city: city)
        files["Rules/basic/inputs.yaml"] = inputs
        XCTAssertEqual(
            try cityFacts(files, "sales"),
            [2020: 20000, 2021: 20000, 2022: 20000, 2023: 30000, 2024: 30000])
    }

    func testMistakesInsideASeriesArePositioned() throws {
        let cases: [(series: String, spot: String, message: String)] = [
            ("{2021: 20000, 20x3: 30000}", "20x3", "a series maps years 1900…2200 to numbers, found '20x3'"),
            ("{2021: 20000, 1800: 30000}", "1800", "a series maps years 1900…2200 to numbers, found '1800'"),
            ("{2021: 20000, 2023: lots}", "lots", "expected a number, found 'lots'"),
            ("{2021: 20000, 2023: -5}", "-5", "-5 is out of range 0…10000000000"),
            ("{}", "{}", "an empty series: give at least one year"),
        ]
        for (series, spot, message) in cases {
            let city = Fixture.city.replacingOccurrences(of: "annual_sales: 20000", with: "annual_sales: \(series)")
            let diagnostics = Fixture.diagnostics(files(city: city))
            let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, series)
            XCTAssertEqual(error.message, message, series)
            XCTAssertEqual(error.position?.description, position(of: spot, in: city), series)
        }
        // Only numbers take series.
        let inputs = Self.tripInput.replacingOccurrences(of: "type: number", with: "type: int")
            .replacingOccurrences(of: "default: 12.0", with: "default: 12")
        let city = coreWithTrip("{2021: 3}")
        XCTAssertTrue(
            Fixture.diagnostics(files(city: city, inputs: inputs)).contains {
                $0.message == "expected a whole number, found a mapping"
            })
    }

    func testAnInputDeclaredTwiceIsAnErrorAtTheSecond() throws {
        var files = files()
        let second = "inputs:\n  city:\n    home_parking_share: {type: number, min: 0, max: 1}\n"
        files["Rules/basic/zz.yaml"] = second
        let diagnostics = Fixture.diagnostics(files)
        let error = try XCTUnwrap(diagnostics.first { $0.message.contains("declared twice") }, "\(diagnostics)")
        let first = "input 'city.home_parking_share' is declared twice (first at Rules/basic/inputs.yaml:"
        XCTAssertTrue(error.message.hasPrefix(first), error.message)
        XCTAssertEqual(error.position?.description, "Rules/basic/zz.yaml:3:5")
        files["Rules/basic/zz.yaml"] = "zone_kinds: [rural]\n"
        XCTAssertTrue(
            Fixture.diagnostics(files).contains {
                $0.message.hasPrefix("zone kind 'rural' is declared twice")
            })
    }

    func testAnUndeclaredInputReadByARuleIsACheckError() throws {
        let files = files(inputs: "")
        let diagnostics = Fixture.diagnostics(files)
        let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics)")
        XCTAssertTrue(error.message.contains("avg_trip_km"), error.message)
        XCTAssertEqual(error.position?.file, "Rules/basic/trips.yaml")
        // The profile cannot give it either: an unknown key.
        XCTAssertTrue(
            Fixture.diagnostics(self.files(city: coreWithTrip("20"), inputs: "")).contains {
                $0.message == "unknown key 'avg_trip_km'"
            })
    }

    func testZoneKindsComeFromTheRuleSet() throws {
        let city = Fixture.city.replacingOccurrences(of: "kind: rural", with: "kind: rurl")
        let diagnostics = Fixture.diagnostics(files(city: city))
        let error = try XCTUnwrap(diagnostics.first { $0.message == "unknown zone kind 'rurl'" }, "\(diagnostics)")
        XCTAssertEqual(error.hint, "did you mean 'rural'?")
        XCTAssertEqual(error.position?.description, position(of: "rurl", in: city))
        var widened = files(city: city.replacingOccurrences(of: "kind: rurl", with: "kind: island"))
        widened["Rules/basic/kinds.yaml"] = "zone_kinds: [island]\n"
        XCTAssertEqual(Fixture.diagnostics(widened), [])
    }

    /// `given:` paths come from the declarations: a declared input of any scope is given by its dotted name (what
    /// the runner then sets: RuleTestRunnerTests).
    func testGivenAcceptsAnyDeclaredInput() throws {
        var inputs = files(city: coreWithTrip("20"))
        inputs["Rules/basic/tests/fixtures/testville.yaml"] = coreWithTrip("20")
        let tests = """
            tests:
              - name: t.given
                city: testville
                zone: tv-core
                year: 2020
                given: {zone.avg_trip_km: 30, city.vehicles.annual_sales: 1}

            """
        inputs["Rules/basic/zz-tests.yaml"] = tests
        let set = try XCTUnwrap(try Workspace.load(files: inputs).ruleSet("basic"))
        let test = try XCTUnwrap(set.tests.first)
        XCTAssertEqual(
            test.given.map(\.target), [.input(.zone, "avg_trip_km"), .input(.city, "vehicles.annual_sales")])
        inputs["Rules/basic/zz-tests.yaml"] = tests.replacingOccurrences(
            of: "zone.avg_trip_km:",
            with: "zone.avg_trip_kms:")
        let error = try XCTUnwrap(Fixture.diagnostics(inputs).first)
        XCTAssertEqual(error.message, "given 'zone.avg_trip_kms' is no input, fact or parameter of the rule set")
        XCTAssertEqual(error.hint, "did you mean 'zone.avg_trip_km'?")
        XCTAssertEqual(error.position?.description, "Rules/basic/zz-tests.yaml:6:13")
    }

    func testDeclarationsAreChecked() throws {
        let cases: [(String, String)] = [
            ("inputs:\n  city:\n    base_year: {type: int}\n", "'base_year' is the engine's own city field"),
            ("inputs:\n  zone:\n    population: {type: number}\n", "'population' is the engine's own zone field"),
            (
                "inputs:\n  city:\n    x: {type: number, default: 1, required: true}\n",
                "a required input has no default"
            ),
            ("inputs:\n  city:\n    x: {type: number, required: false}\n", "an optional input needs a default"),
            ("inputs:\n  city:\n    x: {type: text}\n", "unknown input type 'text'"),
            ("inputs:\n  city:\n    x: {type: number, max: 1, default: 2}\n", "the default 2 lies outside min…max"),
            ("inputs:\n  city:\n    x: {type: number, max: y}\n", "'y' is not another input of the city"),
            (
                "inputs:\n  city:\n    x: {type: number, default: y}\n    y: {type: number, default: x}\n",
                "the defaults of x → y → x go round in a circle"
            ),
            (
                "inputs:\n  city:\n    x: {type: int, default: y}\n    y: {type: number}\n",
                "'y' is a number, not an int"
            ),
            (
                "inputs:\n  city:\n    x: {type: number}\n    x.y: {type: number}\n",
                "'city.x' is an input and also holds"
            ),
        ]
        for (text, message) in cases {
            var files = Fixture.files
            files["Rules/basic/zz.yaml"] = text
            let diagnostics = Fixture.diagnostics(files)
            XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix(message) }, "\(message): \(diagnostics)")
        }
    }
}
