/// What an override or an uncertainty changes, named by a path that reads like CEL: `params.<name>`,
/// `units.<unit>.<field>`, or a declared input of one city, zone or rollout (`*`: of every one).
public enum OverlayTarget: Sendable, Hashable {
    case param(String)
    case unit(String, UnitSpecField)
    /// `city.<id>.<input>`, `zone.<id>.<input>`, `rollout.<id>.<input>`; `id` nil for `*`.
    case input(InputScope, id: String?, name: String)
}

/// The numbers of a catalogue unit an overlay may change: exactly the fields CEL reads as `units.<unit>.…`.
public enum UnitSpecField: String, Sendable, CaseIterable {
    case powerKW = "power_kw"
    case portsPerSite = "ports_per_site"
    case capex
    case sessionsPerDay = "sessions_per_day"
    case pricePerSession = "price_per_session"

    /// The key in the catalogue and in CEL: money fields end in the rule set's currency (`capex_cny`).
    public func key(moneySuffix: String) -> String {
        switch self {
        case .capex, .pricePerSession: rawValue + moneySuffix
        case .powerKW, .portsPerSite, .sessionsPerDay: rawValue
        }
    }

    /// The range the catalogue loader accepts, so an overlay can never make a unit the loader would refuse.
    public var range: ClosedRange<Double> {
        switch self {
        case .powerKW, .sessionsPerDay: 0...1e6
        case .portsPerSite: 1...10_000
        case .capex: 0...1e12
        case .pricePerSession: 0...1e9
        }
    }

    /// Ports are whole.
    public var isWhole: Bool { self == .portsPerSite }

    public func value(of unit: UnitType) -> Double {
        switch self {
        case .powerKW: unit.powerKW
        case .portsPerSite: Double(unit.portsPerSite)
        case .capex: unit.capex
        case .sessionsPerDay: unit.sessionsPerDay
        case .pricePerSession: unit.pricePerSession ?? 0
        }
    }

    /// Sets the field; `value` is in `range` (and whole for ports), as the loaders and the sampler guarantee.
    public func set(_ value: Double, on unit: inout UnitType) {
        switch self {
        case .powerKW: unit.powerKW = value
        case .portsPerSite: unit.portsPerSite = Int(value.rounded())
        case .capex: unit.capex = value
        case .sessionsPerDay: unit.sessionsPerDay = value
        case .pricePerSession: unit.pricePerSession = value
        }
    }
}

/// What one override does to its target.
public enum OverlayChange: Sendable, Equatable {
    /// Replaces the value: a number (a parameter, a unit field, a number input, or an int, bool or string
    /// input), or a series for a number input.
    case set(InputValue)
    /// Replaces a list parameter.
    case setList([Double])
    /// Multiplies a number by a factor, or by a factor per year (a series, read linearly between its years).
    case scale(InputValue)
}

/// One `overrides:` entry of a scenario, checked against the rule set and the workspace when it loads.
public struct Override: Sendable {
    public var path: Located<String>
    public var target: OverlayTarget
    public var change: OverlayChange
    /// Where the value (or factor) is written: errors about what it does to a profile point there.
    public var valuePosition: SourcePosition
    public var doc: String
    public var source: String
}

/// A probability distribution of one uncertain number. Draws are truncated at the bounds of what they set.
public enum Distribution: Sendable, Equatable, Codable {
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)
    case normal(mean: Double, sd: Double)
    /// `median` is e^μ, `sigma` the standard deviation of the logarithm.
    case lognormal(median: Double, sigma: Double)

    public var name: String {
        switch self {
        case .uniform: "uniform"
        case .triangular: "triangular"
        case .normal: "normal"
        case .lognormal: "lognormal"
        }
    }
}

/// How a drawn number is used: as the value itself, or as a factor on the value it would have.
public enum UncertainUse: String, Sendable, CaseIterable, Codable {
    case value, scale
}

/// One `uncertain:` entry, of a rule file or a scenario: a number `sweep` draws for every sample.
public struct UncertainEntry: Sendable {
    public var path: Located<String>
    public var target: OverlayTarget
    public var distribution: Distribution
    public var use: UncertainUse
    /// Draws outside these are never made: the distribution is truncated to them (the declared bounds of the
    /// target for `use: value`, intersected with the entry's own `min`/`max`; at least 0 for a factor).
    public var lower: Double
    public var upper: Double
    public var doc: String
    public var source: String
}

/// A named alternative to the bundled model (`Scenarios/<id>.yaml`): overrides of one rule set's parameters and
/// units and of the inputs of its rollouts' cities, zones and rollouts, each with its reason and source.
public struct Scenario: Sendable {
    /// The id `plan --scenario` and `compare` take for the model without any overlay.
    public static let baseline = "baseline"

    public var id: Located<String>
    public var file: String
    public var contentHash: String
    public var name: String
    public var doc: String?
    public var ruleSet: Located<String>
    /// In file order.
    public var overrides: [Override]
    /// Uncertain numbers `sweep --scenario` draws, in file order.
    public var uncertain: [UncertainEntry]
}
