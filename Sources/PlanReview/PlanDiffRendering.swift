import PlanWriters
import PlanningEngine

/// How a diff is written: the summary (rollout totals, the largest changes, the inputs that changed) first and
/// whole, then the details per file, trimmed to `maxBytes` (UTF-8) when given: the summary is never trimmed.
public struct PlanDiffRenderOptions: Sendable {
    /// The heading (Markdown) or first words (text).
    public var title: String
    /// The byte budget of the whole output; nil: no limit.
    public var maxBytes: Int?
    /// The command that prints everything, named where details were left out.
    public var fullCommand: String
    /// At most this many value rows per file in the details.
    public var rowsPerFile: Int

    public init(
        title: String = "Plan changes", maxBytes: Int? = nil, fullCommand: String = "chargeplan diff",
        rowsPerFile: Int = 40
    ) {
        self.title = title
        self.maxBytes = maxBytes
        self.fullCommand = fullCommand
        self.rowsPerFile = rowsPerFile
    }

    /// Below GitHub's 65,536-character limit for a comment, with room for the marker the workflow appends.
    public static let defaultMarkdownBytes = 60_000
}

/// A rendered diff, and what the budget made of it.
public struct RenderedDiff: Sendable, Equatable {
    public var text: String
    /// Detail values the budget left out (rows beyond `rowsPerFile` are not counted: each file says so itself).
    public var valuesLeftOut = 0
    /// Files whose details were left out entirely, and files cut short.
    public var filesLeftOut = 0
    public var filesCut = 0
    /// The summary alone is larger than the budget (it is written whole anyway).
    public var summaryOverBudget = false
}

extension PlanDiff {
    public static func renderText(_ report: Report, options: PlanDiffRenderOptions = .init()) -> String {
        renderTextDocument(report, options: options).text
    }

    public static func renderMarkdown(_ report: Report, options: PlanDiffRenderOptions = .init()) -> String {
        renderMarkdownDocument(report, options: options).text
    }

    // MARK: Text

    public static func renderTextDocument(_ report: Report, options: PlanDiffRenderOptions = .init()) -> RenderedDiff {
        let inputs = report.inputs.map { textInputs($0, plansDiffer: !report.isEmpty) } ?? ""
        if report.isEmpty { return RenderedDiff(text: "no plan changes\n" + inputs) }
        let changed = report.changedFiles.count
        var summary =
            "plan changes: \(changed) \(plural(changed, "file")) changed, \(report.filesAdded.count) added, "
            + "\(report.filesRemoved.count) removed, \(grouped(String(report.changes.count))) "
            + "\(plural(report.changes.count, "value"))\n"
        summary += listed(report.filesAdded, { "+ \($0) (new)" }, more: { "+ … and \($0) more new files" })
        summary += listed(report.filesRemoved, { "- \($0) (removed)" }, more: { "- … and \($0) more removed files" })
        if !report.totals.isEmpty {
            summary += "\nrollout totals (installed in the last year; money over the horizon)\n"
            for group in report.totals {
                summary += "  \(group.rollout)\n"
                for row in group.rows {
                    summary +=
                        "    \(row.total) \(years(row)): \(amount(row.before, row.digits)) → "
                        + "\(amount(row.after, row.digits)) "
                        + "(\(changeText(row.change, percent: row.changePercent, digits: row.digits, inText: true)))\n"
                }
            }
        }
        let largest = report.largestChanges()
        if !largest.isEmpty {
            summary += "\nlargest changes (city totals, at the year each moved most)\n"
            for item in largest {
                let rules = item.change.rules.isEmpty ? "" : "  [\(item.change.rules.joined(separator: ", "))]"
                summary +=
                    "  \(item.change.file) \(item.change.item) \(item.change.year.map(String.init) ?? ""): "
                    + "\(grouped(item.change.before?.text ?? "")) → \(grouped(item.change.after?.text ?? ""))"
                    + " (\(changeText(item.delta, percent: item.percent, digits: item.digits, inText: true)); "
                    + "\(item.yearsChanged) \(plural(item.yearsChanged, "year")))\(rules)\n"
            }
        }
        if !inputs.isEmpty { summary += "\n" + inputs }
        summary += "\ndetails\n"
        let blocks = report.changedFiles.map { file in
            let rows = report.changes.filter { $0.file == file }
            return DetailBlock(
                head: "\(file)\n", rows: textRows(rows), tail: "",
                more: { "  … and \($0) more \(plural($0, "value")) in this file\n" })
        }
        return fit(summary: summary, blocks: blocks, options: options) { stats in
            "\n[trimmed to \(grouped(String(options.maxBytes ?? 0))) bytes: " + trimmedWhat(stats)
                + "; run `\(options.fullCommand)` without --max-bytes for all]\n"
        }
    }

