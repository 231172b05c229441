import PlanningEngine

/// Writes a plan tree as JSON for tools; list records stay on one line each, keys keep the tree's order.
public enum JSONEmitter {
    public static func emit(_ node: PlanNode) -> String {
        guard case .object(let pairs) = node else { return compact(node) + "\n" }
        var lines: [String] = []
        for (index, (key, value)) in pairs.enumerated() {
            let comma = index == pairs.count - 1 ? "" : ","
            if case .array(let items) = value, !items.isEmpty {
                lines.append("  \(JSONString.quote(key)): [")
                for (i, item) in items.enumerated() {
                    lines.append("    " + compact(item) + (i == items.count - 1 ? "" : ","))
                }
                lines.append("  ]" + comma)
            } else {
                lines.append("  \(JSONString.quote(key)): \(compact(value))" + comma)
            }
        }
        return "{\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    public static func compact(_ node: PlanNode) -> String {
        switch node {
        case .object(let pairs):
            "{" + pairs.map { "\(JSONString.quote($0.0)): \(compact($0.1))" }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(compact).joined(separator: ", ") + "]"
        case .string(let text): JSONString.quote(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }
}
