/// Numbers as plan files print them: fixed decimals, no exponent, no `-0`, the same bytes on every machine
/// and in every locale (no Foundation formatting involved).
public enum CanonicalNumber {
    /// `value` rounded half away from zero to `digits` decimals.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        let digits = max(0, min(9, digits))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e15 else {
            return digits > 0 ? fixed(value, digits: digits - 1) : integer(value.rounded())
        }
        let whole = Int64(scaled)
        if whole == 0 { return digits == 0 ? "0" : "0." + String(repeating: "0", count: digits) }
        let negative = whole < 0
        var text = String(whole.magnitude)
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        }
        return negative ? "-" + text : text
    }

    /// A whole number without exponent; values beyond Int64 are clamped.
    public static func integer(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value >= 9.2e18 { return String(Int64.max) }
        if value <= -9.2e18 { return String(Int64.min) }
        let whole = Int64(value.rounded(.toNearestOrAwayFromZero))
        return String(whole)
    }
}