    /// One line per change, with its scope and year lines before it where they change; `value` writes what changed
    /// (`compare` adds the difference).
    static func textRows(
        _ changes: [Change],
        value: (Change) -> String = { "\(show($0.before)) → \(show($0.after))" }
    ) -> [String] {
        var rows: [String] = []
        var scope: String?
        var year: Int??
        for change in changes {
            var row = ""
            if change.scope != scope {
                row += "  \(change.scope)\n"
                scope = change.scope
                year = nil
            }
            if year != .some(change.year) {
                if let y = change.year { row += "    \(y)\n" }
                year = .some(change.year)
            }
            let indent = change.year == nil ? "    " : "      "
            let rules = change.rules.isEmpty ? "" : "  [\(change.rules.joined(separator: ", "))]"
            row += "\(indent)\(change.item): \(value(change))\(rules)\n"
            rows.append(row)
        }
        return rows
    }

    private static func textInputs(_ inputs: InputChanges, plansDiffer: Bool) -> String {
        var out = "inputs that changed (\(basisText(inputs.basis)))\n"
        if inputs.files.isEmpty {
            return out
                + (plansDiffer
                    ? "  none: the plans differ though no input did (another chargeplan version?)\n" : "  none\n")
        }
        for file in inputs.files.prefix(inputFileLimit) {
            out += "  \(file.path): \(fileStatus(file))\n"
            for key in file.keys.prefix(keysPerFile) {
                out += "    \(key.key): \(clip(show(key.before))) → \(clip(show(key.after)))  (\(keyPlace(key)))\n"
            }
            if file.keys.count > keysPerFile { out += "    … and \(file.keys.count - keysPerFile) more keys\n" }
        }
        if inputs.files.count > inputFileLimit {
            out += "  … and \(inputs.files.count - inputFileLimit) more files\n"
        }
        return out
    }

    // MARK: Markdown

    /// Markdown for a pull-request comment: the summary, then one collapsed table per file.
    public static func renderMarkdownDocument(
        _ report: Report, options: PlanDiffRenderOptions = .init()
    ) -> RenderedDiff {
        var summary = "## \(options.title)\n\n"
        if report.isEmpty {
            return RenderedDiff(
                text: summary + "No plan changes.\n"
                    + (report.inputs.map { "\n" + markdownInputs($0, plansDiffer: false) } ?? ""))
        }
        let changed = report.changedFiles.count
        summary +=
            "**\(changed)** \(plural(changed, "file")) changed, **\(report.filesAdded.count)** added, "
            + "**\(report.filesRemoved.count)** removed; **\(grouped(String(report.changes.count)))** "
            + "\(plural(report.changes.count, "value")) \(report.changes.count == 1 ? "differs" : "differ").\n\n"
        summary += listed(report.filesAdded, { "- added `\($0)`" }, more: { "- … and \($0) more added" })
        summary += listed(report.filesRemoved, { "- removed `\($0)`" }, more: { "- … and \($0) more removed" })
        if !report.filesAdded.isEmpty || !report.filesRemoved.isEmpty { summary += "\n" }
        if !report.totals.isEmpty {
            summary += "### Rollout totals\n\nInstalled in the last year of the horizon; money summed over it.\n\n"
            summary += "| rollout | total | years | before | after | change |\n|---|---|---|---:|---:|---:|\n"
            for group in report.totals {
                for row in group.rows {
                    summary +=
                        "| `\(group.rollout)` | \(row.total) | \(years(row)) | \(amount(row.before, row.digits)) | "
                        + "\(amount(row.after, row.digits)) | "
                        + "\(changeText(row.change, percent: row.changePercent, digits: row.digits)) |\n"
                }
            }
            summary += "\n"
        }
        let largest = report.largestChanges()
        if !largest.isEmpty {
            summary += "### Largest changes\n\nCity totals, each at the year it moved most; unit counts first.\n\n"
            summary +=
                "| plan | value | year | before | after | change | years moved | rules |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n"
            for item in largest {
                summary +=
                    "| `\(item.change.file)` | \(cell(item.change.item)) | "
                    + "\(item.change.year.map(String.init) ?? "") | "
                    + "\(grouped(item.change.before?.text ?? "")) | \(grouped(item.change.after?.text ?? "")) | "
                    + "\(changeText(item.delta, percent: item.percent, digits: item.digits)) | \(item.yearsChanged) | "
                    + "\(cell(item.change.rules.joined(separator: ", "))) |\n"
            }
            summary += "\n"
        }
        if let inputs = report.inputs { summary += markdownInputs(inputs, plansDiffer: true) + "\n" }
        summary += "### Details\n\n"
        let header = "| scope | year | value | before | after | rules |\n|---|---:|---|---:|---:|---|\n"
        let blocks = report.changedFiles.map { file in
            let rows = report.changes.filter { $0.file == file }
            return DetailBlock(
                head:
                    "<details><summary><code>\(file)</code>: \(grouped(String(rows.count))) "
                    + "\(plural(rows.count, "value"))</summary>\n\n"
                    + header,
                rows: rows.map { change in
                    "| \(cell(change.scope)) | \(change.year.map(String.init) ?? "") | \(cell(change.item)) | "
                        + "\(cell(show(change.before))) | \(cell(show(change.after))) | "
                        + "\(cell(change.rules.joined(separator: ", "))) |\n"
                },
                tail: "\n</details>\n\n",
                more: { "\n… and \($0) more \(plural($0, "value")) in this file.\n" }
            )
        }
        return fit(summary: summary, blocks: blocks, options: options) { stats in
            "**Trimmed to \(grouped(String(options.maxBytes ?? 0))) bytes** (`--max-bytes`): " + trimmedWhat(stats)
                + ". Run `\(options.fullCommand)` locally for all of them.\n"
        }
    }

