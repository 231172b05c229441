import TestSupport
import XCTest

@testable import PlanningEngine

/// Choosing what `plan` plans: each rollout once, whole or the union of the cities named, and the errors that stop
/// a run before anything is planned.
final class PlanSelectionTests: XCTestCase {
    /// The fixture with a second rollout, `second`, of the same city.
    private func workspace() throws -> Workspace {
        var workspace = try Workspace.load(files: Fixture.files)
        var second = try XCTUnwrap(workspace.rollout("test-rollout"))
        second.id.value = "second"
        workspace.rollouts.append(second)
        return workspace
    }

    private func summary(_ selection: PlanSelection) -> [String] {
        selection.entries.map { entry in
            entry.rollout.id.value + (entry.only.map { ":" + $0.sorted().joined(separator: ",") } ?? "")
        }
    }

    func testNoTargetsIsEveryRolloutWhole() throws {
        let selection = try PlanSelection.select([], in: try workspace(), root: ".", sharded: false)
        XCTAssertEqual(summary(selection), ["test-rollout", "second"])
        XCTAssertTrue(selection.isWholeRollouts)
    }

    func testACityIsPlannedInEveryRolloutItBelongsTo() throws {
        let selection = try PlanSelection.select(["testville"], in: try workspace(), root: ".", sharded: false)
        XCTAssertEqual(summary(selection), ["test-rollout:testville", "second:testville"])
        XCTAssertFalse(selection.isWholeRollouts)
    }

    func testARolloutNamedBesideItsCityIsPlannedWholeOnce() throws {
        for targets in [["testville", "second"], ["second", "testville"], ["second", "second"]] {
            let selection = try PlanSelection.select(targets, in: try workspace(), root: ".", sharded: false)
            XCTAssertEqual(summary(selection).filter { $0.hasPrefix("second") }, ["second"], "\(targets)")
        }
    }

    func testUnknownNamesAndLonelyCitiesAreInputErrors() throws {
        var lonely = try workspace()
        lonely.rollouts = lonely.rollouts.map { rollout in
            var rollout = rollout
            rollout.members = []
            return rollout
        }
        let cases: [(Workspace, [String], String)] = [
            (try workspace(), ["nowhere"], "no rollout or city named 'nowhere'"),
            (lonely, ["testville"], "city 'testville' belongs to no rollout"),
            (
                try Workspace.load(files: Fixture.files.filter { !$0.key.contains("rollouts/") }), [],
                "no rollouts in proj/Cities/rollouts: nothing to plan"
            ),
        ]
        for (workspace, targets, message) in cases {
            XCTAssertThrowsError(try PlanSelection.select(targets, in: workspace, root: "proj", sharded: false)) {
                guard case .diagnostics(let error) = $0 as? PlanRequestError else { return XCTFail("\($0)") }
                XCTAssertEqual(error.diagnostics.map(\.message), [message])
            }
        }
    }

    func testAShardNamesRolloutsOnly() throws {
        XCTAssertThrowsError(try PlanSelection.select(["testville"], in: try workspace(), root: ".", sharded: true)) {
            guard case .usage(let message) = $0 as? PlanRequestError else { return XCTFail("\($0)") }
            XCTAssertEqual(message, "--shard splits whole rollouts; name rollouts, not cities ('testville')")
        }
        let whole = try PlanSelection.select(["second"], in: try workspace(), root: ".", sharded: true)
        XCTAssertEqual(summary(whole), ["second"])
    }
}
