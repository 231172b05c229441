import PlanningEngine
/// A JSON value whose object keys keep the order they were written in, so generated
/// schemas are byte-for-byte stable (no Dictionary order ever reaches the output).
public indirect enum SchemaValue: Sendable {
    case object([SchemaPair])
    case array([SchemaValue])
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)

    /// The value of `key` in an object.
    public subscript(key: String) -> SchemaValue? {
        if case .object(let pairs) = self { return pairs.first { $0.key == key }?.value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var arrayValue: [SchemaValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var doubleValue: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// Pretty JSON, two spaces per level, one key per line, a newline at the end.
    public func rendered() -> String {
        var out = ""
        render(into: &out, indent: 0)
        return out + "\n"
    }

    private func render(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        let closing = String(repeating: " ", count: indent)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (index, pair) in pairs.enumerated() {
                out += pad + JSONString.quote(pair.key) + ": "
                pair.value.render(into: &out, indent: indent + 2)
                out += index == pairs.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy({ $0.isScalar }) {
                out += "[" + items.map { $0.compact() }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                item.render(into: &out, indent: indent + 2)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        default:
            out += compact()
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    private func compact() -> String {
        switch self {
        case .object(let pairs):
            "{" + pairs.map { JSONString.quote($0.key) + ": " + $0.value.compact() }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map { $0.compact() }.joined(separator: ", ") + "]"
        case .string(let text): JSONString.quote(text)
        case .number(let value): Self.format(value)
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        }
    }

    /// Plain decimal, never an exponent for the magnitudes schemas use.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

}

public struct SchemaPair: Sendable {
    public var key: String
    public var value: SchemaValue

    public init(_ key: String, _ value: SchemaValue) {
        self.key = key
        self.value = value
    }
}
