import PlanningEngine

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
