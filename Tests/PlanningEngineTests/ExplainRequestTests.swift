import TestSupport
import XCTest

@testable import PlanningEngine

/// `explain`'s choices: the rollout (the first that includes the city, or the one named), the scenario, and the
/// errors naming what is missing.
final class ExplainRequestTests: XCTestCase {
    private func request(city: String = "testville", rollout: String? = nil) -> ExplainRequest {
        ExplainRequest(city: city, zone: "tv-core", year: 2022, unit: nil, fact: "city.ev_stock", rollout: rollout)
    }

    func testExplainsTheNumberThePlannerExplains() throws {
        let workspace = try Workspace.load(files: Fixture.files)
        let explanation = try request().explain(in: workspace)
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let member = try XCTUnwrap(rollout.members.first)
        let ruleSet = try XCTUnwrap(workspace.ruleSet(rollout.ruleSet.value))
        let planner = CityPlanner(
            rules: try CompiledRuleSet.compile(ruleSet), city: try XCTUnwrap(workspace.city("testville")),
            rollout: rollout, joins: member.joins)
        let direct = try planner.explain(zone: "tv-core", year: 2022, fact: "city.ev_stock")
        XCTAssertEqual(String(describing: explanation), String(describing: direct))
        XCTAssertNoThrow(try request(rollout: "test-rollout").explain(in: workspace))
    }

    func testUnknownCityRolloutOrScenarioIsAnError() throws {
        let workspace = try Workspace.load(files: Fixture.files)
        var scenario = request()
        scenario.scenario = "nope"
        let cases: [(ExplainRequest, String)] = [
            (request(city: "nowhere"), "no city named 'nowhere'"),
            (request(rollout: "other"), "no rollout named 'other' includes 'testville'"),
            (scenario, "no scenario named 'nope'"),
        ]
        for (request, message) in cases {
            XCTAssertThrowsError(try request.explain(in: workspace)) {
                XCTAssertEqual(($0 as? DiagnosticsError)?.diagnostics.map(\.message), [message])
            }
        }
    }
}
