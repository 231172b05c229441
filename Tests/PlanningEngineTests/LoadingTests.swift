import TestSupport
import XCTest
@testable import PlanningEngine

final class LoadingTests: XCTestCase {
    private func firstError(_ files: [String: String]) -> Diagnostic? {
        Fixture.diagnostics(files).first { $0.severity == .error }
    }

    func testFixtureLoadsCleanly() {
        XCTAssertEqual(Fixture.diagnostics(Fixture.files), [])
    }

    func testUnknownKeyPointsAtTheKey() throws {
        let text = Fixture.city + "colour: blue\n"
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertEqual(d.position?.description, "Cities/testville.yaml:34:1")
        XCTAssertTrue(d.message.contains("unknown key 'colour'"), d.message)
    }

    func testMisspeltKeySuggestsTheRightOne() throws {
        let text = Fixture.city.replacingOccurrences(of: "area_km2: 1000", with: "area_km: 1000")
        let diagnostics = Fixture.diagnostics(Fixture.files(replacing: "Cities/testville.yaml", with: text))
        XCTAssertTrue(
            diagnostics.contains {
                $0.message.contains("unknown key 'area_km'") && $0.hint == "did you mean 'area_km2'?"
            }, "\(diagnostics)")
        XCTAssertTrue(diagnostics.contains { $0.message.contains("missing required key 'area_km2'") })
    }

    func testWordWhereANumberBelongs() throws {
        let text = Fixture.city.replacingOccurrences(of: "population: 1000000", with: "population: many")
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertEqual(d.position?.description, "Cities/testville.yaml:5:13")
        XCTAssertEqual(d.message, "expected a number, found 'many'")
    }

    func testTruncatedYAMLIsASyntaxErrorWithPosition() throws {
        let text = String(Fixture.city.prefix(300)) + "  - [30.0, "
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertEqual(d.position?.file, "Cities/testville.yaml")
        XCTAssertTrue(d.message.hasPrefix("invalid YAML"), d.message)
        XCTAssertEqual(d.id, .yamlSyntax)
        XCTAssertTrue(d.id.isUnreadable)
        XCTAssertGreaterThan(d.position?.line ?? 0, 1)
    }

    func testDuplicateKeyPointsAtTheSecondOccurrence() throws {
        let text = Fixture.city.replacingOccurrences(of: "province: Test\n", with: "province: Test\nprovince: Again\n")
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertEqual(d.position?.description, "Cities/testville.yaml:4:1")
        XCTAssertTrue(d.message.contains("duplicate key 'province'"), d.message)
        XCTAssertEqual(d.id, .modelCheck, "a duplicate key is read and found wrong, not unreadable")
    }

    func testAllErrorsOfARunAreReportedTogether() {
        let city = Fixture.city.replacingOccurrences(of: "population: 1000000", with: "population: many")
        let rollout = Fixture.rollout.replacingOccurrences(of: "city: testville", with: "city: testvile")
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        files["Cities/rollouts/test-rollout.yaml"] = rollout
        let diagnostics = Fixture.diagnostics(files)
        XCTAssertTrue(diagnostics.contains { $0.position?.file == "Cities/testville.yaml" })
        XCTAssertTrue(
            diagnostics.contains {
                $0.position?.file == "Cities/rollouts/test-rollout.yaml"
                    && $0.message.contains("unknown city 'testvile'")
            })
    }

    func testUnknownZoneKindAndOutOfRangeShare() {
        var text = Fixture.city.replacingOccurrences(of: "kind: rural", with: "kind: desert")
        text = text.replacingOccurrences(of: "home_parking_share: 0.5", with: "home_parking_share: 1.5")
        let messages = Fixture.diagnostics(Fixture.files(replacing: "Cities/testville.yaml", with: text)).map(\.message)
        XCTAssertTrue(messages.contains("unknown zone kind 'desert'"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("1.5 is out of range") }, "\(messages)")
    }

    func testAliasExpansionBombStopsWithAnError() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertTrue(d.message.contains("YAML nodes"), d.message)
        XCTAssertEqual(d.id, .inputLimit)
    }

    func testDeepFlowNestingIsRefusedNotACrash() throws {
        let text = "id: " + String(repeating: "[", count: 100_000)
        let d = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertTrue(d.message.contains("nesting deeper"), d.message)
        XCTAssertEqual(d.id, .inputLimit)
    }

    func testAnEmptyFileAndASchemaErrorAreDifferentKinds() throws {
        let empty = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: "# nothing\n")))
        XCTAssertEqual(empty.id, .emptyFile)
        XCTAssertTrue(empty.id.isUnreadable)
        let text = Fixture.city.replacingOccurrences(of: "population: 1000000", with: "population: many")
        let wrong = try XCTUnwrap(firstError(Fixture.files(replacing: "Cities/testville.yaml", with: text)))
        XCTAssertEqual(wrong.id, .modelCheck)
        XCTAssertFalse(wrong.id.isUnreadable)
        XCTAssertEqual(wrong.id.description, "model.check")
    }

    func testDiagnosticRendersAsFileLineColumn() {
        let d = Diagnostic.error("boom", at: SourcePosition(file: "Cities/a.yaml", line: 3, column: 7), hint: "fix it")
        XCTAssertEqual(d.description, "Cities/a.yaml:3:7: error: boom\n  hint: fix it")
    }

    /// The planner starts in the base year, so a horizon starting earlier would lose years silently: an error at
    /// the horizon's first_year naming the city and its base year.
    func testAHorizonStartingBeforeAMembersBaseYearIsAnError() throws {
        var files = Fixture.files
        files["Cities/testville.yaml"] = Fixture.city.replacingOccurrences(
            of: "base_year: 2020",
            with: "base_year: 2021")
        files["Cities/rollouts/test-rollout.yaml"] = Fixture.rollout.replacingOccurrences(
            of: "joins: 2020",
            with: "joins: 2021")
        let diagnostics = Fixture.diagnostics(files)
        XCTAssertEqual(
            diagnostics.map(\.message),
            ["the horizon starts in 2020, before the base year 2021 of member city 'testville'"])
        XCTAssertEqual(diagnostics.first?.position?.description, "Cities/rollouts/test-rollout.yaml:5:11")
        files["Cities/rollouts/test-rollout.yaml"] = files["Cities/rollouts/test-rollout.yaml"]?
            .replacingOccurrences(of: "first_year: 2020", with: "first_year: 2021")
        XCTAssertEqual(Fixture.diagnostics(files), [])
    }
}
