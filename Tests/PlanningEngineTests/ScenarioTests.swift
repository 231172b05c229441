import TestSupport
import XCTest
@testable import PlanningEngine

/// `Scenarios/<id>.yaml`: overrides by path, checked when the workspace loads, applied as a transformation of
/// the loaded workspace (the planner never sees a scenario).
final class ScenarioTests: XCTestCase {
    /// The fixture with a rollout input, a list parameter and a city no rollout plans.
    static var files: [String: String] {
        var files = Fixture.files
        files["Rules/basic/rollout-inputs.yaml"] = RolloutInputsTests.declaration
        files["Rules/basic/lists.yaml"] = "params:\n  shift_hours: {values: [8, 10], unit: h}\n"
        files["Cities/lonely.yaml"] = Fixture.city.replacingOccurrences(of: "testville", with: "lonely")
            .replacingOccurrences(of: "tv-", with: "lv-")
        return files
    }

    static let busy = """
        id: busy
        name: Busy chargers
        rule_set: basic
        doc: A test scenario of every kind of override.
        overrides:
          params.fast_per_ev: {value: 0.02, doc: "twice the fast chargers", source: "test"}
          units.wallbox.capex_cny: {scale: 0.5, doc: "cheaper wallboxes", source: "test"}
          city.testville.home_parking_share: {value: {2020: 0.5, 2024: 0.9}, doc: "more parking", source: "test"}
          zone.tv-core.grid_headroom_kw: {value: 7200, doc: "reinforced", source: "test"}
          zone.*.grid_headroom_kw: {scale: {2022: 1, 2023: 2}, doc: "doubled from 2023", source: "test"}
          rollout.test-rollout.market_share: {value: 0.4, doc: "the operator's share", source: "test"}
          params.shift_hours: {value: [6, 7], doc: "shorter shifts", source: "test"}

        """

    static func files(scenario text: String, named name: String = "busy") -> [String: String] {
        var files = Self.files
        files["Scenarios/\(name).yaml"] = text
        return files
    }

    static func overlaid(_ text: String = busy, id: String = "busy") throws -> Workspace {
        try Workspace.load(files: files(scenario: text, named: id)).overlaid(scenario: id).workspace
    }

    func testEveryKindOfOverrideChangesTheWorkspace() throws {
        let workspace = try Self.overlaid()
        let set = try XCTUnwrap(workspace.ruleSet("basic"))
        XCTAssertEqual(set.params.first { $0.name.value == "fast_per_ev" }?.value, 0.02)
        XCTAssertEqual(set.params.first { $0.name.value == "radius_km" }?.value, 5.0, "untouched")
        XCTAssertEqual(set.params.first { $0.name.value == "shift_hours" }?.values, [6, 7])
        XCTAssertEqual(set.unit("wallbox")?.capex, 2500)
        XCTAssertEqual(set.unit("fast")?.capex, 360_000, "untouched")
        let city = try XCTUnwrap(workspace.city("testville"))
        XCTAssertEqual(
            city.inputs["home_parking_share"],
            .series([SeriesPoint(year: 2020, value: 0.5), SeriesPoint(year: 2024, value: 0.9)]))
        XCTAssertEqual(city.inputs["vehicles.stock"], .number(200_000), "untouched")
        XCTAssertEqual(workspace.rollout("test-rollout")?.inputs["market_share"], .number(0.4))
        // `*` first, then the zone by id, whatever the file order.
        XCTAssertEqual(city.zones[0].inputs["grid_headroom_kw"], .number(7200))
        XCTAssertEqual(
            city.zones[1].inputs["grid_headroom_kw"],
            .series([SeriesPoint(year: 2022, value: 720), SeriesPoint(year: 2023, value: 1440)]))
        XCTAssertEqual(workspace.city("lonely")?.inputs["home_parking_share"], .number(0.5), "not in the rollout")
        let original = try Workspace.load(files: Self.files(scenario: Self.busy))
        XCTAssertEqual(
            original.ruleSet("basic")?.params.first { $0.name.value == "fast_per_ev" }?.value, 0.01,
            "the loaded workspace stays as it was")
    }

