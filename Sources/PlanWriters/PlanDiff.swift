import Foundation
import PlanningEngine

/// A semantic diff of two sets of plan files (as `YAMLEmitter` writes them): not lines but
/// values, grouped file → scope (city, zone) → year → fact or unit count, each with the rules
/// behind it, so a reviewer sees "fast.installed in haikou-core, 2024: 120 → 135 (mix.fast)".
/// Input hashes are not compared: a comment edit changes a hash but no number.
public enum PlanDiff {
    public struct Change: Sendable, Equatable {
        /// The plan file, relative to the compared folders (e.g. `hainan-2030/haikou.yaml`).
        public var file: String
        /// `plan` (header), `city`, a zone id, `stations` or `summary`.
        public var scope: String
        public var year: Int?
        /// `fact ev_stock`, `fast.installed`, `coverage.fast`, `finding req.x`, `station s1 opens`, …
        public var item: String
        public var before: String?
        public var after: String?
        public var rules: [String]
    }

    public struct Report: Sendable, Equatable {
        public var filesAdded: [String] = []
        public var filesRemoved: [String] = []
        public var changes: [Change] = []

        public var isEmpty: Bool { filesAdded.isEmpty && filesRemoved.isEmpty && changes.isEmpty }
        /// Files with value changes, in order.
        public var changedFiles: [String] {
            var seen: Set<String> = []
            return changes.map(\.file).filter { seen.insert($0).inserted }
        }
    }

