import Foundation

/// CEL's value semantics: equality, ordering, arithmetic and conversions, all reporting
/// failures as errors (never trapping).
enum Runtime {
    static func fail(_ message: String, _ position: SourcePosition) -> CELError {
        CELError(.evaluation, message, at: position)
    }

    static func noOverload(_ function: String, _ args: [CELValue], _ position: SourcePosition) -> CELError {
        let types = args.map { $0.celType.runtimeName }.joined(separator: ", ")
        return fail("no matching overload for '\(displayName(function))' applied to (\(types))", position)
    }

    static func displayName(_ function: String) -> String {
        switch function {
        case "_+_": return "+"
        case "_-_": return "-"
        case "_*_": return "*"
        case "_/_": return "/"
        case "_%_": return "%"
        case "_<_": return "<"
        case "_<=_": return "<="
        case "_>_": return ">"
        case "_>=_": return ">="
        case "_==_": return "=="
        case "_!=_": return "!="
        case "!_": return "!"
        case "-_": return "unary -"
        case "_[_]": return "[]"
        case "@in": return "in"
        case "_&&_": return "&&"
        case "_||_": return "||"
        case "_?_:_": return "?:"
        default: return function
        }
    }

    // MARK: Equality and ordering

    /// CEL equality: numbers compare by value across int/uint/double; other kinds must match;
    /// strings compare by code points. Work that grows with the operands is spent on the frame:
    /// one unit per list element, map entry or object field compared (recursively) and one per
    /// `Frame.workPerCost` bytes of equal-length strings and bytes, so comparing large shared
    /// structures ends with a `.cost` error instead of running unbounded.
    static func equals(
        _ lhs: CELValue, _ rhs: CELValue, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.uint(let a), .uint(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int, .uint), (.uint, .int), (.int, .double), (.double, .int), (.uint, .double), (.double, .uint):
            return compareNumbers(lhs, rhs) == 0
        case (.string(let a), .string(let b)): return try stringsEqual(a, b, &frame, position)
        case (.bool(let a), .bool(let b)): return a == b
        case (.bytes(let a), .bytes(let b)):
            guard a.count == b.count else { return false }
            try frame.spend(work: a.count, position)
            return a == b
        case (.null, .null): return true
        case (.type(let a), .type(let b)): return a.runtimeName == b.runtimeName
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for offset in a.indices {
                try frame.spend(1, position)
                if try !equals(a[offset], b[offset], &frame, position) { return false }
            }
            return true
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.entries {
                try frame.spend(1, position)
                try spendKey(key, &frame, position)
                guard let other = b[key], try equals(value, other, &frame, position) else { return false }
            }
            return true
        case (.object(let a), .object(let b)):
            guard a.typeName == b.typeName else { return false }
            if a.layout === b.layout { return try equals(.list(a.values), .list(b.values), &frame, position) }
            let fa = a.fields, fb = b.fields
            guard fa.count == fb.count else { return false }
            for (name, value) in fa {
                try frame.spend(1, position)
                guard let other = fb[name], try equals(value, other, &frame, position) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Code-point equality of strings, spending for the bytes compared (equal lengths only).
    @inline(__always)
    static func stringsEqual(
        _ a: String, _ b: String, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        try frame.spend(work: count, position)
        return ScalarText.equal(a, b)
    }

    /// Spends for hashing a map key (its bytes, for a string).
    @inline(__always)
    static func spendKey(_ key: CELValue, _ frame: inout Frame, _ position: SourcePosition) throws(CELError) {
        if case .string(let text) = key { try frame.spend(work: text.utf8.count, position) }
    }

    /// Compares two numbers of any numeric kinds; nil when unordered (NaN) or not numbers.
    static func compareNumbers(_ lhs: CELValue, _ rhs: CELValue) -> Int? {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.uint(let a), .uint(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.int(let a), .uint(let b)):
            if a < 0 { return -1 }
            let ua = UInt64(a)
            return ua < b ? -1 : (ua > b ? 1 : 0)
        case (.uint, .int):
            return compareNumbers(rhs, lhs).map { -$0 }
        case (.int(let a), .double(let b)): return compareIntDouble(a, b)
        case (.double, .int): return compareNumbers(rhs, lhs).map { -$0 }
        case (.uint(let a), .double(let b)): return compareUIntDouble(a, b)
        case (.double, .uint): return compareNumbers(rhs, lhs).map { -$0 }
        default: return nil
        }
    }

    /// int/uint against double compare as doubles (the reference implementations do the same).
    static func compareIntDouble(_ a: Int64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        let x = Double(a)
        return x < b ? -1 : (x > b ? 1 : 0)
    }

    static func compareUIntDouble(_ a: UInt64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        let x = Double(a)
        return x < b ? -1 : (x > b ? 1 : 0)
    }

    /// Ordering for `<`, `<=`, `>`, `>=`; nil result means "false" (NaN); throws for unorderable kinds.
    /// Strings order by code point (the order of their UTF-8 bytes); spends for the bytes compared.
    static func compare(
        _ function: String, _ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> Int? {
        switch (lhs, rhs) {
        case (.int, _), (.uint, _), (.double, _):
            switch rhs {
            case .int, .uint, .double: return compareNumbers(lhs, rhs)
            default: throw noOverload(function, [lhs, rhs], position)
            }
        case (.string(let a), .string(let b)):
            try frame.spend(work: min(a.utf8.count, b.utf8.count), position)
            return ScalarText.compare(a, b)
        case (.bytes(let a), .bytes(let b)):
            try frame.spend(work: min(a.count, b.count), position)
            return compareBytes(a, b)
        case (.bool(let a), .bool(let b)):
            return a == b ? 0 : (a ? 1 : -1)
        default:
            throw noOverload(function, [lhs, rhs], position)
        }
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in ScalarText.compareBytes(x, y) } }
    }

