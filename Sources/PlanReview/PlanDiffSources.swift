import Foundation
import PlanningEngine

extension PlanDiff {
    /// `diff --git REV`: the plans of REV's inputs against those of the working tree's (both planned in memory), and
    /// the input files of the two, key by key.
    public static func againstRevision(
        _ revision: String, root: String, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> Report {
        let before = try GitPlans.checkout(revision, root: root, progress: progress)
        let workspace = try Workspace.load(root: root)
        var report = try compare(old: before.plans, new: try planTrees(of: workspace, progress: progress))
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
