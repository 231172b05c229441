/// How a plan rounds a number to the decimals it shows: half away from zero, at most 9 decimals. One policy for
/// the plan files (`CanonicalNumber`) and for rule tests, whose `expect:` compares a value as the plan file shows it.
public enum PlanRounding {
    /// `value` × 10^`digits` rounded half away from zero: the shown digits as one whole number (`digits` clamped
    /// to 0…9, the precision a rule set may declare).
    public static func scaled(_ value: Double, digits: Int) -> Double {
        (value * scale(digits)).rounded(.toNearestOrAwayFromZero)
    }

    /// `value` rounded to `digits` decimals, as the plan file shows it.
    public static func rounded(_ value: Double, digits: Int) -> Double {
        scaled(value, digits: digits) / scale(digits)
    }

    /// 10^`digits`, `digits` clamped to 0…9; exact, as every power of ten up to 10^22 is.
    static func scale(_ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<max(0, min(9, digits)) { scale *= 10 }
        return scale
    }
}
