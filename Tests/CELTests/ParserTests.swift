import TestSupport
import XCTest
@testable import CEL

final class ParserTests: XCTestCase {
    func testLiteralsOfEveryForm() throws {
        XCTAssertEqual(try evaluate("-9223372036854775808"), .int(Int64.min))
        XCTAssertEqual(try evaluate("0x1F"), .int(31))
        XCTAssertEqual(try evaluate("18446744073709551615u"), .uint(UInt64.max))
        XCTAssertEqual(try evaluate("1.5e3"), .double(1500))
        XCTAssertEqual(try evaluate(".5"), .double(0.5))
        XCTAssertEqual(try evaluate(#"'a\tb\u00e9\x41\101'"#), .string("a\tbéAA"))
        XCTAssertEqual(try evaluate(#"r'a\n'"#), .string(#"a\n"#))
        XCTAssertEqual(try evaluate("'''multi\nline'''"), .string("multi\nline"))
        XCTAssertEqual(try evaluate(#"b'\xff\000'"#), .bytes([0xFF, 0]))
        XCTAssertEqual(try evaluate("null"), .null)
        XCTAssertEqual(try evaluate("true && !false"), .bool(true))
    }

    func testErrorCarriesPositionAndCaret() {
        let marked = "zone.population +\n  1️⃣* 2"
        guard let failure = assertFails(marked) else { return }
        XCTAssertEqual(failure.kind, .parse)
        XCTAssertEqual(failure.snippet(in: extractMarkers(marked).text), "  * 2\n  ^")
    }

    func testColumnsCountUnicodeScalars() {
        let source = "'héllo' + §"
        guard let failure = error(of: source) else { return XCTFail("expected a parse error") }
        XCTAssertEqual(failure.column, 11)
        XCTAssertEqual(failure.offset, 11)
        // The markers count the same way (scalars for columns, bytes for offsets), also across lines.
        assertFails("'héllo' + 1️⃣§")
        assertFails("'😀' +\r\n  'é' 1️⃣§")
        XCTAssertEqual(assertFails("'😀' + 1️⃣§")?.column, 7)
    }

    func testReservedWordsAndQuotedFields() throws {
        XCTAssertEqual(error(of: "if + 1")?.kind, .parse)
        XCTAssertEqual(try evaluate("{'if': 1}.if"), .int(1))
        XCTAssertEqual(try evaluate("{'content-type': 2}.`content-type`"), .int(2))
    }

    func testNodesRecordPositions() throws {
        let (source, markers) = extractMarkers("a 1️⃣+\n  b.2️⃣c")
        let expr = try Parser.parse(source)
        guard case .call(_, "_+_", let args) = expr.kind else { return XCTFail("expected +") }
        XCTAssertEqual(expr.position.line, markers["1️⃣"]?.line)
        XCTAssertEqual(expr.position.column, markers["1️⃣"]?.column)
        XCTAssertEqual(args[1].position.line, markers["2️⃣"]?.line)
        XCTAssertEqual(args[1].position.column, markers["2️⃣"]?.column)
        XCTAssertEqual(args[1].position.offset, markers["2️⃣"]?.utf8Offset)
    }
}
