import Foundation

/// A CEL type, as declared for variables and deduced by the checker.
/// `dyn` means "any type, checked at run time"; `object` names a type declared
/// with `CELEnvironment.declareObjectType` (the planner's zone, city, site…).
public indirect enum CELType: Hashable, Sendable, CustomStringConvertible {
    case int, uint, double, bool, string, bytes, null, dyn, type
    case list(CELType)
    case map(CELType, CELType)
    case object(String)
    /// The type of an error value (used internally by the checker; never a value's type).
    case error

    public var description: String {
        switch self {
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .bool: return "bool"
        case .string: return "string"
        case .bytes: return "bytes"
        case .null: return "null_type"
        case .dyn: return "dyn"
        case .type: return "type"
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        case .object(let name): return name
        case .error: return "*error*"
        }
    }

    /// Parses a type written as in the conformance files: `int`, `list(int)`, `map(string, dyn)`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func splitArguments(_ inner: Substring) -> [String] {
            var parts: [String] = []
            var depth = 0
            var current = ""
            for ch in inner {
                if ch == "(" { depth += 1 }
                if ch == ")" { depth -= 1 }
                if ch == "," && depth == 0 {
                    parts.append(current)
                    current = ""
                } else {
                    current.append(ch)
                }
            }
            parts.append(current)
            return parts
        }
        if trimmed.hasPrefix("list("), trimmed.hasSuffix(")") {
            let inner = trimmed.dropFirst(5).dropLast()
            guard let element = CELType(parsing: String(inner)) else { return nil }
            self = .list(element)
            return
        }
        if trimmed.hasPrefix("map("), trimmed.hasSuffix(")") {
            let parts = splitArguments(trimmed.dropFirst(4).dropLast())
            guard parts.count == 2, let key = CELType(parsing: parts[0]), let value = CELType(parsing: parts[1]) else {
                return nil
            }
            self = .map(key, value)
            return
        }
        switch trimmed {
        case "int": self = .int
        case "uint": self = .uint
        case "double": self = .double
        case "bool": self = .bool
        case "string": self = .string
        case "bytes": self = .bytes
        case "null_type", "null": self = .null
        case "dyn": self = .dyn
        case "type": self = .type
        case "list": self = .list(.dyn)
        case "map": self = .map(.dyn, .dyn)
        default:
            guard !trimmed.isEmpty else { return nil }
            self = .object(trimmed)
        }
    }

    /// The name `type(x)` reports and a type literal denotes (`list`, not `list(int)`).
    var runtimeName: String {
        switch self {
        case .list: return "list"
        case .map: return "map"
        default: return description
        }
    }
}

/// A CEL value. Kept as a plain (non-indirect) enum so scalars are not boxed on the hot path.
/// `==` is structural (1 and 1.0 differ, strings compare by code points, not by canonical
/// equivalence); CEL's own equality is applied by the evaluator.
public enum CELValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case null
    case list([CELValue])
    case map(CELMap)
    case object(CELObject)
    case type(CELType)

    /// The CEL type of this value (element types of lists and maps are `dyn`).
    public var celType: CELType {
        switch self {
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .bool: return .bool
        case .string: return .string
        case .bytes: return .bytes
        case .null: return .null
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .object(let object): return .object(object.typeName)
        case .type: return .type
        }
    }

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .uint(let v): return "\(v)u"
        case .double(let v): return formatDouble(v)
        case .bool(let v): return v ? "true" : "false"
        case .string(let v): return quoteString(v)
        case .bytes(let v):
            return "b\""
                + v.map { byte in
                    byte >= 0x20 && byte < 0x7f && byte != 0x22 && byte != 0x5c
                        ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
                }.joined() + "\""
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let map): return "{" + map.entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .object(let object):
            let fields = object.layout.fieldNames.enumerated().map { "\($0.element): \(object.values[$0.offset])" }
            return object.typeName + "{" + fields.joined(separator: ", ") + "}"
        case .type(let type): return type.runtimeName
        }
    }

    public static func == (lhs: CELValue, rhs: CELValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.uint(let a), .uint(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return ScalarText.equal(a, b)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.null, .null): return true
        case (.list(let a), .list(let b)): return a == b
        case (.map(let a), .map(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.type(let a), .type(let b)): return a == b
        default: return false
        }
    }
}

func formatDouble(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Infinity" : "-Infinity" }
    if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.1f", value) }
    return "\(value)"
}

func quoteString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// A map key normalised so that numerically equal int, uint and double keys collide, as CEL requires.
enum CELMapKey: Hashable, Sendable {
    case bool(Bool)
    case int(Int64)
    case largeUInt(UInt64)
    /// Compared and hashed by code points.
    case string(CELStringKey)

