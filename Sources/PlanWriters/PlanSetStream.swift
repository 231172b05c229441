import Foundation
import PlanningEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `PlanSetWriter` for a run too large to hold in memory: each file goes into the staging folder as soon as it is
/// made (from any thread) and is dropped, and `commit` then marks and moves the set into place exactly as
/// `PlanSetWriter.write` does — all or nothing, a rollout whose files did not change left untouched. The output
/// folder is locked from `init` to `commit` or `discard`, so no other run can recover (delete) this run's staging.
public final class PlanSetStream: @unchecked Sendable {
    private let output: String
    private let existed: Bool
    private let staging: String
    private let rollouts: [String]
    private let lock: OutputLock
    private let mutex = NSLock()
    /// Files written so far, by rollout.
    private var written: [String: Set<String>]
    private var closed = false

    /// Locks `output` (created when missing), finishes or discards an interrupted run's staging, and makes an
    /// empty staging folder for each rollout.
    public init(into output: String, rollouts: [String]) throws(PlanOutput.WriteError) {
        var seen: Set<String> = []
        for rollout in rollouts {
            guard SafePath.isSafe(rollout) else { throw PlanOutput.WriteError(description: SafePath.refusal(rollout)) }
            guard seen.insert(rollout).inserted else {
                throw PlanOutput.WriteError(description: "rollout folder '\(rollout)' given twice")
            }
        }
        self.output = output
        self.rollouts = rollouts
        written = Dictionary(uniqueKeysWithValues: rollouts.map { ($0, []) })
        existed = PlanSetWriter.exists(output)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw PlanSetWriter.failure("cannot create the output folder \(output)", error)
        }
        staging = output + "/" + PlanSetWriter.stagingPrefix + String(ProcessInfo.processInfo.processIdentifier)
        let lock: OutputLock
        do { lock = try OutputLock(output) } catch {
            if !existed { try? manager.removeItem(atPath: output) }
            throw error
        }
        self.lock = lock
        do {
            try PlanSetWriter.recover(output, locked: true)
            if PlanSetWriter.exists(staging) { try manager.removeItem(atPath: staging) }
            try manager.createDirectory(atPath: staging + "/old", withIntermediateDirectories: true)
            for rollout in rollouts {
                try manager.createDirectory(atPath: staging + "/new/" + rollout, withIntermediateDirectories: true)
            }
        } catch {
            discard()
            throw PlanSetWriter.failure("cannot write plans to \(output)", error)
        }
    }

    deinit { discard() }

    /// Writes one file of `rollout` into the staging folder (any thread; each path once).
    public func write(_ file: PlanSetWriter.PlanFile, in rollout: String) throws(PlanOutput.WriteError) {
        guard SafePath.isSafe(file.path) else { throw PlanOutput.WriteError(description: SafePath.refusal(file.path)) }
        mutex.lock()
        let known = written[rollout] != nil
        let fresh = known && written[rollout]?.insert(file.path).inserted == true
        let open = !closed
        mutex.unlock()
        guard open, known else {
            throw PlanOutput.WriteError(description: "rollout '\(rollout)' is not being written")
        }
        guard fresh else {
            throw PlanOutput.WriteError(description: "file '\(file.path)' given twice in rollout '\(rollout)'")
        }
        do {
            try Data(file.content.utf8).write(to: URL(fileURLWithPath: staging + "/new/" + rollout + "/" + file.path))
        } catch {
            throw PlanSetWriter.failure("cannot write plans to \(output)", error)
        }
    }

    /// Replaces each rollout folder whose files differ from the staged ones, all or nothing, and unlocks.
    public func commit() throws(PlanOutput.WriteError) -> PlanSetWriter.Outcome {
        mutex.lock()
        closed = true
        mutex.unlock()
        var changed: [String] = []
        var unchanged: [String] = []
        let manager = FileManager.default
        do {
            for rollout in rollouts {
                let final = output + "/" + rollout
                if PlanSetWriter.exists(final), !PlanSetWriter.isFolder(final) {
                    throw PlanOutput.WriteError(
                        description: "cannot write plans to \(final): it exists and is not a folder")
                }
                let staged = staging + "/new/" + rollout
                if PlanSetWriter.isFolder(final), try same(staged: staged, rollout: rollout, as: final) {
                    try manager.removeItem(atPath: staged)
                    unchanged.append(rollout)
                } else {
                    changed.append(rollout)
                }
            }
            if !changed.isEmpty {
                for rollout in changed {
                    let final = output + "/" + rollout
                    if PlanSetWriter.isFolder(final), access(final, W_OK) != 0 {
                        let reason = String(cString: strerror(errno))
                        throw PlanOutput.WriteError(description: "cannot replace \(final): \(reason)")
                    }
                }
                let mark = PlanSetWriter.markText(changed)
                try Data(mark.utf8).write(
                    to: URL(fileURLWithPath: staging + "/" + PlanSetWriter.commitMark),
                    options: .atomic)
                try PlanSetWriter.apply(changed, staging: staging, output: output)
            }
        } catch {
            discard()
            throw PlanSetWriter.failure("cannot write plans to \(output)", error)
        }
        try? manager.removeItem(atPath: staging)
        release()
        return PlanSetWriter.Outcome(replaced: changed, unchanged: unchanged)
    }

    /// Drops everything staged (and the output folder when this run created it) and unlocks: nothing changed.
    public func discard() {
        mutex.lock()
        let wasReleased = released
        closed = true
        mutex.unlock()
        guard !wasReleased else { return }
        try? FileManager.default.removeItem(atPath: staging)
        if !existed { try? FileManager.default.removeItem(atPath: output) }
        release()
    }

    private var released = false

    private func release() {
        mutex.lock()
        let first = !released
        released = true
        mutex.unlock()
        if first { lock.release() }
    }

    /// The staged folder holds exactly the regular files of `final`, with the same bytes (one file read at a time).
    private func same(staged: String, rollout: String, as final: String) throws(PlanOutput.WriteError) -> Bool {
        let current = try PlanSetWriter.currentFiles(of: final)
        let names = written[rollout] ?? []
        guard current.count == names.count else { return false }
        for (name, path) in current {
            guard names.contains(name) else { return false }
            var info = stat()
            var stagedInfo = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                lstat(staged + "/" + name, &stagedInfo) == 0, info.st_size == stagedInfo.st_size,
                let onDisk = FileManager.default.contents(atPath: path),
                let new = FileManager.default.contents(atPath: staged + "/" + name), onDisk == new
            else { return false }
        }
        return true
    }
}
