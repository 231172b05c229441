import Foundation
import PlanningEngine

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