    static func relation(
        _ function: String, _ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> Bool {
        guard let order = try compare(function, lhs, rhs, position, &frame) else { return false }
        switch function {
        case "_<_": return order < 0
        case "_<=_": return order <= 0
        case "_>_": return order > 0
        default: return order >= 0
        }
    }

    // MARK: Arithmetic

    static func overflow(_ position: SourcePosition) -> CELError { fail("integer overflow", position) }

    static func add(
        _ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition, _ cost: inout Int
    ) throws(CELError) -> CELValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow(position) }
            return .int(r)
        case (.uint(let a), .uint(let b)):
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow(position) }
            return .uint(r)
        case (.double(let a), .double(let b)): return .double(a + b)
        case (.string(let a), .string(let b)):
            cost += (a.utf8.count + b.utf8.count) / 16
            return .string(a + b)
        case (.bytes(let a), .bytes(let b)):
            cost += (a.count + b.count) / 16
            return .bytes(a + b)
        case (.list(let a), .list(let b)):
            cost += a.count + b.count
            return .list(a + b)
        default: throw noOverload("_+_", [lhs, rhs], position)
        }
    }

    static func subtract(_ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow(position) }
            return .int(r)
        case (.uint(let a), .uint(let b)):
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow(position) }
            return .uint(r)
        case (.double(let a), .double(let b)): return .double(a - b)
        default: throw noOverload("_-_", [lhs, rhs], position)
        }
    }

    static func multiply(_ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow(position) }
            return .int(r)
        case (.uint(let a), .uint(let b)):
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow(position) }
            return .uint(r)
        case (.double(let a), .double(let b)): return .double(a * b)
        default: throw noOverload("_*_", [lhs, rhs], position)
        }
    }

    static func divide(_ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            if b == 0 { throw fail("division by zero", position) }
            let (r, o) = a.dividedReportingOverflow(by: b)
            if o { throw overflow(position) }
            return .int(r)
        case (.uint(let a), .uint(let b)):
            if b == 0 { throw fail("division by zero", position) }
            return .uint(a / b)
        case (.double(let a), .double(let b)): return .double(a / b)
        default: throw noOverload("_/_", [lhs, rhs], position)
        }
    }

    static func modulo(_ lhs: CELValue, _ rhs: CELValue, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            if b == 0 { throw fail("modulus by zero", position) }
            let (r, o) = a.remainderReportingOverflow(dividingBy: b)
            if o { throw overflow(position) }
            return .int(r)
        case (.uint(let a), .uint(let b)):
            if b == 0 { throw fail("modulus by zero", position) }
            return .uint(a % b)
        default: throw noOverload("_%_", [lhs, rhs], position)
        }
    }

    static func negate(_ value: CELValue, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch value {
        case .int(let a):
            let (r, o) = Int64(0).subtractingReportingOverflow(a)
            if o { throw overflow(position) }
            return .int(r)
        case .double(let a): return .double(-a)
        default: throw noOverload("-_", [value], position)
        }
    }

    // MARK: Containers

    static func index(
        _ container: CELValue, _ key: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        switch container {
        case .list(let items):
            let position64: Int64
            switch key {
            case .int(let i): position64 = i
            case .uint(let u):
                guard u <= UInt64(Int64.max) else { throw fail("index out of range: \(u)", position) }
                position64 = Int64(u)
            case .double(let d):
                guard d == d.rounded(.towardZero), abs(d) < 9.2e18 else {
                    throw fail("invalid list index \(formatDouble(d))", position)
                }
                position64 = Int64(d)
            default: throw fail("invalid_argument: list index must be an int, got \(key.celType.runtimeName)", position)
            }
            guard position64 >= 0, position64 < Int64(items.count) else {
                throw fail("index out of range: \(position64) (list of size \(items.count))", position)
            }
            return items[Int(position64)]
        case .map(let map):
            try spendKey(key, &frame, position)
            guard let value = map[key] else { throw fail("no such key: \(key)", position) }
            return value
        default:
            throw noOverload("_[_]", [container, key], position)
        }
    }

    /// `in`: spends one unit per list element compared (plus what comparing it costs), or for
    /// hashing the key of a map.
    static func contains(
        _ container: CELValue, _ element: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> Bool {
        switch container {
        case .list(let items):
            for item in items {
                try frame.spend(1, position)
                if try equals(item, element, &frame, position) { return true }
            }
            return false
        case .map(let map):
            try spendKey(element, &frame, position)
            return map[element] != nil
        default:
            throw noOverload("@in", [element, container], position)
        }
    }

    static func size(_ value: CELValue, _ position: SourcePosition, _ frame: inout Frame) throws(CELError) -> CELValue {
        switch value {
        case .string(let s):
            try frame.spend(work: s.utf8.count, position)
            return .int(Int64(ScalarText.scalarCount(s)))
        case .bytes(let b): return .int(Int64(b.count))
        case .list(let l): return .int(Int64(l.count))
        case .map(let m): return .int(Int64(m.count))
        default: throw noOverload("size", [value], position)
        }
    }

    static func select(_ value: CELValue, _ field: String, _ position: SourcePosition) throws(CELError) -> CELValue {
        switch value {
        case .map(let map):
            guard let result = map[field] else { throw fail("no such key: '\(field)'", position) }
            return result
        case .object(let object):
            guard let result = object[field] else {
                throw fail("no such field '\(field)' on \(object.typeName)", position)
            }
            return result
        default:
            throw fail("type '\(value.celType.runtimeName)' does not support field selection", position)
        }
    }

    static func has(_ value: CELValue, _ field: String, _ position: SourcePosition) throws(CELError) -> Bool {
        switch value {
        case .map(let map): return map[field] != nil
        case .object(let object): return object[field] != nil
        default: throw fail("invalid type for has(): \(value.celType.runtimeName)", position)
        }
    }

    // MARK: Conversions

    /// Conversions from strings and bytes read the whole operand: one unit per `workPerCost` bytes.
    @inline(__always)
    static func spendConversion(_ value: CELValue, _ frame: inout Frame, _ position: SourcePosition) throws(CELError) {
        switch value {
        case .string(let text): try frame.spend(work: text.utf8.count, position)
        case .bytes(let bytes): try frame.spend(work: bytes.count, position)
        default: break
        }
    }

    static func toInt(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .int: return value
        case .uint(let u):
            guard u <= UInt64(Int64.max) else { throw fail("range error converting \(u)u to int", position) }
            return .int(Int64(u))
        case .double(let d):
            guard d.isFinite, d > -9.2233720368547758e18, d < 9.2233720368547758e18 else {
                throw fail("range error converting \(formatDouble(d)) to int", position)
            }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let s):
            guard let i = Int64(s) else { throw fail("cannot convert '\(s)' to int", position) }
            return .int(i)
        default: throw noOverload("int", [value], position)
        }
    }

    static func toUInt(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .uint: return value
        case .int(let i):
            guard i >= 0 else { throw fail("range error converting \(i) to uint", position) }
            return .uint(UInt64(i))
        case .double(let d):
            guard d.isFinite, d > -1, d < 1.8446744073709552e19 else {
                throw fail("range error converting \(formatDouble(d)) to uint", position)
            }
            return .uint(UInt64(d.rounded(.towardZero)))
        case .string(let s):
            guard let u = UInt64(s) else { throw fail("cannot convert '\(s)' to uint", position) }
            return .uint(u)
        default: throw noOverload("uint", [value], position)
        }
    }

    static func toDouble(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .double: return value
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s):
            let trimmed = s
            switch trimmed {
            case "NaN": return .double(.nan)
            case "Infinity", "+Infinity", "inf", "+inf": return .double(.infinity)
            case "-Infinity", "-inf": return .double(-.infinity)
            default: break
            }
            guard !trimmed.isEmpty,
                trimmed.unicodeScalars.allSatisfy({ "0123456789.eE+-".unicodeScalars.contains($0) }),
                let d = Double(trimmed)
            else {
                throw fail("cannot convert '\(s)' to double", position)
            }
            return .double(d)
        default: throw noOverload("double", [value], position)
        }
    }

    static func doubleToString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        var text = "\(d)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    static func toString(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .string: return value
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(doubleToString(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else { throw fail("invalid UTF-8 in bytes", position) }
            return .string(s)
        default: throw noOverload("string", [value], position)
        }
    }

    static func toBytes(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .bytes: return value
        case .string(let s): return .bytes(Array(s.utf8))
        default: throw noOverload("bytes", [value], position)
        }
    }

    static func toBool(
        _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        try spendConversion(value, &frame, position)
        switch value {
        case .bool: return value
        case .string(let s):
            switch s.utf8.count > 5 ? "" : s {
            case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
            default: throw fail("type conversion error: cannot convert '\(s)' to bool", position)
            }
        default: throw noOverload("bool", [value], position)
        }
    }

    static func typeOf(_ value: CELValue) -> CELValue {
        .type(value.celType)
    }

    // MARK: Strings

    /// `contains`, `startsWith`, `endsWith` on code points; spends for the bytes read.
    static func contains(
        _ text: String, _ needle: String, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        try frame.spend(work: text.utf8.count + needle.utf8.count, position)
        return ScalarText.contains(text, needle)
    }

    static func startsWith(
        _ text: String, _ prefix: String, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        try frame.spend(work: min(text.utf8.count, prefix.utf8.count), position)
        return ScalarText.hasPrefix(text, prefix)
    }

    static func endsWith(
        _ text: String, _ suffix: String, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        try frame.spend(work: min(text.utf8.count, suffix.utf8.count), position)
        return ScalarText.hasSuffix(text, suffix)
    }

    /// Runs a compiled pattern (an unanchored search, as RE2's partial match). Spends one unit
    /// per `Frame.workPerCost` machine steps; a search that would exceed the budget stops early
    /// with a `.cost` error. Steps are at most (scalars + 1) × program size.
    static func matches(
        _ text: String, _ regex: CELRegex, _ frame: inout Frame,
        _ position: SourcePosition
    ) throws(CELError) -> Bool {
        var steps = 0
        let result = regex.search(text, stepLimit: frame.remainingWork, steps: &steps)
        try frame.spend(work: steps, position)
        guard let result else {
            throw CELError(.cost, "evaluation cost limit of \(frame.costLimit) exceeded", at: position)
        }
        return result
    }

    /// Compiles a pattern; invalid and unsupported patterns are evaluation errors at `position`.
    static func compileRegex(_ pattern: String, _ position: SourcePosition) throws(CELError) -> CELRegex {
        do {
            return try CELRegex(pattern)
        } catch {
            switch error {
            case .invalid(let reason):
                var shown = String(String.UnicodeScalarView(pattern.unicodeScalars.prefix(64)))
                if shown.unicodeScalars.count < pattern.unicodeScalars.count { shown += "…" }
                throw fail("invalid regular expression '\(shown)': \(reason)", position)
            case .unsupported(let reason):
                throw fail("unsupported regular expression: \(reason)", position)
            }
        }
    }

    /// Compiles a pattern computed at run time, spending for its length and its program size.
    static func compileRegex(
        _ pattern: String, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELRegex {
        try frame.spend(work: pattern.utf8.count, position)
        let regex = try compileRegex(pattern, position)
        try frame.spend(work: regex.size, position)
        return regex
    }
}
