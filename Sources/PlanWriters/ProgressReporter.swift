import Foundation
import PlanningEngine

/// Draws `ProgressBar` lines as work advances, from any thread: redrawn in place (`\r`) at most every
/// `interval` seconds and when the last item is done, then erased by `finish()`. The clock and the writer are
/// injected, so the command line gives it stderr and tests give it a string.
public final class ProgressReporter: ProgressSink, @unchecked Sendable {
    private let label: String
    private let interval: Double
    private let now: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var total = 0
    private var done = 0
    private let started: Double
    private var lastDrawn: Double?
    private var width = 0

    public init(
        label: String, interval: Double = 0.1,
        now: @escaping @Sendable () -> Double,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.interval = interval
        self.now = now
        self.write = write
        started = now()
    }

    /// A reporter writing to stderr when `ProgressBar.isWanted` for this process, else nil. The command line gives
    /// the clock: nothing in the library reads the time, so no output can depend on it.
    public static func onTerminal(label: String, now: @escaping @Sendable () -> Double) -> ProgressReporter? {
        guard
            ProgressBar.isWanted(
                stderrIsTerminal: isatty(STDERR_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
        else { return nil }
        return ProgressReporter(label: label, now: now) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    public func expect(_ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        total += max(count, 0)
    }

    public func advance() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let time = now()
        if done >= total || lastDrawn.map({ time - $0 >= interval }) ?? true { draw(at: time) }
    }

    /// Erases the line, so what the command prints next starts on a clean line.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if width > 0 { write("\r" + String(repeating: " ", count: width) + "\r") }
        width = 0
    }

    private func draw(at time: Double) {
        lastDrawn = time
        let line = ProgressBar.line(label: label, done: done, total: total, elapsedSeconds: time - started)
        // Pad over a longer previous line (a count that lost a digit cannot happen, but a label may change).
        write("\r" + line + String(repeating: " ", count: max(0, width - line.count)))
        width = max(width, line.count)
    }
}
