import XCTest
@testable import CEL

/// The typed fast paths (unboxed bool/double/int/string closures, the activation fast path)
/// must give exactly the results, errors and costs of the boxed evaluator.
final class FastPathTests: XCTestCase {
    /// Renders a value or an error for comparison.
    func outcome(_ source: String, _ environment: CELEnvironment, _ activation: CELActivation) -> String {
        do {
            return "value \(try CELProgram(compiling: source, in: environment).evaluate(activation))"
        } catch {
            return "error \(error.kind) \(error.message) @\(error.offset)"
        }
    }

    let expressions = [
        "d * 2.0", "d + d", "d - 1.0", "d / 4.0", "-d", "math.ceil(d * city.home_parking_share)", "math.floor(d)",
        "math.trunc(d)", "math.round(d)", "d > 1.0", "d <= d", "d == 2.5", "d != d",
        "x + 1", "x * x", "x - 10", "x / 2", "x % 2", "x > 3", "x == 5", "x != x", "x / 0", "x % 0",
        "zone.kind == 'urban_core'", "zone.kind != 'rural'", "zone.kind == zone.id", "zone.id.startsWith('hk-')",
        "zone.id.endsWith('-1')", "zone.id.contains('k')",
        "zone.population > 100000 ? 'large' : zone.population > 5000 ? 'small' : 'tiny'",
        "zone.population > 5000 ? zone.ev_stock : 1.0", "x > 3 ? x : 0", "x > 3 && d > 1.0", "x > 30 || d > 1.0",
        "x > 30 && 1 / 0 == 1", "1 / 0 == 1 && x > 30", "1 / 0 == 1 || x > 3", "!(x > 3)",
        "city.home_parking_share > 0.3",
        "zone.sites.filter(s, s.grid_kw >= 600.0).size()", "zone.sites.exists(s, s.grid_kw > d)",
        "zone.sites.all(s, s.grid_kw * 2.0 > 10.0)", "prev.zone.population + 1", "9223372036854775807 + x",
        "zone.id.matches('^hk-[0-9]+$')", "zone.kind.matches('(?i)URBAN')", "matches(zone.id, '(')",
        "zone.id < zone.kind", "zone.kind in ['urban_core', 'rural']", "size(zone.kind)", "zone.kind + zone.id",
        "[zone.id, zone.kind] == [zone.id, zone.kind]", "{zone.id: 1} == {zone.id: 1}",
    ]

    func testTypedPathsMatchUncheckedEvaluation() {
        let checked = plannerEnvironment()
        var unchecked = plannerEnvironment()
        unchecked.typeCheckingEnabled = false
        // Well-typed bindings, and bindings that disagree with the declarations (d is an int,
        // x a double, the zone's fields have other kinds), where the typed paths must fall back.
        var mismatched = sampleActivation()
        mismatched.bind("d", .int(3))
        mismatched.bind("x", .double(5))
        mismatched.bind(
            "zone",
            .object(
                CELObject(
                    typeName: "Zone",
                    fields: [
                        "id": .int(1), "kind": .bool(true), "population": .double(12_000), "ev_stock": .string("many"),
                        "sites": .list([
                            .object(CELObject(typeName: "Site", fields: ["id": .string("a"), "grid_kw": .int(800)]))
                        ]),
                    ])))
        var missing = CELActivation()
        missing.bind("year", .int(2027))
        for activation in [sampleActivation(), mismatched, missing] {
            for source in expressions {
                XCTAssertEqual(outcome(source, checked, activation), outcome(source, unchecked, activation), source)
            }
        }
    }

    func testActivationOrderDoesNotMatter() throws {
        let program = try CELProgram(compiling: "zone.population > x * 1000 && d > 2.0", in: plannerEnvironment())
        XCTAssertEqual(program.variables, ["zone", "x", "d"])
        var inOrder = CELActivation()
        inOrder.bind("zone", sampleZone())
        inOrder.bind("x", .int(5))
        inOrder.bind("d", .double(2.5))
        inOrder.bind("year", .int(2027))
        var reversed = CELActivation()
        reversed.bind("d", .double(2.5))
        reversed.bind("x", .int(5))
        reversed.bind("zone", sampleZone())
        XCTAssertEqual(try program.evaluate(inOrder), .bool(true))
        XCTAssertEqual(try program.evaluate(reversed), .bool(true))
        XCTAssertEqual(try program.evaluate(slots: [sampleZone(), .int(5), .double(2.5)]), .bool(true))
        var partial = CELActivation()
        partial.bind("zone", sampleZone())
        XCTAssertThrowsError(try program.evaluate(partial)) { failure in
            XCTAssertEqual((failure as? CELError)?.message, "no such attribute: variable 'x' is not bound")
        }
        XCTAssertThrowsError(try program.evaluate(slots: [sampleZone()]))
        XCTAssertEqual(try CELProgram(compiling: "1 + 2", in: plannerEnvironment()).evaluate(CELActivation()), .int(3))
    }

    func testFallbackDoesNotDoubleCountCost() throws {
        // The comprehension spends 1 per evaluation. With d bound to an int, the typed ceil falls
        // back to the boxed path, which evaluates the condition again: the cost must not add up.
        let source = "math.ceil(zone.sites.exists(s, s.grid_kw > 0.0) ? d * 2.0 : 0.0)"
        var mismatched = sampleActivation()
        mismatched.bind("d", .int(3))
        let tight = try CELProgram(compiling: source, in: plannerEnvironment(), costLimit: 1)
        XCTAssertEqual(try tight.evaluate(sampleActivation()), .double(5))
        XCTAssertThrowsError(try tight.evaluate(mismatched)) { failure in
            XCTAssertEqual((failure as? CELError)?.kind, .evaluation)
            XCTAssertEqual((failure as? CELError)?.message, "no matching overload for '*' applied to (int, double)")
        }
    }
}
