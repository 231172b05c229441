import PlanWriters
import PlanningEngine

/// Which input files changed between the two sides of a plan diff, and in each which keys, so the
/// diff names its cause (`params.fast_utilisation_hours.value: 2.4 → 2.6 at Rules/china/params.yaml:9:36`).
public struct InputChanges: Sendable, Equatable {
    /// How the two sides' inputs were known.
    public enum Basis: Sendable, Equatable {
        /// `diff --git REV`: the input files of REV against the working tree's.
        case revision(String)
        /// Two plan folders or files: the input hashes the plans record, and the file versions found for them.
        case hashes
    }

    public var basis: Basis
    /// Changed, added and removed input files, by path.
    public var files: [InputFileChange]

    public init(basis: Basis, files: [InputFileChange]) {
        self.basis = basis
        self.files = files
    }

    /// At most this many changed files are looked up by hash (each may search the git history).
    public static let maximumLookups = 20

    /// Compares the input files of two revisions, given as (root-relative path, text).
    public static func compare(
        old: [(path: String, text: String)], new: [(path: String, text: String)],
        basis: Basis
    ) -> InputChanges {
        let before = Dictionary(old.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        var files: [InputFileChange] = []
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case (nil, .some): files.append(InputFileChange(path: path, status: .added))
            case (.some, nil): files.append(InputFileChange(path: path, status: .removed))
            case (let a?, let b?) where a != b: files.append(changedFile(path, old: a, new: b))
            default: break
            }
        }
        return InputChanges(basis: basis, files: files)
    }

    /// Compares the input hashes two plan sets record (path → hashes, `inputHashes(of:)`). `text(path, sha256)`
    /// gives a file's text when a version with that hash is at hand, so the changed keys can be named.
    public static func compare(
        oldHashes: [String: Set<String>], newHashes: [String: Set<String>],
        text: (String, String) -> String?
    ) -> InputChanges {
        var files: [InputFileChange] = []
        var lookups = 0
        for path in Set(oldHashes.keys).union(newHashes.keys).sorted() {
            switch (oldHashes[path], newHashes[path]) {
            case (nil, .some): files.append(InputFileChange(path: path, status: .added))
            case (.some, nil): files.append(InputFileChange(path: path, status: .removed))
            case (let a?, let b?) where a != b:
                var change = InputFileChange(path: path, status: .changed)
                if a.count == 1, b.count == 1, let oldHash = a.first, let newHash = b.first, lookups < maximumLookups {
                    lookups += 1
                    if let oldText = text(path, oldHash), let newText = text(path, newHash) {
                        change = changedFile(path, old: oldText, new: newText)
                    }
                }
                files.append(change)
            default: break
            }
        }
        return InputChanges(basis: .hashes, files: files)
    }

    static func changedFile(_ path: String, old: String, new: String) -> InputFileChange {
        var change = InputFileChange(path: path, status: .changed)
        guard let a = try? YAMLTreeLoader.parse(old, file: path), let b = try? YAMLTreeLoader.parse(new, file: path)
        else {
            return change
        }
        change.compared = true
        InputKeyDiff.diff(a, b, path: "", into: &change.keys)
        return change
    }

    /// The input hashes the plan files record (`inputs: [{path, sha256}]`), path → every hash seen for it.
    public static func inputHashes(of planFiles: [(path: String, text: String)]) -> [String: Set<String>] {
        var hashes: [String: Set<String>] = [:]
        for file in planFiles where PlanDiff.isYAML(file.path) {
            for entry in PlanDiff.items(PlanDiff.field(inputsBlock(file.text, file: file.path), "inputs")) {
                guard let path = PlanDiff.field(entry, "path")?.scalar,
                    let hash = PlanDiff.field(entry, "sha256")?.scalar
                else { continue }
                hashes[path, default: []].insert(hash)
            }
        }
        return hashes
    }

    /// The `inputs:` section of a plan file, parsed alone when the file is laid out as `plan` writes it (the key
    /// at the start of a line, one `  - {…}` line per input), the whole file otherwise.
    static func inputsBlock(_ text: String, file: String) -> YAMLNode? {
        var block: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if inside {
                if line.hasPrefix("  - ") { block.append(line) } else { break }
            } else if line == "inputs:" {
                inside = true
                block.append(line)
            }
        }
        if block.count > 1, let node = try? YAMLTreeLoader.parse(block.joined(separator: "\n") + "\n", file: file) {
            return node
        }
        return try? YAMLTreeLoader.parse(text, file: file)
    }
}

