import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanningEngine

final class StaticChecksTests: XCTestCase {
    func testBundledRulesHaveNoStaticFindings() throws {
        XCTAssertEqual(StaticChecks.run(try Workspace.load(files: FixtureWorkspace.inputs())).map(\.description), [])
    }

    func testUnusedParameterAndImpossibleZoneKind() throws {
        var files = try FixtureWorkspace.inputs()
        files["Rules/china/zz.yaml"] = """
            params:
              never_read: {value: 1.0}
            rules:
              - id: zz.typo
                for: zone
                when: "zone.kind == 'urban-core'"
                add: mobile
                count: "1.0"
            """
        let diagnostics = StaticChecks.run(try Workspace.load(files: files))
        XCTAssertEqual(
            diagnostics.map(\.message),
            [
                "parameter 'never_read' is never read by any expression",
                "rule 'zz.typo': zone.kind is never 'urban-core', so this comparison is always false; this rule never applies",
            ])
        XCTAssertEqual(diagnostics.last?.position, SourcePosition(file: "Rules/china/zz.yaml", line: 6, column: 25))
        XCTAssertEqual(diagnostics.last?.hint, "did you mean 'urban_core'?")
        XCTAssertEqual(
            DiagnosticFormat.github(Array(diagnostics.prefix(1))),
            "::warning file=Rules/china/zz.yaml,line=2,col=3::parameter 'never_read' is never read by any expression%0A  hint: remove it, or use it in a rule\n"
        )
        XCTAssertTrue(DiagnosticFormat.json(diagnostics).contains("\"line\": 6, \"column\": 25"))
        XCTAssertTrue(DiagnosticFormat.json(diagnostics).contains("\"id\": \"model.check\""))
    }

}
