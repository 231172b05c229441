import Foundation

/// CEL strings are sequences of Unicode code points without normalisation: `'e\u0301'` and
/// `'\u00e9'` differ. Swift's `String` equality, ordering and hashing use canonical equivalence,
/// so CEL values never use them; these operations work on the UTF-8 bytes instead. UTF-8 is
/// self-synchronising and its byte order is code-point order, so byte equality, byte order,
/// byte prefixes, suffixes and substrings of valid UTF-8 are exactly those of the code points.
enum ScalarText {
    /// Runs `body` on the string's UTF-8 bytes (in place for native strings, small ones included).
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    /// Code-point equality.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        if count == 0 { return true }
        return withBytes(a) { x in withBytes(b) { y in bytesEqual(x.baseAddress, y.baseAddress, count) } }
    }

    @inline(__always)
    static func bytesEqual(_ x: UnsafePointer<UInt8>?, _ y: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count > 0 else { return true }
        guard let x, let y else { return false }
        if count <= 16 {
            // Short keys and prefixes (the common case): a loop is cheaper than the call.
            for offset in 0..<count where x[offset] != y[offset] { return false }
            return true
        }
        return memcmp(x, y, count) == 0
    }

    /// Code-point order: -1, 0 or 1.
    static func compare(_ a: String, _ b: String) -> Int {
        withBytes(a) { x in withBytes(b) { y in compareBytes(x, y) } }
    }

    static func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(x.count, y.count)
        if common > 0, let a = x.baseAddress, let b = y.baseAddress {
            let order = memcmp(a, b, common)
            if order != 0 { return order < 0 ? -1 : 1 }
        }
        return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        let count = prefix.utf8.count
        guard count <= text.utf8.count else { return false }
        if count == 0 { return true }
        return withBytes(text) { x in withBytes(prefix) { y in bytesEqual(x.baseAddress, y.baseAddress, count) } }
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let count = suffix.utf8.count, total = text.utf8.count
        guard count <= total else { return false }
        if count == 0 { return true }
        return withBytes(text) { x in
            withBytes(suffix) { y in
                guard let base = x.baseAddress else { return false }
                return bytesEqual(base + (total - count), y.baseAddress, count)
            }
        }
    }

    /// Substring search in time linear in both lengths (short needles: direct scan; long: KMP).
    static func contains(_ text: String, _ needle: String) -> Bool {
        if needle.utf8.isEmpty { return true }
        guard needle.utf8.count <= text.utf8.count else { return false }
        return withBytes(text) { x in withBytes(needle) { y in search(x, y) } }
    }

    static func search(_ text: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count, n = text.count
        guard m > 0 else { return true }
        guard m <= n, let textBase = text.baseAddress, let needleBase = needle.baseAddress else { return false }
        if m <= 32 {
            let first = needle[0]
            var position = 0
            while position <= n - m {
                if text[position] == first, memcmp(textBase + position, needleBase, m) == 0 { return true }
                position += 1
            }
            return false
        }
        var failure = [Int](repeating: 0, count: m)
        var length = 0
        for position in 1..<m {
            while length > 0, needle[position] != needle[length] { length = failure[length - 1] }
            if needle[position] == needle[length] { length += 1 }
            failure[position] = length
        }
        length = 0
        for byte in text {
            while length > 0, byte != needle[length] { length = failure[length - 1] }
            if byte == needle[length] { length += 1 }
            if length == m { return true }
        }
        return false
    }

    /// The number of code points (UTF-8 bytes that are not continuation bytes).
    static func scalarCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}

/// A string map key compared and hashed by code points (not by canonical equivalence).
struct CELStringKey: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: CELStringKey, rhs: CELStringKey) -> Bool {
        ScalarText.equal(lhs.text, rhs.text)
    }

    func hash(into hasher: inout Hasher) {
        ScalarText.withBytes(text) { bytes in hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
    }
}
