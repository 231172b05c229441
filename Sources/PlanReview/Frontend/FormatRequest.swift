import Foundation
import PlanningEngine

/// What `chargeplan fmt` does once its arguments are parsed: formats the given input files (every one under the
/// root when none is given) canonically, and writes those that change, or with `check` only names them. A file that
/// cannot be read or parsed stops the run before anything is written.
public struct FormatRequest: Sendable {
    public var root: String
    /// Relative to `root`; empty for every input file.
    public var files: [String]

    public init(root: String, files: [String] = []) {
        self.root = root
        self.files = files.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
    }

    public struct Outcome: Sendable {
        /// The files looked at, relative to the root.
        public var paths: [String]
        /// The files whose canonical form differs, with that form.
        public var changed: [(path: String, content: String)]
    }

    /// The canonical form of every file; nothing written.
    public func formatted() throws(DiagnosticsError) -> Outcome {
        let paths = files.isEmpty ? try Workspace.inputPaths(root: root) : files
        var changed: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for path in paths {
            do {
                let text = try InputFile.read(full(path), shownAs: path)
                let formatted = try YAMLFormatter.format(text, path: path)
                if formatted != text { changed.append((path, formatted)) }
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticsError(failures) }
        return Outcome(paths: paths, changed: changed)
    }

    /// Writes the changed files, each through a temporary file and a rename.
    public func write(_ outcome: Outcome) throws(DiagnosticsError) {
        try ProjectFiles.write(outcome.changed.map { (full($0.path), $0.content) })
    }

    func full(_ path: String) -> String { ProjectFiles.path(path, in: root) }
}