    private static func markdownInputs(_ inputs: InputChanges, plansDiffer: Bool) -> String {
        var out =
            "### Inputs that changed\n\n"
            + "\(basisText(inputs.basis).prefix(1).uppercased() + basisText(inputs.basis).dropFirst()).\n\n"
        if inputs.files.isEmpty {
            return out
                + (plansDiffer
                    ? "None: the plans differ though no input did (planned by another chargeplan version?).\n"
                    : "None.\n")
        }
        for file in inputs.files.prefix(inputFileLimit) {
            out += "- `\(file.path)`: \(fileStatus(file))\n"
            for key in file.keys.prefix(keysPerFile) {
                out +=
                    "  - `\(key.key)`: \(inline(clip(show(key.before)))) → \(inline(clip(show(key.after)))) "
                    + "at `\(keyPlace(key))`\n"
            }
            if file.keys.count > keysPerFile { out += "  - … and \(file.keys.count - keysPerFile) more keys\n" }
        }
        if inputs.files.count > inputFileLimit {
            out += "- … and \(inputs.files.count - inputFileLimit) more files\n"
        }
        return out
    }

    // MARK: The budget

    /// A file's details: `head`, one string per value, `tail`; `more(n)` says n values are not shown.
    struct DetailBlock {
        var head: String
        var rows: [String]
        var tail: String
        var more: (Int) -> String

        func rendered(_ shown: Int) -> String {
            head + rows.prefix(shown).joined() + (rows.count > shown ? more(rows.count - shown) : "") + tail
        }
    }

    struct TrimStats {
        var filesLeftOut: Int
        var filesCut: Int
        var valuesLeftOut: Int
    }

    /// The summary whole, then the blocks (each at most `rowsPerFile` rows) while they fit in `maxBytes` with
    /// the note saying what was left out. The note's room is held back for its longest form, so the output never
    /// passes the budget unless the summary alone does.
    static func fit(
        summary: String, blocks: [DetailBlock], options: PlanDiffRenderOptions,
        note: (TrimStats) -> String
    ) -> RenderedDiff {
        let cap = max(1, options.rowsPerFile)
        let whole = blocks.map { $0.rendered(cap) }
        let full = summary + whole.joined()
        guard let maxBytes = options.maxBytes, full.utf8.count > maxBytes else { return RenderedDiff(text: full) }
        let shownRows = blocks.map { min(cap, $0.rows.count) }
        let allRows = shownRows.reduce(0, +)
        let longestNote =
            note(TrimStats(filesLeftOut: blocks.count, filesCut: 1, valuesLeftOut: allRows)).utf8.count + 1
        var remaining = maxBytes - summary.utf8.count - longestNote
        if remaining < 0 {
            let text = summary + "\n" + note(TrimStats(filesLeftOut: blocks.count, filesCut: 0, valuesLeftOut: allRows))
            return RenderedDiff(text: text, valuesLeftOut: allRows, filesLeftOut: blocks.count, summaryOverBudget: true)
        }
        var out = summary
        var stats = TrimStats(filesLeftOut: 0, filesCut: 0, valuesLeftOut: 0)
        for (index, block) in blocks.enumerated() {
            let size = whole[index].utf8.count
            if stats.filesLeftOut == 0, stats.filesCut == 0, size <= remaining {
                out += whole[index]
                remaining -= size
                continue
            }
            if stats.filesLeftOut == 0, stats.filesCut == 0 {
                // The first file that does not fit: as many of its rows as do, then nothing more.
                var shown = shownRows[index] - 1
                while shown > 0, block.rendered(shown).utf8.count > remaining { shown -= 1 }
                if shown > 0 {
                    out += block.rendered(shown)
                    remaining -= block.rendered(shown).utf8.count
                    stats.filesCut = 1
                    stats.valuesLeftOut += shownRows[index] - shown
                    continue
                }
            }
            stats.filesLeftOut += 1
            stats.valuesLeftOut += shownRows[index]
        }
        out += "\n" + note(stats)
        return RenderedDiff(
            text: out, valuesLeftOut: stats.valuesLeftOut, filesLeftOut: stats.filesLeftOut, filesCut: stats.filesCut)
    }