    func testAFactorSeriesIsExactInEveryYear() throws {
        let rural = try XCTUnwrap(Self.overlaid().city("testville")?.zones[1].inputs["grid_headroom_kw"])
        let years = [2019: 720.0, 2020: 720, 2022: 720, 2023: 1440, 2024: 1440, 2030: 1440]
        for (year, expected) in years {
            XCTAssertEqual(rural.resolved(in: year, between: .linear), .number(expected), "\(year)")
        }
        // A series times a factor series: every year between the first and last listed, exactly.
        let scaled = Overlay.scaled(
            .series([SeriesPoint(year: 2020, value: 100), SeriesPoint(year: 2024, value: 500)]),
            by: .series([SeriesPoint(year: 2022, value: 1), SeriesPoint(year: 2023, value: 3)]),
            between: .linear)
        XCTAssertEqual(
            scaled,
            .series([
                SeriesPoint(year: 2020, value: 100), SeriesPoint(year: 2021, value: 200),
                SeriesPoint(year: 2022, value: 300),
                SeriesPoint(year: 2023, value: 1200), SeriesPoint(year: 2024, value: 1500),
            ]))
        let stepped = Overlay.scaled(
            .series([SeriesPoint(year: 2020, value: 100), SeriesPoint(year: 2022, value: 500)]),
            by: .series([SeriesPoint(year: 2021, value: 2)]), between: .step)
        XCTAssertEqual(
            stepped,
            .series([
                SeriesPoint(year: 2020, value: 200), SeriesPoint(year: 2021, value: 200),
                SeriesPoint(year: 2022, value: 1000),
            ]))
    }

    func testTheScenarioReachesThePlanAndItsInputs() throws {
        let workspace = try Self.overlaid()
        let plan = try RolloutPlanner.plan(try XCTUnwrap(workspace.rollout("test-rollout")), in: workspace)
        let city = try XCTUnwrap(plan.cities.first)
        let hash = SHA256.hex(Self.busy.utf8)
        XCTAssertTrue(city.inputs.contains(InputHash(path: "Scenarios/busy.yaml", sha256: hash)), "\(city.inputs)")
        XCTAssertTrue(plan.inputs.contains(InputHash(path: "Scenarios/busy.yaml", sha256: hash)))
        XCTAssertEqual(city.inputs.map(\.path), city.inputs.map(\.path).sorted())
        for zone in city.zoneYears {
            let wallbox = try XCTUnwrap(zone.units.first { $0.unit == "wallbox" })
            XCTAssertEqual(wallbox.capex, Double(wallbox.new) * 2500, "\(zone.zone) \(zone.year)")
            let share = try XCTUnwrap(
                city.cityYears.first { $0.year == zone.year }?.facts.first { $0.name == "served_share" })
            XCTAssertEqual(share.value, .number(0.4, precision: 4))
        }
        let baseline = try Fixture.plan(Self.files)
        XCTAssertFalse(baseline.cities[0].inputs.contains { $0.path.hasPrefix("Scenarios/") })
        XCTAssertNotEqual(baseline.cities[0].zoneYears, city.zoneYears)
    }

    func testBaselineIsTheWorkspaceAsItIsAndAnUnknownIdIsNamed() throws {
        let workspace = try Workspace.load(files: Self.files(scenario: Self.busy))
        let baseline = try workspace.overlaid(scenario: "baseline")
        XCTAssertNil(baseline.scenario)
        XCTAssertEqual(
            baseline.workspace.ruleSet("basic")?.fileHashes.map(\.file),
            workspace.ruleSet("basic")?.fileHashes.map(\.file))
        XCTAssertThrowsError(try workspace.overlaid(scenario: "bussy")) { error in
            let diagnostic = (error as? DiagnosticsError)?.diagnostics.first
            XCTAssertEqual(diagnostic?.message, "no scenario named 'bussy'")
            XCTAssertEqual(diagnostic?.hint, "did you mean 'busy'?")
        }
    }

    // MARK: errors at their positions

