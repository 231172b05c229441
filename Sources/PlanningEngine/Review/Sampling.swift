import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, seeded generator whose stream depends on the seed
/// alone, never on the machine, the thread count or Swift's runtime (`SystemRandomNumberGenerator` is not used).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// An integer in 0..<bound, without modulo bias (Lemire's multiply-and-reject); 0 when `bound` is not positive
    /// (no range to draw from), never a trap.
    public mutating func next(below bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        let limit = UInt64(bound)
        while true {
            let product = next().multipliedFullWidth(by: limit)
            if product.low >= (0 &- limit) % limit { return Int(product.high) }
        }
    }
}

/// Latin hypercube sampling: for `samples` draws of `dimensions` numbers, each dimension's [0, 1) is cut into
/// `samples` equal strata and every stratum is used exactly once, in a random order per dimension.
public enum LatinHypercube {
    /// `points[sample][dimension]` in (0, 1). The generator is seeded once; the dimensions are filled in order, so
    /// the same seed gives the same points (adding a dimension at the end keeps the earlier ones).
    public static func points(samples: Int, dimensions: Int, seed: UInt64) -> [[Double]] {
        var generator = SplitMix64(seed: seed)
        var points = Array(repeating: Array(repeating: 0.0, count: dimensions), count: samples)
        for dimension in 0..<dimensions {
            var strata = Array(0..<samples)
            // Fisher-Yates with the seeded generator (Swift's shuffle algorithm is not promised to stay the same).
            var index = samples - 1
            while index > 0 {
                strata.swapAt(index, generator.next(below: index + 1))
                index -= 1
            }
            for sample in 0..<samples {
                // Strictly inside the stratum, so a quantile function never sees 0 or 1.
                let offset = min(max(generator.nextUnit(), 0x1p-53), 1 - 0x1p-53)
                points[sample][dimension] = (Double(strata[sample]) + offset) / Double(samples)
            }
        }
        return points
    }
}

extension Distribution {
    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .uniform(let low, let high):
            return min(1, max(0, (x - low) / (high - low)))
        case .triangular(let low, let mode, let high):
            if x <= low { return 0 }
            if x >= high { return 1 }
            if x <= mode { return (x - low) * (x - low) / ((high - low) * (mode - low)) }
            return 1 - (high - x) * (high - x) / ((high - low) * (high - mode))
        case .normal(let mean, let sd):
            if x == .infinity { return 1 }
            if x == -.infinity { return 0 }
            return 0.5 * erfc(-(x - mean) / (sd * 2.0.squareRoot()))
        case .lognormal(let median, let sigma):
            if x <= 0 { return 0 }
            if x == .infinity { return 1 }
            return 0.5 * erfc(-(log(x) - log(median)) / (sigma * 2.0.squareRoot()))
        }
    }

    /// The x with P(X ≤ x) = p, for p in (0, 1).
    public func quantile(_ p: Double) -> Double {
        switch self {
        case .uniform(let low, let high):
            return low + p * (high - low)
        case .triangular(let low, let mode, let high):
            let split = (mode - low) / (high - low)
            if p <= split { return low + ((high - low) * (mode - low) * p).squareRoot() }
            return high - ((high - low) * (high - mode) * (1 - p)).squareRoot()
        case .normal(let mean, let sd):
            return mean + sd * Self.standardNormalQuantile(p)
        case .lognormal(let median, let sigma):
            return median * exp(sigma * Self.standardNormalQuantile(p))
        }
    }

    /// The draw for a point `u` in (0, 1) of the distribution truncated to `lower…upper`: the quantile of
    /// F(lower) + u × (F(upper) − F(lower)), held within the bounds against rounding.
    public func draw(_ u: Double, lower: Double, upper: Double) -> Double {
        let low = cdf(lower)
        let high = cdf(upper)
        let p = min(max(low + u * (high - low), Double.leastNormalMagnitude), 1 - 0x1p-53)
        return min(max(quantile(p), lower), upper)
    }

    /// Wichura's AS 241 (PPND16), accurate to about 1e-16 over (0, 1).
    static func standardNormalQuantile(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let numerator =
                ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608
            let denominator =
                ((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1
            return q * numerator / denominator
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            value =
                ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                    + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                    + 4.6303378461565452959) * r + 1.42343711074968357734
            value /=
                ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                    + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                    + 2.05319162663775882187) * r + 1
        } else {
            r -= 5
            value =
                ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                    + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                    + 5.4637849111641143699) * r + 6.6579046435011037772
            value /=
                ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                    + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                    + 0.59983220655588793769) * r + 1
        }
        return q < 0 ? -value : value
    }
}
