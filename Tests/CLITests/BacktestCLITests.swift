import Foundation
import XCTest

/// `chargeplan backtest`: its exit codes, formats, and that it writes nothing.
final class BacktestCLITests: XCTestCase {
    private func project(observed: String) throws -> URL {
        try tinyProject(cityExtra: "observed:\n" + observed + "\n")
    }

    func testExitZeroWithinOneOutsideAndNothingWritten() throws {
        // Model: 2021 1,100; 2022 1,210 (from 2020). Observed 2022 1,400: the model is 13.57 % below it.
        let dir = try project(
            observed: "  city.ev_stock: {2020: 1000, 2022: 1400}\n"
                + "  city.units.wallbox.installed: {2021: 550}")
        let before = snapshot(of: dir)
        let pass = try run(["backtest", "--cutoff", "2020"], in: dir)
        XCTAssertEqual(pass.status, 0, pass.stdout + pass.stderr)
        XCTAssertTrue(pass.stdout.contains("city.ev_stock"), pass.stdout)
        XCTAssertTrue(pass.stdout.contains("2 withheld values, 0 outside ±15 % — pass"), pass.stdout)
        let strict = try run(["backtest", "--cutoff", "2020", "--tolerance", "13.5%"], in: dir)
        XCTAssertEqual(strict.status, 1, strict.stdout + strict.stderr)
        XCTAssertTrue(strict.stdout.contains("outside"), strict.stdout)
        XCTAssertTrue(strict.stdout.contains("-13.6 %"), strict.stdout)
        XCTAssertEqual(try run(["backtest", "--cutoff", "2020", "--tolerance", "13.6"], in: dir).status, 0)
        XCTAssertEqual(snapshot(of: dir), before, "backtest writes nothing")
    }

    func testJSONAndMarkdown() throws {
        let dir = try project(observed: "  city.ev_stock: {2021: 1000}")
        let json = try run(["backtest", "--cutoff", "2020", "--format", "json", "town-plan"], in: dir)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["format_version"] as? Int, 1)
        XCTAssertEqual(object["passed"] as? Bool, true)
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["model"] as? Double, 1100)
        XCTAssertEqual(rows.first?["error_percent"] as? Double, 10)
        XCTAssertEqual(rows.first?["source"] as? String, "Cities/town.yaml:9:25")
        let markdown = try run(["backtest", "--cutoff", "2020", "--format", "markdown"], in: dir)
        XCTAssertTrue(
            markdown.stdout.contains(
                "| town-plan | town |  | `city.ev_stock` | 2021 | 1,000 | 1,100 | +100 | +10.0 % |"),
            markdown.stdout)
    }

    func testBadInputAndUsageExitTwo() throws {
        let dir = try project(observed: "  city.ev_stock: {2021: 1000}")
        let none = try run(["backtest", "--cutoff", "2021"], in: dir)
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("no rollout observes anything after 2021"), none.stderr)
        XCTAssertEqual(try run(["backtest"], in: dir).status, 2, "--cutoff is required")
        XCTAssertEqual(try run(["backtest", "--cutoff", "2020", "--tolerance", "lots"], in: dir).status, 2)
        XCTAssertEqual(try run(["backtest", "--cutoff", "2020", "--tolerance", "0"], in: dir).status, 2)
        XCTAssertEqual(try run(["backtest", "--cutoff", "20"], in: dir).status, 2)
        let unknown = try run(["backtest", "--cutoff", "2020", "nope"], in: dir)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no rollout named 'nope'"), unknown.stderr)
        let broken = try project(observed: "  city.ev_stok: {2021: 1000}")
        let typo = try run(["backtest", "--cutoff", "2020"], in: broken)
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("Cities/town.yaml:9:3: error: 'city.ev_stok' is not a fact"), typo.stderr)
    }
}
