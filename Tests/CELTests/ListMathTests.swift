import XCTest
@testable import CEL

final class ListMathTests: XCTestCase {
    private func listEnvironment() -> CELEnvironment {
        var environment = plannerEnvironment()
        environment.declareVariable("ints", type: .list(.int))
        environment.declareVariable("doubles", type: .list(.double))
        environment.declareVariable("empty", type: .list(.double))
        return environment
    }

    private func run(_ source: String, costLimit: Int = 100_000, ints: [Int64] = [1, 2, 3]) throws -> CELValue {
        var activation = sampleActivation()
        activation.bind("ints", .list(ints.map(CELValue.int)))
        activation.bind("doubles", .list([.double(8), .double(10), .double(12.5)]))
        activation.bind("empty", .list([]))
        let program = try CELProgram(compiling: source, in: listEnvironment(), costLimit: costLimit)
        return try program.evaluate(activation)
    }

    private func failure(_ source: String, costLimit: Int = 100_000, ints: [Int64] = [1, 2, 3]) -> CELError? {
        do {
            _ = try run(source, costLimit: costLimit, ints: ints)
            return nil
        } catch let error as CELError {
            return error
        } catch {
            return nil
        }
    }

    func testSumAndMeanOfIntAndDoubleLists() throws {
        XCTAssertEqual(try run("math.sum(ints)"), .int(6))
        XCTAssertEqual(try run("math.sum(doubles)"), .double(30.5))
        XCTAssertEqual(try run("math.sum([1u, 2u])"), .uint(3))
        XCTAssertEqual(try run("math.mean(ints)"), .double(2))
        XCTAssertEqual(try run("math.mean(doubles)"), .double(30.5 / 3))
        XCTAssertEqual(try CELProgram(compiling: "math.sum(doubles)", in: listEnvironment()).resultType, .double)
        XCTAssertEqual(try CELProgram(compiling: "math.mean(ints)", in: listEnvironment()).resultType, .double)
        XCTAssertEqual(try run("math.greatest(doubles) + math.least(doubles)"), .double(20.5))
    }

    func testEmptyListsSumToZeroOfTheElementTypeAndHaveNoMean() throws {
        XCTAssertEqual(try run("math.sum(empty)"), .double(0))
        XCTAssertEqual(try run("math.sum(ints.filter(i, i > 10))"), .int(0))
        XCTAssertEqual(try run("math.sum([])"), .int(0))
        let noMean = failure("math.mean(empty)")
        XCTAssertEqual(noMean?.kind, .evaluation)
        XCTAssertEqual(noMean?.message, "math.mean of an empty list")
    }

    func testIntSumOverflowIsAnErrorAndMixedListsAreRejected() {
        let overflow = failure("math.sum(ints)", ints: [Int64.max, 1])
        XCTAssertEqual(overflow?.kind, .evaluation)
        XCTAssertEqual(overflow?.message, "integer overflow")
        XCTAssertEqual(
            failure("math.sum([1, 2.0])")?.message,
            "math.sum: the list mixes int and double; convert the elements first (e.g. double(x))")
        XCTAssertEqual(failure("math.sum(['a'])")?.kind, .check)
        XCTAssertEqual(failure("math.mean(d)")?.kind, .check)
    }

    func testSumAndMeanChargeOnePerElement() throws {
        let long = Array(repeating: Int64(1), count: 2_000)
        XCTAssertEqual(try run("math.sum(ints)", ints: long), .int(2_000))
        for function in ["math.sum", "math.mean", "math.greatest"] {
            XCTAssertEqual(failure("\(function)(ints)", costLimit: 500, ints: long)?.kind, .cost, function)
        }
    }

