import XCTest
@testable import CEL

final class RobustnessTests: XCTestCase {
    func testTenThousandNestedParenthesesIsAParseError() {
        let source = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let failure = error(of: source)
        XCTAssertEqual(failure?.kind, .parse)
        XCTAssertEqual(failure?.message.contains("nesting"), true)
        XCTAssertEqual(failure?.line, 1)
        XCTAssertEqual(failure?.column, 251)
    }

    func testDeepListsAndUnaryChainsAreErrors() {
        XCTAssertEqual(
            error(of: String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))?.kind, .parse)
        XCTAssertEqual(error(of: String(repeating: "-", count: 100_000) + "1")?.kind, .parse)
        XCTAssertEqual(error(of: "x" + String(repeating: ".f", count: 100_000))?.kind, .parse)
    }

    func testOneMegabyteExpression() throws {
        // A long && chain is balanced, so it evaluates.
        let terms = Array(repeating: "x == 5", count: 120_000).joined(separator: " && ")
        XCTAssertGreaterThan(terms.utf8.count, 1_000_000)
        XCTAssertEqual(try evaluate(terms), .bool(true))
        // A long + chain is too deep and is rejected with a position.
        let sum = Array(repeating: "1", count: 400_000).joined(separator: " + ")
        XCTAssertGreaterThan(sum.utf8.count, 1_000_000)
        let failure = error(of: sum)
        XCTAssertEqual(failure?.kind, .parse)
        XCTAssertEqual(failure?.snippet(in: sum).contains("^"), true)
    }

    func testHundredThousandElementList() throws {
        let source = "[" + (0..<100_000).map(String.init).joined(separator: ", ") + "]"
        let program = try CELProgram(compiling: source + ".size()", in: plannerEnvironment(), costLimit: 1_000_000)
        XCTAssertEqual(try program.evaluate(sampleActivation()), .int(100_000))
        let limited = try CELProgram(compiling: source + ".size()", in: plannerEnvironment(), costLimit: 50_000)
        XCTAssertThrowsError(try limited.evaluate(sampleActivation())) { failure in
            XCTAssertEqual((failure as? CELError)?.kind, .cost)
        }
    }
}
