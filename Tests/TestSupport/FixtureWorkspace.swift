import Foundation

/// The repository's own inputs (`Cities/`, `Rules/`, `Scenarios/`) as the fixture workspace the test targets read,
/// load in memory or copy, and scratch workspaces written from a path → text map: one place that knows where the
/// checkout is and how a workspace is laid out, instead of one per test target.
public enum FixtureWorkspace {
    /// The repository root (three levels above this file: Tests/TestSupport/FixtureWorkspace.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The repository root as a path.
    public static var rootPath: String { root.path }

    /// The text of a root-relative file.
    public static func read(_ path: String) throws -> String {
        try String(contentsOfFile: rootPath + "/" + path, encoding: .utf8)
    }

    /// The root-relative paths of the files directly in `folder` whose names end in `suffix`, sorted.
    public static func files(in folder: String, suffix: String = ".yaml") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rootPath + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { folder + "/" + $0 }
    }

    /// The cities' outlines, `Cities/geo/*.geojson` (read by the profiles' `boundary:`, not YAML).
    public static func outlineFiles() -> [String] { files(in: "Cities/geo", suffix: ".geojson") }

    /// Every YAML input file of the repository, root-relative: rule test fixtures included.
    public static func inputFiles() -> [String] {
        var found = files(in: "Cities") + files(in: "Cities/rollouts")
        let sets = ((try? FileManager.default.contentsOfDirectory(atPath: rootPath + "/Rules")) ?? []).sorted()
        for set in sets {
            found += files(in: "Rules/" + set) + files(in: "Rules/\(set)/tests/fixtures")
        }
        return found + files(in: "Scenarios")
    }

    /// All input files (and outlines) as an in-memory workspace map (path → text).
    public static func inputs() throws -> [String: String] {
        var texts: [String: String] = [:]
        for path in inputFiles() + outlineFiles() { texts[path] = try read(path) }
        return texts
    }

    /// A new temporary folder named `prefix-UUID`; the caller removes it.
    public static func scratchFolder(prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A scratch copy of the repository's `folders` (by default the whole workspace); the caller removes it.
    public static func copy(_ folders: [String] = ["Cities", "Rules", "Scenarios"], prefix: String) throws -> URL {
        let folder = try scratchFolder(prefix: prefix)
        for name in folders {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// A scratch workspace holding `files` (relative path → text); the caller removes it.
    public static func write(_ files: [String: String], prefix: String) throws -> URL {
        let folder = try scratchFolder(prefix: prefix)
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }
}
