import Foundation
import PlanWriters
import PlanningEngine

/// A semantic diff of two sets of plan files (as `YAMLEmitter` writes them): not lines but
/// values, grouped file → scope (city, zone) → year → fact or unit count, each with the rules
/// behind it, so a reviewer sees "fast.installed in haikou-core, 2024: 120 → 135 (mix.fast)".
/// Input hashes are not compared as values: a comment edit changes a hash but no number; which
/// inputs changed is `Report.inputs`, filled in by the caller (`InputChanges`).
public enum PlanDiff {
    public struct Change: Sendable, Equatable {
        /// The plan file, relative to the compared folders (e.g. `hainan-2030/haikou.yaml`).
        public var file: String
        /// `plan` (header), `city`, a zone id, `stations` or `summary`.
        public var scope: String
        public var year: Int?
        /// `fact ev_stock`, `fast.installed`, `coverage.fast`, `finding req.x`, `station s1 opens`, …
        public var item: String
        public var before: PlanValue?
        public var after: PlanValue?
        public var rules: [String]

        public init(
            file: String, scope: String, year: Int?, item: String, before: PlanValue?, after: PlanValue?,
            rules: [String]
        ) {
            self.file = file
            self.scope = scope
            self.year = year
            self.item = item
            self.before = before
            self.after = after
            self.rules = rules
        }
    }

    public struct Report: Sendable, Equatable {
        public var filesAdded: [String] = []
        public var filesRemoved: [String] = []
        public var changes: [Change] = []
        /// Rollout totals before and after, one group per rollout folder with a changed file.
        public var totals: [RolloutTotals] = []
        /// Which input files (and keys) changed: set by the caller, who knows where the inputs are.
        public var inputs: InputChanges?

        public init() {}

        /// No plan value, and no plan file, differs (input files may still have changed: see `inputs`).
        public var isEmpty: Bool { filesAdded.isEmpty && filesRemoved.isEmpty && changes.isEmpty }
        /// Files with value changes, in order.
        public var changedFiles: [String] {
            var seen: Set<String> = []
            return changes.map(\.file).filter { seen.insert($0).inserted }
        }

        /// The city-level quantities that moved most (`PlanDiffSummary.largest`).
        public func largestChanges(limit: Int = PlanDiffSummary.largestLimit) -> [LargestChange] {
            PlanDiffSummary.largest(changes, limit: limit)
        }
    }

