import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanningEngine

final class YAMLFormatterTests: XCTestCase {
    let messy = """
        # a comment   \n\n\n
        units:   \n  fast:\n    power_kw:   360      # [S1] aligned comment stays\n    doc:  "two  spaces:  inside quotes stay"\n    combine: max\n\n\n\nparams:\n  x: {value:  1.0, unit: km}   # flow mappings are left alone\nrules:\n  - id:   a.b\n    for: zone\n    doc: |\n      line one\n\n\n      line two after two blank lines\n    derive: y\n    value: "1.0"\n\n\n
        """

    func testFormatsConservativelyAndKeepsComments() throws {
        let out = try YAMLFormatter.format(messy, path: "Rules/x/a.yaml")
        XCTAssertEqual(
            out,
            """
            # yaml-language-server: $schema=../../schemas/rules.schema.json
            # a comment

            units:
              fast:
                power_kw: 360      # [S1] aligned comment stays
                doc: "two  spaces:  inside quotes stay"
                combine: max

            params:
              x: {value:  1.0, unit: km}   # flow mappings are left alone
            rules:
              - id: a.b
                for: zone
                doc: |
                  line one


                  line two after two blank lines
                derive: y
                value: "1.0"

            """)
    }

    func testIdempotent() throws {
        let once = try YAMLFormatter.format(messy, path: "Rules/x/a.yaml")
        XCTAssertEqual(try YAMLFormatter.format(once, path: "Rules/x/a.yaml"), once)
        for path in FixtureWorkspace.inputFiles() {
            let text = try FixtureWorkspace.read(path)
            let formatted = try YAMLFormatter.format(text, path: path)
            XCTAssertEqual(try YAMLFormatter.format(formatted, path: path), formatted, path)
        }
    }

    /// The bundled files are canonical (`chargeplan fmt --check` passes in CI).
    func testBundledFilesAreCanonical() throws {
        for path in FixtureWorkspace.inputFiles() {
            let text = try FixtureWorkspace.read(path)
            XCTAssertEqual(
                try YAMLFormatter.format(text, path: path), text,
                "\(path) is not formatted; run: swift run chargeplan fmt")
        }
    }

    func testTabsAreRejected() {
        XCTAssertThrowsError(try YAMLFormatter.format("a: 1\nb:\t2\n", path: "Cities/x.yaml")) { error in
            let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.first?.position, SourcePosition(file: "Cities/x.yaml", line: 2, column: 3))
        }
    }

    func testSchemaLineIsAddedOrCorrected() throws {
        XCTAssertEqual(
            try YAMLFormatter.format("id: x\n", path: "Cities/rollouts/x.yaml"),
            "# yaml-language-server: $schema=../../schemas/rollout.schema.json\nid: x\n")
        XCTAssertEqual(
            try YAMLFormatter.format("# yaml-language-server: $schema=wrong.json\nid: x", path: "Cities/x.yaml"),
            "# yaml-language-server: $schema=../schemas/city.schema.json\nid: x\n")
        XCTAssertEqual(try YAMLFormatter.format("id:   x\n", path: "other/x.yaml"), "id: x\n")
    }

    func testCheckModeExitCodes() throws {
        let root = NSTemporaryDirectory() + "chargeplan-fmt-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: root + "/Cities", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "id:   x\n".write(toFile: root + "/Cities/x.yaml", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: root + "/Cities/x.yaml", encoding: .utf8)
        XCTAssertNotEqual(try YAMLFormatter.format(text, path: "Cities/x.yaml"), text)
    }
}