    static func trimmedWhat(_ stats: TrimStats) -> String {
        var parts: [String] = []
        if stats.filesLeftOut > 0 {
            parts.append(
                "the details of \(grouped(String(stats.filesLeftOut))) \(plural(stats.filesLeftOut, "file")) left out")
        }
        if stats.filesCut > 0 { parts.append("\(stats.filesCut) \(plural(stats.filesCut, "file")) cut short") }
        if stats.valuesLeftOut > 0 {
            parts.append("\(grouped(String(stats.valuesLeftOut))) \(plural(stats.valuesLeftOut, "value")) not shown")
        }
        return parts.joined(separator: ", ")
    }

    // MARK: JSON

    /// Every change and the summary, numbers as JSON numbers; never trimmed.
    public static func renderJSON(_ report: Report) -> String {
        func strings(_ list: [String]) -> PlanNode { .array(list.map { .string($0) }) }
        func number(_ value: Double?, _ digits: Int) -> PlanNode {
            value.map { .number(CanonicalNumber.fixed($0, digits: digits)) } ?? .null
        }
        let totals: [PlanNode] = report.totals.flatMap { group in
            group.rows.map { row in
                .object([
                    ("rollout", .string(group.rollout)), ("total", .string(row.total)),
                    ("first_year", row.firstYear.map { .number(String($0)) } ?? .null),
                    ("last_year", .number(String(row.lastYear))),
                    ("before", number(row.before, row.digits)), ("after", number(row.after, row.digits)),
                    ("change", number(row.change, row.digits)), ("change_percent", number(row.changePercent, 1)),
                ])
            }
        }
        let largest: [PlanNode] = report.largestChanges().map { item in
            .object([
                ("file", .string(item.change.file)), ("scope", .string(item.change.scope)),
                ("item", .string(item.change.item)),
                ("year", item.change.year.map { .number(String($0)) } ?? .null),
                ("before", jsonNode(item.change.before)), ("after", jsonNode(item.change.after)),
                ("change", number(item.delta, item.digits)), ("change_percent", number(item.percent, 1)),
                ("years_changed", .number(String(item.yearsChanged))), ("rules", strings(item.change.rules)),
            ])
        }
        let inputFiles: [PlanNode] = (report.inputs?.files ?? []).map { file in
            .object([
                ("path", .string(file.path)), ("status", .string(file.status.rawValue)),
                ("compared", .bool(file.compared)),
                (
                    "keys",
                    .array(
                        file.keys.map { key in
                            .object([
                                ("key", .string(key.key)), ("before", jsonNode(key.before)),
                                ("after", jsonNode(key.after)),
                                ("file", .string(key.position.file)), ("line", .number(String(key.position.line))),
                                ("column", .number(String(key.position.column))),
                            ])
                        })
                ),
            ])
        }
        var basis: PlanNode = .string("none")
        var revision: PlanNode = .null
        switch report.inputs?.basis {
        case .revision(let name)?:
            basis = .string("revision")
            revision = .string(name)
        case .hashes?: basis = .string("hashes")
        case nil: break
        }
        return JSONEmitter.emit(
            .object([
                ("format_version", .number(String(jsonFormatVersion))),
                ("changed", .bool(!report.isEmpty)),
                ("files_added", strings(report.filesAdded)),
                ("files_removed", strings(report.filesRemoved)),
                ("totals", .array(totals)),
                ("largest_changes", .array(largest)),
                ("inputs_basis", basis),
                ("inputs_revision", revision),
                ("input_files", .array(inputFiles)),
                (
                    "changes",
                    .array(
                        report.changes.map { c in
                            .object([
                                ("file", .string(c.file)), ("scope", .string(c.scope)),
                                ("year", c.year.map { .number(String($0)) } ?? .null),
                                ("item", .string(c.item)), ("before", jsonNode(c.before)), ("after", jsonNode(c.after)),
                                ("rules", strings(c.rules)),
                            ])
                        })
                ),
            ]))
    }

