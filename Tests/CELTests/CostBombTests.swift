import XCTest
@testable import CEL

/// Work that grows with the operands is charged, so every expression stops within its budget.
final class CostBombTests: XCTestCase {
    /// Six levels of shared lists of ten: 10^6 leaves reachable from `f`, built for 60 units.
    let sharedLists =
        "cel.bind(a, [1,1,1,1,1,1,1,1,1,1], cel.bind(b, [a,a,a,a,a,a,a,a,a,a], "
        + "cel.bind(c, [b,b,b,b,b,b,b,b,b,b], cel.bind(d, [c,c,c,c,c,c,c,c,c,c], "
        + "cel.bind(e, [d,d,d,d,d,d,d,d,d,d], cel.bind(f, [e,e,e,e,e,e,e,e,e,e], BODY))))))"
    let sharedMaps =
        "cel.bind(a, {'k': [1,1,1,1,1,1,1,1,1,1]}, cel.bind(b, {'k': [a,a,a,a,a,a,a,a,a,a]}, "
        + "cel.bind(c, {'k': [b,b,b,b,b,b,b,b,b,b]}, cel.bind(d, {'k': [c,c,c,c,c,c,c,c,c,c]}, "
        + "cel.bind(e, {'k': [d,d,d,d,d,d,d,d,d,d]}, cel.bind(f, {'k': [e,e,e,e,e,e,e,e,e,e]}, BODY))))))"

    func assertCost(
        _ source: String, s: String = "", costLimit: Int = 100_000,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let failure = stringsError(source, s: s, costLimit: costLimit)
        XCTAssertEqual(
            failure?.kind, .cost, "\(source.suffix(60)): \(String(describing: failure))",
            file: file, line: line)
    }

    func testDeepEqualityOfSharedListsIsCharged() throws {
        for body in [
            "f == f", "f != f", "[f] == [f]", "{'x': f} == {'x': f}", "f in [f, f]", "f in [e, f]",
            "f.exists(x, x == f[0])", "[f, f].all(x, x == f)", "dyn(f) == dyn(f)",
        ] {
            assertCost(sharedLists.replacingOccurrences(of: "BODY", with: body))
        }
        for body in ["f == f", "f != f", "f in [f]", "[f].exists(x, x == f)"] {
            assertCost(sharedMaps.replacingOccurrences(of: "BODY", with: body))
        }
        // Building the structure, reading its size and comparing small parts stay cheap.
        func shared(_ body: String) -> String { sharedLists.replacingOccurrences(of: "BODY", with: body) }
        XCTAssertEqual(try evaluateStrings(shared("size(f) == 10")), .bool(true))
        XCTAssertEqual(try evaluateStrings(shared("a == a")), .bool(true))
        XCTAssertEqual(try evaluateStrings(shared("dyn(f) == e")), .bool(false))
        // With a large enough budget the comparison completes.
        XCTAssertEqual(try evaluateStrings(shared("f == f"), costLimit: 2_000_000), .bool(true))
    }

    func testStringWorkIsCharged() throws {
        let big = String(repeating: "a", count: 1_000_000)
        for source in [
            "size(s) > 0", "s.contains('b')", "s.startsWith(s)", "s.endsWith(s)", "s == s + ''",
            "s < s", "s in {s: 1}", "{s: 1}.size() == 1", "string(bytes(s)) == ''", "int(s) == 1",
            "double(s) > 0.0", "uint(s) == 1u", "s.matches('b')", "s in [s]", "{'k': 1}[s] == 1",
        ] {
            assertCost(source, s: big, costLimit: 10_000)
        }
        // Each operation alone fits the default budget; repeating it does not.
        XCTAssertEqual(try evaluateStrings("s.contains('b')", s: big), .bool(false))
        let loop = "[1,2,3,4,5,6,7,8,9,10].all(i, [1,2,3,4,5,6,7,8,9,10].all(j, !s.contains('b')))"
        assertCost(loop, s: big)
        assertCost("[1,2,3,4,5,6,7,8,9,10].all(i, [1,2,3,4,5,6,7,8,9,10].all(j, size(s) > 0))", s: big)
        assertCost("[1,2,3,4,5,6,7,8,9,10].exists(i, s == s + string(i))", s: big)
        // Short strings cost nothing extra, so typical rules keep their cost.
        XCTAssertEqual(
            try evaluateStrings(
                "s == 'urban_core' && s.startsWith('urban') && size(s) == 10",
                s: "urban_core", costLimit: 0), .bool(true))
    }

    func testIterationOverMapsReadsKeysInPlace() throws {
        // A map's keys are read in place: an early exit costs one iteration, not the map's size.
        let source = "{1: 1, 2: 2, 3: 3, 4: 4, 5: 5}.exists(k, true)"
        let program = try CELProgram(compiling: source, in: plannerEnvironment(), costLimit: 6)
        XCTAssertEqual(try program.evaluate(sampleActivation()), .bool(true))
        XCTAssertEqual(try evaluate("{'a': 1, 'b': 2}.map(k, k + k)"), .list([.string("aa"), .string("bb")]))
        XCTAssertEqual(try evaluate("{'a': 1, 'b': 2}.filter(k, k == 'b')"), .list([.string("b")]))
        XCTAssertEqual(try evaluate("{'a': 1, 'b': 2}.exists_one(k, k == 'b')"), .bool(true))
    }

    func testExistingGrowthBombsStillStop() {
        let growth =
            "cel.bind(s, 'abcdefgh', cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, "
            + "cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, "
            + "cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, cel.bind(s, s + s + s + s, "
            + "s.matches('(a+)+$'))))))))))"
        assertCost(growth)
        let lists =
            "cel.bind(l, [1,2,3,4,5,6,7,8,9,10], cel.bind(l, l + l + l + l, cel.bind(l, l + l + l + l, "
            + "cel.bind(l, l + l + l + l, cel.bind(l, l + l + l + l, cel.bind(l, l + l + l + l, "
            + "cel.bind(l, l + l + l + l, cel.bind(l, l + l + l + l, 0 in l))))))))"
        assertCost(lists)
    }
}
