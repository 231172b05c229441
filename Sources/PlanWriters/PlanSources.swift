import Foundation
import PlanningEngine

/// Reads plan files from disk: one file, or every YAML file under a folder (relative paths).
public enum PlanFiles {
    public static func pair(
        _ old: String, _ new: String
    ) throws(DiagnosticsError) -> ([(path: String, text: String)], [(path: String, text: String)]) {
        let manager = FileManager.default
        var oldIsFolder: ObjCBool = false
        var newIsFolder: ObjCBool = false
        guard manager.fileExists(atPath: old, isDirectory: &oldIsFolder) else {
            throw DiagnosticsError([.error("no such file or folder: \(old)", at: nil)])
        }
        guard manager.fileExists(atPath: new, isDirectory: &newIsFolder) else {
            throw DiagnosticsError([.error("no such file or folder: \(new)", at: nil)])
        }
        if oldIsFolder.boolValue != newIsFolder.boolValue {
            throw DiagnosticsError([.error("compare a file with a file or a folder with a folder", at: nil)])
        }
        if !oldIsFolder.boolValue {
            let name = (new as NSString).lastPathComponent
            return ([(name, try read(old))], [(name, try read(new))])
        }
        return (try folder(old), try folder(new))
    }

    /// How diagnostics name a relative path of `pair`'s result: a file argument is named as given
    /// (both sides of a file pair share the new file's name), a folder's files under the folder.
    public static func displayName(of argument: String) -> (String) -> String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue {
            return { argument.hasSuffix("/") ? argument + $0 : argument + "/" + $0 }
        }
        return { _ in argument }
    }

    public static func read(_ path: String) throws(DiagnosticsError) -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            let at = SourcePosition(file: path, line: 1, column: 1)
            throw DiagnosticsError([
                .error("cannot read file: \(error.localizedDescription)", at: at, id: .unreadableFile)
            ])
        }
    }

    public static func folder(_ root: String) throws(DiagnosticsError) -> [(path: String, text: String)] {
        let paths = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter {
                ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml"))
                    && !$0.split(separator: "/").contains { $0.hasPrefix(".") }
            }
            .sorted()
        var files: [(path: String, text: String)] = []
        for path in paths { files.append((path, try read(root + "/" + path))) }
        return files
    }
}

/// The plans of a git revision: a temporary detached worktree, planned in memory, then removed.
public enum GitPlans {
    /// What a revision holds for a diff: the plans its inputs give, and the input files themselves.
    public struct Revision: Sendable {
        public var plans: [(path: String, text: String)]
        public var inputs: [(path: String, text: String)]
    }

    public static func plans(
        at revision: String, root: String
    ) throws(DiagnosticsError) -> [(path: String, text: String)] {
        try checkout(revision, root: root).plans
    }

    /// Plans `revision` and reads its input files (root-relative paths, as in the working tree).
    public static func checkout(
        _ revision: String, root: String, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> Revision {
        let prefix = try git(["-C", root, "rev-parse", "--show-prefix"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let temporary = NSTemporaryDirectory() + "chargeplan-diff-\(UUID().uuidString)"
        _ = try git(["-C", root, "worktree", "add", "--detach", "--quiet", temporary, revision])
        defer {
            _ = try? git(["-C", root, "worktree", "remove", "--force", temporary])
            try? FileManager.default.removeItem(atPath: temporary)
        }
        let revisionRoot = prefix.isEmpty ? temporary : temporary + "/" + prefix
        let workspace = try Workspace.load(root: revisionRoot)
        let plans = try PlanDiff.planFiles(of: workspace, progress: progress)
        return Revision(plans: plans, inputs: try InputSnapshot.read(root: revisionRoot))
    }

    @discardableResult
    static func git(_ arguments: [String]) throws(DiagnosticsError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw DiagnosticsError([.error("cannot run git: \(error.localizedDescription)", at: nil)])
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DiagnosticsError([
                .error(
                    "git \(arguments.filter { $0 != "-C" }.dropFirst().joined(separator: " ")) failed: \(message)",
                    at: nil)
            ])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The input files of a workspace as (root-relative path, text): what `diff --git` compares key by key.
public enum InputSnapshot {
    public static func read(root: String) throws(DiagnosticsError) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        for path in try Workspace.inputPaths(root: root) {
            files.append((path, try InputFile.read(root + "/" + path, shownAs: path)))
        }
        return files
    }
}

/// Finds the version of an input file that a plan's hash names: in project folders (the roots above the compared
/// plan folders, the working tree), then in the git history of `gitRoot`. A text is returned only when its
/// SHA-256 is the hash asked for, so a file found is exactly the one that was planned.
public struct InputLocator: Sendable {
    public var folders: [String]
    public var gitRoot: String?
    /// How many commits touching the file are searched, newest first.
    public var historyDepth: Int

    public init(folders: [String], gitRoot: String?, historyDepth: Int = 20) {
        self.folders = folders
        self.gitRoot = gitRoot
        self.historyDepth = historyDepth
    }

    public func text(path: String, sha256: String) -> String? {
        for folder in folders {
            if let text = try? InputFile.read(folder + "/" + path, shownAs: path), SHA256.hex(text.utf8) == sha256 {
                return text
            }
        }
        guard let gitRoot,
            let log = try? GitPlans.git(["-C", gitRoot, "log", "--format=%H", "-n", String(historyDepth), "--", path])
        else { return nil }
        for commit in log.split(separator: "\n") {
            let version = try? GitPlans.git(["-C", gitRoot, "show", "\(commit):./\(path)"])
            if let text = version, SHA256.hex(text.utf8) == sha256 {
                return text
            }
        }
        return nil
    }
}

extension PlanDiff {
    /// `diff --git REV`: the plans of REV's inputs against those of the working tree's (both planned in memory), and
    /// the input files of the two, key by key.
    public static func againstRevision(
        _ revision: String, root: String, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> Report {
        let before = try GitPlans.checkout(revision, root: root, progress: progress)
        let workspace = try Workspace.load(root: root)
        var report = try compare(old: before.plans, new: try planFiles(of: workspace, progress: progress))
        let inputs = try InputSnapshot.read(root: root)
        report.inputs = InputChanges.compare(old: before.inputs, new: inputs, basis: .revision(revision))
        return report
    }

    /// `diff OLD NEW`: two plan files or folders. Which inputs changed comes from the hashes the plans record; the
    /// changed keys are named when both versions of a file are found (`InputLocator`): in the project folders above
    /// OLD and NEW, in `root`, or in `root`'s git history.
    public static func betweenPlans(old: String, new: String, root: String) throws(DiagnosticsError) -> Report {
        let (a, b) = try PlanFiles.pair(old, new)
        var report = try compare(
            old: a, new: b, oldName: PlanFiles.displayName(of: old),
            newName: PlanFiles.displayName(of: new))
        var folders: [String] = []
        for argument in [old, new] {
            var url = URL(fileURLWithPath: argument).standardizedFileURL
            for _ in 0..<3 {
                url = url.deletingLastPathComponent()
                folders.append(url.path)
            }
        }
        folders.append(URL(fileURLWithPath: root).standardizedFileURL.path)
        let locator = InputLocator(folders: orderedUnique(folders), gitRoot: root)
        report.inputs = InputChanges.compare(
            oldHashes: InputChanges.inputHashes(of: a), newHashes: InputChanges.inputHashes(of: b),
            text: { locator.text(path: $0, sha256: $1) }
        )
        return report
    }
}
