import CEL
import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanningEngine

final class RuleTestRunnerTests: XCTestCase {
    /// The bundled inputs with one more rule file of the china rule set.
    private func files(adding text: String, as name: String = "Rules/china/zz-tests.yaml") throws -> [String: String] {
        var files = try FixtureWorkspace.inputs()
        files[name] = text
        return files
    }

    private func results(_ files: [String: String], prefix: String = "t.") throws -> [RuleTestRunner.Result] {
        let reports = try RuleTestRunner.run(Workspace.load(files: files))
        return try XCTUnwrap(reports.first { $0.ruleSet == "china" }).results.filter { $0.name.hasPrefix(prefix) }
    }

    /// The one diagnostic loading `files` gives.
    private func loadError(
        _ files: [String: String], file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> Diagnostic {
        do {
            _ = try Workspace.load(files: files)
        } catch {
            XCTAssertEqual(error.diagnostics.count, 1, "\(error.diagnostics)", file: file, line: line)
            return try XCTUnwrap(error.diagnostics.first)
        }
        XCTFail("loaded without an error", file: file, line: line)
        throw XCTSkip()
    }

    /// `file:line:col` of the first occurrence of `needle` in `text`.
    private func position(of needle: String, in text: String, file: String = "Rules/china/zz-tests.yaml") -> String? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: needle) {
                return "\(file):\(index + 1):\(line.distance(from: line.startIndex, to: range.lowerBound) + 1)"
            }
        }
        return nil
    }

    func testBundledRuleTestsPassWithCoverage() throws {
        let reports = try RuleTestRunner.run(Workspace.load(files: FixtureWorkspace.inputs()))
        let china = try XCTUnwrap(reports.first { $0.ruleSet == "china" })
        XCTAssertGreaterThanOrEqual(china.results.count, 10)
        for result in china.results where result.status == .fail {
            XCTFail("\(result.name): \(result.problems.joined(separator: "; "))")
        }
        XCTAssertGreaterThanOrEqual(
            china.coverage, 90, "not fired: \(china.uncovered); outcomes: \(china.uncoveredOutcomes)")
    }

    /// The rule tests plan their fixture: without Cities/, and with a changed Cities/changzhou.yaml, they pass.
    func testBundledRuleTestsNeedNoCities() throws {
        let all = try FixtureWorkspace.inputs()
        let rulesOnly = all.filter { $0.key.hasPrefix("Rules/") }
        XCTAssertNotNil(rulesOnly["Rules/china/tests/fixtures/changzhou.yaml"])
        var dataFix = all
        dataFix["Cities/changzhou.yaml"] = all["Cities/changzhou.yaml"]?
            .replacingOccurrences(of: "  ev_stock: 25800 ", with: "  ev_stock: 26800 ")
        XCTAssertNotEqual(dataFix["Cities/changzhou.yaml"], all["Cities/changzhou.yaml"])
        for files in [rulesOnly, dataFix] {
            let china = try XCTUnwrap(try RuleTestRunner.run(Workspace.load(files: files)).first)
            XCTAssertEqual(china.failed, 0, "\(china.results.filter { $0.status == .fail }.map(\.problems))")
        }
    }

    /// Fixtures are the rule set's, never the workspace's cities: `plan` does not see them.
    func testFixturesAreNotCitiesOfTheWorkspace() throws {
        let workspace = try Workspace.load(
            files: FixtureWorkspace.inputs().filter {
                $0.key.hasPrefix("Rules/") || $0.key == "Cities/haikou.yaml" || $0.key.hasPrefix("Cities/geo/haikou")
            })
        XCTAssertNil(workspace.city("changzhou"))
        XCTAssertEqual(workspace.ruleSet("china")?.fixtures.map(\.id.value), ["changzhou", "haikou"])
    }

    func testAWrongExpectationFails() throws {
        var files = try FixtureWorkspace.inputs()
        let fleet = try XCTUnwrap(files["Rules/china/fleet.yaml"])
        files["Rules/china/fleet.yaml"] = fleet.replacingOccurrences(
            of: "      city.ev_stock: 25800\n", with: "      city.ev_stock: 25801\n")
        XCTAssertNotEqual(files["Rules/china/fleet.yaml"], fleet)
        let reports = try RuleTestRunner.run(Workspace.load(files: files))
        let result = try XCTUnwrap(reports.first?.results.first { $0.name == "fleet.base-year-takes-the-profile" })
        XCTAssertEqual(result.status, .fail)
        XCTAssertEqual(result.problems, ["city.ev_stock: expected 25801, got 25800"])
        XCTAssertEqual(result.mismatches.map(\.actual), [25800])
        XCTAssertTrue(result.isUpdatable)
        // The failure points at the scalar to rewrite.
        let lines = files["Rules/china/fleet.yaml"]?.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try XCTUnwrap(lines?.firstIndex { $0 == "      city.ev_stock: 25801" })
        XCTAssertEqual(result.failures.first?.position?.description, "Rules/china/fleet.yaml:\(line + 1):22")
    }

    func testGivenOverridesAndFindings() throws {
        let text = """
            tests:
              - name: t.headroom
                city: changzhou
                zone: changzhou-core
                year: 2019
                given: {zone.existing.public_dc: 0, zone.grid_headroom_kw: 3600}
                expect:
                  zone.units.public_dc.installed: 631
                  findings: [req.grid-peak, no.such-rule]
              - name: t.pending
                city: changzhou
                year: 2019
                todo: later
                expect: {city.ev_stock: 1}
            """
        let results = try results(files(adding: text))
        XCTAssertEqual(results.map(\.status), [.fail, .todo])
        XCTAssertEqual(results[0].problems, ["findings: expected 'no.such-rule' in 2019, got req.grid-peak"])
        XCTAssertEqual(results[0].findingsMismatch?.actual, ["req.grid-peak"])
        XCTAssertEqual(results[1].problems, ["city.ev_stock: expected 1, got 25800"])
    }

    /// A site rule's own findings (Changzhou's 2019 core: more DC units than its listed sites have room for) count
    /// only where a test lists that rule: `[]` means no requirement fails, and listing it checks it is there.
    func testSiteFindingsCountOnlyWhereListed() throws {
        let text = """
            tests:
              - name: t.none
                city: changzhou
                year: 2019
                expect: {findings: []}
              - name: t.site
                city: changzhou
                year: 2019
                expect: {findings: [site.public-dc]}
              - name: t.site-elsewhere
                city: changzhou
                year: 2019
                given: {params.coverage_radius_km: 500}
                expect: {findings: [site.public-dc, req.core-coverage]}
            """
        let results = try results(files(adding: text))
        XCTAssertEqual(results.map(\.status), [.pass, .pass, .fail])
        XCTAssertEqual(
            results[2].problems, ["findings: expected 'req.core-coverage' in 2019, got site.public-dc"])
    }

    /// A given derived fact is held at its value instead of derived; rules reading it see the given value.
    func testGivenDerivedFactsArePinned() throws {
        let text = """
            tests:
              - name: t.city-fact
                city: changzhou
                zone: changzhou-g42
                year: 2019
                given: {city.ev_stock: 30000}
                expect:
                  city.ev_stock: 30000
                  zone.highway_kwh_per_day: {value: 1090.1, tolerance: 0.1}   # 100,000 x 30,000 / 880,300 x 66.2 km x 0.151 x 0.032
              - name: t.zone-fact
                city: changzhou
                zone: changzhou-core
                year: 2019
                given: {zone.public_ac_kwh_per_day: 11760, zone.existing.public_ac: 0}
                expect:
                  zone.public_ac_kwh_per_day: 11760
                  zone.units.public_ac.demand: 1000   # 11,760 / (7 kW x 1.68 h)
              - name: t.bool-fact
                city: changzhou
                zone: changzhou-core
                year: 2019
                given: {zone.sparse: true}
                expect: {zone.sparse: 1}
            """
        for result in try results(files(adding: text)) {
            XCTAssertEqual(result.status, .pass, "\(result.name): \(result.problems)")
        }
    }

    /// Parameters (lists included), declared inputs of every type and scope (rollout too): all givable.
    func testGivenCoversParamsListsAndEveryInputType() throws {
        let text = """
            params:
              zz_shift_hours: {values: [8, 10, 12], unit: h}
            inputs:
              city:
                zz_depot: {type: bool, default: false}
                zz_label: {type: string, default: "none"}
                zz_depots: {type: int, min: 0, max: 9, default: 0}
              rollout:
                zz_share: {type: number, unit: share, min: 0, max: 1, default: 1.0}
            rules:
              - id: zz.shift
                for: city
                derive: zz_mean_shift
                value: "math.mean(params.zz_shift_hours)"
              - id: zz.depot
                for: city
                derive: zz_depot_units
                value: "(city.zz_depot ? 1.0 : 0.0) + double(city.zz_depots) + (city.zz_label == 'x' ? 10.0 : 0.0)"
              - id: zz.share
                for: city
                derive: zz_served
                value: "rollout.zz_share * 100.0"
            tests:
              - name: t.defaults
                city: changzhou
                year: 2019
                expect: {city.zz_mean_shift: 10, city.zz_depot_units: 0, city.zz_served: 100}
              - name: t.given
                city: changzhou
                year: 2019
                given:
                  params.zz_shift_hours: [6, 8]
                  city.zz_depot: true
                  city.zz_depots: 3
                  city.zz_label: x
                  rollout.zz_share: 0.25
                expect: {city.zz_mean_shift: 7, city.zz_depot_units: 14, city.zz_served: 25}
            """
        let results = try results(files(adding: text))
        XCTAssertEqual(results.count, 2)
        for result in results { XCTAssertEqual(result.status, .pass, "\(result.name): \(result.problems)") }
    }

    /// Every `given:` mistake is an error of the rule file at its key or value, when the rule set loads.
    func testGivenMistakesAreLoadErrorsAtTheirPosition() throws {
        let cases: [(given: String, zone: Bool, at: String, message: String, hint: String?)] = [
            (
                "city.vehicles.stok: 1", false, "city.vehicles.stok",
                "given 'city.vehicles.stok' is no input, fact or parameter of the rule set",
                "did you mean 'city.vehicles.stock'?"
            ),
            (
                "city.colour: 1", false, "city.colour",
                "given 'city.colour' is no input, fact or parameter of the rule set",
                "a given path is params.<name>, city.<input or fact>, zone.<input or fact>, rollout.<input>, "
                    + "city.existing.<unit>, zone.existing.<unit>, zone.population or zone.area_km2"
            ),
            (
                "zone.grid_headroom_kw: 1", false, "zone.grid_headroom_kw",
                "given 'zone.grid_headroom_kw' sets a zone value, but the test names no zone", "add zone: <zone id>"
            ),
            (
                "city.home_parking_share: 1.5", false, "1.5", "1.5 is out of range 0…1",
                "home_parking_share is in share"
            ),
            ("city.home_parking_share: 1", false, "", "", nil),
            (
                "city.vehicles.annual_sales: {2019: 1}", false, "{2019",
                "a given value holds in every year: give one number, not a series", nil
            ),
            ("params.kwh_per_km_2019: [1, 2]", false, "[1", "expected a number, found a list", nil),
            ("zone.sparse: maybe", true, "maybe", "expected true or false (or 1 / 0), found 'maybe'", nil),
            (
                "zone.existing.public_dcc: 0", true, "zone.existing.public_dcc",
                "given 'zone.existing.public_dcc' is no input, fact or parameter of the rule set",
                "did you mean 'zone.existing.public_dc'?"
            ),
        ]
        for (given, zone, at, message, hint) in cases {
            try assertLoad(section: "given", entry: given, zone: zone, at: at, message: message, hint: hint)
        }
    }

    /// Loads one test whose `section:` holds `entry` (with a zone: or not): it loads when `message` is empty, else
    /// fails with exactly that one error at `at`.
    private func assertLoad(
        section: String, entry: String, zone: Bool, at: String, message: String, hint: String?,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let text = """
            tests:
              - name: t.case
                city: changzhou
            \(zone ? "    zone: changzhou-core\n" : "")    year: 2019
                \(section):
                  \(entry)
            """
        let files = try files(adding: text)
        if message.isEmpty {
            XCTAssertNoThrow(try Workspace.load(files: files), entry, file: file, line: line)
            return
        }
        let error = try loadError(files, file: file, line: line)
        XCTAssertEqual(error.message, message, entry, file: file, line: line)
        XCTAssertEqual(error.hint, hint, entry, file: file, line: line)
        XCTAssertEqual(error.position?.description, position(of: at, in: text), entry, file: file, line: line)
    }

    func testGivenAListParamTakesAList() throws {
        let text = """
            params:
              shift_hours: {values: [8, 10, 12], unit: h}
            tests:
              - name: t.list-param
                city: changzhou
                year: 2019
                given: {params.shift_hours: 9}
            """
        let error = try loadError(files(adding: text, as: "Rules/china/zz-list.yaml"))
        XCTAssertEqual(
            error.message,
            "'params.shift_hours' is a list parameter: give a list of numbers, e.g. [8, 10, 12]")
        XCTAssertEqual(error.position?.description, "Rules/china/zz-list.yaml:7:33")
        let empty = text.replacingOccurrences(of: "params.shift_hours: 9", with: "params.shift_hours: []")
        XCTAssertEqual(
            try loadError(files(adding: empty, as: "Rules/china/zz-list.yaml")).message,
            "'params.shift_hours' needs at least one number")
    }

    /// `expect:` paths are checked against the rule set too: facts, unit counts, coverage.
    func testExpectMistakesAreLoadErrors() throws {
        let cases: [(expect: String, zone: Bool, message: String, hint: String?)] = [
            (
                "zone.privat_evs: 1", true,
                "expect 'zone.privat_evs' is no fact, unit count or coverage of the rule set",
                "did you mean 'zone.private_evs'?"
            ),
            (
                "zone.units.public_dc.instaled: 1", true,
                "expect 'zone.units.public_dc.instaled' is no fact, unit count or coverage of the rule set",
                "did you mean 'zone.units.public_dc.installed'?"
            ),
            (
                "zone.private_evs: 1", false, "expect 'zone.private_evs' reads a zone, but the test names no zone",
                "add zone: <zone id>"
            ),
            ("city.units.public_dc.capex_cny: 1", false, "", nil),
            ("zone.coverage.public_dc: {value: 1, tolerance: 0.1}", true, "", nil),
        ]
        for (expect, zone, message, hint) in cases {
            let key = String(expect.prefix { $0 != ":" })
            try assertLoad(section: "expect", entry: expect, zone: zone, at: key, message: message, hint: hint)
        }
    }

    /// A test's city is a fixture of the rule set or inline; its zone and year are checked against that city.
    func testCityZoneAndYearAreCheckedAgainstTheFixture() throws {
        let cases: [(test: String, at: String, message: String, hint: String?)] = [
            (
                "city: changzou\n    year: 2019", "changzou", "no fixture city 'changzou' in rule set 'china'",
                "did you mean 'changzhou'?"
            ),
            (
                "city: sanya\n    year: 2019", "sanya", "no fixture city 'sanya' in rule set 'china'",
                "rule tests plan Rules/china/tests/fixtures/<id>.yaml or an inline city: {id: …, zones: […]}; "
                    + "fixtures: changzhou, haikou"
            ),
            (
                "city: changzhou\n    zone: changzhou-cor\n    year: 2019", "changzhou-cor",
                "city 'changzhou' has no zone 'changzhou-cor'", "did you mean 'changzhou-core'?"
            ),
            (
                "city: changzhou\n    year: 2018", "2018",
                "year 2018 is before the base year 2019 of city 'changzhou'", nil
            ),
            ("city: changzhou\n    year: 2019", "", "", nil),
        ]
        for (test, at, message, hint) in cases {
            let text = "tests:\n  - name: t.case\n    \(test)\n"
            let files = try files(adding: text)
            if message.isEmpty {
                XCTAssertNoThrow(try Workspace.load(files: files), test)
                continue
            }
            let error = try loadError(files)
            XCTAssertEqual(error.message, message, test)
            XCTAssertEqual(error.hint, hint, test)
            XCTAssertEqual(error.position?.description, position(of: at, in: text), test)
        }
    }

    static let inlineCity = """
        tests:
          - name: t.inline
            city:
              id: tinytown
              name: Tinytown
              province: Test
              base_year: 2019
              population: 100000
              area_km2: 100
              vehicles: {stock: 20000, ev_stock: 1000, annual_sales: 2000, ev_sales_share: 0.1,
                         ride_hailing_evs: 100, scrappage_rate: 0.03}
              home_parking_share: 0.5
              zones:
                - {id: tinytown-core, kind: urban_core, population: 100000, area_km2: 100, centre: [30.0, 120.0],
                   grid_headroom_kw: 5000}
            zone: tinytown-core
            year: 2019
            expect:
              city.ev_stock: 1000              # the profile's, in the base year
              city.private_evs: 550            # 1,000 x the default 0.55 owned by households
              zone.private_evs: 550            # the only zone: all of it
        """

    func testAnInlineCityIsPlannedAsWritten() throws {
        let results = try results(files(adding: Self.inlineCity))
        XCTAssertEqual(results.map(\.status), [.pass], "\(results.map(\.problems))")
    }

    /// An inline city is read against the rule set's declarations, errors at their place in the rule file.
    func testAnInlineCityIsCheckedLikeAProfile() throws {
        let mistakes: [(old: String, new: String, at: String, message: String)] = [
            (
                "home_parking_share: 0.5", "home_parking_shar: 0.5", "home_parking_shar",
                "unknown key 'home_parking_shar'"
            ),
            ("kind: urban_core", "kind: downtown", "downtown", "unknown zone kind 'downtown'"),
            (
                "grid_headroom_kw: 5000}", "grid_headroom_kw: 5000, existing_chargers: {fastt: 1}}", "fastt",
                "unknown unit type 'fastt' in zone 'tinytown-core' existing_chargers (rule set 'china')"
            ),
            ("id: tinytown\n", "id: Tiny Town\n", "Tiny Town", "invalid city id 'Tiny Town'"),
        ]
        for (old, new, at, message) in mistakes {
            let text = Self.inlineCity.replacingOccurrences(of: old, with: new)
            XCTAssertNotEqual(text, Self.inlineCity, old)
            XCTAssertThrowsError(try Workspace.load(files: files(adding: text))) { error in
                let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
                let found = diagnostics.first { $0.message.hasPrefix(message) }
                XCTAssertEqual(found?.position?.description, position(of: at, in: text), "\(message): \(diagnostics)")
            }
        }
    }

    /// A fixture is a profile of its rule set: checked like one, at its own path, and named as its file.
    func testFixturesAreCheckedAgainstTheirRuleSet() throws {
        let fixture = try FixtureWorkspace.read("Rules/china/tests/fixtures/changzhou.yaml")
        let path = "Rules/china/tests/fixtures/changzhou.yaml"
        var files = try FixtureWorkspace.inputs()
        files[path] = fixture.replacingOccurrences(of: "home_parking_share: 0.78", with: "home_parking_share: 1.78")
        let range = try loadError(files)
        XCTAssertEqual(range.message, "1.78 is out of range 0…1")
        XCTAssertEqual(range.position?.description, position(of: "1.78", in: files[path] ?? "", file: path))
        files = try FixtureWorkspace.inputs()
        files["Rules/china/tests/fixtures/other.yaml"] = fixture
        let renamed = try loadError(files)
        XCTAssertEqual(renamed.message, "fixture id 'changzhou' differs from its file name 'other'")
        XCTAssertEqual(renamed.position?.file, "Rules/china/tests/fixtures/other.yaml")
    }

    /// `given:` sets a declared input of any scope by its dotted name: a zone input in the test's zone, a city input
    /// in the city profile.
    func testGivenSetsAnyDeclaredInput() throws {
        var files = Fixture.files
        files["Rules/basic/trips.yaml"] = "inputs:\n  zone:\n    avg_trip_km: {type: number, min: 0, default: 12.0}\n"
        files["Rules/basic/tests/fixtures/testville.yaml"] = Fixture.city.replacingOccurrences(
            of: "    grid_headroom_kw: 3600\n", with: "    grid_headroom_kw: 3600\n    avg_trip_km: 20\n")
        files["Rules/basic/zz-tests.yaml"] = """
            tests:
              - name: t.given
                city: testville
                zone: tv-core
                year: 2020
                given: {zone.avg_trip_km: 30, city.vehicles.annual_sales: 1}

            """
        let set = try XCTUnwrap(try Workspace.load(files: files).ruleSet("basic"))
        let test = try XCTUnwrap(set.tests.first)
        var city = try XCTUnwrap(set.fixture("testville"))
        XCTAssertEqual(city.zones[0].inputs["avg_trip_km"], .number(20))
        XCTAssertEqual(city.inputs["vehicles.annual_sales"], .number(20000))
        var ruleSet = set
        var rollout = InputValues()
        var pins: [String: CELValue] = [:]
        for given in test.given {
            RuleTestRunner.apply(given, to: &city, zoneIndex: 0, ruleSet: &ruleSet, rollout: &rollout, pins: &pins)
        }
        XCTAssertEqual(city.zones[0].inputs["avg_trip_km"], .number(30))
        XCTAssertEqual(city.inputs["vehicles.annual_sales"], .number(1))
    }
}
