import PlanningEngine
/// `chargeplan test --update`: writes the plan's values into the `expect:` of failing rule tests, in place.
///
/// Only the scalar of each wrong expectation changes (the `value:` of a `{value, tolerance}` mapping, whose
/// tolerance stays), or the one-line `findings: [...]` list; comments, spacing and every other byte of the
/// file stay as they are. The edited text is parsed again and must give the same tree except at the edited
/// scalars, which must read back as written; otherwise nothing is written.
public enum RuleTestUpdater {
    /// One rewrite: the scalar (or flow list) at `position` becomes `replacement`.
    public struct Edit: Sendable, Equatable {
        public var position: SourcePosition
        public var replacement: String
        /// What the test file said, for the report (`expected → actual`).
        public var path: String
        public var before: String
        public var test: String
    }

    /// The edits that make the failing tests of `reports` pass, in file and position order.
    public static func edits(_ reports: [RuleTestRunner.Report]) -> [Edit] {
        var edits: [Edit] = []
        for result in reports.flatMap(\.results) where result.status == .fail {
            for mismatch in result.mismatches {
                let expectation = mismatch.expectation
                edits.append(
                    Edit(
                        position: expectation.valuePosition,
                        replacement: RuleTestRunner.show(mismatch.actual),
                        path: expectation.path.value, before: RuleTestRunner.show(expectation.value),
                        test: result.name))
            }
            if let findings = result.findingsMismatch {
                edits.append(
                    Edit(
                        position: findings.position, replacement: list(findings.actual), path: "findings",
                        before: list(findings.expected), test: result.name))
            }
        }
        return edits.sorted { $0.position < $1.position }
    }

    static func list(_ ids: [String]) -> String { "[" + ids.joined(separator: ", ") + "]" }

    /// `text` (the file `file`) with `edits` applied; edits of other files are ignored.
    public static func apply(_ edits: [Edit], to text: String, file: String) throws(DiagnosticsError) -> String {
        let mine = edits.filter { $0.position.file == file }.sorted { $0.position > $1.position }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        for edit in mine {
            let index = edit.position.line - 1
            let start = edit.position.column - 1
            guard lines.indices.contains(index), start >= 0, start < lines[index].count,
                !edit.replacement.hasPrefix("[") || lines[index][start] == "[",
                let end = tokenEnd(lines[index], from: start)
            else {
                let message = "cannot update this expected value in place: it is not a one-line number or [list]"
                throw DiagnosticsError([.error(message, at: edit.position, hint: "update it by hand")])
            }
            lines[index].replaceSubrange(start..<end, with: Array(edit.replacement.unicodeScalars))
        }
        let result = lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
        try verify(original: text, updated: result, edits: mine, file: file)
        return result
    }

    /// Where the scalar or flow list starting at `start` ends (exclusive); nil when it does not end on the line.
    static func tokenEnd(_ line: [Unicode.Scalar], from start: Int) -> Int? {
        let first = line[start]
        if first == "[" {
            var depth = 0
            for index in start..<line.count {
                if line[index] == "[" { depth += 1 }
                if line[index] == "]" { depth -= 1 }
                if depth == 0 { return index + 1 }
            }
            return nil
        }
        if first == "'" || first == "\"" {
            guard let close = line[(start + 1)...].firstIndex(of: first) else { return nil }
            return close + 1
        }
        var end = start
        while end < line.count, !",}]".unicodeScalars.contains(line[end]),
            !(line[end] == "#" && end > start && line[end - 1] == " ")
        {
            end += 1
        }
        while end > start, line[end - 1] == " " { end -= 1 }
        return end > start ? end : nil
    }

    /// The updated file must have the original's tree, but for the edited scalars, which read as written.
    private static func verify(
        original: String, updated: String, edits: [Edit],
        file: String
    ) throws(DiagnosticsError) {
        let before = try YAMLTreeLoader.parse(original, file: file)
        let after: YAMLNode
        do { after = try YAMLTreeLoader.parse(updated, file: file) } catch {
            throw DiagnosticsError([
                .error(
                    "updating would make the file unreadable; left as it is",
                    at: SourcePosition(file: file, line: 1, column: 1))
            ])
        }
        var replacements: [SourcePosition: String] = [:]
        for edit in edits { replacements[edit.position] = edit.replacement }
        if let wrong = firstDifference(before, after, replacements: replacements) {
            throw DiagnosticsError([
                .error(
                    "updating would change more than the expected value; left as it is",
                    at: wrong, hint: "this is a bug in chargeplan test --update")
            ])
        }
    }

    /// The position (in the original) where the trees differ other than by a replacement, if any.
    private static func firstDifference(
        _ a: YAMLNode, _ b: YAMLNode, replacements: [SourcePosition: String]
    )
        -> SourcePosition?
    {
        if let replacement = replacements[a.position] {
            switch b.content {
            case .scalar(let text, _): return text == replacement ? nil : a.position
            case .sequence(let items):
                let ids = items.compactMap(\.scalar)
                return ids.count == items.count && list(ids) == replacement ? nil : a.position
            case .mapping: return a.position
            }
        }
        switch (a.content, b.content) {
        case (.scalar(let x, let qx), .scalar(let y, let qy)):
            return x == y && qx == qy ? nil : a.position
        case (.sequence(let x), .sequence(let y)):
            guard x.count == y.count else { return a.position }
            for (p, q) in zip(x, y) {
                if let wrong = firstDifference(p, q, replacements: replacements) { return wrong }
            }
            return nil
        case (.mapping(let x), .mapping(let y)):
            guard x.count == y.count else { return a.position }
            for (p, q) in zip(x, y) {
                guard p.key == q.key else { return p.keyPosition }
                if let wrong = firstDifference(p.value, q.value, replacements: replacements) { return wrong }
            }
            return nil
        default:
            return a.position
        }
    }
}