/// One input file that differs between the two sides.
public struct InputFileChange: Sendable, Equatable {
    public enum Status: String, Sendable {
        case added, removed, changed
    }

    public var path: String
    public var status: Status
    /// Both versions were at hand and parsed, so `keys` is complete (empty: only comments or layout changed).
    public var compared = false
    /// The changed keys, in the new file's order, then the removed ones.
    public var keys: [InputKeyChange] = []

    public init(path: String, status: Status, compared: Bool = false, keys: [InputKeyChange] = []) {
        self.path = path
        self.status = status
        self.compared = compared
        self.keys = keys
    }
}

/// One key of an input file whose value differs.
public struct InputKeyChange: Sendable, Equatable {
    /// The dotted path: `params.fast_utilisation_hours.value`, `rules[mix.fast].count`,
    /// `zones[haikou-core].population`.
    public var key: String
    public var before: PlanValue?
    public var after: PlanValue?
    /// Where the value is in the new file; for a removed key, where it was in the old one.
    public var position: SourcePosition

    public init(key: String, before: PlanValue?, after: PlanValue?, position: SourcePosition) {
        self.key = key
        self.before = before
        self.after = after
        self.position = position
    }
}

/// A structural diff of two YAML input files: mappings by key, lists of records by their `id` (or `name`,
/// `city`, `zone`), lists of scalars as one value, other lists by index.
enum InputKeyDiff {
    static let labelKeys = ["id", "name", "city", "zone"]

    static func diff(_ a: YAMLNode?, _ b: YAMLNode?, path: String, into out: inout [InputKeyChange]) {
        switch (a?.content, b?.content) {
        case (.mapping(let x)?, .mapping(let y)?):
            for pair in y {
                diff(x.first { $0.key == pair.key }?.value, pair.value, path: join(path, pair.key), into: &out)
            }
            for pair in x where !y.contains(where: { $0.key == pair.key }) {
                diff(pair.value, nil, path: join(path, pair.key), into: &out)
            }
        case (.sequence(let x)?, .sequence(let y)?):
            if x.allSatisfy({ $0.scalar != nil }) && y.allSatisfy({ $0.scalar != nil }) {
                if x.map(PlanDiff.text) != y.map(PlanDiff.text) { out.append(change(path, a, b)) }
            } else if let labelled = labels(x, y) {
                for (label, item) in labelled.new {
                    diff(labelled.old.first { $0.0 == label }?.1, item, path: path + "[\(label)]", into: &out)
                }
                for (label, item) in labelled.old where !labelled.new.contains(where: { $0.0 == label }) {
                    diff(item, nil, path: path + "[\(label)]", into: &out)
                }
            } else {
                for index in 0..<max(x.count, y.count) {
                    diff(
                        index < x.count ? x[index] : nil, index < y.count ? y[index] : nil, path: path + "[\(index)]",
                        into: &out)
                }
            }
        case (.scalar(let x, _)?, .scalar(let y, _)?):
            if x != y { out.append(change(path, a, b)) }
        case (nil, nil):
            break
        default:
            out.append(change(path, a, b))
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private static func change(_ path: String, _ a: YAMLNode?, _ b: YAMLNode?) -> InputKeyChange {
        let position = b?.position ?? a?.position ?? SourcePosition(file: "", line: 1, column: 1)
        return InputKeyChange(
            key: path.isEmpty ? "(file)" : path, before: a.map(PlanDiff.value), after: b.map(PlanDiff.value),
            position: position)
    }

    /// Both lists' records labelled by the first label key every record of both has, when the labels are unique.
    private static func labels(
        _ x: [YAMLNode], _ y: [YAMLNode]
    ) -> (old: [(String, YAMLNode)], new: [(String, YAMLNode)])? {
        for key in labelKeys {
            let old = x.compactMap { item in PlanDiff.field(item, key)?.scalar.map { ($0, item) } }
            let new = y.compactMap { item in PlanDiff.field(item, key)?.scalar.map { ($0, item) } }
            guard old.count == x.count, new.count == y.count else { continue }
            if Set(old.map(\.0)).count == old.count, Set(new.map(\.0)).count == new.count { return (old, new) }
        }
        return nil
    }
}
