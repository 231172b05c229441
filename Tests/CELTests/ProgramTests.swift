import XCTest
@testable import CEL

final class ProgramTests: XCTestCase {
    func testReferencedPaths() throws {
        let program = try CELProgram(
            compiling:
                "zone.kind == 'x' && city.population > prev.zone.population + year && zone.sites.exists(s, s.grid_kw > 1.0) && has(zone.id)",
            in: plannerEnvironment())
        XCTAssertEqual(
            program.referencedPaths,
            ["city.population", "prev.zone.population", "year", "zone.id", "zone.kind", "zone.sites"])
    }

    func testCompileOnceEvaluateMany() throws {
        let program = try CELProgram(compiling: "zone.population > 10000 ? 'big' : 'small'", in: plannerEnvironment())
        var results: [CELValue] = []
        for population in [5_000, 20_000] as [Int64] {
            var activation = sampleActivation()
            activation.bind("zone", sampleZone(population: population))
            results.append(try program.evaluate(activation))
        }
        XCTAssertEqual(results, [.string("small"), .string("big")])
        XCTAssertEqual(program.variables, ["zone"])
        XCTAssertEqual(try program.evaluate(slots: [sampleZone(population: 50_000)]), .string("big"))
    }

    func testCostLimitStopsRunawayExpression() throws {
        let source =
            "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(e, a + b + c + e))))"
        let program = try CELProgram(compiling: source, in: plannerEnvironment(), costLimit: 1_000)
        XCTAssertThrowsError(try program.evaluate(sampleActivation())) { failure in
            XCTAssertEqual((failure as? CELError)?.kind, .cost)
        }
        let growth =
            "cel.bind(s, 'abcdefgh', cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, size(s))))))))))))"
        XCTAssertThrowsError(try CELProgram(compiling: growth, in: plannerEnvironment()).evaluate(sampleActivation())) {
            failure in
            XCTAssertEqual((failure as? CELError)?.kind, .cost)
        }
    }

    func testCostErrorIsNotAbsorbedByLogicalOperators() throws {
        let source = "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, a)).size() > 0 || true"
        let program = try CELProgram(compiling: source, in: plannerEnvironment(), costLimit: 50)
        XCTAssertThrowsError(try program.evaluate(sampleActivation())) { failure in
            XCTAssertEqual((failure as? CELError)?.kind, .cost)
        }
    }
}
