import XCTest

@testable import PlanningEngine

final class WorkspaceLayoutTests: XCTestCase {
    func testEachInputFileHasItsRoleByPath() {
        XCTAssertEqual(WorkspaceLayout.role(of: "Cities/haikou.yaml"), .city)
        XCTAssertEqual(WorkspaceLayout.role(of: "Cities/rollouts/hainan.yml"), .rollout)
        XCTAssertEqual(WorkspaceLayout.role(of: "Rules/china/fleet.yaml"), .ruleFile(ruleSet: "china"))
        XCTAssertEqual(
            WorkspaceLayout.role(of: "Rules/china/tests/fixtures/tiny.yaml"), .fixture(ruleSet: "china"))
        XCTAssertEqual(WorkspaceLayout.role(of: "Scenarios/high-growth.yaml"), .scenario)
    }

    func testFilesOutsideTheLayoutHaveNoRole() {
        XCTAssertNil(WorkspaceLayout.role(of: "Cities/haikou.json"))
        XCTAssertNil(WorkspaceLayout.role(of: "Cities/old/haikou.yaml"))
        XCTAssertNil(WorkspaceLayout.role(of: "Scenarios/drafts/a.yaml"))
        XCTAssertNil(WorkspaceLayout.role(of: "Rules/china/tests/other/a.yaml"))
        XCTAssertNil(WorkspaceLayout.role(of: "plans/hainan/haikou.yaml"))
    }

    func testFolderPaths() {
        XCTAssertEqual(WorkspaceLayout.fixtures(ofRuleSet: "china"), "Rules/china/tests/fixtures")
        XCTAssertEqual(Workspace.scenarioFolder, WorkspaceLayout.scenarios)
    }
}
