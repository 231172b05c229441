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
