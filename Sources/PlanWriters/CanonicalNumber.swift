import Foundation
import PlanningEngine

/// Numbers as plan files print them: fixed decimals, no exponent, no `-0`, the same bytes on every machine
/// and in every locale (digits are built by hand; only values beyond 2^53 go through C's `%.0f`, which has no locale-dependent part).
public enum CanonicalNumber {
    /// `value` rounded to `digits` decimals by the plan's policy (`PlanRounding`: half away from zero).
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        let digits = max(0, min(9, digits))
        let scaled = PlanRounding.scaled(value, digits: digits)
        guard abs(scaled) < 9.0e15 else {
            // Beyond 2^53 a double has no fractional digits left; print its exact integer value.
            let whole = String(format: "%.0f", PlanRounding.scaled(value, digits: 0))
            return digits > 0 ? whole + "." + String(repeating: "0", count: digits) : whole
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

    /// `value` with at most `digits` decimals, trailing zeros dropped (`2.5`, `3`, `0.0084`).
    public static func trimmed(_ value: Double, digits: Int) -> String {
        var text = fixed(value, digits: digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