    /// The version of the diff JSON (`schemas/diff.schema.json`); raised when a key changes meaning or goes.
    public static let jsonFormatVersion = 1

    // MARK: Pieces

    static let listLimit = 20
    static let inputFileLimit = 30
    static let keysPerFile = 10

    static func show(_ value: PlanValue?) -> String { value?.text ?? "(none)" }

    /// A value as JSON writes it: numbers and booleans bare, strings quoted, none as null.
    static func jsonNode(_ value: PlanValue?) -> PlanNode {
        guard let value else { return .null }
        switch value.kind {
        case .number: return .number(value.text)
        case .boolean: return .bool(value.text == "true")
        case .string: return .string(value.text)
        }
    }

    /// One line per file, at most `listLimit`, then how many more.
    private static func listed(_ files: [String], _ line: (String) -> String, more: (Int) -> String) -> String {
        files.prefix(listLimit).map { line($0) + "\n" }.joined()
            + (files.count > listLimit ? more(files.count - listLimit) + "\n" : "")
    }

    static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }

    private static func basisText(_ basis: InputChanges.Basis) -> String {
        switch basis {
        case .revision(let name): "the input files of \(name) against the working tree"
        case .hashes: "from the input hashes the plans record"
        }
    }

    private static func fileStatus(_ file: InputFileChange) -> String {
        switch file.status {
        case .added: return "added"
        case .removed: return "removed"
        case .changed:
            if !file.compared {
                return "changed (its two versions are not at hand to name the keys; `diff --git REV` names them)"
            }
            if file.keys.isEmpty { return "comments or layout only" }
            return "\(file.keys.count) \(plural(file.keys.count, "key")) changed"
        }
    }

    /// Where a key is, `file:line:col`; a removed key's place is in the old file.
    private static func keyPlace(_ key: InputKeyChange) -> String {
        key.position.description + (key.after == nil ? " (old file)" : "")
    }

    /// Long values (expressions, added records) cut to one short line.
    static func clip(_ text: String, limit: Int = 80) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    private static func inline(_ text: String) -> String { cell(text) }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    private static func years(_ row: TotalRow) -> String {
        row.firstYear.map { $0 == row.lastYear ? String($0) : "\($0)–\(row.lastYear)" } ?? String(row.lastYear)
    }

    private static func amount(_ value: Double?, _ digits: Int) -> String {
        value.map { grouped(CanonicalNumber.fixed($0, digits: digits)) } ?? "(none)"
    }

    /// `+54 (+3.5 %)`, `-2 (-0.4 %)`, `0`, `+5 (new)` from zero; in text `+54, +3.5 %` and `unchanged`.
    static func changeText(_ change: Double, percent: Double?, digits: Int, inText: Bool = false) -> String {
        let number = CanonicalNumber.fixed(change, digits: digits)
        if Double(number) == 0 { return inText ? "unchanged" : "0" }
        let signed = (change > 0 ? "+" : "") + grouped(number)
        let share = percent.map(percentText) ?? "new"
        return inText ? signed + ", " + share : signed + " (" + share + ")"
    }

    /// `+3.5 %`; below 0.05 % in size, two decimals (`-0.01 %`) or `<0.01 %`, never a bare `0.0 %` for a change.
    static func percentText(_ percent: Double) -> String {
        let sign = percent > 0 ? "+" : "-"
        for digits in [1, 2] {
            let text = CanonicalNumber.fixed(abs(percent), digits: digits)
            if Double(text) != 0 { return sign + text + " %" }
        }
        return sign + "<0.01 %"
    }

    /// Thousands separators in the whole part of a plain number of five digits or more (`-1234567.50` →
    /// `-1,234,567.50`; `2030` and `1546` stay as they are, so years read as years); other text as is.
    static func grouped(_ text: String) -> String {
        guard PlanValue.isJSONNumber(text), !text.contains("e"), !text.contains("E"),
            text.prefix(while: { $0 != "." }).filter(\.isNumber).count >= 5
        else { return text }
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let whole = body.prefix { $0 != "." }
        let fraction = body.dropFirst(whole.count)
        var digits = Array(whole)
        var out: [Character] = []
        while digits.count > 3 {
            out = [","] + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (negative ? "-" : "") + String(digits + out) + fraction
    }
}
