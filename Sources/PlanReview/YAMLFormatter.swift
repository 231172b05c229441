import Foundation
import PlanningEngine

/// The canonical layout of Cities/ and Rules/ files (`chargeplan fmt`): a conservative,
/// line-based formatter that keeps every comment and never changes what a file means.
///
/// Rules, applied line by line:
/// - line endings are `\n`; tabs are rejected (YAML forbids them in indentation, and a tab
///   elsewhere is nearly always a mistake);
/// - trailing whitespace is removed;
/// - no blank lines at the start, at most one blank line in a row, exactly one newline at the end
///   (blank lines inside `|` / `>` block scalars are content and stay);
/// - `key:   value` becomes `key: value` (outside block scalars, quotes and comments; the spaces
///   before an end-of-line comment, which align comments in a column, stay);
/// - the first line is the `# yaml-language-server: $schema=…` line of the file's kind
///   (Cities/, Cities/rollouts/, Rules/<set>/, Rules/<set>/tests/fixtures/), added or corrected.
///
/// The result is parsed again and compared with the original tree; if the meaning would
/// change, the file is refused rather than rewritten. Formatting is idempotent.
public enum YAMLFormatter {
    /// The schema comment a file at `path` (root-relative) should start with, if it is an input file.
    public static func schemaLine(forPath path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last, name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return nil }
        if parts.count == 2, parts[0] == "Cities" {
            return "# yaml-language-server: $schema=../schemas/city.schema.json"
        }
        if parts.count == 3, parts[0] == "Cities", parts[1] == "rollouts" {
            return "# yaml-language-server: $schema=../../schemas/rollout.schema.json"
        }
        if parts.count == 3, parts[0] == "Rules" {
            return "# yaml-language-server: $schema=../../schemas/rules.schema.json"
        }
        if parts.count == 2, parts[0] == Workspace.scenarioFolder {
            return "# yaml-language-server: $schema=../schemas/scenario.schema.json"
        }
        if parts.count == 5, parts[0] == "Rules", parts[2] == "tests", parts[3] == "fixtures" {
            // A fixture is a profile of its rule set alone: the schema of that rule set's inputs.
            return "# yaml-language-server: $schema=../../../../schemas/" + InputSchemas.cityFileName(ruleSet: parts[1])
        }
        return nil
    }

    /// The canonical text of `text`; `path` is root-relative (it picks the schema line and names the file in errors).
    public static func format(_ text: String, path: String) throws(DiagnosticsError) -> String {
        var diagnostics: [Diagnostic] = []
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        let rawLines = normalised.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in rawLines.enumerated() {
            if let column = line.firstIndex(of: "\t").map({ line.distance(from: line.startIndex, to: $0) + 1 }) {
                diagnostics.append(
                    .error(
                        "tab character; YAML files are indented with spaces",
                        at: SourcePosition(file: path, line: index + 1, column: column)))
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        let original = try YAMLTreeLoader.parse(normalised, file: path)

        var out: [String] = []
        var blockIndent: Int?  // indentation of the line that opened a block scalar
        var blankRun = 0
        for raw in rawLines {
            var line = raw
            while let last = line.last, last == " " { line.removeLast() }
            let indent = line.prefix(while: { $0 == " " }).count
            if let parent = blockIndent {
                if line.isEmpty || indent > parent {
                    out.append(line)  // block scalar content: only trailing spaces go
                    continue
                }
                blockIndent = nil
            }
            if line.isEmpty {
                blankRun += 1
                if blankRun == 1, !out.isEmpty { out.append("") }
                continue
            }
            blankRun = 0
            line = collapseKeySpacing(line)
            if opensBlockScalar(line) { blockIndent = indent }
            out.append(line)
        }
        while let last = out.last, last.isEmpty { out.removeLast() }
        if let schema = schemaLine(forPath: path) {
            if let first = out.first, first.hasPrefix("# yaml-language-server:") {
                out[0] = schema
            } else {
                out.insert(schema, at: 0)
            }
        }
        let result = out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
        let reparsed: YAMLNode
        do { reparsed = try YAMLTreeLoader.parse(result, file: path) } catch {
            throw DiagnosticsError([
                .error(
                    "formatting would make the file unreadable; left as it is",
                    at: SourcePosition(file: path, line: 1, column: 1))
            ])
        }
        if !sameMeaning(original, reparsed) {
            throw DiagnosticsError([
                .error(
                    "formatting would change the file's content; left as it is",
                    at: SourcePosition(file: path, line: 1, column: 1),
                    hint: "this is a bug in chargeplan fmt; please report the file")
            ])
        }
        return result
    }

    /// `- key:   value` → `- key: value`; comments, quoted keys and flow collections are left alone.
    static func collapseKeySpacing(_ line: String) -> String {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] == " " { i += 1 }
        while i + 1 < chars.count, chars[i] == "-", chars[i + 1] == " " {
            i += 2
            while i < chars.count, chars[i] == " " { i += 1 }
        }
        let keyStart = i
        while i < chars.count, !" :#'\"{}[],".contains(chars[i]) { i += 1 }
        guard i > keyStart, i < chars.count, chars[i] == ":" else { return line }
        let colon = i
        var j = colon + 1
        while j < chars.count, chars[j] == " " { j += 1 }
        guard j - colon - 1 >= 2, j < chars.count, chars[j] != "#" else { return line }
        return String(chars[...colon]) + " " + String(chars[j...])
    }

    /// Whether the line's value (before any comment) is a block scalar header: `|`, `>`, `|-`, `>+2`, …
    static func opensBlockScalar(_ line: String) -> Bool {
        var body = Substring(line)
        if let hash = commentStart(line) { body = line[..<hash] }
        let trimmed = body.trimmingCharacters(in: .whitespaces)
        guard let marker = trimmed.split(separator: " ").last else { return false }
        guard let first = marker.first, first == "|" || first == ">" else { return false }
        return marker.dropFirst().allSatisfy { "+-0123456789".contains($0) }
            && (trimmed.hasSuffix(": " + marker) || trimmed.hasPrefix("- " + marker) || trimmed == String(marker))
    }

    /// The index of a `#` that starts a comment (at the start or after a space, outside quotes).
    static func commentStart(_ line: String) -> String.Index? {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                if previous == " " || previous == ":" || previous == "[" || previous == "{" || previous == ","
                    || previous == "-"
                {
                    quote = c
                }
            } else if c == "#", previous == " " || index == line.startIndex {
                return index
            }
            previous = c
        }
        return nil
    }

    /// Equal trees, ignoring positions and trailing spaces on the lines of a scalar.
    static func sameMeaning(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        switch (a.content, b.content) {
        case (.scalar(let x, let qx), .scalar(let y, let qy)):
            return qx == qy && trimLines(x) == trimLines(y)
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameMeaning($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && sameMeaning($0.value, $1.value) }
        default:
            return false
        }
    }

    private static func trimLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var l = line
            while let last = l.last, last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }
}
