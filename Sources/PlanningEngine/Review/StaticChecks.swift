import Foundation

/// Checks `check` adds on top of loading and compiling: things that are legal but almost
/// certainly mistakes. All are warnings; positions point at the offending spot.
///
/// - a literal `matches` pattern outside the accepted regular-expression dialect (an error: every
///   evaluation of the call fails);
/// - a parameter that no expression reads;
/// - a comparison of `zone.kind` with a string that is not a zone kind (always false, so a
///   `when:` built on it never holds).
public enum StaticChecks {
    /// Extra findings for every rule set of `workspace` that compiles (compile errors are `check`'s own).
    public static func run(_ workspace: Workspace) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for set in workspace.ruleSets {
            guard let compiled = try? CompiledRuleSet.compile(set) else { continue }
            diagnostics += invalidPatterns(compiled)
            diagnostics += unusedParameters(compiled)
            diagnostics += impossibleZoneKinds(set)
        }
        return diagnostics.sorted(by: Diagnostic.sortKey)
    }

    static func invalidPatterns(_ compiled: CompiledRuleSet) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for rule in compiled.allRules {
            let expressions = rule.action.expressions + (rule.when.map { [$0] } ?? [])
            for expression in expressions {
                diagnostics += expression.program.literalPatternErrors.map { expression.diagnostic(for: $0) }
            }
        }
        return diagnostics
    }

    static func unusedParameters(_ compiled: CompiledRuleSet) -> [Diagnostic] {
        var read: Set<String> = []
        for rule in compiled.allRules {
            for path in rule.reads where path.hasPrefix("params.") {
                if let name = path.split(separator: ".").dropFirst().first { read.insert(String(name)) }
            }
        }
        return compiled.ruleSet.params.filter { !read.contains($0.name.value) }.map { param in
            Diagnostic(.warning, "parameter '\(param.name.value)' is never read by any expression", at: param.name.position,
                       hint: "remove it, or use it in a rule")
        }
    }

    static func impossibleZoneKinds(_ set: RuleSet) -> [Diagnostic] {
        let kinds = set.zoneKinds.map(\.value)
        var diagnostics: [Diagnostic] = []
        // Without `zone_kinds:` any kind is allowed, so no literal is impossible.
        guard !kinds.isEmpty else { return diagnostics }
        for rule in set.rules {
            var expressions: [(role: String, expression: Expression)] = rule.when.map { [("when", $0)] } ?? []
            switch rule.action {
            case .derive(_, _, _, let value, let initial): expressions.append(("value", value)); if let initial { expressions.append(("initial", initial)) }
            case .add(_, let count, let initial):
                expressions.append(("count", count))
                if let initial { expressions.append(("initial", initial)) }
            case .cap(_, _, let max, _, let initial):
                expressions.append(("max", max))
                if let initial { expressions.append(("initial", initial)) }
            case .site(_, _, _, let weight): expressions.append(("weight", weight))
            case .require(let condition, _, _): expressions.append(("require", condition))
            }
            for (role, expression) in expressions {
                for (literal, offset) in zoneKindLiterals(expression.source) where !kinds.contains(literal) {
                    let (line, column) = lineAndColumn(expression.source, offset: offset)
                    let hint = ScalarReading.closest(to: literal, in: kinds).map { "did you mean '\($0)'?" } ?? "zone kinds: " + kinds.joined(separator: ", ")
                    let consequence = role == "when" ? "; this rule never applies" : ""
                    diagnostics.append(Diagnostic(.warning, "rule '\(rule.id.value)': zone.kind is never '\(literal)', so this comparison is always false\(consequence)",
                                                  at: expression.filePosition(line: line, column: column), hint: hint))
                }
            }
        }
        return diagnostics
    }

    /// String literals compared with `zone.kind` (either side of `==` / `!=`), with the literal's character offset.
    static func zoneKindLiterals(_ source: String) -> [(String, Int)] {
        let chars = Array(source)
        var results: [(String, Int)] = []
        let target = Array("zone.kind")
        func skipSpaces(_ i: inout Int, _ step: Int) { while i >= 0, i < chars.count, chars[i] == " " { i += step } }
        func isOperator(at i: Int) -> Bool {
            i >= 0 && i + 1 < chars.count && (chars[i] == "=" || chars[i] == "!") && chars[i + 1] == "="
        }
        func literal(startingAt i: Int) -> (String, Int)? {
            guard i < chars.count, chars[i] == "'" || chars[i] == "\"" else { return nil }
            var j = i + 1
            while j < chars.count, chars[j] != chars[i] { j += 1 }
            return j < chars.count ? (String(chars[(i + 1)..<j]), i) : nil
        }
        func literal(endingAt i: Int) -> (String, Int)? {
            guard i >= 0, chars[i] == "'" || chars[i] == "\"" else { return nil }
            var j = i - 1
            while j >= 0, chars[j] != chars[i] { j -= 1 }
            return j >= 0 ? (String(chars[(j + 1)..<i]), j) : nil
        }
        var index = 0
        while index + target.count <= chars.count {
            guard Array(chars[index..<(index + target.count)]) == target,
                  index == 0 || !(chars[index - 1].isLetter || chars[index - 1] == "." || chars[index - 1] == "_"),
                  index + target.count == chars.count || !(chars[index + target.count].isLetter || chars[index + target.count] == "_")
            else { index += 1; continue }
            var after = index + target.count
            skipSpaces(&after, 1)
            if isOperator(at: after) {
                var start = after + 2
                skipSpaces(&start, 1)
                if let found = literal(startingAt: start) { results.append(found) }
            }
            var before = index - 1
            skipSpaces(&before, -1)
            if before >= 1, isOperator(at: before - 1) {
                var end = before - 2
                skipSpaces(&end, -1)
                if let found = literal(endingAt: end) { results.append(found) }
            }
            index += target.count
        }
        return results
    }

    private static func lineAndColumn(_ source: String, offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for (i, c) in source.enumerated() where i < offset {
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

/// The machine formats of `check --format`: GitHub workflow annotations and JSON.
public enum DiagnosticFormat {
    /// `::error file=…,line=…,col=…::message` (warning → `::warning`, info → `::notice`).
    public static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let command = switch d.severity {
            case .error: "error"
            case .warning: "warning"
            case .info: "notice"
            }
            var properties: [String] = []
            if let p = d.position {
                properties = ["file=\(escapeProperty(p.file))", "line=\(p.line)", "col=\(p.column)"]
            }
            let message = d.message + (d.hint.map { "\n  hint: \($0)" } ?? "")
            return "::\(command)" + (properties.isEmpty ? "" : " " + properties.joined(separator: ",")) + "::" + escapeData(message)
        }.map { $0 + "\n" }.joined()
    }

    /// `{"diagnostics": [{"severity", "id", "file", "line", "column", "message", "hint"}]}`.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "{\"diagnostics\": []}\n" }
        let rows = diagnostics.map { d in
            "  {\"severity\": \(SchemaValue.quote(d.severity.rawValue)), \"id\": \(SchemaValue.quote(d.id.description)), \"file\": \(d.position.map { SchemaValue.quote($0.file) } ?? "null"), "
                + "\"line\": \(d.position.map { String($0.line) } ?? "null"), \"column\": \(d.position.map { String($0.column) } ?? "null"), "
                + "\"message\": \(SchemaValue.quote(d.message)), \"hint\": \(d.hint.map(SchemaValue.quote) ?? "null")}"
        }
        return "{\"diagnostics\": [\n" + rows.joined(separator: ",\n") + "\n]}\n"
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
