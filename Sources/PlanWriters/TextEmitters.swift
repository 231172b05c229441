import PlanningEngine

/// How a report that is read (`backtest`, `compare`) is printed: for a terminal, for tools, for a pull request.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown
}

/// Writes a plan tree as YAML for review: top-level keys in block style, each record of a list
/// on one line in flow style, so changing one zone-year changes one line.
public enum YAMLEmitter {
    public static func emit(_ node: PlanNode, header: String? = nil) -> String {
        var out = ""
        if let header { out += header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n" }
        guard case .object(let pairs) = node else { return out + flow(node) + "\n" }
        for (key, value) in pairs {
            switch value {
            case .array(let items):
                if items.isEmpty {
                    out += "\(scalarKey(key)): []\n"
                } else {
                    out += "\(scalarKey(key)):\n"
                    for item in items { out += "  - " + flow(item) + "\n" }
                }
            default:
                out += "\(scalarKey(key)): \(flow(value))\n"
            }
        }
        return out
    }

    static func flow(_ node: PlanNode) -> String {
        switch node {
        case .object(let pairs): "{" + pairs.map { "\(scalarKey($0.0)): \(flow($0.1))" }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
        case .string(let text): scalar(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }

    static func scalarKey(_ key: String) -> String { scalar(key) }

    private static let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ""]

    /// Plain when it cannot be read as anything but a string, quoted otherwise.
    static func scalar(_ text: String) -> String {
        let plainCharacters = text.unicodeScalars.allSatisfy { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "_-./:".unicodeScalars.contains(c)
        }
        let looksNumeric = text.first.map { $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" } ?? true
        if plainCharacters && !looksNumeric && !reserved.contains(text.lowercased()) && !text.hasSuffix(":") {
            return text
        }
        return JSONEmitter.quote(text)
    }
}

/// Writes a plan tree as JSON for tools; list records stay on one line each, keys keep the tree's order.
public enum JSONEmitter {
    public static func emit(_ node: PlanNode) -> String {
        guard case .object(let pairs) = node else { return compact(node) + "\n" }
        var lines: [String] = []
        for (index, (key, value)) in pairs.enumerated() {
            let comma = index == pairs.count - 1 ? "" : ","
            if case .array(let items) = value, !items.isEmpty {
                lines.append("  \(quote(key)): [")
                for (i, item) in items.enumerated() { lines.append("    " + compact(item) + (i == items.count - 1 ? "" : ",")) }
                lines.append("  ]" + comma)
            } else {
                lines.append("  \(quote(key)): \(compact(value))" + comma)
            }
        }
        return "{\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    public static func compact(_ node: PlanNode) -> String {
        switch node {
        case .object(let pairs): "{" + pairs.map { "\(quote($0.0)): \(compact($0.1))" }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(compact).joined(separator: ", ") + "]"
        case .string(let text): quote(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }

    public static func quote(_ text: String) -> String { JSONString.quote(text) }
}
