import Foundation
import PlanningEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one run's plans into an output folder all or nothing, so a planner never reads a set in
/// which one rollout is new and another old.
///
/// Every changed rollout folder is first built in `<output>/.chargeplan-staging-<pid>/new/`. A
/// `COMMITTED` file written by one rename then marks the set complete; only after it do the rollout
/// folders move into place, each by one rename, the previous ones kept in the staging folder. A run
/// killed before the mark leaves the old set (its staging is deleted by the next run); a run killed
/// after it is finished by the next run, which moves the remaining folders in. A failure while moving
/// moves everything back, so an error means nothing in the output folder changed. Runs are serialised
/// by a lock on the output folder. Only names that are one safe path component are ever joined.
public enum PlanSetWriter {
    /// The files of one rollout folder. With `keepOtherFiles`, files of the existing folder that are not
    /// listed stay (planning some cities of a rollout); otherwise the folder becomes exactly `files`.
    public struct RolloutFiles: Sendable {
        public var rollout: String
        public var files: [PlanFile]
        public var keepOtherFiles: Bool

        public init(rollout: String, files: [PlanFile], keepOtherFiles: Bool = false) {
            self.rollout = rollout
            self.files = files
            self.keepOtherFiles = keepOtherFiles
        }
    }

    public typealias PlanFile = (path: String, content: String)

    /// What a write did: the rollout folders replaced and those left as they were (same bytes).
    public struct Outcome: Sendable, Equatable {
        public var replaced: [String]
        public var unchanged: [String]
    }

    static let stagingPrefix = ".chargeplan-staging-"
    static let commitMark = "COMMITTED"

    public static func write(_ rollouts: [RolloutFiles], into output: String) throws(PlanOutput.WriteError) -> Outcome {
        try validate(rollouts)
        let manager = FileManager.default
        let existed = exists(output)
        do {
            try manager.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create the output folder \(output)", error)
        }
        let lock = try OutputLock(output)
        defer { lock.release() }
        do {
            try recover(output, locked: true)
            return try writeLocked(rollouts, into: output)
        } catch {
            if !existed { try? manager.removeItem(atPath: output) }
            throw error
        }
    }

    /// Finishes or discards what an interrupted run left in `output` (its staging folders).
    public static func recover(_ output: String) throws(PlanOutput.WriteError) {
        guard isFolder(output) else { return }
        let lock = try OutputLock(output)
        defer { lock.release() }
        try recover(output, locked: true)
    }

    // MARK: steps

    private static func validate(_ rollouts: [RolloutFiles]) throws(PlanOutput.WriteError) {
        var seen: Set<String> = []
        for rollout in rollouts {
            guard SafePath.isSafe(rollout.rollout) else {
                throw PlanOutput.WriteError(description: SafePath.refusal(rollout.rollout))
            }
            guard seen.insert(rollout.rollout).inserted else {
                throw PlanOutput.WriteError(description: "rollout folder '\(rollout.rollout)' given twice")
            }
            var names: Set<String> = []
            for file in rollout.files {
                guard SafePath.isSafe(file.path) else {
                    throw PlanOutput.WriteError(description: SafePath.refusal(file.path))
                }
                guard names.insert(file.path).inserted else {
                    throw PlanOutput.WriteError(
                        description: "file '\(file.path)' given twice in rollout '\(rollout.rollout)'")
                }
            }
        }
    }

