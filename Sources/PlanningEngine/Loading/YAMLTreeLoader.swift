import CYaml
import Foundation
import Yams

/// Parses YAML text into a `YAMLNode` tree, turning every problem into a positioned diagnostic.
public enum YAMLTreeLoader {
    public static let maximumBytes = 8 << 20
    public static let maximumDepth = 64
    public static let maximumNodes = 2_000_000

    public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> YAMLNode {
        let start = SourcePosition(file: file, line: 1, column: 1)
        if text.utf8.count > maximumBytes {
            throw DiagnosticsError([.error("file is larger than \(maximumBytes >> 20) MiB", at: start, id: .inputLimit)]
            )
        }
        if let position = excessiveFlowNesting(text, file: file) {
            throw DiagnosticsError([.error("nesting deeper than \(maximumDepth) levels", at: position, id: .inputLimit)]
            )
        }
        if let position = excessiveAliasExpansion(text, file: file) {
            throw DiagnosticsError([
                .error(
                    "file has more than \(maximumNodes) YAML nodes with its aliases written out", at: position,
                    hint: "write the values out instead of nesting aliases", id: .inputLimit)
            ])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DiagnosticsError([diagnostic(for: error, text: text, file: file)])
        } catch {
            throw DiagnosticsError([.error("cannot read YAML: \(error)", at: start, id: .yamlSyntax)])
        }
        guard let root else {
            throw DiagnosticsError([.error("file is empty", at: start, id: .emptyFile)])
        }
        var budget = maximumNodes
        return try convert(root, file: file, depth: 0, budget: &budget)
    }

    /// Flow collections (`[[[[…`) nest without indentation; libyaml recurses on them, so refuse deep ones up front.
    private static func excessiveFlowNesting(_ text: String, file: String) -> SourcePosition? {
        var depth = 0
        var line = 1
        var column = 0
        var quote: UInt8?
        var inComment = false
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
                inComment = false
                continue
            }
            if inComment { continue }
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return SourcePosition(file: file, line: line, column: column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// Yams expands every alias while composing and hashes each mapping key to find duplicates, so
    /// a few lines of nested aliases (`a1: &a1 [*a0, *a0, …]` … `? *a8`) kept it hashing a billion
    /// nodes before `convert` could count one. This counts the nodes of the expanded tree from
    /// libyaml's events, each alias as the size of the node it names, and stops past the budget.
    private static func excessiveAliasExpansion(_ text: String, file: String) -> SourcePosition? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> SourcePosition? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, start: Int)] = []
            var total = 0
            func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                anchor.map { String(cString: $0) }
            }
            while true {
                var event = yaml_event_t()
                // A syntax error stops the count; Yams reports it with its position.
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    total += 1
                    if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                case YAML_ALIAS_EVENT:
                    total += name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), total))
                    total += 1
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), total))
                    total += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let node = open.popLast(), let anchor = node.anchor { sizes[anchor] = total - node.start }
                default:
                    break
                }
                if total > maximumNodes {
                    return SourcePosition(
                        file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                }
            }
        }
    }

    private static func position(_ mark: Mark?, file: String) -> SourcePosition {
        SourcePosition(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(
        _ node: Node, file: String, depth: Int, budget: inout Int
    ) throws(DiagnosticsError) -> YAMLNode {
        budget -= 1
        let here = position(node.mark, file: file)
        if budget < 0 {
            throw DiagnosticsError([.error("file has more than \(maximumNodes) YAML nodes", at: here, id: .inputLimit)])
        }
        if depth > maximumDepth {
            throw DiagnosticsError([.error("nesting deeper than \(maximumDepth) levels", at: here, id: .inputLimit)])
        }
        switch node {
        case .alias:
            throw DiagnosticsError([.error("unresolved YAML alias", at: here, hint: "write the values out")])
        case .scalar(let scalar):
            let quoted =
                scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal
                || scalar.style == .folded
            return YAMLNode(content: .scalar(scalar.string, quoted: quoted), position: here)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, file: file, depth: depth + 1, budget: &budget))
            }
            return YAMLNode(content: .sequence(items), position: here)
        case .mapping(let mapping):
            var pairs: [(key: String, keyPosition: SourcePosition, value: YAMLNode)] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw DiagnosticsError([
                        .error("mapping keys must be plain words", at: position(key.mark, file: file))
                    ])
                }
                pairs.append(
                    (
                        keyScalar.string, position(key.mark, file: file),
                        try convert(value, file: file, depth: depth + 1, budget: &budget)
                    ))
            }
            return YAMLNode(content: .mapping(pairs), position: here)
        }
    }

    private static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return .error(message, at: position(mark, file: file), id: .yamlSyntax)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let at = locateDuplicateKey(key, text: text, after: context.mark, file: file)
            return .error("duplicate key '\(key)'", at: at, hint: "each key may appear once in a mapping")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { text.prefix($0).filter { $0 == "\n" }.count + 1 } ?? 1
            return .error(
                "cannot read YAML: \(problem)", at: SourcePosition(file: file, line: line, column: 1), id: .yamlSyntax)
        default:
            return .error(
                "cannot read YAML: \(error)", at: SourcePosition(file: file, line: 1, column: 1), id: .yamlSyntax)
        }
    }

    /// Yams reports a duplicate at the mapping; find the second occurrence of the key at the same indentation.
    static func locateDuplicateKey(_ key: String, text: String, after mark: Mark, file: String) -> SourcePosition {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var seenIndents: [Int: Int] = [:]
        let candidates = [key + ":", "\"\(key)\":", "'\(key)':"]
        let firstLine = max(0, mark.line - 1)
        for index in lines.indices where index >= firstLine - 1 && index >= 0 {
            let line = lines[index]
            var body = Substring(line)
            var indent = 0
            while let first = body.first, first == " " || first == "-" {
                body = body.dropFirst()
                indent += 1
            }
            guard candidates.contains(where: { body.hasPrefix($0) }) else { continue }
            let afterKey = body.drop(while: { $0 != ":" }).dropFirst()
            guard afterKey.isEmpty || afterKey.first == " " else { continue }
            if seenIndents[indent] != nil {
                return SourcePosition(file: file, line: index + 1, column: indent + 1)
            }
            seenIndents[indent] = index
        }
        return position(mark, file: file)
    }
}
