import PlanningEngine

/// Writes a plan tree as YAML for review: top-level keys in block style, each record of a list
/// on one line in flow style, so changing one zone-year changes one line. The text is built as UTF-8 bytes in one
/// buffer (a plan of thousands of zone-years would otherwise build and join a string per value).
public enum YAMLEmitter {
    public static func emit(_ node: PlanNode, header: String? = nil) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 14)
        if let header {
            let commented = header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }
            out.append(contentsOf: commented.joined(separator: "\n").utf8)
            out.append(newline)
        }
        guard case .object(let pairs) = node else {
            flow(node, into: &out)
            out.append(newline)
            return String(decoding: out, as: UTF8.self)
        }
        for (key, value) in pairs {
            scalar(key, into: &out)
            switch value {
            case .array(let items):
                if items.isEmpty {
                    out.append(contentsOf: ": []\n".utf8)
                } else {
                    out.append(contentsOf: ":\n".utf8)
                    for item in items {
                        out.append(contentsOf: "  - ".utf8)
                        flow(item, into: &out)
                        out.append(newline)
                    }
                }
            default:
                out.append(contentsOf: ": ".utf8)
                flow(value, into: &out)
                out.append(newline)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let newline = UInt8(ascii: "\n")

    static func flow(_ node: PlanNode) -> String {
        var out: [UInt8] = []
        flow(node, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func flow(_ node: PlanNode, into out: inout [UInt8]) {
        switch node {
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                scalar(pair.0, into: &out)
                out.append(contentsOf: ": ".utf8)
                flow(pair.1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                flow(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text): scalar(text, into: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    static func scalarKey(_ key: String) -> String { scalar(key) }

    private static let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ""]

    /// Plain when it cannot be read as anything but a string, quoted otherwise.
    static func scalar(_ text: String) -> String {
        isPlain(text) ? text : JSONString.quote(text)
    }

    static func scalar(_ text: String, into out: inout [UInt8]) {
        if isPlain(text) {
            out.append(contentsOf: text.utf8)
        } else {
            out.append(contentsOf: JSONString.quote(text).utf8)
        }
    }

    /// Only ASCII letters, digits and `_-./:`, not starting like a number, not a reserved word in any case, not
    /// ending in `:`. Checked on the UTF-8 bytes: a plain scalar is ASCII, so its first character is a number
    /// exactly when its first byte is a digit.
    private static func isPlain(_ text: String) -> Bool {
        var first: UInt8?
        var last: UInt8 = 0
        var hasUpper = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"):
                break
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                hasUpper = true
            default:
                return false
            }
            if first == nil { first = byte }
            last = byte
        }
        guard let first else { return false }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-")
            || first == UInt8(ascii: ".") || last == UInt8(ascii: ":")
        {
            return false
        }
        return !reserved.contains(hasUpper ? text.lowercased() : text)
    }
}