    /// The key for a value, or nil when the value cannot be a key (or is a non-integral double).
    init?(_ value: CELValue) {
        switch value {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .largeUInt(u)
        case .string(let s): self = .string(CELStringKey(s))
        case .double(let d):
            guard d == d.rounded(.towardZero) else { return nil }
            if d >= -9.2233720368547758e18 && d < 9.2233720368547758e18 {
                self = .int(Int64(d))
            } else if d >= 0 && d < 1.8446744073709552e19 {
                self = .largeUInt(UInt64(d))
            } else {
                return nil
            }
        default: return nil
        }
    }
}

/// A CEL map: entries keep insertion order (deterministic output) and an index gives
/// constant-time lookup with CEL's numeric key equivalence.
public struct CELMap: Sendable, Equatable {
    public private(set) var entries: [(key: CELValue, value: CELValue)]
    var index: [CELMapKey: Int]

    public init() {
        entries = []
        index = [:]
    }

    /// Builds a map; returns nil when a key repeats or has a type that cannot be a map key.
    public init?(_ pairs: [(CELValue, CELValue)]) {
        self.init()
        for (key, value) in pairs {
            guard insert(key, value) else { return nil }
        }
    }

    /// Inserts an entry; returns false when the key is invalid or already present.
    @discardableResult
    public mutating func insert(_ key: CELValue, _ value: CELValue) -> Bool {
        if case .double = key { return false }
        guard let normalized = CELMapKey(key), index[normalized] == nil else { return false }
        index[normalized] = entries.count
        entries.append((key, value))
        return true
    }

    public var count: Int { entries.count }

    public subscript(key: CELValue) -> CELValue? {
        guard let normalized = CELMapKey(key), let position = index[normalized] else { return nil }
        return entries[position].value
    }

    public subscript(key: String) -> CELValue? {
        guard let position = index[.string(CELStringKey(key))] else { return nil }
        return entries[position].value
    }

    public static func == (lhs: CELMap, rhs: CELMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.entries {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }
}

/// The field layout shared by all objects of one declared type, so that a compiled program can
/// read a field by array index after one identity check instead of hashing the field name.
public final class CELObjectLayout: Sendable {
    public let typeName: String
    public let fieldNames: [String]
    let indexByName: [String: Int]

    init(typeName: String, fieldNames: [String]) {
        self.typeName = typeName
        self.fieldNames = fieldNames
        var indexByName: [String: Int] = [:]
        for (position, name) in fieldNames.enumerated() { indexByName[name] = position }
        self.indexByName = indexByName
    }

    /// The position of a field in `fieldNames`, for patching one field of an object (`CELObject.replacing`).
    public func fieldIndex(_ name: String) -> Int? { indexByName[name] }

    /// Interned layouts: one per (type name, field list), so identity comparison works.
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: [CELObjectLayout]] = [:]

    /// The interned layout for a type with exactly these fields in this order.
    static func interned(typeName: String, fieldNames: [String]) -> CELObjectLayout {
        registryLock.lock()
        defer { registryLock.unlock() }
        let candidates = registry[typeName] ?? []
        if let existing = candidates.first(where: { $0.fieldNames == fieldNames }) { return existing }
        let layout = CELObjectLayout(typeName: typeName, fieldNames: fieldNames)
        registry[typeName, default: []].append(layout)
        return layout
    }

    /// An interned layout for the type whose field set equals `names` (declared order preferred).
    static func matching(typeName: String, names: Set<String>) -> CELObjectLayout {
        registryLock.lock()
        let candidates = registry[typeName] ?? []
        registryLock.unlock()
        // Same count and every name known: the same set, without building a set per candidate.
        if let existing = candidates.first(where: { layout in
            layout.fieldNames.count == names.count && names.allSatisfy { layout.indexByName[$0] != nil }
        }) {
            return existing
        }
        return interned(typeName: typeName, fieldNames: names.sorted())
    }
}

/// Shared storage of an object: one reference to retain when an object value is copied.
/// `values` changes only through `CELObject.set`, while the storage is uniquely referenced (copy on write), so no
/// two threads ever see it change.
final class CELObjectStorage: @unchecked Sendable {
    let layout: CELObjectLayout
    /// Unchecked: every field read of every evaluation goes through here, and the only writer (`CELObject.set`)
    /// holds the storage alone, so no access can overlap a write.
    @exclusivity(unchecked) var values: [CELValue]

    init(layout: CELObjectLayout, values: [CELValue]) {
        self.layout = layout
        self.values = values
    }
}

/// An instance of a declared object type (a zone, a city, a candidate site).
/// Fields are stored in an array in the layout's order.
public struct CELObject: Sendable, Equatable {
    private(set) var storage: CELObjectStorage