    /// Compares two plan sets given as (relative path, YAML text); non-YAML paths are ignored.
    /// `oldName` / `newName` give the file name a diagnostic shows for a relative path (by default `OLD/…`, `NEW/…`).
    public static func compare(
        old: [(path: String, text: String)], new: [(path: String, text: String)],
        oldName: (String) -> String = { "OLD/" + $0 }, newName: (String) -> String = { "NEW/" + $0 }
    ) throws(DiagnosticsError) -> Report {
        var report = Report()
        let oldFiles = old.filter { isYAML($0.path) }
        let newFiles = new.filter { isYAML($0.path) }
        let oldPaths = Set(oldFiles.map(\.path))
        let newPaths = Set(newFiles.map(\.path))
        report.filesAdded = newPaths.subtracting(oldPaths).sorted()
        report.filesRemoved = oldPaths.subtracting(newPaths).sorted()
        var diagnostics: [Diagnostic] = []
        for path in oldPaths.intersection(newPaths).sorted() {
            guard let before = oldFiles.first(where: { $0.path == path })?.text, let after = newFiles.first(where: { $0.path == path })?.text else { continue }
            if before == after { continue }
            do {
                let a = try entries(of: YAMLTreeLoader.parse(before, file: oldName(path)))
                let b = try entries(of: YAMLTreeLoader.parse(after, file: newName(path)))
                report.changes += changes(file: path, old: a, new: b)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return report
    }

    /// The YAML plan files `plan` would write for every rollout of `workspace`, as `rollout/file` paths.
    public static func planFiles(of workspace: Workspace, threads: Int? = nil) throws(DiagnosticsError) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        var diagnostics: [Diagnostic] = []
        for rollout in workspace.rollouts {
            do {
                let plan = try RolloutPlanner.plan(rollout, in: workspace, threads: threads)
                files += PlanOutput.files(for: plan, formats: [.yaml]).map { (rollout.id.value + "/" + $0.path, $0.content) }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return files
    }

    private static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    // MARK: Flattening

    struct Key: Hashable {
        var scope: String
        var year: Int?
        var item: String
    }

    struct Entry {
        var value: String
        var rules: [String]
    }

    struct Entries {
        var values: [Key: Entry] = [:]
        /// Scopes in document order (city, then zones as the plan lists them).
        var scopeOrder: [String] = []

        mutating func add(_ key: Key, _ value: String, rules: [String] = []) {
            if !scopeOrder.contains(key.scope) { scopeOrder.append(key.scope) }
            values[key] = Entry(value: value, rules: rules)
        }
    }

    static func text(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _): return text
        case .sequence(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "{" + pairs.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + "}"
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

    static func field(_ node: YAMLNode, _ key: String) -> YAMLNode? { pairs(node).first { $0.key == key }?.value }

    static func entries(of root: YAMLNode) -> Entries {
        let top = pairs(root)
        guard top.contains(where: { $0.key == "zone_years" }) else { return generic(root) }
        var out = Entries()
        var factRules: [String: [String]] = [:]
        for (fact, rules) in pairs(field(root, "fact_rules")) {
            factRules[fact] = (rules.scalar ?? "").split(separator: ",").map(String.init)
        }
        out.add(Key(scope: "city", year: nil, item: "plan"), "")   // fixes "city" as the first scope
        out.values[Key(scope: "city", year: nil, item: "plan")] = nil
        for (key, value) in top {
            switch key {
            case "inputs", "format_version": continue
            case "fact_rules":
                for (fact, rules) in pairs(value) { out.add(Key(scope: "plan", year: nil, item: "fact_rules.\(fact)"), text(rules)) }
            case "city_years", "zone_years":
                for record in items(value) {
                    let scope = key == "city_years" ? "city" : (field(record, "zone")?.scalar ?? "?")
                    let factScope = key == "city_years" ? "city." : "zone."
                    let year = field(record, "year")?.scalar.flatMap { Int($0) }
                    for (fact, factValue) in pairs(field(record, "facts")) {
                        out.add(Key(scope: scope, year: year, item: "fact \(fact)"), text(factValue), rules: factRules[factScope + fact] ?? factRules[fact] ?? [])
                    }
                    for (unit, unitValue) in pairs(field(record, "units")) {
                        let rules = items(field(unitValue, "rules")).compactMap(\.scalar)
                        for (name, number) in pairs(unitValue) where name != "rules" {
                            out.add(Key(scope: scope, year: year, item: "\(unit).\(name)"), text(number), rules: rules)
                        }
                        out.add(Key(scope: scope, year: year, item: "\(unit).rules"), rules.joined(separator: ", "), rules: rules)
                    }
                    for (access, totals) in pairs(field(record, "access")) {
                        for (name, number) in pairs(totals) {
                            out.add(Key(scope: scope, year: year, item: "access.\(access).\(name)"), text(number))
                        }
                    }
                    for (unit, share) in pairs(field(record, "coverage")) {
                        out.add(Key(scope: scope, year: year, item: "coverage.\(unit)"), text(share))
                    }
                }
            case "stations":
                for station in items(value) {
                    let id = field(station, "id")?.scalar ?? "?"
                    let rule = field(station, "rule")?.scalar.map { [$0] } ?? []
                    for (name, fieldValue) in pairs(station) where name != "id" {
                        out.add(Key(scope: "stations", year: nil, item: "\(id) \(name)"), text(fieldValue), rules: rule)
                    }
                }
            case "findings":
                for finding in items(value) {
                    let scope = field(finding, "scope")?.scalar ?? "city"
                    let year = field(finding, "year")?.scalar.flatMap { Int($0) }
                    let rule = field(finding, "rule")?.scalar ?? "?"
                    let severity = field(finding, "severity")?.scalar ?? ""
                    let message = field(finding, "message")?.scalar ?? ""
                    out.add(Key(scope: scope, year: year, item: "finding \(rule)"), "\(severity): \(message)", rules: [rule])
                }
            default:
                out.add(Key(scope: "plan", year: nil, item: key), text(value))
            }
        }
        return out
    }

    /// Any other plan file (e.g. `_summary.yaml`): dotted paths; list records are named by their first field.
    static func generic(_ root: YAMLNode) -> Entries {
        var out = Entries()
        func walk(_ node: YAMLNode, _ path: String) {
            switch node.content {
            case .scalar:
                out.add(Key(scope: "summary", year: nil, item: path), text(node))
            case .mapping(let pairs):
                for pair in pairs where !(path.isEmpty && (pair.key == "inputs" || pair.key == "format_version")) {
                    walk(pair.value, path.isEmpty ? pair.key : path + "." + pair.key)
                }
            case .sequence(let list):
                if list.allSatisfy({ $0.scalar != nil }) {
                    out.add(Key(scope: "summary", year: nil, item: path), text(node))
                    return
                }
                for (index, item) in list.enumerated() {
                    if case .mapping(let pairs) = item.content, let first = pairs.first, let label = first.value.scalar {
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
            result.append(Change(file: file, scope: key.scope, year: key.year, item: key.item, before: a?.value, after: b?.value, rules: rules))
        }
        return result
    }

    // MARK: Rendering

    static func show(_ value: String?) -> String { value ?? "(none)" }

    public static func renderText(_ report: Report) -> String {
        if report.isEmpty { return "no plan changes\n" }
        var out = "plan changes: \(report.changedFiles.count) \(report.changedFiles.count == 1 ? "file" : "files") changed, \(report.filesAdded.count) added, \(report.filesRemoved.count) removed, \(report.changes.count) values\n"
        for file in report.filesAdded { out += "+ \(file) (new)\n" }
        for file in report.filesRemoved { out += "- \(file) (removed)\n" }
        return out + grouped(report.changes) { "\(show($0.before)) → \(show($0.after))" }
    }

    /// Changes as indented groups, file → scope → year, one line per item (`item: <value(change)>  [rules]`);
    /// `compare` writes its differences the same way.
    static func grouped(_ changes: [Change], value: (Change) -> String) -> String {
        var out = ""
        var seen: Set<String> = []
        for file in changes.map(\.file) where seen.insert(file).inserted {
            out += "\(file)\n"
            var scope: String?
            var year: Int??
            for change in changes where change.file == file {
                if change.scope != scope {
                    out += "  \(change.scope)\n"
                    scope = change.scope
                    year = nil
                }
                if year != .some(change.year) {
                    if let y = change.year { out += "    \(y)\n" }
                    year = .some(change.year)
                }
                let indent = change.year == nil ? "    " : "      "
                let rules = change.rules.isEmpty ? "" : "  [\(change.rules.joined(separator: ", "))]"
                out += "\(indent)\(change.item): \(value(change))\(rules)\n"
            }
        }
        return out
    }

    /// Markdown for a pull-request comment: one collapsible table per file, at most `rowsPerFile` rows each.
    public static func renderMarkdown(_ report: Report, title: String = "Plan changes", rowsPerFile: Int = 60, maxFiles: Int = 40) -> String {
        var out = "## \(title)\n\n"
        if report.isEmpty { return out + "No plan changes.\n" }
        out += "**\(report.changedFiles.count)** \(report.changedFiles.count == 1 ? "file" : "files") changed, **\(report.filesAdded.count)** added, **\(report.filesRemoved.count)** removed; **\(report.changes.count)** values differ.\n\n"
        for file in report.filesAdded { out += "- added `\(file)`\n" }
        for file in report.filesRemoved { out += "- removed `\(file)`\n" }
        if !report.filesAdded.isEmpty || !report.filesRemoved.isEmpty { out += "\n" }
        let files = report.changedFiles
        for file in files.prefix(maxFiles) {
            let rows = report.changes.filter { $0.file == file }
            out += "<details><summary><code>\(file)</code>: \(rows.count) values</summary>\n\n"
            out += "| scope | year | value | before | after | rules |\n|---|---:|---|---:|---:|---|\n"
            for change in rows.prefix(rowsPerFile) {
                out += "| \(cell(change.scope)) | \(change.year.map(String.init) ?? "") | \(cell(change.item)) | \(cell(show(change.before))) | \(cell(show(change.after))) | \(cell(change.rules.joined(separator: ", "))) |\n"
            }
            if rows.count > rowsPerFile { out += "\n… and \(rows.count - rowsPerFile) more (run `chargeplan diff` locally for all).\n" }
            out += "\n</details>\n\n"
        }
        if files.count > maxFiles { out += "… and \(files.count - maxFiles) more files.\n" }
        return out
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    public static func renderJSON(_ report: Report) -> String {
        func strings(_ list: [String]) -> String { "[" + list.map(JSONEmitter.quote).joined(separator: ", ") + "]" }
        var out = "{\n  \"changed\": \(report.isEmpty ? "false" : "true"),\n"
        out += "  \"files_added\": \(strings(report.filesAdded)),\n  \"files_removed\": \(strings(report.filesRemoved)),\n"
        if report.changes.isEmpty { return out + "  \"changes\": []\n}\n" }
        out += "  \"changes\": [\n"
        out += report.changes.map { "    " + json($0) }.joined(separator: ",\n")
        return out + "\n  ]\n}\n"
    }

    /// One change as a JSON object on one line; `fileKey` names the grouping field (`file`, or `rollout` in compare).
    static func json(_ c: Change, fileKey: String = "file", scopeKey: String = "scope") -> String {
        let rules = "[" + c.rules.map(JSONEmitter.quote).joined(separator: ", ") + "]"
        return "{\"\(fileKey)\": \(JSONEmitter.quote(c.file)), \"\(scopeKey)\": \(JSONEmitter.quote(c.scope)), "
            + "\"year\": \(c.year.map(String.init) ?? "null"), "
            + "\"item\": \(JSONEmitter.quote(c.item)), \"before\": \(c.before.map(JSONEmitter.quote) ?? "null"), "
            + "\"after\": \(c.after.map(JSONEmitter.quote) ?? "null"), \"rules\": \(rules)}"
    }
}
