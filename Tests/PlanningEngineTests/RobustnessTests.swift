import TestSupport
import CEL
import Siting
import XCTest
@testable import PlanningEngine

/// Adversarial inputs: each must end in a positioned diagnostic or a sound plan, never a trap.
final class RobustnessTests: XCTestCase {
    private func replacing(_ path: String, _ old: String, _ new: String) throws -> [String: String] {
        let text = try XCTUnwrap(Fixture.files[path])
        XCTAssertTrue(text.contains(old), "fixture no longer contains \(old)")
        return Fixture.files(replacing: path, with: text.replacingOccurrences(of: old, with: new))
    }

    /// `first_year` after `last_year` used to trap building the range `first...last` for the joins check.
    func testReversedHorizonIsADiagnosticNotATrap() throws {
        let files = try replacing(
            "Cities/rollouts/test-rollout.yaml", "{first_year: 2020, last_year: 2024}",
            "{first_year: 2024, last_year: 2020}")
        let errors = Fixture.diagnostics(files).filter { $0.severity == .error }
        XCTAssertEqual(errors.count, 1, "\(errors)")
        XCTAssertEqual(errors.first?.message, "last_year 2020 is before first_year 2024")
        XCTAssertEqual(errors.first?.position?.file, "Cities/rollouts/test-rollout.yaml")
    }

    /// A count far below zero (Int(-1e300) traps) means "none", like any negative count.
    func testHugeNegativeCountMeansNoUnits() throws {
        let files = try replacing(
            "Rules/basic/rules.yaml", #"count: "zone.ev_stock * params.fast_per_ev""#, #"count: "-1e300""#)
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        let fast = plan.zoneYears.compactMap { $0.units.first { $0.unit == "fast" } }
        XCTAssertFalse(fast.isEmpty)
        XCTAssertTrue(fast.allSatisfy { $0.demand == 0 && $0.new == 0 }, "\(fast)")
    }

    /// Far above any real count is still a positioned error, not a trap.
    func testHugePositiveCountIsAnError() throws {
        let files = try replacing(
            "Rules/basic/rules.yaml", #"count: "zone.ev_stock * params.fast_per_ev""#, #"count: "1e300""#)
        XCTAssertThrowsError(try Fixture.plan(files)) { error in
            let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
            XCTAssertTrue(
                diagnostics.contains {
                    $0.message.contains("fast count") && $0.message.contains("out of range") && $0.position != nil
                }, "\(diagnostics)")
        }
    }

    /// Nested aliases used as a mapping key (`? *a8`) kept Yams hashing the billion nodes they expand to,
    /// looking for duplicate keys, before any limit applied (found writing Fuzz/LoadFuzz: a libFuzzer timeout
    /// there). The expanded size is counted from libyaml's events first.
    func testAliasBombAsMappingKeyIsADiagnosticNotAHang() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "? *a8\n: x\n"
        let started = Date()
        let errors = Fixture.diagnostics(Fixture.files(replacing: "Cities/testville.yaml", with: text)).filter {
            $0.severity == .error
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(errors.count, 1, "\(errors)")
        XCTAssertEqual(errors.first?.message, "file has more than 2000000 YAML nodes with its aliases written out")
        XCTAssertEqual(errors.first?.position, SourcePosition(file: "Cities/testville.yaml", line: 7, column: 10))
    }

    /// Aliases that stay small still load as the values they name.
    func testSmallAliasesStillLoad() throws {
        var files = try replacing(
            "Cities/testville.yaml", "existing_chargers: {wallbox: 60, fast: 8, mobile: 0}",
            "existing_chargers: &core {wallbox: 60, fast: 8, mobile: 0}")
        let city = try XCTUnwrap(files["Cities/testville.yaml"])
        files["Cities/testville.yaml"] = city.replacingOccurrences(
            of: "existing_chargers: {wallbox: 40, fast: 2, mobile: 0}", with: "existing_chargers: *core")
        let workspace = try Workspace.load(files: files)
        let rural = try XCTUnwrap(workspace.city("testville")?.zones.first { $0.id.value == "tv-rural" })
        XCTAssertEqual(rural.existingChargers, ["wallbox": 60, "fast": 8, "mobile": 0])
    }

    private func planner() throws -> CityPlanner {
        let workspace = try Workspace.load(files: Fixture.files)
        let rollout = try XCTUnwrap(workspace.rollout("test-rollout"))
        let rules = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        return CityPlanner(
            rules: rules, city: try XCTUnwrap(workspace.city("testville")), rollout: rollout, joins: 2020)
    }

    /// `explain --fact` with a misspelt fact used to print "zone.nope [from the city profile]" and exit 0.
    func testExplainingAnUnknownFactIsAnError() throws {
        let planner = try planner()
        for fact in ["nope", "zone.nope", "city.ev_stok", "units.fast.installed", "zone.units", "zone."] {
            XCTAssertThrowsError(try planner.explain(zone: "tv-core", year: 2022, fact: fact), fact) { error in
                let diagnostic = (error as? DiagnosticsError)?.diagnostics.first
                XCTAssertEqual(diagnostic?.message, "no fact '\(fact)' in tv-core in 2022")
                XCTAssertTrue(
                    diagnostic?.hint?.contains("zone.ev_stock") ?? false, "\(String(describing: diagnostic?.hint))")
            }
        }
        for fact in ["ev_stock", "city.ev_stock", "zone.population", "zone.units.fast.installed", "params.radius_km"] {
            let root = try XCTUnwrap(try planner.explain(zone: "tv-core", year: 2022, fact: fact).roots.first, fact)
            XCTAssertNotNil(root.value, fact)
        }
    }

    /// A city of thousands of zones (generated sites) plans; coverage lookups are grouped by zone and
    /// the reach of a point is searched in its latitude band, so this is no longer quadratic.
    func testManyZonesPlan() throws {
        var city = Fixture.city.components(separatedBy: "zones:\n")[0] + "zones:\n"
        for i in 0..<120 {
            city +=
                "  - {id: z\(i), kind: suburban, population: \(1000 + i), area_km2: \(1 + i % 7), centre: [\(30 + Double(i % 20) * 0.01), \(120 + Double(i / 20) * 0.01)], grid_headroom_kw: 720}\n"
        }
        let files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        let plan = try XCTUnwrap(try Fixture.plan(files).cities.first)
        XCTAssertEqual(plan.zoneYears.count, 120 * 5)
        XCTAssertTrue(plan.zoneYears.allSatisfy { $0.coverage.allSatisfy { (0...1).contains($0.share) } })
    }
}