    /// The diagnostics of a scenario holding one override line (`entry`), or the whole file when it has an `id:`.
    private func problems(_ entry: String, file: String = "bad") -> (text: String, diagnostics: [Diagnostic]) {
        let text =
            entry.hasPrefix("id:")
            ? entry
            : """
            id: bad
            name: Bad
            rule_set: basic
            overrides:
              \(entry)

            """
        return (text, Fixture.diagnostics(Self.files(scenario: text, named: file)))
    }

    private func assertError(
        _ entry: String, _ message: String, at anchor: String, hint: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let (text, diagnostics) = problems(entry)
        let expected = Fixture.position(of: anchor, in: text, file: "Scenarios/bad.yaml")
        XCTAssertTrue(
            diagnostics.contains {
                "\($0.position.map(String.init(describing:)) ?? "")" == expected
                    && $0.message == message && (hint == nil || $0.hint == hint)
            },
            "expected \(expected ?? "?"): \(message) [\(hint ?? "")], got \(diagnostics)", file: file, line: line)
    }

    private func assertLoads(_ entry: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(problems(entry).diagnostics, [], entry, file: file, line: line)
    }

    func testUnknownPathsAreErrorsWithADidYouMean() {
        let rest = "{value: 1, doc: d, source: s}"
        assertError(
            "parms.fast_per_ev: \(rest)", "unknown path 'parms.fast_per_ev'", at: "parms",
            hint: "did you mean 'params'?")
        assertError(
            "params.fast_per_eve: \(rest)", "unknown parameter 'fast_per_eve' in rule set 'basic'",
            at: "params.", hint: "did you mean 'fast_per_ev'?")
        assertError(
            "units.fats.capex_cny: \(rest)", "unknown unit 'fats' in rule set 'basic'", at: "units.",
            hint: "did you mean 'fast'?")
        assertError("units.fast.capex_usd: \(rest)", "unknown unit field 'capex_usd' in unit 'fast'", at: "units.")
        assertError(
            "city.testvile.home_parking_share: \(rest)",
            "unknown city 'testvile' in the rollouts of rule set 'basic'", at: "city.",
            hint: "did you mean 'testville'?")
        assertError(
            "city.lonely.home_parking_share: \(rest)", "city 'lonely' is a member of no rollout of rule set 'basic'",
            at: "city.")
        assertError(
            "zone.tv-cor.grid_headroom_kw: \(rest)", "unknown zone 'tv-cor' in the rollouts of rule set 'basic'",
            at: "zone.", hint: "did you mean 'tv-core'?")
        assertError(
            "rollout.test-rolout.market_share: \(rest)",
            "unknown rollout 'test-rolout' in the rollouts of rule set 'basic'", at: "rollout.",
            hint: "did you mean 'test-rollout'?")
        assertError(
            "zone.*.population: \(rest)",
            "'population' of a zone is the engine's own field, not an input an overlay can change", at: "zone.")
        assertError(
            "city.*.home_parking_shar: \(rest)", "unknown city input 'home_parking_shar' in rule set 'basic'",
            at: "city.", hint: "did you mean 'home_parking_share'?")
        assertError(
            "params.fast_per_ev.x: \(rest)", "'params.fast_per_ev.x': a parameter is params.<name>", at: "params")
        assertError("city..home_parking_share: \(rest)", "'city..home_parking_share' has an empty part", at: "city")
    }

