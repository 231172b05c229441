import TestSupport
import CEL
import XCTest
@testable import PlanningEngine

/// `inputs: rollout:` in the rule set; `inputs:` in a rollout file; `rollout.<name>` in CEL, read per year.
final class RolloutInputsTests: XCTestCase {
    static let declaration = """
        inputs:
          rollout:
            market_share: {type: number, unit: share, min: 0, max: 1, default: 1.0, doc: "the operator's share"}
        rules:
          - id: share.served
            for: city
            derive: served_share
            precision: 4
            value: "rollout.market_share"

        """

    /// The fixture project with `market_share` declared and read, and the rollout carrying `inputs` (if any).
    private func files(rolloutInputs: String?) -> [String: String] {
        var files = Fixture.files
        files["Rules/basic/rollout-inputs.yaml"] = Self.declaration
        if let rolloutInputs {
            files["Cities/rollouts/test-rollout.yaml"] = Fixture.rollout.replacingOccurrences(
                of: "cities:\n", with: "inputs:\n  \(rolloutInputs)\ncities:\n")
        }
        return files
    }

    private func servedShare(_ files: [String: String]) throws -> [Int: Double] {
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        var result: [Int: Double] = [:]
        for year in plan.cityYears {
            if case .number(let value, _)? = year.facts.first(where: { $0.name == "served_share" })?.value {
                result[year.year] = value
            }
        }
        return result
    }

    func testTheDefaultHoldsWhenTheRolloutGivesNone() throws {
        XCTAssertEqual(
            try servedShare(files(rolloutInputs: nil)),
            [2020: 1.0, 2021: 1.0, 2022: 1.0, 2023: 1.0, 2024: 1.0])
    }

    func testANumberHoldsInEveryYear() throws {
        XCTAssertEqual(
            try servedShare(files(rolloutInputs: "market_share: 0.3")),
            [2020: 0.3, 2021: 0.3, 2022: 0.3, 2023: 0.3, 2024: 0.3])
    }

    /// A series gives each planned year its own value: linear between listed years, flat outside them.
    func testASeriesIsReadForEachYear() throws {
        let share = try servedShare(files(rolloutInputs: "market_share: {2021: 0.1, 2023: 0.3}"))
        XCTAssertEqual(share[2020], 0.1)
        XCTAssertEqual(share[2021], 0.1)
        XCTAssertEqual(share[2022] ?? 0, 0.2, accuracy: 1e-12)
        XCTAssertEqual(share[2023], 0.3)
        XCTAssertEqual(share[2024], 0.3)
    }

    func testMistakesAreErrorsAtTheirPosition() throws {
        let cases: [(inputs: String, at: String, message: String)] = [
            ("market_shar: 0.3", "market_shar", "unknown key 'market_shar'"),
            ("market_share: 1.5", "1.5", "1.5 is out of range 0…1"),
            ("market_share: 1", "", ""),
            ("market_share: 0", "", ""),
            ("market_share: -0.01", "-0.01", "-0.01 is out of range 0…1"),
            ("market_share: {2021: 0.2, 2030: 1.01}", "1.01", "1.01 is out of range 0…1"),
            ("market_share: {20x1: 0.2}", "20x1", "a series maps years 1900…2200 to numbers, found '20x1'"),
            ("market_share: lots", "lots", "expected a number, found 'lots'"),
        ]
        for (inputs, at, message) in cases {
            let files = files(rolloutInputs: inputs)
            let diagnostics = Fixture.diagnostics(files)
            if message.isEmpty {
                XCTAssertEqual(diagnostics, [], inputs)
                continue
            }
            let text = try XCTUnwrap(files["Cities/rollouts/test-rollout.yaml"])
            XCTAssertEqual(diagnostics.map(\.message), [message], inputs)
            XCTAssertEqual(
                diagnostics.first?.position?.description,
                Fixture.position(of: at, in: text, file: "Cities/rollouts/test-rollout.yaml"), inputs)
        }
        let hint = Fixture.diagnostics(files(rolloutInputs: "market_shar: 0.3")).first?.hint
        XCTAssertEqual(hint, "did you mean 'market_share'?")
    }

    /// A rule set without rollout inputs takes no `inputs:` keys; a required rollout input must be given.
    func testUndeclaredAndRequiredInputs() throws {
        var files = Fixture.files
        files["Cities/rollouts/test-rollout.yaml"] = Fixture.rollout.replacingOccurrences(
            of: "cities:\n", with: "inputs: {market_share: 0.3}\ncities:\n")
        XCTAssertEqual(Fixture.diagnostics(files).map(\.message), ["unknown key 'market_share'"])
        files = Fixture.files
        files["Rules/basic/rollout-inputs.yaml"] = Self.declaration.replacingOccurrences(of: ", default: 1.0", with: "")
        let missing = Fixture.diagnostics(files)
        XCTAssertEqual(missing.map(\.message), ["missing required key 'market_share'"])
        XCTAssertEqual(missing.first?.position?.description, "Cities/rollouts/test-rollout.yaml:1:1")
    }

    /// `check` type-checks rollout reads against the declarations; engine names cannot be declared.
    func testRolloutReadsAreTypeChecked() throws {
        var files = files(rolloutInputs: nil)
        files["Rules/basic/rollout-inputs.yaml"] = Self.declaration
            .replacingOccurrences(of: "value: \"rollout.market_share\"", with: "value: \"rollout.market_shar\"")
        let diagnostics = Fixture.diagnostics(files)
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("market_shar") ?? false, "\(diagnostics)")
        XCTAssertEqual(diagnostics.first?.position?.file, "Rules/basic/rollout-inputs.yaml")
        files["Rules/basic/rollout-inputs.yaml"] = "inputs:\n  rollout:\n    first_year: {type: int, default: 1}\n"
        XCTAssertEqual(
            Fixture.diagnostics(files).first?.message,
            "'first_year' is the engine's own rollout field and cannot be declared as an input")
    }

    func testExplainSaysARolloutValueComesFromTheRollout() throws {
        let workspace = try Workspace.load(files: files(rolloutInputs: "market_share: 0.3"))
        let rules = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let planner = CityPlanner(
            rules: rules, city: try XCTUnwrap(workspace.city("testville")),
            rollout: try XCTUnwrap(workspace.rollout("test-rollout")), joins: 2020)
        let root = try XCTUnwrap(try planner.explain(zone: nil, year: 2021, fact: "city.served_share").roots.first)
        let read = try XCTUnwrap(root.children.first)
        XCTAssertEqual(read.label, "rollout.market_share")
        XCTAssertEqual(read.value, .double(0.3))
        XCTAssertEqual(read.note, "from the rollout")
    }
}
