import CEL
import PlanningEngine

/// Renders `chargeplan explain` output: an indented tree for people, JSON for tools.
public enum ExplanationWriter {
    public static func text(_ explanation: Explanation) -> String {
        let place = [explanation.city] + (explanation.zone.map { [$0] } ?? []) + [String(explanation.year)]
        var out = place.joined(separator: " / ") + " (rollout \(explanation.rollout))\n"
        for root in explanation.roots { render(root, prefix: "", isLast: true, isRoot: true, into: &out) }
        return out
    }

    private static func render(
        _ node: Explanation.Node, prefix: String, isLast: Bool, isRoot: Bool, into out: inout String
    ) {
        let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
        var line = node.label
        if let value = node.value { line += " = " + format(value) }
        if let rule = node.rule {
            line += "  ← \(rule)" + (node.position.map { " (\($0))" } ?? "")
        } else if let position = node.position {
            line += "  (\(position))"
        }
        if let note = node.note { line += "  [\(note)]" }
        out += prefix + branch + line + "\n"
        let childPrefix = isRoot ? prefix : prefix + (isLast ? "   " : "│  ")
        if let expression = node.expression {
            out +=
                childPrefix + (node.children.isEmpty ? "   " : "│  ") + "= "
                + expression.replacingOccurrences(of: "\n", with: " ") + "\n"
        }
        for (index, child) in node.children.enumerated() {
            render(child, prefix: childPrefix, isLast: index == node.children.count - 1, isRoot: false, into: &out)
        }
    }

    public static func json(_ explanation: Explanation) -> String {
        JSONEmitter.emit(
            .object([
                ("rollout", .string(explanation.rollout)), ("city", .string(explanation.city)),
                ("zone", explanation.zone.map { .string($0) } ?? .null), ("year", .number(String(explanation.year))),
                ("roots", .array(explanation.roots.map(node))),
            ]))
    }

    private static func node(_ n: Explanation.Node) -> PlanNode {
        var pairs: [(String, PlanNode)] = [("label", .string(n.label))]
        if let value = n.value { pairs.append(("value", celNode(value))) }
        if let rule = n.rule { pairs.append(("rule", .string(rule))) }
        if let position = n.position { pairs.append(("position", .string(position.description))) }
        if let expression = n.expression { pairs.append(("expression", .string(expression))) }
        if let note = n.note { pairs.append(("note", .string(note))) }
        if !n.children.isEmpty { pairs.append(("inputs", .array(n.children.map(node)))) }
        return .object(pairs)
    }

    private static func celNode(_ value: CELValue) -> PlanNode {
        switch value {
        case .double(let d): .number(trimmed(d))
        case .int(let i): .number(String(i))
        case .uint(let u): .number(String(u))
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        default: .string(value.description)
        }
    }

    static func format(_ value: CELValue) -> String {
        switch value {
        case .double(let d): trimmed(d)
        case .string(let s): JSONString.quote(s)
        case .object: "{…}"
        default: value.description
        }
    }

    /// Four decimals at most, trailing zeros dropped.
    static func trimmed(_ value: Double) -> String { CanonicalNumber.trimmed(value, digits: 4) }
}