    private static func writeLocked(
        _ rollouts: [RolloutFiles], into output: String
    ) throws(PlanOutput.WriteError) -> Outcome {
        var changed: [(rollout: String, files: [(name: String, source: FileSource)])] = []
        var unchanged: [String] = []
        for rollout in rollouts {
            let final = output + "/" + rollout.rollout
            if exists(final), !isFolder(final) {
                throw PlanOutput.WriteError(
                    description: "cannot write plans to \(final): it exists and is not a folder")
            }
            let current = try currentFiles(of: final)
            var wanted: [String: FileSource] = [:]
            if rollout.keepOtherFiles {
                for (name, _) in current { wanted[name] = .existing(final + "/" + name) }
            }
            for file in rollout.files { wanted[file.path] = .content(Data(file.content.utf8)) }
            if isFolder(final), try same(wanted, as: current) {
                unchanged.append(rollout.rollout)
                continue
            }
            changed.append((rollout.rollout, wanted.keys.sorted().map { ($0, wanted[$0] ?? .content(Data())) }))
        }
        if changed.isEmpty { return Outcome(replaced: [], unchanged: unchanged) }
        for rollout in changed {
            let final = output + "/" + rollout.rollout
            if isFolder(final), access(final, W_OK) != 0 {
                throw PlanOutput.WriteError(description: "cannot replace \(final): \(String(cString: strerror(errno)))")
            }
        }
        let staging = output + "/" + stagingPrefix + String(ProcessInfo.processInfo.processIdentifier)
        let manager = FileManager.default
        do {
            if exists(staging) { try manager.removeItem(atPath: staging) }
            try manager.createDirectory(atPath: staging + "/new", withIntermediateDirectories: true)
            try manager.createDirectory(atPath: staging + "/old", withIntermediateDirectories: true)
            for rollout in changed {
                let folder = staging + "/new/" + rollout.rollout
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: false)
                for file in rollout.files {
                    switch file.source {
                    case .content(let data): try data.write(to: URL(fileURLWithPath: folder + "/" + file.name))
                    case .existing(let path): try copyKeepingMode(path, to: folder + "/" + file.name)
                    }
                }
            }
            let mark = markText(changed.map(\.rollout))
            try Data(mark.utf8).write(to: URL(fileURLWithPath: staging + "/" + commitMark), options: .atomic)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw failure("cannot write plans to \(output)", error)
        }
        try apply(changed.map(\.rollout), staging: staging, output: output)
        try? manager.removeItem(atPath: staging)
        return Outcome(replaced: changed.map(\.rollout), unchanged: unchanged)
    }

    /// Moves each staged folder into place; on a failure, moves everything back as it was.
    static func apply(_ names: [String], staging: String, output: String) throws(PlanOutput.WriteError) {
        var done: [(name: String, hadOld: Bool)] = []
        for name in names {
            let final = output + "/" + name
            let hadOld = exists(final)
            if hadOld, rename(final, staging + "/old/" + name) != 0 {
                let reason = String(cString: strerror(errno))
                undo(done, staging: staging, output: output)
                try? FileManager.default.removeItem(atPath: staging)
                throw PlanOutput.WriteError(description: "cannot replace \(final): \(reason); nothing was changed")
            }
            if rename(staging + "/new/" + name, final) != 0 {
                let reason = String(cString: strerror(errno))
                if hadOld { _ = rename(staging + "/old/" + name, final) }
                undo(done, staging: staging, output: output)
                try? FileManager.default.removeItem(atPath: staging)
                throw PlanOutput.WriteError(
                    description: "cannot write plans to \(final): \(reason); nothing was changed")
            }
            done.append((name, hadOld))
        }
    }

    private static func undo(_ done: [(name: String, hadOld: Bool)], staging: String, output: String) {
        for (name, hadOld) in done.reversed() {
            let final = output + "/" + name
            _ = rename(final, staging + "/new/" + name)
            if hadOld { _ = rename(staging + "/old/" + name, final) }
        }
    }

    /// With the lock held: rolls a committed staging folder forward, deletes any other.
    static func recover(_ output: String, locked: Bool) throws(PlanOutput.WriteError) {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: output)) ?? []).sorted()
        for name in names where name.hasPrefix(stagingPrefix) {
            let staging = output + "/" + name
            if let mark = try? String(contentsOfFile: staging + "/" + commitMark, encoding: .utf8) {
                for rollout in mark.split(separator: "\n").map(String.init) where SafePath.isSafe(rollout) {
                    let final = output + "/" + rollout
                    let new = staging + "/new/" + rollout
                    guard exists(new) else { continue }
                    let old = staging + "/old/" + rollout
                    if exists(final), !exists(old), rename(final, old) != 0 {
                        throw PlanOutput.WriteError(
                            description: "cannot finish the interrupted write of \(final): "
                                + String(cString: strerror(errno)))
                    }
                    if !exists(final), rename(new, final) != 0 {
                        throw PlanOutput.WriteError(
                            description: "cannot finish the interrupted write of \(final): "
                                + String(cString: strerror(errno)))
                    }
                }
            }
            do { try manager.removeItem(atPath: staging) } catch {
                throw failure("cannot remove the interrupted run's folder \(staging)", error)
            }
        }
        // Left by versions before this writer: `.<rollout>.tmp-<pid>` (discard) and `.<rollout>.old-<pid>`.
        for name in names where name.hasPrefix(".") && !name.hasPrefix(stagingPrefix) {
            guard let range = name.range(of: ".tmp-") ?? name.range(of: ".old-"),
                name[range.upperBound...].allSatisfy(\.isNumber), !name[range.upperBound...].isEmpty
            else { continue }
            let rollout = String(name[name.index(after: name.startIndex)..<range.lowerBound])
            let path = output + "/" + name
            if name[range] == ".old-", SafePath.isSafe(rollout), !exists(output + "/" + rollout) {
                _ = rename(path, output + "/" + rollout)
            } else {
                try? manager.removeItem(atPath: path)
            }
        }
    }

    // MARK: helpers

    private enum FileSource {
        case content(Data)
        case existing(String)
    }

    static func markText(_ names: [String]) -> String { names.joined(separator: "\n") + "\n" }

    /// The regular files of an existing rollout folder, by name.
    static func currentFiles(of folder: String) throws(PlanOutput.WriteError) -> [(String, String)] {
        guard isFolder(folder) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { ($0, folder + "/" + $0) }
        } catch {
            throw failure("cannot read \(folder)", error)
        }
    }

    private static func same(
        _ wanted: [String: FileSource], as current: [(String, String)]
    ) throws(PlanOutput.WriteError) -> Bool {
        guard wanted.count == current.count else { return false }
        for (name, path) in current {
            guard let source = wanted[name] else { return false }
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
            switch source {
            case .existing: continue
            case .content(let data):
                guard Int(info.st_size) == data.count, let onDisk = FileManager.default.contents(atPath: path),
                    onDisk == data
                else { return false }
            }
        }
        return true
    }

    private static func copyKeepingMode(_ source: String, to target: String) throws {
        var info = stat()
        guard lstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
            let data = FileManager.default.contents(atPath: source)
        else {
            throw PlanOutput.WriteError(description: "cannot keep \(source): not a readable regular file")
        }
        try data.write(to: URL(fileURLWithPath: target))
        _ = chmod(target, info.st_mode & 0o7777)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func failure(_ what: String, _ error: any Error) -> PlanOutput.WriteError {
        if let error = error as? PlanOutput.WriteError { return error }
        let nsError = error as NSError
        let posix = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? $0.code : nil
        }
        let reason = posix.map { String(cString: strerror(Int32($0))) } ?? nsError.localizedDescription
        return PlanOutput.WriteError(description: "\(what): \(reason)")
    }
}

/// An exclusive `flock` on the output folder for the length of a write.
struct OutputLock {
    let descriptor: Int32

    init(_ folder: String) throws(PlanOutput.WriteError) {
        descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw PlanOutput.WriteError(
                description: "cannot open the output folder \(folder): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw PlanOutput.WriteError(description: "cannot lock the output folder \(folder): \(reason)")
        }
    }

    func release() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
