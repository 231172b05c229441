import TestSupport
import CEL
import XCTest
@testable import PlanningEngine

final class ExplanationTests: XCTestCase {
    private func planner() throws -> CityPlanner {
        let workspace = try Workspace.load(files: Fixture.files)
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let rules = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        return CityPlanner(
            rules: rules, city: try XCTUnwrap(workspace.city("testville")), rollout: rollout, joins: 2020)
    }

    private func all(_ node: Explanation.Node) -> [Explanation.Node] { [node] + node.children.flatMap(all) }

    func testUnitTreeNamesAddCapAndInputsWithValues() throws {
        let explanation = try planner().explain(zone: "tv-rural", year: 2024, unit: "fast")
        let root = try XCTUnwrap(explanation.roots.first)
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        let record = try XCTUnwrap(
            plan.zoneYears.first { $0.zone == "tv-rural" && $0.year == 2024 }?.units.first { $0.unit == "fast" })
        XCTAssertEqual(root.value, .int(Int64(record.installed)))
        let nodes = all(root)
        let add = try XCTUnwrap(nodes.first { $0.rule == "mix.fast" })
        XCTAssertEqual(add.expression, "zone.ev_stock * params.fast_per_ev")
        XCTAssertEqual(add.position?.description, "Rules/basic/rules.yaml:23:9")
        XCTAssertEqual(nodes.first { $0.label == "params.fast_per_ev" }?.value, .double(0.01))
        // The zone's EVs trace back to the fleet rule and the population share.
        XCTAssertTrue(nodes.contains { $0.label == "city.ev_stock" && $0.rule == "fleet.stock" })
        XCTAssertTrue(nodes.contains { $0.label == "zone.population_share" && $0.value == .double(0.4) })
        if record.unmet > 0 { XCTAssertTrue(nodes.contains { $0.rule == "caps.grid" && $0.note == "this cap bound" }) }
    }

    func testPreviousYearIsNamedNotExpanded() throws {
        let explanation = try planner().explain(zone: "tv-core", year: 2022, fact: "city.ev_stock")
        let root = try XCTUnwrap(explanation.roots.first)
        let prev = try XCTUnwrap(root.children.first { $0.label == "prev.city.ev_stock" })
        XCTAssertTrue(prev.children.isEmpty)
        XCTAssertEqual(prev.note, "last year's value; explain --year 2021 to expand")
    }

    func testUnknownZoneIsADiagnostic() throws {
        XCTAssertThrowsError(try planner().explain(zone: "nowhere", year: 2022)) { error in
            XCTAssertTrue((error as? DiagnosticsError)?.description.contains("has no zone 'nowhere'") ?? false)
        }
    }

    /// A city fact needs no zone; its reads are labelled by where they come from.
    func testACityFactIsExplainedWithoutAZone() throws {
        let explanation = try planner().explain(zone: nil, year: 2022, fact: "ev_stock")
        XCTAssertNil(explanation.zone)
        let root = try XCTUnwrap(explanation.roots.first)
        XCTAssertEqual(root.label, "city.ev_stock")
        XCTAssertEqual(root.rule, "fleet.stock")
        let nodes = all(root)
        XCTAssertEqual(nodes.first { $0.label == "city.vehicles.scrappage_rate" }?.note, "from the profile")
        XCTAssertEqual(nodes.first { $0.label == "city.vehicles.annual_sales" }?.note, "from the profile")
        XCTAssertEqual(nodes.first { $0.label == "city.target_year" }?.note, "computed by the planner")
        XCTAssertEqual(nodes.first { $0.label == "city.target_ev_sales_share" }?.note, "computed by the planner")
    }

    /// Engine fields a profile gives are "from the profile"; what the planner works out, "computed by the planner".
    func testZoneReadsAreLabelledByOrigin() throws {
        let root = try XCTUnwrap(try planner().explain(zone: "tv-core", year: 2021, fact: "zone.ev_stock").roots.first)
        let nodes = all(root)
        XCTAssertEqual(nodes.first { $0.label == "zone.population_share" }?.note, "computed by the planner")
        let units = try XCTUnwrap(try planner().explain(zone: "tv-core", year: 2021, unit: "fast").roots.first)
        XCTAssertEqual(all(units).first { $0.label == "zone.grid_headroom_kw" }?.note, "from the profile")
        let notes = Set(
            (nodes + all(units)).compactMap(\.note)
                .filter { $0.hasPrefix("from") || $0.hasPrefix("computed") })
        XCTAssertEqual(notes, ["from the profile", "computed by the planner"])
    }

