/// Where a declared input stands: a city profile, each zone of it, or a rollout file (`inputs:` there).
public enum InputScope: String, Sendable, CaseIterable {
    case city, zone, rollout

    /// The input scope a rule of `scope` reads as `city.` / `zone.`.
    public init(_ scope: RuleScope) {
        self = scope == .city ? .city : .zone
    }
}

/// The types a declared input can have.
public enum InputType: String, Sendable, CaseIterable {
    case number, int, bool, string
}

/// How a series is read between two listed years.
public enum SeriesBetween: String, Sendable, CaseIterable {
    /// Interpolated linearly between the listed years.
    case linear
    /// The value of the last listed year holds until the next one.
    case step
}

/// A bound of a declared number: a constant, or another input of the same scope (`max: vehicles.stock`).
public enum InputBound: Sendable, Equatable {
    case value(Double)
    case input(String)
}

/// What an input is when a profile leaves it out: a value, or another input of the same scope.
public enum InputDefault: Sendable, Equatable {
    case value(InputValue)
    case input(String)
}

/// One entry of a rule set's `inputs:`: a profile field beyond the engine's own.
/// A dotted name (`vehicles.annual_sales`) is a nested mapping in the profile and a nested field in CEL.
public struct InputDeclaration: Sendable {
    public var name: Located<String>
    public var scope: InputScope
    public var type: InputType
    public var unit: String?
    public var min: InputBound?
    public var max: InputBound?
    public var defaultValue: InputDefault?
    public var doc: String?
    /// Required unless it has a default.
    public var required: Bool
    public var between: SeriesBetween

    public var path: [String] { name.value.split(separator: ".").map(String.init) }

    /// The bounds that are numbers (a bound naming another input is checked against that input instead).
    public var constantBounds: (lower: Double?, upper: Double?) {
        var bounds: (lower: Double?, upper: Double?) = (nil, nil)
        if case .value(let low) = min { bounds.lower = low }
        if case .value(let high) = max { bounds.upper = high }
        return bounds
    }
}

/// One listed year of a series.
public struct SeriesPoint: Sendable, Equatable {
    public var year: Int
    public var value: Double
}

/// A typed input value as a profile gives it.
public enum InputValue: Sendable, Equatable {
    case number(Double)
    case int(Int64)
    case bool(Bool)
    case string(String)
    /// Years ascending, at least one.
    case series([SeriesPoint])

    /// The value in `year`: a series is read linearly (or stepwise) between its years and held flat outside them.
    public func resolved(in year: Int, between: SeriesBetween) -> InputValue {
        guard case .series(let points) = self else { return self }
        return .number(Self.value(of: points, in: year, between: between))
    }

    static func value(of points: [SeriesPoint], in year: Int, between: SeriesBetween) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if year <= first.year { return first.value }
        if year >= last.year { return last.value }
        var lower = first
        for point in points {
            if point.year == year { return point.value }
            if point.year > year {
                guard between == .linear else { return lower.value }
                let fraction = Double(year - lower.year) / Double(point.year - lower.year)
                return lower.value + (point.value - lower.value) * fraction
            }
            lower = point
        }
        return last.value
    }

    /// The value as a number, for bounds and `given:`; nil for strings and series.
    package var number: Double? {
        switch self {
        case .number(let d): d
        case .int(let i): Double(i)
        case .bool, .string, .series: nil
        }
    }
}

/// The declared inputs a profile (or one of its zones) gives, by dotted name, with where each value stands.
public struct InputValues: Sendable {
    public var values: [String: InputValue] = [:]
    public var positions: [String: SourcePosition] = [:]

    public init() {}

    public subscript(name: String) -> InputValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Whether any value changes from year to year.
    public var hasSeries: Bool {
        values.values.contains { if case .series = $0 { true } else { false } }
    }
}

/// The declarations a profile is loaded against: the union over the rule sets whose rollouts use it.
public struct InputCatalogue: Sendable {
    public var city: [InputDeclaration] = []
    public var zone: [InputDeclaration] = []
    /// The rollout inputs (`inputs: rollout:`); a rollout file is read against its own rule set's, this union
    /// is for the rollout schema.
    public var rollout: [InputDeclaration] = []
    /// Nil: no rule set declares `zone_kinds:`, so any kind is accepted.
    public var zoneKinds: [String]?

    public init() {}

    /// The union of the rule sets' declarations; for a name declared by several, the first rule set (by id) wins.
    public init(ruleSets: [RuleSet]) {
        var seen: Set<String> = []
        for set in ruleSets.sorted(by: { $0.id < $1.id }) {
            for declaration in set.inputs
            where seen.insert("\(declaration.scope.rawValue).\(declaration.name.value)").inserted {
                switch declaration.scope {
                case .city: city.append(declaration)
                case .zone: zone.append(declaration)
                case .rollout: rollout.append(declaration)
                }
            }
            if !set.zoneKinds.isEmpty {
                var kinds = zoneKinds ?? []
                for kind in set.zoneKinds.map(\.value) where !kinds.contains(kind) { kinds.append(kind) }
                zoneKinds = kinds
            }
        }
    }
}

extension RuleSet {
    /// The declared inputs of one scope, in declaration order.
    public func inputs(_ scope: InputScope) -> [InputDeclaration] { inputs.filter { $0.scope == scope } }
}

extension Array where Element == InputDeclaration {
    /// The names one level below `prefix`, each once in declaration order: a declared input (`leaf`) or a
    /// group of dotted inputs (`vehicles` of `vehicles.stock`). Schemas and CEL types walk the same tree.
    package func children(under prefix: [String]) -> [(head: String, leaf: InputDeclaration?)] {
        var children: [(head: String, leaf: InputDeclaration?)] = []
        for declaration in self {
            let path = declaration.path
            guard path.count > prefix.count, path.starts(with: prefix) else { continue }
            let head = path[prefix.count]
            if children.contains(where: { $0.head == head }) { continue }
            children.append((head, path.count == prefix.count + 1 ? declaration : nil))
        }
        return children
    }
}
