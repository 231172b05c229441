import XCTest
@testable import CEL

/// CEL strings are sequences of code points with no normalisation.
final class CodePointStringTests: XCTestCase {
    func testMapKeysAreCodePoints() throws {
        guard case .map(let map) = try evaluate("{'\\u00e9': 1, 'e\\u0301': 2}") else { return XCTFail("not a map") }
        XCTAssertEqual(map.count, 2)
        XCTAssertEqual(map["\u{e9}"], .int(1))
        XCTAssertEqual(map["e\u{301}"], .int(2))
        XCTAssertEqual(try evaluate("'e\\u0301' in {'\\u00e9': 1}"), .bool(false))
        XCTAssertEqual(try evaluate("'\\u00e9' in {'\\u00e9': 1}"), .bool(true))
        XCTAssertEqual(error(of: "{'\\u00e9': 1}['e\\u0301']")?.kind, .evaluation)
        XCTAssertEqual(error(of: "{'\\u00e9': 1, '\\u00e9': 2}")?.message.hasPrefix("Failed with repeated key"), true)
        XCTAssertEqual(try evaluate("{'\\u00e9': 1} == {'e\\u0301': 1}"), .bool(false))
        XCTAssertEqual(CELMap([(.string("\u{e9}"), .int(1)), (.string("e\u{301}"), .int(2))])?.count, 2)
    }

    func testEqualityAndOrderingAreByCodePoint() throws {
        XCTAssertEqual(try evaluate("'e\\u0301' == '\\u00e9'"), .bool(false))
        XCTAssertEqual(try evaluate("'e\\u0301' != '\\u00e9'"), .bool(true))
        XCTAssertEqual(try evaluate("dyn('e\\u0301') == dyn('\\u00e9')"), .bool(false))
        XCTAssertEqual(try evaluate("['e\\u0301'] == ['\\u00e9']"), .bool(false))
        XCTAssertEqual(try evaluate("'e\\u0301' in ['\\u00e9']"), .bool(false))
        XCTAssertEqual(try evaluate("'\\u00e9' < 'e\\u0301'"), .bool(false))  // U+00E9 > U+0065
        XCTAssertEqual(try evaluate("'e\\u0301' < '\\u00e9'"), .bool(true))
        XCTAssertEqual(try evaluate("'\\uffff' < '\\U0001F600'"), .bool(true))  // not UTF-16 order
        XCTAssertNotEqual(CELValue.string("\u{e9}"), CELValue.string("e\u{301}"))
        XCTAssertEqual(CELValue.string("\u{e9}"), CELValue.string("\u{e9}"))
    }

    func testSubstringsAndSizesAreByCodePoint() throws {
        XCTAssertEqual(try evaluate("'xe\\u0301y'.contains('\\u00e9')"), .bool(false))
        XCTAssertEqual(try evaluate("'x\\u00e9y'.contains('e')"), .bool(false))
        XCTAssertEqual(try evaluate("'xe\\u0301y'.contains('e')"), .bool(true))
        XCTAssertEqual(try evaluate("'e\\u0301'.startsWith('e')"), .bool(true))
        XCTAssertEqual(try evaluate("'\\u00e9'.startsWith('e')"), .bool(false))
        XCTAssertEqual(try evaluate("'e\\u0301x'.endsWith('\\u0301x')"), .bool(true))
        XCTAssertEqual(try evaluate("'x\\u00e9'.endsWith('e\\u0301')"), .bool(false))
        XCTAssertEqual(try evaluate("size('e\\u0301')"), .int(2))
        XCTAssertEqual(try evaluate("size('\\u00e9')"), .int(1))
        XCTAssertEqual(try evaluate("'e\\u0301'.matches('^\\u00e9$')"), .bool(false))
        let long = String(repeating: "ab", count: 100) + "e\u{301}" + String(repeating: "c", count: 50)
        XCTAssertEqual(try evaluateStrings("s.contains(p)", s: long, p: "b" + "e\u{301}" + "cc"), .bool(true))
        let prefix = String(repeating: "ab", count: 40)  // long needles take the KMP path
        XCTAssertEqual(try evaluateStrings("s.contains(p)", s: long, p: prefix + "\u{e9}"), .bool(false))
        XCTAssertEqual(try evaluateStrings("s.contains(p)", s: long, p: prefix + "e\u{301}"), .bool(true))
    }

    func testTypedFastPathsUseCodePoints() throws {
        // Declared string fields go through the unboxed string paths.
        var activation = sampleActivation()
        activation.bind(
            "zone",
            .object(
                CELObject(
                    typeName: "Zone",
                    fields: [
                        "id": .string("e\u{301}"), "kind": .string("\u{e9}"), "population": .int(1),
                        "ev_stock": .double(0),
                        "sites": .list([]),
                    ])))
        for (source, expected) in [
            ("zone.kind == '\\u00e9'", true), ("zone.id == '\\u00e9'", false),
            ("zone.id == zone.kind", false), ("zone.id != zone.kind", true),
            ("zone.id.startsWith('e')", true), ("zone.kind.startsWith('e')", false),
            ("zone.id.contains('\\u00e9')", false), ("zone.id < zone.kind", true),
            ("zone.kind.matches('^e')", false), ("zone.id.matches('^e\\u0301$')", true),
        ] {
            let program = try CELProgram(compiling: source, in: plannerEnvironment())
            XCTAssertEqual(try program.evaluate(activation), .bool(expected), source)
        }
    }
}
