import TestSupport
import XCTest
@testable import CEL

/// `matches` runs RE2's dialect on a Pike VM: linear in the input, whatever the pattern.
final class RegexTests: XCTestCase {
    /// Runs the pattern both as a literal (compiled with the program) and as a run-time value.
    func assertMatches(
        _ pattern: String, _ text: String, _ expected: Bool, costLimit: Int = 10_000_000,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let shown = "'\(pattern)' on '\(text.prefix(40))'"
        XCTAssertEqual(
            try evaluateStrings("s.matches(p)", s: text, p: pattern, costLimit: costLimit), .bool(expected),
            shown, file: file, line: line)
        if !pattern.contains("'") {
            XCTAssertEqual(
                try evaluateStrings("s.matches(r'\(pattern)')", s: text, costLimit: costLimit),
                .bool(expected), "literal " + shown, file: file, line: line)
            XCTAssertEqual(
                try evaluateStrings("matches(s, r'\(pattern)')", s: text, costLimit: costLimit),
                .bool(expected), "global " + shown, file: file, line: line)
        }
    }

    func testReDoSPatternsAreLinear() {
        let n = 20_000
        let a = String(repeating: "a", count: n)
        let x = String(repeating: "x", count: n)
        let cases: [(String, String, Bool)] = [
            ("(a+)+$", a + "!", false),
            ("(a+)+$", a, true),
            ("(a|a)*b", a, false),
            ("(a|a)*b", a + "b", true),
            ("(a*)*b", a, false),
            ("(a*)*b", a + "!b", true),
            ("(x+x+)+y", x, false),
            ("(x+x+)+y", x + "y", true),
            ("^(([a-z])+.)+[A-Z]([a-z])+$", a + "!", false),
            ("^(([a-z])+.)+[A-Z]([a-z])+$", a + "Bcd", true),
            ("(.*a){12}", String(repeating: "b", count: n), false),
            ("(.*a){12}", a, true),
            ("^(\\w+\\s?)+$", String(repeating: "word ", count: n / 5) + "!", false),
            ("(a?){30}a{30}", String(repeating: "a", count: 29), false),
            ("(a?){30}a{30}", String(repeating: "a", count: 30), true),
        ]
        for (pattern, text, expected) in cases {
            assertMatches(pattern, text, expected)
        }
    }

