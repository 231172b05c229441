import Foundation
import PlanningEngine

/// Where the review commands read and write a project's files: paths relative to the project's root, and text
/// written through a temporary file and a rename, so no file is ever half-written.
public enum ProjectFiles {
    /// `path` under `root`, unless it is absolute or the root is the current folder.
    public static func path(_ path: String, in root: String) -> String {
        path.hasPrefix("/") || root == "." ? path : root + "/" + path
    }

    /// Writes every file whole; the first that cannot be written stops the rest.
    public static func write(_ files: [(path: String, content: String)]) throws(DiagnosticsError) {
        for file in files {
            do {
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: file.path), options: .atomic)
            } catch {
                throw DiagnosticsError([.error("cannot write \(file.path): \(error.localizedDescription)", at: nil)])
            }
        }
    }
}
