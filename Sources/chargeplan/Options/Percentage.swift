import ArgumentParser

/// A share given on the command line as a percentage: `15`, `15%` or `2.5`.
struct Percentage: ExpressibleByArgument {
    var share: Double

    init?(argument: String) {
        let digits = argument.hasSuffix("%") ? String(argument.dropLast()) : argument
        guard let value = Double(digits), value.isFinite, value > 0, value <= 1000 else { return nil }
        share = value / 100
    }

    init(percent: Double) { share = percent / 100 }

    /// What help shows as the default: the percent as typed (`15`), not the stored share.
    var defaultValueDescription: String {
        let percent = share * 100
        return percent == percent.rounded() && abs(percent) < 1e6 ? String(Int(percent)) : String(percent)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