    func testValuesAreHeldToWhatTheyReplace() {
        assertLoads("city.testville.home_parking_share: {value: 1, doc: d, source: s}")
        assertError(
            "city.testville.home_parking_share: {value: 1.0000001, doc: d, source: s}",
            "1.0000001 is out of range 0…1", at: "1.0000001")
        assertError(
            "city.testville.home_parking_share: {value: {2020: 0.5, 2024: 1.2}, doc: d, source: s}",
            "1.2 is out of range 0…1", at: "1.2")
        assertError(
            "params.shift_hours: {value: 6, doc: d, source: s}",
            "'shift_hours' is a list parameter: give a non-empty list of numbers", at: "6,")
        assertError(
            "params.fast_per_ev: {value: [1, 2], doc: d, source: s}", "expected a number, found a list",
            at: "[1")
        assertLoads("units.fast.ports_per_site: {value: 10000, doc: d, source: s}")
        assertError(
            "units.fast.ports_per_site: {value: 4.5, doc: d, source: s}",
            "ports_per_site is a whole number, found 4.5", at: "4.5")
        assertError(
            "units.fast.power_kw: {value: 1000001, doc: d, source: s}", "1000001 is out of range 0…1000000",
            at: "1000001")
        assertError(
            "units.fast.ports_per_site: {scale: 2, doc: d, source: s}",
            "ports_per_site is a whole number: give value:, not scale:", at: "2,")
        assertError(
            "params.fast_per_ev: {scale: {2020: 2}, doc: d, source: s}",
            "a parameter or unit field is one number in every year: give one factor, not a series", at: "{2020")
        assertError(
            "city.testville.home_parking_share: {scale: -1, doc: d, source: s}",
            "-1 is below the minimum 0", at: "-1")
        assertError(
            "city.testville.home_parking_share: {value: 0.5, scale: 2, doc: d, source: s}",
            "an override has value or scale, not both", at: "2,")
        assertError(
            "city.testville.home_parking_share: {doc: d, source: s}",
            "missing required key 'value' (or 'scale')", at: "{doc")
        assertError(
            "city.testville.home_parking_share: {value: 0.5, source: s}", "missing required key 'doc'",
            at: "{value")
        assertError(
            "city.testville.home_parking_share: {value: 0.5, doc: \" \", source: s}", "'doc' is empty",
            at: "\" \"")
        assertError(
            "city.testville.home_parking_share: {value: 0.5, doc: d, source: s, why: x}", "unknown key 'why'",
            at: "why")
    }

    func testResultsOutsideABoundAreErrorsAtTheOverride() {
        // home_parking_share is 0.5: a factor of 2 reaches the maximum exactly.
        assertLoads("city.*.home_parking_share: {scale: 2, doc: d, source: s}")
        // A unit field's result is held to the catalogue's range: 360 kW × 2777.77… is 1e6 kW, the most.
        assertLoads("units.fast.power_kw: {scale: 2777, doc: d, source: s}")
        assertError(
            "units.fast.power_kw: {scale: 2778, doc: d, source: s}", "360 × 2778 is out of range 0…1000000",
            at: "2778")
        assertError(
            "params.radius_km: {scale: 1e308, doc: d, source: s}", "5 × 1e308 is not a finite number", at: "1e308")
        assertError(
            "city.*.home_parking_share: {scale: 2.0000002, doc: d, source: s}",
            "city 'testville': home_parking_share = 1.0000001 is out of range 0…1", at: "2.0000002")
        assertError(
            "zone.*.grid_headroom_kw: {scale: 1e7, doc: d, source: s}",
            "zone 'tv-core' (and 1 more): grid_headroom_kw = 36000000000 is out of range 0…1000000000", at: "1e7")
        // vehicles.ev_stock (10000) may not exceed vehicles.stock.
        assertLoads("city.testville.vehicles.stock: {value: 10000, doc: d, source: s}")
        assertError(
            "city.testville.vehicles.stock: {value: 9999, doc: d, source: s}",
            "city 'testville': vehicles.ev_stock is above vehicles.stock (10000 > 9999)", at: "9999")
        assertError(
            "city.*.vehicles.ev_stock: {scale: {2020: 1, 2030: 21}, doc: d, source: s}",
            "city 'testville': vehicles.ev_stock is above vehicles.stock in 2030 (210000 > 200000)", at: "{2020")
    }

    func testTheScenarioFileItself() {
        let body = "name: X\nrule_set: basic\noverrides: {}\n"
        let (_, reserved) = problems("id: baseline\n" + body, file: "baseline")
        XCTAssertEqual(
            reserved.map(\.message),
            ["the scenario id 'baseline' is reserved: it names the model without an overlay"])
        let (_, renamed) = problems("id: other\n" + body)
        XCTAssertEqual(renamed.map(\.message), ["scenario id 'other' differs from its file name 'bad'"])
        let (_, unknownSet) = problems("id: bad\nname: X\nrule_set: basik\n")
        XCTAssertEqual(unknownSet.map(\.message), ["unknown rule set 'basik'"])
        XCTAssertEqual(unknownSet.first?.hint, "did you mean 'basic'?")
        let (_, unknownKey) = problems("id: bad\nname: X\nrule_set: basic\noverride: {}\n")
        XCTAssertEqual(unknownKey.map(\.message), ["unknown key 'override'"])
        XCTAssertEqual(unknownKey.first?.hint, "did you mean 'overrides'?")
        let (_, badID) = problems("id: Bad\nname: X\nrule_set: basic\n")
        XCTAssertEqual(badID.first?.message.hasPrefix("invalid scenario id 'Bad'"), true, "\(badID)")
    }

