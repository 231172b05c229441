import Foundation
import XCTest

@testable import PlanningEngine

/// `ParallelMap`: results in input order whatever the threads, a worker of its own for each thread, failures
/// reported rather than lost.
final class ParallelMapTests: XCTestCase {
    /// Counts what the workers do, from every thread.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var workersMade = 0
        private(set) var threadsSeen: Set<String> = []

        func madeWorker() -> Int {
            lock.lock()
            defer { lock.unlock() }
            workersMade += 1
            return workersMade
        }

        func saw(_ thread: String) {
            lock.lock()
            threadsSeen.insert(thread)
            lock.unlock()
        }
    }

    func testEveryThreadMakesItsOwnWorkerAndTheResultsAreInInputOrder() throws {
        let log = Log()
        let inputs = Array(0..<200)
        let outputs = try ParallelMap.mapAll(
            inputs, threads: 2, worker: { () throws(DiagnosticsError) -> Int in log.madeWorker() }
        ) { (worker: Int, input: Int) throws(DiagnosticsError) -> Int in
            log.saw("\(worker)")
            usleep(200)
            return input * 3
        }
        XCTAssertEqual(outputs, inputs.map { $0 * 3 })
        XCTAssertEqual(log.workersMade, 2, "one worker per thread, made once")
        XCTAssertEqual(log.threadsSeen, ["1", "2"], "both threads took items")
    }

    func testOneItemOrOneThreadMakesOneWorkerAndNoItemsNone() throws {
        for (count, threads) in [(1, 4), (5, 1)] {
            let log = Log()
            let outputs = try ParallelMap.mapAll(
                Array(0..<count), threads: threads, worker: { () throws(DiagnosticsError) -> Int in log.madeWorker() }
            ) { (_: Int, input: Int) throws(DiagnosticsError) -> Int in input }
            XCTAssertEqual(outputs, Array(0..<count))
            XCTAssertEqual(log.workersMade, 1)
        }
        let log = Log()
        let none = try ParallelMap.mapAll(
            [Int](), threads: 2, worker: { () throws(DiagnosticsError) -> Int in log.madeWorker() }
        ) { (_: Int, input: Int) throws(DiagnosticsError) -> Int in input }
        XCTAssertEqual(none, [])
        XCTAssertEqual(log.workersMade, 0)
    }

    /// Even one worker runs off the calling thread, so its allocations go to an arena of their own and not to the
    /// one the loaded inputs fill.
    func testEveryWorkerRunsOffTheCallingThread() throws {
        let caller = pthread_self()
        for threads in [1, 2] {
            let offCaller = try ParallelMap.mapAll(
                Array(0..<8), threads: threads, worker: { () throws(DiagnosticsError) -> Int in 0 }
            ) { (_: Int, _: Int) throws(DiagnosticsError) -> Bool in pthread_equal(pthread_self(), caller) == 0 }
            XCTAssertEqual(offCaller, Array(repeating: true, count: 8), "\(threads) thread(s)")
        }
    }
    func testEveryFailedItemIsReportedInInputOrder() {
        XCTAssertThrowsError(
            try ParallelMap.mapAll(
                Array(0..<10), threads: 2, worker: { () throws(DiagnosticsError) in () }
            ) { (_: Void, input: Int) throws(DiagnosticsError) -> Int in
                if input % 4 == 1 { throw DiagnosticsError([.error("item \(input)", at: nil)]) }
                return input
            }
        ) { error in
            XCTAssertEqual((error as? DiagnosticsError)?.diagnostics.map(\.message), ["item 1", "item 5", "item 9"])
        }
    }

    func testAWorkerThatCannotBeMadeFailsTheMap() {
        XCTAssertThrowsError(
            try ParallelMap.mapAll(
                Array(0..<10), threads: 2,
                worker: { () throws(DiagnosticsError) -> Int in throw DiagnosticsError([.error("no worker", at: nil)]) }
            ) { (_: Int, input: Int) throws(DiagnosticsError) -> Int in input }
        ) { error in
            XCTAssertEqual((error as? DiagnosticsError)?.diagnostics.first?.message, "no worker")
        }
    }

    func testAHugeThreadCountStartsNoMoreThanTheMaximum() throws {
        let log = Log()
        let inputs = Array(0..<(ParallelMap.maximumThreads * 2))
        let outputs = try ParallelMap.mapAll(
            inputs, threads: 1_000_000, worker: { () throws(DiagnosticsError) -> Int in log.madeWorker() }
        ) { (_: Int, input: Int) throws(DiagnosticsError) -> Int in input }
        XCTAssertEqual(outputs, inputs)
        XCTAssertLessThanOrEqual(log.workersMade, ParallelMap.maximumThreads)
        XCTAssertEqual(ParallelMap.map(inputs, threads: 1_000_000) { $0 + 1 }, inputs.map { $0 + 1 })
    }

    func testMapKeepsInputOrderOnEveryThreadCount() {
        let inputs = Array(0..<97)
        for threads in [1, 2, 3, 8] {
            XCTAssertEqual(ParallelMap.map(inputs, threads: threads) { $0 * $0 }, inputs.map { $0 * $0 })
        }
    }
}
