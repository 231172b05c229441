import XCTest
@testable import CEL

final class CheckerTests: XCTestCase {
    func testUndeclaredName() {
        let failure = assertFails("zone.population + 1️⃣popul")
        XCTAssertEqual(failure?.kind, .check)
        XCTAssertEqual(failure?.message, "undeclared reference to 'popul'")
    }

    func testUnknownField() {
        let failure = assertFails("zone.1️⃣populaton > 5")
        XCTAssertEqual(failure?.kind, .check)
        XCTAssertEqual(failure?.message, "undefined field 'populaton' on type Zone")
        XCTAssertNotNil(failure?.hint)
    }

    func testIntMixedWithDoubleHasHint() {
        let failure = assertFails("zone.population 1️⃣* 2.5")
        XCTAssertEqual(failure?.kind, .check)
        XCTAssertEqual(failure?.message, "no matching overload for '*' applied to (int, double)")
        XCTAssertEqual(failure?.hint?.contains("write 2.0"), true)
        XCTAssertEqual(failure?.hint?.contains("double(x)"), true)
    }

    func testNoMatchingOverload() {
        XCTAssertEqual(error(of: "size(5)")?.kind, .check)
        XCTAssertEqual(error(of: "zone.kind.startsWith(1)")?.kind, .check)
        XCTAssertEqual(error(of: "!zone.population")?.kind, .check)
        XCTAssertEqual(error(of: "nosuch(1)")?.kind, .check)
    }

    func testDynDisablesChecking() throws {
        XCTAssertEqual(try evaluate("dyn(zone.population) * 2.5 > 0.0 || true"), .bool(true))
        XCTAssertEqual(try evaluate("double(zone.population) * 2.5"), .double(30_000))
        XCTAssertEqual(try evaluate("any + 1"), .int(4))
    }

    func testResultTypes() throws {
        let environment = plannerEnvironment()
        XCTAssertEqual(try CELProgram(compiling: "zone.population > 5", in: environment).resultType, .bool)
        XCTAssertEqual(try CELProgram(compiling: "math.ceil(zone.ev_stock)", in: environment).resultType, .double)
        XCTAssertEqual(try CELProgram(compiling: "zone.sites.map(s, s.id)", in: environment).resultType, .list(.string))
        XCTAssertEqual(try CELProgram(compiling: "prev.zone", in: environment).resultType, .object("Zone"))
    }
}