    func testARolloutMayNotTakeTheScenarioFolderName() {
        var files = Fixture.files
        files["Cities/rollouts/scenarios.yaml"] = Fixture.rollout.replacingOccurrences(
            of: "id: test-rollout",
            with: "id: scenarios")
        let diagnostics = Fixture.diagnostics(files)
        XCTAssertTrue(
            diagnostics.contains { $0.message.hasPrefix("the rollout id 'scenarios' is reserved") },
            "\(diagnostics)")
    }

    // MARK: uncertain

    private func uncertain(
        _ entries: String, inRuleSet: Bool = true
    ) throws -> (entries: [UncertainEntry], diagnostics: [Diagnostic]) {
        var files = Self.files
        if inRuleSet {
            files["Rules/basic/uncertainty.yaml"] = "uncertain:\n" + entries
        } else {
            files["Scenarios/unsure.yaml"] = "id: unsure\nname: Unsure\nrule_set: basic\nuncertain:\n" + entries
        }
        do {
            let workspace = try Workspace.load(files: files)
            return (
                (inRuleSet ? workspace.ruleSet("basic")?.uncertain : workspace.scenario("unsure")?.uncertain) ?? [], []
            )
        } catch {
            return ([], error.diagnostics)
        }
    }

    func testUncertainNumbersAreTruncatedAtTheirBounds() throws {
        let (entries, diagnostics) = try uncertain(
            """
              params.fast_per_ev: {dist: triangular, min: 0.005, mode: 0.01, max: 0.02, doc: d, source: s}
              city.*.home_parking_share: {dist: normal, mean: 0.5, sd: 0.3, doc: d, source: s}
              city.*.vehicles.scrappage_rate: {dist: normal, mean: 0.05, sd: 0.1, min: 0.01, max: 2, doc: d, source: s}
              zone.*.grid_headroom_kw: {dist: lognormal, median: 1, sigma: 0.2, as: scale, doc: d, source: s}
              units.fast.capex_cny: {dist: uniform, min: 300000, max: 400000, doc: d, source: s}

            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(
            entries.map(\.path.value),
            [
                "params.fast_per_ev", "city.*.home_parking_share",
                "city.*.vehicles.scrappage_rate", "zone.*.grid_headroom_kw",
                "units.fast.capex_cny",
            ])
        XCTAssertEqual(entries.map(\.lower), [0.005, 0, 0.01, 0, 300_000])
        XCTAssertEqual(entries.map(\.upper), [0.02, 1, 1, .infinity, 400_000])
        XCTAssertEqual(entries.map(\.use), [.value, .value, .value, .scale, .value])
        XCTAssertEqual(entries[0].distribution, .triangular(min: 0.005, mode: 0.01, max: 0.02))
        XCTAssertEqual(entries[0].target, .param("fast_per_ev"))
        XCTAssertEqual(entries[3].target, .input(.zone, id: nil, name: "grid_headroom_kw"))
        let scenario = try uncertain(
            "  city.testville.home_parking_share: {dist: uniform, min: 0.4, max: 0.6, doc: d, source: s}\n",
            inRuleSet: false)
        XCTAssertEqual(scenario.diagnostics, [])
        XCTAssertEqual(scenario.entries.first?.target, .input(.city, id: "testville", name: "home_parking_share"))
    }

    func testUncertainMistakes() throws {
        let cases: [(entry: String, message: String)] = [
            (
                "city.testville.home_parking_share: {dist: uniform, min: 0.4, max: 0.6, doc: d, source: s}",
                "a rule set names no city: write city.*.home_parking_share"
            ),
            (
                "params.fast_per_ev: {dist: triangular, min: 0.005, mode: 0.03, max: 0.02, doc: d, source: s}",
                "a triangular distribution needs min ≤ mode ≤ max and min < max"
            ),
            (
                "params.fast_per_ev: {dist: uniform, min: 0.02, max: 0.02, doc: d, source: s}",
                "a uniform distribution needs min < max"
            ),
            (
                "params.fast_per_ev: {dist: normal, mean: 0.02, sd: 0, doc: d, source: s}",
                "a normal distribution needs sd > 0"
            ),
            (
                "params.fast_per_ev: {dist: lognormal, median: 0, sigma: 1, doc: d, source: s}",
                "a lognormal needs median > 0 and sigma > 0"
            ),
            (
                "params.fast_per_ev: {dist: triangle, min: 0, mode: 1, max: 2, doc: d, source: s}",
                "unknown distribution 'triangle'"
            ),
            ("params.fast_per_ev: {dist: uniform, min: 0, max: 1, mode: 0.5, doc: d, source: s}", "unknown key 'mode'"),
            (
                "params.fast_per_ev: {dist: uniform, min: 0, max: 1, as: factor, doc: d, source: s}",
                "unknown use 'factor'"
            ),
            (
                "city.*.home_parking_share: {dist: uniform, min: 2, max: 3, doc: d, source: s}",
                "the uniform distribution has no probability within the bounds 2…1"
            ),
            (
                "city.*.home_parking_share: {dist: normal, mean: 100, sd: 1, doc: d, source: s}",
                "the normal distribution has no probability within the bounds 0…1"
            ),
            (
                "params.shift_hours: {dist: uniform, min: 1, max: 2, doc: d, source: s}",
                "'shift_hours' is a list parameter: it can only be scaled (as: scale)"
            ),
            (
                "units.fast.ports_per_site: {dist: uniform, min: 1, max: 2, doc: d, source: s}",
                "ports_per_site is a whole number: it cannot be drawn"
            ),
            ("params.fast_per_ev: {dist: uniform, min: 0, max: 1, doc: d}", "missing required key 'source'"),
        ]
        for (entry, message) in cases {
            let (_, diagnostics) = try uncertain("  " + entry + "\n")
            XCTAssertTrue(diagnostics.contains { $0.message == message }, "\(entry): \(diagnostics)")
            XCTAssertTrue(
                diagnostics.allSatisfy { $0.position?.file == "Rules/basic/uncertainty.yaml" }, "\(diagnostics)")
        }
        var files = Self.files
        let entry = "uncertain:\n  params.fast_per_ev: {dist: uniform, min: 0, max: 1, doc: d, source: s}\n"
        files["Rules/basic/u1.yaml"] = entry
        files["Rules/basic/u2.yaml"] = entry
        XCTAssertTrue(
            Fixture.diagnostics(files).contains {
                $0.message.hasPrefix("duplicate uncertain path 'params.fast_per_ev'")
                    && $0.position?.file == "Rules/basic/u2.yaml"
            })
    }

    func testParameterBounds() {
        func load(_ param: String) -> [String] {
            Fixture.diagnostics(Fixture.files(replacing: "Rules/basic/lists.yaml", with: "params:\n  p: \(param)\n"))
                .map(\.message)
        }
        XCTAssertEqual(load("{value: 1, min: 0, max: 1}"), [])
        XCTAssertEqual(load("{value: 1.5, min: 0, max: 1}"), ["1.5 is out of range 0…1"])
        XCTAssertEqual(load("{value: -1, min: 0}"), ["-1 is below the minimum 0"])
        XCTAssertEqual(load("{values: [1, 3], max: 2}"), ["3 is above the maximum 2"])
        XCTAssertEqual(load("{value: 1, min: 2, max: 1}"), ["min 2 is above max 1"])
        let files = Self.files(
            scenario: """
                id: bad
                name: Bad
                rule_set: basic
                overrides:
                  params.p: {value: 2, doc: d, source: s}

                """, named: "bad"
        ).merging(["Rules/basic/lists.yaml": "params:\n  p: {value: 1, max: 1.5}\n"]) { $1 }
        XCTAssertEqual(Fixture.diagnostics(files).map(\.message), ["2 is above the maximum 1.5"])
    }
}
