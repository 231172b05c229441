import CEL
import XCTest
@testable import PlanningEngine

final class ExplanationTests: XCTestCase {
    private func planner() throws -> CityPlanner {
        let workspace = try Workspace.load(files: Fixture.files)
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let rules = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        return CityPlanner(rules: rules, city: try XCTUnwrap(workspace.city("testville")), rollout: rollout, joins: 2020)
    }

    private func all(_ node: Explanation.Node) -> [Explanation.Node] { [node] + node.children.flatMap(all) }

    func testUnitTreeNamesAddCapAndInputsWithValues() throws {
        let explanation = try planner().explain(zone: "tv-rural", year: 2024, unit: "fast")
        let root = try XCTUnwrap(explanation.roots.first)
        let plan = try XCTUnwrap(try Fixture.plan().cities.first)
        let record = try XCTUnwrap(plan.zoneYears.first { $0.zone == "tv-rural" && $0.year == 2024 }?.units.first { $0.unit == "fast" })
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
}
