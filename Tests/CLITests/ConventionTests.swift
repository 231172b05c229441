import Foundation
import XCTest

/// The command line's conventions: defaults that work, usage errors that help, nothing lost by an option.
final class ConventionTests: XCTestCase {
    func testSchemaWithoutOptionsWritesEverySchemaIntoSchemas() throws {
        let project = try tinyProject()
        let result = try run(["schema"], in: project)
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = try FileManager.default.contentsOfDirectory(atPath: project.path + "/schemas").sorted()
        XCTAssertEqual(
            written,
            [
                "city.basic.schema.json", "city.schema.json", "diff.schema.json", "plan-summary.schema.json",
                "plan.schema.json", "rollout.schema.json", "rules.schema.json",
            ])
        XCTAssertTrue(result.stdout.hasPrefix("wrote 7 schemas into schemas/: "), result.stdout)
        let committed = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("schemas/diff.schema.json"), encoding: .utf8)
        XCTAssertEqual(
            try String(contentsOfFile: project.path + "/schemas/diff.schema.json", encoding: .utf8), committed,
            "the output schemas name no rule set")
        let printed = try run(["schema", "--kind", "plan-summary"], in: project)
        XCTAssertEqual(printed.status, 0)
        XCTAssertEqual(
            printed.stdout,
            try String(contentsOfFile: project.path + "/schemas/plan-summary.schema.json", encoding: .utf8))
        let one = try run(["schema", "--kind", "diff", "--output", "one"], in: project)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: project.path + "/one"), ["diff.schema.json"])
        for bad in [
            ["schema", "--kind", "nonsense"], ["schema", "--rule-set", "basic"],
            ["schema", "--kind", "city", "--rule-set", "x"],
        ] {
            let before = snapshot(of: project)
            let result = try run(bad, in: project)
            XCTAssertEqual(result.status, 2, bad.joined(separator: " "))
            XCTAssertEqual(snapshot(of: project), before, "nothing written")
        }
    }
}