    public var layout: CELObjectLayout { storage.layout }
    public var values: [CELValue] { storage.values }
    public var typeName: String { storage.layout.typeName }

    /// Builds an object by field name. When the type was declared with exactly these fields,
    /// the declared order is used so compiled programs read fields by index.
    public init(typeName: String, fields: [String: CELValue]) {
        let layout = CELObjectLayout.matching(typeName: typeName, names: Set(fields.keys))
        storage = CELObjectStorage(layout: layout, values: layout.fieldNames.map { fields[$0] ?? .null })
    }

    /// Builds an object from values in the order of `layout.fieldNames` (fastest).
    public init(layout: CELObjectLayout, values: [CELValue]) {
        storage = CELObjectStorage(layout: layout, values: values)
    }

    /// The value of field number `index` when this object has `layout` (the compiled fast path).
    @inline(__always)
    func value(at index: Int, ifLayout layout: CELObjectLayout) -> CELValue? {
        let storage = self.storage
        guard storage.layout === layout else { return nil }
        return storage.values[index]
    }

    /// The value of field number `index`.
    public func value(at index: Int) -> CELValue { storage.values[index] }

    /// This object with field number `index` set to `value` (the same layout): one field changed without
    /// looking any name up.
    public func replacing(_ index: Int, with value: CELValue) -> CELObject {
        var copy = self
        copy.set(index, value)
        return copy
    }

    /// Sets field number `index` in place when no other value shares this object's storage (a planner updating
    /// the object it caches), else in a copy: objects stay values.
    public mutating func set(_ index: Int, _ value: CELValue) {
        if !isKnownUniquelyReferenced(&storage) {
            storage = CELObjectStorage(layout: storage.layout, values: storage.values)
        }
        storage.values[index] = value
    }

    public subscript(field: String) -> CELValue? {
        guard let position = layout.fieldIndex(field), position < values.count else { return nil }
        return values[position]
    }

    /// Field names and values.
    public var fields: [String: CELValue] {
        var out: [String: CELValue] = [:]
        for (position, name) in layout.fieldNames.enumerated() where position < values.count {
            out[name] = values[position]
        }
        return out
    }

    public static func == (lhs: CELObject, rhs: CELObject) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.typeName == rhs.typeName else { return false }
        if lhs.layout === rhs.layout { return lhs.values == rhs.values }
        return lhs.fields == rhs.fields
    }
}

/// Any failure of parsing, checking, evaluating, or a spent cost budget, with its position in the source.
public struct CELError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case parse, check, evaluation, cost }
    public let kind: Kind
    public let message: String
    public let hint: String?
    /// 1-based line within the source.
    public let line: Int
    /// 1-based column in Unicode scalars.
    public let column: Int
    /// UTF-8 byte offset within the source.
    public let offset: Int

    public init(kind: Kind, message: String, hint: String? = nil, line: Int, column: Int, offset: Int) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.line = line
        self.column = column
        self.offset = offset
    }

    init(_ kind: Kind, _ message: String, at position: SourcePosition, hint: String? = nil) {
        self.init(
            kind: kind, message: message, hint: hint, line: position.line, column: position.column,
            offset: position.offset)
    }

    public var description: String {
        let kindName: String
        switch kind {
        case .parse: kindName = "parse error"
        case .check: kindName = "check error"
        case .evaluation: kindName = "evaluation error"
        case .cost: kindName = "cost limit exceeded"
        }
        var text = "\(line):\(column): \(kindName): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    /// The source line holding the error and a caret under its column.
    public func snippet(in source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return "" }
        var text = String(lines[line - 1])
        if text.hasSuffix("\r") { text.removeLast() }
        let scalars = Array(text.unicodeScalars)
        var shown = text
        var caretColumn = max(column, 1)
        // Long lines (a 1 MB expression) are cut to a window around the column.
        if scalars.count > 160 {
            let start = max(0, caretColumn - 80)
            let end = min(scalars.count, start + 160)
            var window = String.UnicodeScalarView()
            window.append(contentsOf: scalars[start..<end])
            shown = (start > 0 ? "…" : "") + String(window) + (end < scalars.count ? "…" : "")
            caretColumn = caretColumn - start + (start > 0 ? 1 : 0)
        }
        let pad = String(repeating: " ", count: max(0, caretColumn - 1))
        return shown + "\n" + pad + "^"
    }
}

/// A position in the source: UTF-8 offset plus 1-based line and Unicode-scalar column.
struct SourcePosition: Sendable, Equatable {
    var offset: Int
    var line: Int
    var column: Int
    static let unknown = SourcePosition(offset: 0, line: 1, column: 1)
}
