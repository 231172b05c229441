import Foundation
import XCTest

/// `render`: the HTML reports alone into reports/ — a rollout's report and its cities' pages, or one city's page
/// in each rollout it belongs to — and `plan --format html`, the same pages beside the YAML plans.
final class RenderCLITests: XCTestCase {
    /// The tiny project with `town` in a second rollout as well.
    private func twoRollouts() throws -> URL {
        let project = try tinyProject()
        let first = project.appendingPathComponent("Cities/rollouts/town-plan.yaml")
        let text = try String(contentsOf: first, encoding: .utf8)
        let second = project.appendingPathComponent("Cities/rollouts/town-more.yaml")
        try text.replacingOccurrences(of: "id: town-plan", with: "id: town-more")
            .write(to: second, atomically: true, encoding: .utf8)
        return project
    }

    func testRenderCityWritesItsPageInEveryRolloutItBelongsTo() throws {
        let project = try twoRollouts()
        let result = try run(["render", "town"], in: project)
        XCTAssertEqual(result.status, 0, result.stderr)
        let reports = try contents(of: project.appendingPathComponent("reports"))
        XCTAssertEqual(reports.keys.sorted(), ["/town-more/town.html", "/town-plan/town.html"])
        let page = String(decoding: try XCTUnwrap(reports["/town-plan/town.html"]), as: UTF8.self)
        XCTAssertTrue(page.contains("<svg class=\"map\""), "the city page has its map")
        XCTAssertTrue(page.contains("<a href=\"_report.html\">"))
        // The rollout's report, once written, stays when one city is rendered again.
        XCTAssertEqual(try run(["render", "town-plan"], in: project).status, 0)
        XCTAssertEqual(try run(["render", "town"], in: project).status, 0)
        XCTAssertEqual(
            try contents(of: project.appendingPathComponent("reports")).keys.sorted(),
            ["/town-more/town.html", "/town-plan/_report.html", "/town-plan/town.html"])
    }

    func testRenderOfAnUnknownCityIsAnErrorAndWritesNothing() throws {
        let project = try twoRollouts()
        let result = try run(["render", "nowhere"], in: project)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "chargeplan: error: no rollout or city named 'nowhere'\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent("reports").path))
    }

    func testPlanFormatHTMLWritesTheReportAndTheCityPagesBesideThePlans() throws {
        let project = try tinyProject()
        let result = try run(["plan", "--format", "html", "--format", "geojson"], in: project)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            try contents(of: project.appendingPathComponent("plans/town-plan")).keys.sorted(),
            ["/_report.html", "/_summary.geojson", "/_summary.yaml", "/town.geojson", "/town.html", "/town.yaml"])
    }
}
