import Dispatch
import Foundation

extension ParallelMap {
    /// `mapAll` where each thread first makes a `worker` of its own (rules compiled, caches filled) and hands it to
    /// every item it takes: what the items read is then never shared between cores. The results are in input order
    /// and must not depend on which worker made them; a worker that cannot be made fails the whole map.
    public static func mapAll<Input: Sendable, Worker, Output: Sendable>(
        _ inputs: [Input], threads: Int? = nil, worker makeWorker: @Sendable () throws(DiagnosticsError) -> Worker,
        _ body: @Sendable (Worker, Input) throws(DiagnosticsError) -> Output
    ) throws(DiagnosticsError) -> [Output] {
        guard !inputs.isEmpty else { return [] }
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, inputs.count, maximumThreads))
        let queue = WorkQueue<Output>(count: inputs.count)
        @Sendable func run(_: Int) {
            let worker: Worker
            do throws(DiagnosticsError) { worker = try makeWorker() } catch {
                queue.fail(error)
                return
            }
            while let index = queue.next() {
                queue.set(index, Result { () throws(DiagnosticsError) -> Output in try body(worker, inputs[index]) })
            }
        }
        ParallelMap.onThreads(workers, run)
        return try queue.outputs()
    }
}

extension ParallelMap {
    /// More threads than this are not started whatever `--threads` asks: each has a stack of its own, and no
    /// machine this runs on has the cores to use more.
    public static let maximumThreads = 256

    /// Runs `body(0)` … `body(count - 1)` on threads of their own, started at once, and returns when all have: every
    /// worker is running from the start, where a pool may start its threads late and leave the first worker to take
    /// every item. Worker 0 too runs off this thread, so even one worker allocates in an arena of its own (glibc
    /// gives each thread one) rather than in the main arena among every loaded profile, where each allocation took
    /// longer the more cities were loaded.
    static func onThreads(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            // The threads reach the closure through this frame, which outlives them: none of them holds it.
            var shared = escapable
            withUnsafeMutablePointer(to: &shared) { pointer in
                let closure = SharedClosure(pointer: pointer)
                let group = DispatchGroup()
                for index in 0..<max(1, count) {
                    group.enter()
                    let thread = Thread {
                        closure.pointer.pointee(index)
                        group.leave()
                    }
                    thread.stackSize = 8 << 20
                    thread.start()
                }
                group.wait()
            }
        }
    }
}

/// Where the threads of `onThreads` find the closure they run: in the frame of the call, which waits for them all.
private struct SharedClosure: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<(Int) -> Void>
}

/// The items of a `mapAll` with workers: handed out one at a time, their results kept by index.
private final class WorkQueue<Output: Sendable>: @unchecked Sendable {
    private var results: [Result<Output, DiagnosticsError>?]
    private var started = 0
    private var workerFailure: DiagnosticsError?
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// The next item no worker has taken; nil when all are taken or a worker could not be made.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard workerFailure == nil, started < results.count else { return nil }
        started += 1
        return started - 1
    }

    func set(_ index: Int, _ result: Result<Output, DiagnosticsError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func fail(_ error: DiagnosticsError) {
        lock.lock()
        if workerFailure == nil { workerFailure = error }
        lock.unlock()
    }

    /// Every output in input order, or the diagnostics of every item that failed (a worker's failure alone if
    /// one could not be made).
    func outputs() throws(DiagnosticsError) -> [Output] {
        if let workerFailure { throw workerFailure }
        var outputs: [Output] = []
        var bag = DiagnosticBag()
        for result in results {
            switch result {
            case .success(let output)?: outputs.append(output)
            case .failure(let error)?: bag.append(contentsOf: error.diagnostics)
            case nil: break
            }
        }
        try bag.throwIfErrors()
        return outputs
    }
}