    func testWithoutAZoneOnlyCityFacts() throws {
        let cases: [(String?, String?, String)] = [
            (nil, "zone.ev_stock", "'zone.ev_stock' is not a city fact: give --zone"),
            ("fast", nil, "units are planned per zone: give --zone"),
            (nil, nil, "units are planned per zone: give --zone"),
        ]
        for (unit, fact, message) in cases {
            XCTAssertThrowsError(try planner().explain(zone: nil, year: 2022, unit: unit, fact: fact)) { error in
                XCTAssertEqual((error as? DiagnosticsError)?.diagnostics.first?.message, message)
            }
        }
        XCTAssertThrowsError(try planner().explain(zone: nil, year: 2022, fact: "city.no_such")) { error in
            XCTAssertEqual(
                (error as? DiagnosticsError)?.diagnostics.first?.message,
                "no fact 'city.no_such' in testville in 2022")
        }
    }
}

/// `explain --scenario`: the overlaid values are explained as from the scenario, at the override that set them.
final class ScenarioExplanationTests: XCTestCase {
    private func explain(
        zone: String, unit: String? = nil, fact: String? = nil, scenario id: String = "busy"
    ) throws -> [Explanation.Node] {
        let (workspace, scenario) = try Workspace.load(files: ScenarioTests.files(scenario: ScenarioTests.busy))
            .overlaid(scenario: id)
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let rules = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let planner = CityPlanner(
            rules: rules, city: try XCTUnwrap(workspace.city("testville")), rollout: rollout, joins: 2020)
        let explanation = try planner.explain(zone: zone, year: 2024, unit: unit, fact: fact, scenario: scenario)
        func all(_ node: Explanation.Node) -> [Explanation.Node] { [node] + node.children.flatMap(all) }
        return explanation.roots.flatMap(all)
    }

    func testOverriddenValuesAreFromTheScenarioAtTheirOverride() throws {
        let nodes = try explain(zone: "tv-rural", unit: "fast")
        let param = try XCTUnwrap(nodes.first { $0.label == "params.fast_per_ev" })
        XCTAssertEqual(param.value, .double(0.02), "the overlaid value")
        XCTAssertEqual(param.note, "from the scenario 'busy'")
        XCTAssertEqual(param.position?.description, "Scenarios/busy.yaml:6:3")
        // What the scenario leaves alone keeps its origin.
        XCTAssertTrue(nodes.contains { $0.label == "zone.population_share" && $0.note == "computed by the planner" })
        XCTAssertFalse(nodes.contains { $0.label == "params.fast_per_ev" && $0.note == "rule-set constant" })
    }

    func testTheOverrideOfAZoneByIdWinsOverTheOneOfEveryZone() throws {
        let core = try XCTUnwrap(try explain(zone: "tv-core", fact: "zone.grid_headroom_kw").first)
        XCTAssertEqual(core.value, .double(7200))
        XCTAssertEqual(core.position?.description, "Scenarios/busy.yaml:9:3", "zone.tv-core, applied after zone.*")
        let rural = try XCTUnwrap(try explain(zone: "tv-rural", fact: "zone.grid_headroom_kw").first)
        XCTAssertEqual(rural.position?.description, "Scenarios/busy.yaml:10:3", "only zone.* reaches tv-rural")
        XCTAssertEqual(rural.note, "from the scenario 'busy'")
        let city = try XCTUnwrap(try explain(zone: "tv-core", fact: "city.home_parking_share").first)
        XCTAssertEqual(city.position?.description, "Scenarios/busy.yaml:8:3")
    }

    func testTheBaselineLabelsNothingAsFromAScenario() throws {
        let nodes = try explain(zone: "tv-rural", unit: "fast", scenario: "baseline")
        XCTAssertEqual(nodes.first { $0.label == "params.fast_per_ev" }?.note, "rule-set constant")
        XCTAssertFalse(nodes.contains { $0.note?.contains("scenario") ?? false })
    }
}