    /// Compares two plan sets given as (relative path, YAML text), as `diff OLD NEW` reads them from folders;
    /// non-YAML paths are ignored. `oldName` / `newName` give the file name a diagnostic shows for a relative path
    /// (by default `OLD/…`, `NEW/…`).
    public static func compare(
        old: [(path: String, text: String)], new: [(path: String, text: String)],
        oldName: (String) -> String = { "OLD/" + $0 }, newName: (String) -> String = { "NEW/" + $0 }
    ) throws(DiagnosticsError) -> Report {
        let oldFiles = Dictionary(
            old.filter { isYAML($0.path) }.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        let newFiles = Dictionary(
            new.filter { isYAML($0.path) }.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        var diagnostics: [Diagnostic] = []
        var parsed: [String: (old: YAMLNode?, new: YAMLNode?)] = [:]
        func parse(_ path: String) -> (old: YAMLNode?, new: YAMLNode?) {
            if let done = parsed[path] { return done }
            var pair: (old: YAMLNode?, new: YAMLNode?) = (nil, nil)
            do {
                if let text = oldFiles[path] { pair.old = try YAMLTreeLoader.parse(text, file: oldName(path)) }
                if let text = newFiles[path] { pair.new = try YAMLTreeLoader.parse(text, file: newName(path)) }
            } catch {
                diagnostics += error.diagnostics
            }
            parsed[path] = pair
            return pair
        }
        func check() throws(DiagnosticsError) {
            if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        }
        return try compare(
            oldPaths: Set(oldFiles.keys), newPaths: Set(newFiles.keys), differs: { oldFiles[$0] != newFiles[$0] },
            trees: parse, check: check)
    }

    /// Compares two plan sets given as (relative path, plan tree), as `diff --git` plans them in memory: the values
    /// `PlanDocument` builds are compared as they are, with no YAML written and read back. The report is the one
    /// the YAML files of these trees would give.
    public static func compare(
        old: [(path: String, tree: PlanNode)], new: [(path: String, tree: PlanNode)]
    ) throws(DiagnosticsError) -> Report {
        let oldTrees = Dictionary(old.map { ($0.path, $0.tree) }, uniquingKeysWith: { a, _ in a })
        let newTrees = Dictionary(new.map { ($0.path, $0.tree) }, uniquingKeysWith: { a, _ in a })
        return try compare(
            oldPaths: Set(oldTrees.keys), newPaths: Set(newTrees.keys), differs: { oldTrees[$0] != newTrees[$0] },
            trees: { path in
                (oldTrees[path].map { tree($0, file: path) }, newTrees[path].map { tree($0, file: path) })
            }, check: {})
    }

    /// The comparison both inputs share: files added and removed, the changes of every file that `differs`, then
    /// the rollout totals. `trees` gives a path's two sides; `check` throws what reading them has found so far.
    private static func compare(
        oldPaths: Set<String>, newPaths: Set<String>, differs: (String) -> Bool,
        trees: (String) -> (old: YAMLNode?, new: YAMLNode?), check: () throws(DiagnosticsError) -> Void
    ) throws(DiagnosticsError) -> Report {
        var report = Report()
        report.filesAdded = newPaths.subtracting(oldPaths).sorted()
        report.filesRemoved = oldPaths.subtracting(newPaths).sorted()
        for path in oldPaths.intersection(newPaths).sorted() where differs(path) {
            let pair = trees(path)
            if let a = pair.old, let b = pair.new {
                report.changes += changes(file: path, old: entries(of: a), new: entries(of: b))
            }
        }
        try check()
        let touched = report.changedFiles + report.filesAdded + report.filesRemoved
        report.totals = PlanDiffSummary.totals(
            folders: orderedUnique(touched.map(folder)), paths: oldPaths.union(newPaths).sorted(), parse: trees
        )
        try check()
        return report
    }

    /// The plan trees `plan` would write as YAML for every rollout of `workspace`, as `rollout/file` paths: each
    /// city's `PlanDocument.city` and the rollout's `PlanDocument.summary`, the paths of `planFiles`.
    public static func planTrees(
        of workspace: Workspace, threads: Int? = nil, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> [(path: String, tree: PlanNode)] {
        var trees: [(path: String, tree: PlanNode)] = []
        var diagnostics: [Diagnostic] = []
        for rollout in workspace.rollouts {
            do {
                let plan = try RolloutPlanner.plan(rollout, in: workspace, threads: threads, progress: progress)
                let folder = rollout.id.value + "/"
                trees += plan.cities.map { (folder + $0.city + ".yaml", PlanDocument.city($0)) }
                trees.append((folder + "_summary.yaml", PlanDocument.summary(plan)))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return trees.sorted { $0.path < $1.path }
    }

    /// A plan tree as the tree its YAML file reads back as: a string is a quoted scalar (`YAMLEmitter` writes
    /// plain only what cannot read as anything else, and both read as the same string value), a number, boolean
    /// or null a plain one in its canonical text. Every node is placed at the start of `file`.
    static func tree(_ node: PlanNode, file: String) -> YAMLNode {
        let at = SourcePosition(file: file, line: 1, column: 1)
        switch node {
        case .object(let pairs):
            return YAMLNode(
                content: .mapping(pairs.map { (key: $0.0, keyPosition: at, value: tree($0.1, file: file)) }),
                position: at)
        case .array(let items): return YAMLNode(content: .sequence(items.map { tree($0, file: file) }), position: at)
        case .string(let text): return YAMLNode(content: .scalar(text, quoted: true), position: at)
        case .number(let text): return YAMLNode(content: .scalar(text, quoted: false), position: at)
        case .bool(let value): return YAMLNode(content: .scalar(value ? "true" : "false", quoted: false), position: at)
        case .null: return YAMLNode(content: .scalar("null", quoted: false), position: at)
        }
    }

    /// The YAML plan files `plan` would write for every rollout of `workspace`, as `rollout/file` paths.
    public static func planFiles(
        of workspace: Workspace, threads: Int? = nil, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        var diagnostics: [Diagnostic] = []
        for rollout in workspace.rollouts {
            do {
                let plan = try RolloutPlanner.plan(rollout, in: workspace, threads: threads, progress: progress)
                files += PlanOutput.files(for: plan, formats: [.yaml]).map {
                    (rollout.id.value + "/" + $0.path, $0.content)
                }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return files
    }

    static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    /// The folder of a plan file's relative path (`hainan-2030` for `hainan-2030/haikou.yaml`; empty at the top).
    static func folder(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func orderedUnique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    // MARK: Flattening

    struct Key: Hashable {
        var scope: String
        var year: Int?
        var item: String
    }

    struct Entry {
        var value: PlanValue
        var rules: [String]
    }

    struct Entries {
        var values: [Key: Entry] = [:]
        /// Scopes in document order (city, then zones as the plan lists them).
        var scopeOrder: [String] = []

        mutating func add(_ key: Key, _ value: PlanValue, rules: [String] = []) {
            if !scopeOrder.contains(key.scope) { scopeOrder.append(key.scope) }
            values[key] = Entry(value: value, rules: rules)
        }
    }

    /// A node as one value: a scalar keeps its type (plain numbers are numbers), a list or mapping is its flow text.
    static func value(_ node: YAMLNode) -> PlanValue {
        switch node.content {
        case .scalar(let text, let quoted): quoted ? PlanValue(text, kind: .string) : PlanValue(plain: text)
        default: PlanValue(text(node), kind: .string)
        }
    }

    static func text(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _): return text
        case .sequence(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func pairs(_ node: YAMLNode?) -> [(key: String, value: YAMLNode)] {
        guard let node, case .mapping(let pairs) = node.content else { return [] }
        return pairs.map { ($0.key, $0.value) }
    }

    static func items(_ node: YAMLNode?) -> [YAMLNode] {
        guard let node, case .sequence(let items) = node.content else { return [] }
        return items
    }

    static func field(_ node: YAMLNode?, _ key: String) -> YAMLNode? { pairs(node).first { $0.key == key }?.value }

    static func entries(of root: YAMLNode) -> Entries {
        let top = pairs(root)
        guard top.contains(where: { $0.key == "zone_years" }) else { return generic(root) }
        var out = Entries()
        var factRules: [String: [String]] = [:]
        for (fact, rules) in pairs(field(root, "fact_rules")) {
            factRules[fact] = (rules.scalar ?? "").split(separator: ",").map(String.init)
        }
        out.scopeOrder = ["city"]  // "city" is the first scope, whatever the file order
        for (key, value) in top {
            switch key {
            case "inputs", "format_version": continue
            case "fact_rules":
                for (fact, rules) in pairs(value) {
                    out.add(Key(scope: "plan", year: nil, item: "fact_rules.\(fact)"), self.value(rules))
                }
            case "city_years", "zone_years":
                for record in items(value) {
                    addYear(record, cityLevel: key == "city_years", factRules: factRules, to: &out)
                }
            case "stations":
                for station in items(value) {
                    let id = field(station, "id")?.scalar ?? "?"
                    let rule = field(station, "rule")?.scalar.map { [$0] } ?? []
                    for (name, fieldValue) in pairs(station) where name != "id" {
                        out.add(
                            Key(scope: "stations", year: nil, item: "\(id) \(name)"), self.value(fieldValue),
                            rules: rule)
                    }
                }
            case "findings":
                for finding in items(value) {
                    let scope = field(finding, "scope")?.scalar ?? "city"
                    let year = field(finding, "year")?.scalar.flatMap { Int($0) }
                    let rule = field(finding, "rule")?.scalar ?? "?"
                    let severity = field(finding, "severity")?.scalar ?? ""
                    let message = field(finding, "message")?.scalar ?? ""
                    out.add(
                        Key(scope: scope, year: year, item: "finding \(rule)"),
                        PlanValue("\(severity): \(message)", kind: .string),
                        rules: [rule])
                }
            default:
                out.add(Key(scope: "plan", year: nil, item: key), self.value(value))
            }
        }
        return out
    }

    /// One `city_years` or `zone_years` record: its facts, unit counts, access totals and coverage.
    private static func addYear(
        _ record: YAMLNode, cityLevel: Bool, factRules: [String: [String]], to out: inout Entries
    ) {
        let scope = cityLevel ? "city" : (field(record, "zone")?.scalar ?? "?")
        let factScope = cityLevel ? "city." : "zone."
        let year = field(record, "year")?.scalar.flatMap { Int($0) }
        for (fact, factValue) in pairs(field(record, "facts")) {
            out.add(
                Key(scope: scope, year: year, item: "fact \(fact)"), value(factValue),
                rules: factRules[factScope + fact] ?? factRules[fact] ?? [])
        }
        for (unit, unitValue) in pairs(field(record, "units")) {
            let rules = items(field(unitValue, "rules")).compactMap(\.scalar)
            for (name, number) in pairs(unitValue) where name != "rules" {
                out.add(Key(scope: scope, year: year, item: "\(unit).\(name)"), value(number), rules: rules)
            }
            out.add(
                Key(scope: scope, year: year, item: "\(unit).rules"),
                PlanValue(rules.joined(separator: ", "), kind: .string),
                rules: rules)
        }
        for (access, totals) in pairs(field(record, "access")) {
            for (name, number) in pairs(totals) {
                out.add(Key(scope: scope, year: year, item: "access.\(access).\(name)"), value(number))
            }
        }
        for (unit, share) in pairs(field(record, "coverage")) {
            out.add(Key(scope: scope, year: year, item: "coverage.\(unit)"), value(share))
        }
    }

    /// Any other plan file (e.g. `_summary.yaml`): dotted paths; list records are named by their first field.
    static func generic(_ root: YAMLNode) -> Entries {
        var out = Entries()
        func walk(_ node: YAMLNode, _ path: String) {
            switch node.content {
            case .scalar:
                out.add(Key(scope: "summary", year: nil, item: path), value(node))
            case .mapping(let pairs):
                for pair in pairs where !(path.isEmpty && (pair.key == "inputs" || pair.key == "format_version")) {
                    walk(pair.value, path.isEmpty ? pair.key : path + "." + pair.key)
                }
            case .sequence(let list):
                if list.allSatisfy({ $0.scalar != nil }) {
                    out.add(Key(scope: "summary", year: nil, item: path), value(node))
                    return
                }
                for (index, item) in list.enumerated() {
                    if case .mapping(let pairs) = item.content, let first = pairs.first, let label = first.value.scalar
                    {
                        walk(item, "\(path)[\(first.key)=\(label)]")
                    } else {
                        walk(item, "\(path)[\(index)]")
                    }
                }
            }
        }
        walk(root, "")
        return out
    }

    static func changes(file: String, old: Entries, new: Entries) -> [Change] {
        var scopes = new.scopeOrder
        for scope in old.scopeOrder where !scopes.contains(scope) { scopes.append(scope) }
        let fixedOrder = ["plan": -1, "stations": scopes.count, "summary": scopes.count + 1]
        func rank(_ scope: String) -> Int { fixedOrder[scope] ?? (scopes.firstIndex(of: scope) ?? 0) }
        let keys = Set(old.values.keys).union(new.values.keys).sorted {
            (rank($0.scope), $0.scope, $0.year ?? -1, $0.item) < (rank($1.scope), $1.scope, $1.year ?? -1, $1.item)
        }
        var result: [Change] = []
        for key in keys {
            let a = old.values[key]
            let b = new.values[key]
            if a?.value == b?.value { continue }
            var rules: [String] = []
            for rule in (a?.rules ?? []) + (b?.rules ?? []) where !rules.contains(rule) { rules.append(rule) }
            result.append(
                Change(
                    file: file, scope: key.scope, year: key.year, item: key.item, before: a?.value, after: b?.value,
                    rules: rules))
        }
        return result
    }
}

/// One value of a plan or input file with its type, so JSON writes numbers as numbers and booleans as booleans.
/// A string literal is read as a plain YAML scalar would be (`"12"` is the number 12).
public struct PlanValue: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Kind: String, Sendable, Hashable {
        case number, boolean, string
    }

    /// The value as the file writes it (a number in its canonical text).
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// A plain (unquoted) scalar: a JSON number is a number, `true`/`false` a boolean, anything else a string.
    public init(plain text: String) {
        if Self.isJSONNumber(text) {
            self.init(text, kind: .number)
        } else if text == "true" || text == "false" {
            self.init(text, kind: .boolean)
        } else {
            self.init(text, kind: .string)
        }
    }

    public init(stringLiteral text: String) { self.init(plain: text) }

    public var description: String { text }

    /// The number, when this is one.
    public var number: Double? { kind == .number ? Double(text) : nil }

    /// The value as JSON: numbers and booleans bare (their text is valid JSON), strings quoted.
    public var json: String { kind == .string ? JSONString.quote(text) : text }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: what JSON accepts as a number, so its text can be
    /// written bare.
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let count = bytes.prefix { (48...57).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
            }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }
}
