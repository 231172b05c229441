import Foundation
import XCTest

@testable import PlanWriters

/// The progress bar: its text, when it is drawn at all, and how often.
final class ProgressBarTests: XCTestCase {
    func testTheLineShowsTheBarTheCountsTheShareAndTheTimeLeft() {
        XCTAssertEqual(
            ProgressBar.line(label: "sweep", done: 0, total: 1000, elapsedSeconds: 3),
            "sweep [........................] 0/1000 0% ETA --:--")
        XCTAssertEqual(
            ProgressBar.line(label: "sweep", done: 250, total: 1000, elapsedSeconds: 10),
            "sweep [######..................] 250/1000 25% ETA 0:30")
        XCTAssertEqual(
            ProgressBar.line(label: "plan", done: 41, total: 41, elapsedSeconds: 2),
            "plan [########################] 41/41 100% ETA 0:00")
        // Rounded down: 100 % and a full bar only when everything is done.
        XCTAssertEqual(
            ProgressBar.line(label: "x", done: 999, total: 1000, elapsedSeconds: 999),
            "x [#######################.] 999/1000 99% ETA 0:01")
        XCTAssertEqual(
            ProgressBar.line(label: "x", done: 1, total: 3, elapsedSeconds: 7200),
            "x [########................] 1/3 33% ETA 4:00:00")
        XCTAssertEqual(
            ProgressBar.line(label: "x", done: 5, total: 0, elapsedSeconds: 1),
            "x [########################] 0/0 100% ETA 0:00", "no work is all done; a count never exceeds the total")
        XCTAssertEqual(
            ProgressBar.line(label: "x", done: 1, total: 2, elapsedSeconds: -.infinity),
            "x [############............] 1/2 50% ETA --:--")
    }

    func testTheClock() {
        XCTAssertEqual(ProgressBar.clock(0), "0:00")
        XCTAssertEqual(ProgressBar.clock(0.2), "0:01", "a part of a second left is a second")
        XCTAssertEqual(ProgressBar.clock(59), "0:59")
        XCTAssertEqual(ProgressBar.clock(60), "1:00")
        XCTAssertEqual(ProgressBar.clock(3599), "59:59")
        XCTAssertEqual(ProgressBar.clock(3600), "1:00:00")
        XCTAssertEqual(ProgressBar.clock(1e12), "99:59:59")
        XCTAssertEqual(ProgressBar.clock(-5), "0:00")
    }

    func testOnlyATerminalWithoutNoColorOrCIGetsABar() {
        XCTAssertTrue(ProgressBar.isWanted(stderrIsTerminal: true, environment: ["TERM": "xterm"]))
        XCTAssertFalse(ProgressBar.isWanted(stderrIsTerminal: false, environment: [:]), "a pipe or a file")
        XCTAssertFalse(ProgressBar.isWanted(stderrIsTerminal: true, environment: ["NO_COLOR": "1"]))
        XCTAssertFalse(ProgressBar.isWanted(stderrIsTerminal: true, environment: ["NO_COLOR": ""]), "set is set")
        XCTAssertFalse(ProgressBar.isWanted(stderrIsTerminal: true, environment: ["CI": "true"]))
        XCTAssertFalse(ProgressBar.isWanted(stderrIsTerminal: false, environment: ["CI": "true", "NO_COLOR": "1"]))
    }

    func testTheReporterRedrawsAtMostEveryIntervalAndErasesItsLine() {
        final class Output: @unchecked Sendable {
            let lock = NSLock()
            var text = ""
            var time = 100.0
        }
        let output = Output()
        let reporter = ProgressReporter(
            label: "t", interval: 0.5, now: { output.lock.withLock { output.time } },
            write: { text in output.lock.withLock { output.text += text } })
        reporter.expect(3)
        reporter.advance()  // the first item is always drawn
        output.lock.withLock { output.time = 100.2 }
        reporter.advance()  // 0.2 s later: not redrawn
        XCTAssertEqual(output.text, "\rt [########................] 1/3 33% ETA 0:00")
        output.lock.withLock { output.time = 100.3 }
        reporter.advance()  // the last item is always drawn
        XCTAssertTrue(output.text.hasSuffix("\rt [########################] 3/3 100% ETA 0:00"), output.text)
        reporter.finish()
        let width = "t [########################] 3/3 100% ETA 0:00".count
        XCTAssertTrue(output.text.hasSuffix("\r" + String(repeating: " ", count: width) + "\r"), output.text)
        let length = output.text.count
        reporter.finish()
        XCTAssertEqual(output.text.count, length, "erased once")
    }

    func testNoReporterWhenStderrIsNotATerminal() {
        // The test runner's stderr is a pipe or a file, never a terminal.
        XCTAssertEqual(isatty(STDERR_FILENO), 0)
        XCTAssertNil(ProgressReporter.onTerminal(label: "x") { 0 })
    }
}
