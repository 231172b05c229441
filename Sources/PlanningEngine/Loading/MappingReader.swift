import CEL

/// Reads one YAML mapping into typed fields, recording every problem in a bag and
/// reporting keys nobody asked for: a misspelt key must not pass silently.
struct MappingReader {
    let node: YAMLNode
    private let pairs: [(key: String, keyPosition: SourcePosition, value: YAMLNode)]
    private var used: Set<String> = []

    /// Returns nil (with a diagnostic) when the node is not a mapping.
    init?(_ node: YAMLNode, what: String, bag: inout DiagnosticBag) {
        guard case .mapping(let pairs) = node.content else {
            bag.error("expected \(what) (a mapping), found \(node.kindName)", at: node.position)
            return nil
        }
        self.node = node
        self.pairs = pairs
    }

    var keys: [String] { pairs.map(\.key) }

    func position(of key: String) -> SourcePosition? {
        pairs.first { $0.key == key }?.keyPosition
    }

    mutating func value(_ key: String) -> YAMLNode? {
        used.insert(key)
        guard let pair = pairs.first(where: { $0.key == key }), !pair.value.isNull else { return nil }
        return pair.value
    }

    mutating func required(_ key: String, bag: inout DiagnosticBag) -> YAMLNode? {
        guard let value = value(key) else {
            bag.error("missing required key '\(key)'", at: node.position)
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool = true, bag: inout DiagnosticBag) -> Located<String>? {
        guard let node = required ? self.required(key, bag: &bag) : value(key) else { return nil }
        return ScalarReading.string(node, bag: &bag)
    }

    /// A string that names a file or folder: held to `Identifier.pattern`.
    mutating func identifier(_ key: String, what: String, bag: inout DiagnosticBag) -> Located<String>? {
        guard let id = string(key, bag: &bag) else { return nil }
        return Identifier.validate(id, what: what, bag: &bag) ? id : nil
    }

    mutating func double(
        _ key: String, required: Bool = true, range: ClosedRange<Double>? = nil, bag: inout DiagnosticBag
    ) -> Double? {
        guard let node = required ? self.required(key, bag: &bag) : value(key) else { return nil }
        return ScalarReading.double(node, range: range, bag: &bag)
    }

    mutating func int(
        _ key: String, required: Bool = true, range: ClosedRange<Int>? = nil, bag: inout DiagnosticBag
    ) -> Int? {
        guard let node = required ? self.required(key, bag: &bag) : value(key) else { return nil }
        return ScalarReading.int(node, range: range, bag: &bag)
    }

    mutating func sequence(_ key: String, required: Bool = true, bag: inout DiagnosticBag) -> [YAMLNode]? {
        guard let node = required ? self.required(key, bag: &bag) : value(key) else { return nil }
        guard case .sequence(let items) = node.content else {
            bag.error("'\(key)' must be a list, found \(node.kindName)", at: node.position)
            return nil
        }
        return items
    }

    /// Reports keys that no reader asked for, pointing at the key itself.
    func finish(allowed extra: Set<String> = [], bag: inout DiagnosticBag) {
        for pair in pairs where !used.contains(pair.key) && !extra.contains(pair.key) {
            let known = (used.union(extra)).sorted()
            let suggestion = ScalarReading.closest(to: pair.key, in: known)
            bag.error(
                "unknown key '\(pair.key)'",
                at: pair.keyPosition,
                hint: suggestion.map { "did you mean '\($0)'?" } ?? "known keys: \(known.joined(separator: ", "))"
            )
        }
    }
}

/// A value and where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var position: SourcePosition

    public init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }
}

/// "Did you mean" for the command line and the writers: the known word nearest to a misspelling.
public enum Spelling {
    public static func closest(to word: String, in candidates: [String]) -> String? {
        ScalarReading.closest(to: word, in: candidates)
    }
}

/// Scalar conversions with checked ranges: a word where a number belongs is a diagnostic, never a trap.
package enum ScalarReading {
    static func string(_ node: YAMLNode, bag: inout DiagnosticBag) -> Located<String>? {
        guard let text = node.scalar else {
            bag.error("expected a string, found \(node.kindName)", at: node.position)
            return nil
        }
        return Located(text, at: node.position)
    }

    static func double(_ node: YAMLNode, range: ClosedRange<Double>? = nil, bag: inout DiagnosticBag) -> Double? {
        guard case .scalar(let text, let quoted) = node.content else {
            bag.error("expected a number, found \(node.kindName)", at: node.position)
            return nil
        }
        let cleaned = String(text.filter { $0 != "_" })
        guard !quoted, let value = Double(cleaned), value.isFinite, isNumeral(cleaned) else {
            bag.error("expected a number, found '\(text)'", at: node.position)
            return nil
        }
        if let range, !range.contains(value) {
            bag.error(
                "\(text) is out of range \(format(range.lowerBound))…\(format(range.upperBound))", at: node.position)
            return nil
        }
        return value == 0 ? 0 : value
    }

    static func int(_ node: YAMLNode, range: ClosedRange<Int>? = nil, bag: inout DiagnosticBag) -> Int? {
        guard case .scalar(let text, let quoted) = node.content else {
            bag.error("expected a whole number, found \(node.kindName)", at: node.position)
            return nil
        }
        guard !quoted, let value = Int(String(text.filter { $0 != "_" })) else {
            bag.error("expected a whole number, found '\(text)'", at: node.position)
            return nil
        }
        if let range, !range.contains(value) {
            bag.error("\(text) is out of range \(range.lowerBound)…\(range.upperBound)", at: node.position)
            return nil
        }
        return value
    }

    static func bool(_ node: YAMLNode, bag: inout DiagnosticBag) -> Bool? {
        switch node.scalar {
        case "true": return true
        case "false": return false
        default:
            bag.error("expected true or false, found '\(node.scalar ?? node.kindName)'", at: node.position)
            return nil
        }
    }

    /// Whether `number` (written `text` at `position`) lies within the bounds that are given; an error if not.
    static func within(
        _ number: Double, low: Double?, high: Double?, text: String, at position: SourcePosition,
        hint: String? = nil, bag: inout DiagnosticBag
    ) -> Bool {
        if let low, let high, !(low...high).contains(number) {
            bag.error("\(text) is out of range \(format(low))…\(format(high))", at: position, hint: hint)
            return false
        }
        if let low, high == nil, number < low {
            bag.error("\(text) is below the minimum \(format(low))", at: position, hint: hint)
            return false
        }
        if let high, low == nil, number > high {
            bag.error("\(text) is above the maximum \(format(high))", at: position, hint: hint)
            return false
        }
        return true
    }

    /// Double() also accepts "nan", "inf" and hex floats; planners write decimals.
    private static func isNumeral(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { "0123456789+-.eE".unicodeScalars.contains($0) }
    }

    package static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The known word nearest to a misspelling (edit distance ≤ 2), for "did you mean": CEL's, so rule and
    /// input messages suggest alike.
    package static func closest(to word: String, in candidates: [String]) -> String? {
        closestName(to: word, in: candidates)
    }
}