    func testOrdinaryPatterns() {
        let cases: [(String, String, Bool)] = [
            // Unanchored (partial) match, as RE2 and CEL define it.
            ("ubb", "hubba", true), ("bc", "abcd", true), ("foo|bar", "", false), ("", "cows", true),
            ("^hk-[0-9]+$", "hk-12", true), ("^hk-[0-9]+$", "hk-12a", false),
            // Anchors: $ is the end of the text only (no final newline) unless (?m).
            ("^abc", "xabc", false), ("abc$", "abcx", false), ("abc$", "abc\n", false),
            ("(?m)abc$", "abc\nx", true), ("(?m)^x", "abc\nx", true), ("^x", "abc\nx", false),
            ("\\Aabc\\z", "abc", true), ("\\Aabc\\z", "abc\n", false),
            // Classes.
            ("[a-c]+", "xxbxx", true), ("^[^a-c]+$", "xyz", true), ("^[^a-c]+$", "xaz", false),
            ("[\\d]", "x5", true), ("^\\D+$", "ab1", false), ("^\\w+$", "ab_9", true), ("^\\w+$", "é", false),
            ("\\s", "a b", true), ("^\\S+$", "a\tb", false), ("^[[:alpha:]]+$", "abcXYZ", true),
            ("^[[:digit:][:upper:]]+$", "A1B2", true), ("[[:^alpha:]]", "abc", false),
            ("^[\\]\\-a]+$", "]-a", true), ("^[a-]+$", "a-a", true), ("^[]a]+$", "]a", true),
            ("^[^\\d\\s]+$", "ab", true), ("^[^\\d\\s]+$", "a b", false),
            // Alternation and groups.
            ("^(cat|dog)s?$", "dogs", true), ("^(cat|dog)s?$", "cow", false), ("gr(a|e)y", "grey", true),
            ("^(?:ab|cd)+$", "abcdab", true), ("^(?P<pair>ab)+$", "abab", true), ("^(?<pair>ab)+$", "aba", false),
            // Counted repetition boundaries.
            ("^a{2,3}$", "a", false), ("^a{2,3}$", "aa", true), ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false),
            ("^a{2}$", "aa", true), ("^a{2}$", "aaa", false), ("^a{2,}$", "a", false), ("^a{2,}$", "aaaaa", true),
            ("^a{0}$", "", true), ("^(ab){1,2}$", "abab", true), ("^(ab){1,2}$", "ababab", false),
            ("a{,2}", "a{,2}", true), ("^x{1000}$", String(repeating: "x", count: 1000), true),
            // Lazy forms give the same boolean.
            ("^a+?$", "aaa", true), ("^a{1,2}?b$", "aab", true), ("^a*?$", "b", false),
            // Case-insensitive flags, as a prefix and in groups.
            ("(?i)^hello$", "HeLLo", true), ("^hello$", "HeLLo", false), ("(?i)[a-c]+", "XBX", true),
            ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false), ("(?i)é", "É", true), ("(?i)[^a]", "A", false),
            ("(?i)a(?-i)b", "Ab", true), ("(?i)a(?-i)b", "AB", false), ("(?i)k", "\u{212A}", true),
            // Unicode literals and classes: the text is a sequence of code points.
            ("^mañana$", "mañana", true), ("a+ñ+a+", "mañana", true), ("^.$", "😀", true), ("^..$", "😀", false),
            ("(a|😀){2}", "🐱😀😀", true), ("^\\x{1F600}$", "😀", true), ("^\\pL+$", "héllo", true),
            ("^\\p{Lu}", "Élan", true), ("\\PL", "abc", false), ("^\\p{^L}$", "1", true),
            ("^e\u{301}$", "\u{e9}", false),
            // `.` and newlines.
            ("a.b", "a\nb", false), ("(?s)a.b", "a\nb", true), ("a.b", "axb", true),
            // Word boundaries (ASCII, as RE2).
            ("\\bfoo\\b", "a foo b", true), ("\\bfoo\\b", "afoob", false), ("\\Bfoo", "afoo", true),
            // Escapes.
            ("^a\\.b$", "a.b", true), ("^a\\.b$", "axb", false), ("\\t", "a\tb", true), ("^\\Qa.b\\E$", "a.b", true),
            ("^\\Qa.b\\E$", "axb", false), ("\\101", "A", true), ("\\x41", "A", true), ("\\n", "a\nb", true),
            // Loops that can match the empty string terminate.
            ("^(a*)*$", "aaa", true), ("^(a*)+b$", "aab", true), ("(|a)+b", "b", true), ("^(a*|b)*$", "abba", true),
        ]
        for (pattern, text, expected) in cases {
            assertMatches(pattern, text, expected)
        }
    }

    /// A checker can see a bad literal pattern before anything runs; run-time patterns are unknown until then.
    func testLiteralPatternErrorsAreKnownAtCompileTime() throws {
        var environment = CELEnvironment()
        environment.declareVariable("p", type: .string)
        let (source, markers) = extractMarkers("false && 'abc'.1️⃣matches('(?=a)') || 'x'.2️⃣matches('(')")
        let bad = try CELProgram(compiling: source, in: environment)
        XCTAssertEqual(bad.literalPatternErrors.map(\.kind), [.evaluation, .evaluation])
        XCTAssertEqual(
            bad.literalPatternErrors.first?.message,
            "unsupported regular expression: lookahead (?=…) is not in RE2's dialect")
        // At the function names.
        XCTAssertEqual(bad.literalPatternErrors.map(\.column), ["1️⃣", "2️⃣"].compactMap { markers[$0]?.column })
        XCTAssertEqual(bad.literalPatternErrors.map(\.offset), ["1️⃣", "2️⃣"].compactMap { markers[$0]?.utf8Offset })
        XCTAssertEqual(
            try CELProgram(compiling: "'abc'.matches('^a+[bc]*$')", in: environment).literalPatternErrors.count, 0)
        XCTAssertEqual(try CELProgram(compiling: "'abc'.matches(p)", in: environment).literalPatternErrors.count, 0)
    }

    func testRejectedDialectIsAnEvaluationError() {
        let cases: [(String, String)] = [
            ("(?=a)", "unsupported regular expression: lookahead (?=…) is not in RE2's dialect"),
            ("(?!a)", "unsupported regular expression: negative lookahead (?!…) is not in RE2's dialect"),
            ("(?<=a)b", "unsupported regular expression: lookbehind (?<=…) is not in RE2's dialect"),
            ("(?<!a)b", "unsupported regular expression: negative lookbehind (?<!…) is not in RE2's dialect"),
            ("(a)\\1", "unsupported regular expression: backreference \\1 is not in RE2's dialect"),
            ("(?P<x>a)(?P=x)", "unsupported regular expression: backreference (?P=name) is not in RE2's dialect"),
            ("(?<x>a)\\k<x>", "unsupported regular expression: backreference \\k is not in RE2's dialect"),
            ("(?>a)", "unsupported regular expression: atomic group (?>…) is not in RE2's dialect"),
            ("a++", "unsupported regular expression: possessive quantifier ++ is not in RE2's dialect"),
            ("a*+", "unsupported regular expression: possessive quantifier *+ is not in RE2's dialect"),
            ("a{2}+", "unsupported regular expression: possessive quantifier {2}+ is not in RE2's dialect"),
            ("a{1001}", "unsupported regular expression: repetition count {1001} exceeds RE2's limit of 1000"),
            ("a{2,1001}", "unsupported regular expression: repetition count {2,1001} exceeds RE2's limit of 1000"),
            (
                "(a{100}){11}",
                "unsupported regular expression: nested repetition counts multiply to more than 1000, RE2's limit"
            ),
            ("a\\Z", "unsupported regular expression: \\Z is not in RE2's dialect (use \\z)"),
            ("(?#note)", "unsupported regular expression: comment group (?#…) is not in RE2's dialect"),
        ]
        for (pattern, message) in cases {
            for source in ["'abc'.matches(p)", "'abc'.matches(r'\(pattern)')"] {
                let failure = stringsError(source, p: pattern)
                XCTAssertEqual(failure?.kind, .evaluation, pattern)
                XCTAssertEqual(failure?.message, message, pattern)
                XCTAssertEqual(failure?.column, 7, pattern)  // the call (the function name)
            }
        }
        XCTAssertEqual(
            stringsError("'a'.matches(r'\\p{Greek}')")?.message.hasPrefix(
                "unsupported regular expression: Unicode class \\p{Greek} is not supported"), true)
    }

    func testInvalidPatternsAreEvaluationErrors() {
        let cases: [(String, String)] = [
            ("(", "missing )"), (")", "unexpected )"), ("[a", "missing closing ]"),
            ("*a", "missing argument to repetition operator: *"), ("a**", "bad repetition operator: **"),
            ("[z-a]", "bad character class range z-a"), ("a\\", "trailing \\"),
            ("a{3,2}", "bad repetition operator: {3,2}"),
            ("\\y", "invalid escape sequence \\y"), ("(?x)a", "invalid or unsupported Perl syntax: (?x"),
            ("[[:foo:]]", "invalid character class range: [:foo:]"),
        ]
        for (pattern, reason) in cases {
            let failure = stringsError("s.matches(p)", p: pattern)
            XCTAssertEqual(failure?.kind, .evaluation, pattern)
            XCTAssertEqual(failure?.message, "invalid regular expression '\(pattern)': \(reason)", pattern)
        }
        // A literal pattern is compiled with the program, but its error is still an evaluation
        // error of the call, so it can be absorbed like any other.
        XCTAssertEqual(stringsError("'a'.matches('(')")?.kind, .evaluation)
        XCTAssertEqual(try evaluateStrings("false && 'a'.matches('(')"), .bool(false))
        XCTAssertEqual(try evaluateStrings("'a'.matches('(') || true"), .bool(true))
    }

    func testMatchingIsChargedToTheBudget() throws {
        let long = String(repeating: "a", count: 200_000) + "!"
        // Linear work, charged per 16 machine steps: a large input exceeds a small budget...
        XCTAssertEqual(stringsError("s.matches('(a+)+$')", s: long, costLimit: 1_000)?.kind, .cost)
        XCTAssertEqual(stringsError("s.matches(p)", s: long, p: "(x+x+)+y", costLimit: 1_000)?.kind, .cost)
        // ...and completes with a larger one.
        XCTAssertEqual(try evaluateStrings("s.matches('(a+)+$')", s: long, costLimit: 10_000_000), .bool(false))
        // Patterns built at run time are charged for their program; repeated searches add up.
        let repeated = "[1,2,3,4,5,6,7,8,9,10].all(i, [1,2,3,4,5,6,7,8,9,10].all(j, !s.matches(p)))"
        XCTAssertEqual(stringsError(repeated, s: long, p: "b", costLimit: 100_000)?.kind, .cost)
        let bigProgram = "[1,2,3,4,5,6,7,8,9,10].all(i, [1,2,3,4,5,6,7,8,9,10].all(j, !'x'.matches(p + string(i))))"
        XCTAssertEqual(
            stringsError(bigProgram, p: String(repeating: "(a{1000})", count: 20), costLimit: 10_000)?.kind,
            .cost)
        // A cost error is not absorbed by || or &&.
        XCTAssertEqual(stringsError("s.matches('(a|a)*b') || true", s: long, costLimit: 1_000)?.kind, .cost)
    }

    func testCompiledProgramsAreBounded() {
        XCTAssertEqual(
            stringsError("s.matches(p)", p: String(repeating: "a{1000}", count: 200))?.message,
            "unsupported regular expression: regular expression too large (more than 100000 instructions)")
        XCTAssertEqual(
            stringsError("s.matches(p)", p: String(repeating: "(?:){1000}", count: 500))?.message,
            "unsupported regular expression: regular expression too large (more than 100000 instructions)")
        let deep = String(repeating: "(", count: 300) + "a" + String(repeating: ")", count: 300)
        XCTAssertEqual(stringsError("s.matches(p)", p: deep)?.kind, .evaluation)
        let shallow = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        XCTAssertEqual(try evaluateStrings("s.matches(p)", s: "a", p: shallow), .bool(true))
    }
}
