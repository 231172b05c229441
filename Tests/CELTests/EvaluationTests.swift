import XCTest
@testable import CEL

final class EvaluationTests: XCTestCase {
    func testIntegerOverflowIsAnErrorNotATrap() {
        XCTAssertEqual(error(of: "9223372036854775807 + 1")?.message, "integer overflow")
        XCTAssertEqual(error(of: "-9223372036854775808 / -1")?.message, "integer overflow")
        XCTAssertEqual(error(of: "-9223372036854775808 % -1")?.message, "integer overflow")
        XCTAssertEqual(error(of: "0u - 1u")?.message, "integer overflow")
        XCTAssertEqual(error(of: "x / 0")?.message, "division by zero")
        XCTAssertEqual(error(of: "x % 0")?.message, "modulus by zero")
        XCTAssertEqual(error(of: "int(1e20)")?.kind, .evaluation)
        XCTAssertEqual(error(of: "uint(-1)")?.kind, .evaluation)
        XCTAssertEqual(error(of: "math.abs(-9223372036854775808)")?.message, "integer overflow")
    }

    func testEvaluationErrorPointsAtFailingNode() {
        let failure = assertFails("x + 10 1️⃣/ (x - 5)")
        XCTAssertEqual(failure?.kind, .evaluation)
        XCTAssertEqual(assertFails("[1, 2].map(v, v 1️⃣/ (v - 2))")?.message, "division by zero")
        XCTAssertEqual(assertFails("x > 0 &&\n  zone.sites1️⃣[2].id == 'a'")?.kind, .evaluation)
    }

    func testHeterogeneousNumbers() throws {
        XCTAssertEqual(try evaluate("dyn(1) == 1.0"), .bool(true))
        XCTAssertEqual(try evaluate("dyn(1) == 1u"), .bool(true))
        XCTAssertEqual(try evaluate("dyn(2) < 2.5"), .bool(true))
        XCTAssertEqual(try evaluate("1 < 2u"), .bool(true))
        XCTAssertEqual(try evaluate("0.0/0.0 == 0.0/0.0"), .bool(false))
        XCTAssertEqual(try evaluate("{1: 'a'}[1u]"), .string("a"))
        XCTAssertEqual(try evaluate("dyn(1u) in [1, 2]"), .bool(true))
    }

    func testStringsCountCodePoints() throws {
        XCTAssertEqual(try evaluate("size('héllo😀')"), .int(6))
        XCTAssertEqual(
            try evaluate("'héllo'.startsWith('hé') && 'abc'.endsWith('bc') && 'abc'.contains('b')"), .bool(true))
        XCTAssertEqual(try evaluate("'hk-12'.matches('^hk-[0-9]+$')"), .bool(true))
    }

    func testErrorAbsorptionIsCommutative() throws {
        XCTAssertEqual(try evaluate("1/0 == 1 || true"), .bool(true))
        XCTAssertEqual(try evaluate("true || 1/0 == 1"), .bool(true))
        XCTAssertEqual(try evaluate("1/0 == 1 && false"), .bool(false))
        XCTAssertEqual(error(of: "1/0 == 1 && true")?.message, "division by zero")
        XCTAssertEqual(try evaluate("[1, 0].exists(v, 1 / v == 1)"), .bool(true))
        XCTAssertEqual(error(of: "[0, 1].all(v, 1 / v == 1)")?.message, "division by zero")
        XCTAssertEqual(try evaluate("[0, 2].all(v, 1 / v == 1)"), .bool(false))
    }

    func testMacrosAndBind() throws {
        XCTAssertEqual(try evaluate("[1, 2, 3].map(v, v * 2)"), .list([.int(2), .int(4), .int(6)]))
        XCTAssertEqual(try evaluate("[1, 2, 3].map(v, v > 1, v * 10)"), .list([.int(20), .int(30)]))
        XCTAssertEqual(try evaluate("[1, 2, 3].filter(v, v % 2 == 1)"), .list([.int(1), .int(3)]))
        XCTAssertEqual(try evaluate("[1, 2, 3].exists_one(v, v == 2)"), .bool(true))
        XCTAssertEqual(try evaluate("{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])"), .bool(true))
        XCTAssertEqual(try evaluate("cel.bind(share, city.home_parking_share, share * 10.0)"), .double(4))
        XCTAssertEqual(try evaluate("has(zone.kind) && has({'a': 1}.a) && !has({'a': 1}.b)"), .bool(true))
    }

    func testMathExtension() throws {
        XCTAssertEqual(
            try evaluate("math.ceil(1.2) + math.floor(1.8) + math.round(2.5) + math.trunc(-1.7)"),
            .double(2 + 1 + 3 - 1))
        XCTAssertEqual(try evaluate("math.greatest(1, 2.5, 2u)"), .double(2.5))
        XCTAssertEqual(try evaluate("math.least([3, -1, 2])"), .int(-1))
        XCTAssertEqual(try evaluate("math.bitShiftLeft(1, 4) + math.bitAnd(6, 3)"), .int(18))
        XCTAssertEqual(try evaluate("math.isNaN(0.0/0.0) && math.isInf(1.0/0.0) && math.isFinite(1.0)"), .bool(true))
        XCTAssertEqual(try evaluate("math.sign(-3.5)"), .double(-1))
    }

    func testObjectsNestAndReadByField() throws {
        XCTAssertEqual(try evaluate("prev.zone.population"), .int(11_000))
        XCTAssertEqual(try evaluate("zone.sites.filter(s, s.grid_kw >= 600.0).size()"), .int(1))
        XCTAssertEqual(try evaluate("zone.sites[1].id"), .string("b"))
        XCTAssertEqual(try evaluate("type(zone) == type(prev.zone)"), .bool(true))
    }

    func testObjectsBuiltWithOtherFieldSetsStillWork() throws {
        var activation = sampleActivation()
        activation.bind(
            "zone", .object(CELObject(typeName: "Zone", fields: ["kind": .string("rural"), "id": .string("z")])))
        let program = try CELProgram(compiling: "zone.kind == 'rural' && zone.id == 'z'", in: plannerEnvironment())
        XCTAssertEqual(try program.evaluate(activation), .bool(true))
        let missing = try CELProgram(compiling: "zone.population", in: plannerEnvironment())
        XCTAssertThrowsError(try missing.evaluate(activation))
    }

    func testUnboundVariableIsAnEvaluationError() throws {
        let program = try CELProgram(compiling: "year + 1", in: plannerEnvironment())
        XCTAssertThrowsError(try program.evaluate(CELActivation())) { failure in
            XCTAssertEqual((failure as? CELError)?.kind, .evaluation)
        }
    }

    func testConversions() throws {
        XCTAssertEqual(try evaluate("int('42') + int(2.9) + int(3u)"), .int(47))
        XCTAssertEqual(try evaluate("double(x) / 2.0"), .double(2.5))
        XCTAssertEqual(try evaluate("string(1.5) + string(2u) + string(b'ok')"), .string("1.52ok"))
        XCTAssertEqual(try evaluate("bool('true') && bytes('a') == b'a'"), .bool(true))
        XCTAssertEqual(try evaluate("type(1u) == uint && type([]) == list"), .bool(true))
    }
}