    /// Erlang-C table values: A = 10 erlangs gives P(wait) 0.6821 / 0.4494 / 0.2853 / 0.1741 / 0.1019
    /// with 11 / 12 / 13 / 14 / 15 servers (the call-centre textbook example: 100 calls in 30 minutes,
    /// 3-minute handling); A = 2 with 3 servers waits with probability 4/9 (M/M/3 textbook case).
    func testQueueServersIsTheLeastErlangCServerCount() throws {
        // λ = 200 an hour × 0.05 h = 10 erlangs.
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.70)"), .double(11))  // 0.6821 <= 0.70
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.68)"), .double(12))  // 0.6821 > 0.68, 0.4494 <= 0.68
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.45)"), .double(12))
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.449)"), .double(13))
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.2853)"), .double(13))
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.2)"), .double(14))  // 0.1741
        XCTAssertEqual(try run("queue.servers(200.0, 0.05, 0.11)"), .double(15))  // 0.1019
        XCTAssertEqual(try run("queue.servers(4.0, 0.5, 0.45)"), .double(3))  // 4/9 = 0.444
        XCTAssertEqual(try run("queue.servers(4.0, 0.5, 0.44)"), .double(4))
        XCTAssertEqual(try run("queue.servers(0.0, 0.5, 0.2)"), .double(0))  // no arrivals, no server
        XCTAssertEqual(try run("queue.servers(10.0, 0.3, 1.0)"), .double(4))  // 3 erlangs: stable needs c > A
        XCTAssertEqual(
            try CELProgram(compiling: "queue.servers(1.0, 1.0, 0.2)", in: listEnvironment()).resultType, .double)
    }

    func testQueueServersIsStableForLargeLoads() throws {
        // 50,000 erlangs: a factorial or A^c would overflow; the recurrence stays in [0, 1].
        guard case .double(let servers) = try run("queue.servers(100000.0, 0.5, 0.2)", costLimit: 1_000_000) else {
            return XCTFail("not a double")
        }
        XCTAssertGreaterThan(servers, 50_000)
        XCTAssertLessThan(servers, 50_000 + 5 * 224)  // within a few √A of the load (square-root staffing)
    }

    func testQueueServersRejectsBadArgumentsWithErrors() {
        XCTAssertEqual(
            failure("queue.servers(-1.0, 0.5, 0.2)")?.message,
            "queue.servers: arrivals_per_hour must be a finite number >= 0, got -1.0")
        XCTAssertEqual(failure("queue.servers(1.0, -0.5, 0.2)")?.kind, .evaluation)
        XCTAssertEqual(
            failure("queue.servers(1.0, 0.5, 0.0)")?.message,
            "queue.servers: max_wait_probability must be in (0, 1], got 0.0")
        XCTAssertEqual(failure("queue.servers(1.0, 0.5, 1.5)")?.kind, .evaluation)
        XCTAssertEqual(failure("queue.servers(1.0, 0.5, 0.0/0.0)")?.kind, .evaluation)
        XCTAssertEqual(failure("queue.servers(1.0/0.0, 0.5, 0.2)")?.kind, .evaluation)
        XCTAssertEqual(failure("queue.servers(1e7, 1.0, 0.2)")?.kind, .evaluation)  // above a million erlangs
        XCTAssertEqual(failure("queue.servers(1.0, 0.5)")?.kind, .check)
        XCTAssertEqual(failure("queue.servers(1, 0.5, 0.2)")?.kind, .check)  // int: write 1.0
        XCTAssertEqual(failure("queue.servers(1e6, 0.5, 0.2)", costLimit: 100)?.kind, .cost)
    }

    func testUnknownMathFunctionIsNamedWithASuggestion() {
        let misspelt = assertFails("1️⃣math.summ(ints) + 1", listEnvironment())
        XCTAssertEqual(misspelt?.kind, .check)
        XCTAssertEqual(misspelt?.message, "unknown function 'math.summ'")
        XCTAssertEqual(misspelt?.hint, "did you mean 'math.sum'?")
        let unlike = failure("math.product(ints)")
        XCTAssertEqual(unlike?.message, "unknown function 'math.product'")
        XCTAssertEqual(unlike?.hint?.hasPrefix("math functions: math.abs, "), true)
        XCTAssertEqual(failure("mth.sum(ints)")?.message, "undeclared reference to 'mth'")
    }
}
