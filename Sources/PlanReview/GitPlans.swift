import Foundation
import PlanWriters
import PlanningEngine

/// The plans of a git revision: a temporary detached worktree, planned in memory, then removed.
public enum GitPlans {
    /// What a revision holds for a diff: the plans its inputs give (as plan trees), and the input files themselves.
    public struct Revision: Sendable {
        public var plans: [(path: String, tree: PlanNode)]
        public var inputs: [(path: String, text: String)]
    }

    public static func plans(
        at revision: String, root: String
    ) throws(DiagnosticsError) -> [(path: String, tree: PlanNode)] {
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
        let plans = try PlanDiff.planTrees(of: workspace, progress: progress)
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
