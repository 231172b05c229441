import TestSupport
import XCTest
@testable import CEL

/// Exact boundaries of int64 and uint64 arithmetic: the last value that fits is a value, one step
/// past it is an "integer overflow" error at the operator, never a trap or a wrapped result. Each
/// case runs on the typed int path (checked literals), on the boxed path (`dyn` operands) and
/// unchecked, so a regression in any of them fails here.
final class ArithmeticOverflowTests: XCTestCase {
    private let environments: [(name: String, environment: CELEnvironment)] = {
        var unchecked = plannerEnvironment()
        unchecked.typeCheckingEnabled = false
        return [("checked", plannerEnvironment()), ("unchecked", unchecked)]
    }()

    /// `lhs op rhs` as written and with both operands wrapped in `dyn(…)`.
    private func forms(_ lhs: String, _ op: String, _ rhs: String) -> [String] {
        ["\(lhs) 1️⃣\(op) \(rhs)", "dyn(\(lhs)) 1️⃣\(op) dyn(\(rhs))"]
    }

    private func assertValue(
        _ lhs: String, _ op: String, _ rhs: String, _ expected: CELValue,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for marked in forms(lhs, op, rhs) {
            let source = extractMarkers(marked).text
            for (name, environment) in environments {
                XCTAssertEqual(
                    try evaluate(source, environment), expected, "\(source) (\(name))", file: file, line: line)
            }
        }
    }

    private func assertError(
        _ lhs: String, _ op: String, _ rhs: String, _ message: String = "integer overflow",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for marked in forms(lhs, op, rhs) {
            for (name, environment) in environments {
                let failure = assertFails(marked, environment, file: file, line: line)
                XCTAssertEqual(failure?.kind, .evaluation, "\(marked) (\(name))", file: file, line: line)
                XCTAssertEqual(failure?.message, message, "\(marked) (\(name))", file: file, line: line)
            }
        }
    }

    private let intMax = "9223372036854775807"
    private let intMin = "-9223372036854775808"
    private let uintMax = "18446744073709551615u"

    func testIntAddition() {
        assertValue(intMax, "+", "0", .int(.max))
        assertError(intMax, "+", "1")
        assertValue(intMin, "+", "0", .int(.min))
        assertError(intMin, "+", "-1")
        assertValue(intMax, "+", intMin, .int(-1))
    }

    func testIntSubtraction() {
        assertValue("-9223372036854775807", "-", "1", .int(.min))
        assertError(intMin, "-", "1")
        assertValue("9223372036854775806", "-", "-1", .int(.max))
        assertError(intMax, "-", "-1")
        assertError("0", "-", intMin)
        assertValue("-1", "-", intMin, .int(.max))
    }

    func testIntMultiplication() {
        assertValue(intMax, "*", "1", .int(.max))
        assertError(intMax, "*", "2")
        assertValue(intMax, "*", "-1", .int(-Int64.max))
        assertValue(intMin, "*", "1", .int(.min))
        assertError(intMin, "*", "-1")
        assertValue("-4611686018427387904", "*", "2", .int(.min))
        assertError("4611686018427387904", "*", "2")
        assertError("3037000500", "*", "3037000500")  // the first square past int64
        assertValue("3037000499", "*", "3037000499", .int(9_223_372_030_926_249_001))
    }

    func testIntDivisionAndModulus() {
        assertValue(intMin, "/", "1", .int(.min))
        assertError(intMin, "/", "-1")
        assertValue("-9223372036854775807", "/", "-1", .int(.max))
        assertValue(intMin, "%", "1", .int(0))
        assertError(intMin, "%", "-1")
        assertValue(intMax, "%", "-1", .int(0))
        assertError("1", "/", "0", "division by zero")
        assertError(intMin, "/", "0", "division by zero")
        assertError("1", "%", "0", "modulus by zero")
    }

    func testUnaryMinus() throws {
        XCTAssertEqual(try evaluate("-(\(intMax))"), .int(-Int64.max))
        XCTAssertEqual(try evaluate("-(-9223372036854775807)"), .int(.max))
        XCTAssertEqual(try evaluate("-x"), .int(-5))
        for (name, environment) in environments {
            for marked in ["1️⃣-(\(intMin))", "1️⃣-dyn(\(intMin))", "1️⃣-(\(intMin) + 0)"] {
                let failure = assertFails(marked, environment)
                XCTAssertEqual(failure?.message, "integer overflow", "\(marked) (\(name))")
            }
        }
        // There is no unsigned negation: a check error, or an evaluation error when unchecked.
        XCTAssertEqual(error(of: "-(1u)")?.kind, .check)
        XCTAssertEqual(error(of: "-dyn(1u)")?.kind, .evaluation)
    }

    func testUIntArithmetic() {
        assertValue(uintMax, "+", "0u", .uint(.max))
        assertError(uintMax, "+", "1u")
        assertError("1u", "+", uintMax)
        assertValue("1u", "-", "1u", .uint(0))
        assertError("0u", "-", "1u")
        assertError("1u", "-", "2u")
        assertValue(uintMax, "*", "1u", .uint(.max))
        assertValue("9223372036854775807u", "*", "2u", .uint(18_446_744_073_709_551_614))
        assertError("9223372036854775808u", "*", "2u")
        assertError("4294967296u", "*", "4294967296u")
        assertValue(uintMax, "/", "1u", .uint(.max))
        assertValue(uintMax, "%", "2u", .uint(1))
        assertError("1u", "/", "0u", "division by zero")
        assertError("1u", "%", "0u", "modulus by zero")
    }

    func testIntOfDoubleOutOfRange() throws {
        // The largest doubles below 2^63 and above -2^63 convert; ±2^63 and beyond do not.
        XCTAssertEqual(try evaluate("int(9223372036854774784.0)"), .int(9_223_372_036_854_774_784))
        XCTAssertEqual(try evaluate("int(-9223372036854774784.0)"), .int(-9_223_372_036_854_774_784))
        XCTAssertEqual(try evaluate("int(-2.9)"), .int(-2))
        for source in [
            "int(9223372036854775807.0)", "int(9223372036854775808.0)", "int(-9223372036854775808.0)",
            "int(1e19)", "int(-1e19)", "int(1.0/0.0)", "int(-1.0/0.0)", "int(0.0/0.0)",
        ] {
            let failure = assertFails("1️⃣\(source)")
            XCTAssertEqual(failure?.kind, .evaluation, source)
            XCTAssertEqual(failure?.message.hasPrefix("range error converting "), true, source)
            XCTAssertEqual(failure?.message.hasSuffix(" to int"), true, source)
        }
    }

    func testOtherConversionsOutOfRange() throws {
        XCTAssertEqual(try evaluate("int(9223372036854775807u)"), .int(.max))
        XCTAssertEqual(
            error(of: "int(9223372036854775808u)")?.message, "range error converting 9223372036854775808u to int")
        XCTAssertEqual(try evaluate("uint(0)"), .uint(0))
        XCTAssertEqual(error(of: "uint(-1)")?.message, "range error converting -1 to uint")
        XCTAssertEqual(try evaluate("uint(-0.5)"), .uint(0))
        XCTAssertEqual(try evaluate("uint(18446744073709549568.0)"), .uint(18_446_744_073_709_549_568))
        for source in ["uint(-1.0)", "uint(18446744073709551616.0)", "uint(1.0/0.0)", "uint(0.0/0.0)"] {
            let failure = error(of: source)
            XCTAssertEqual(failure?.kind, .evaluation, source)
            XCTAssertEqual(failure?.message.hasSuffix(" to uint"), true, source)
        }
    }
}
