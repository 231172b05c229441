/// A CEL expression as written in YAML, with the spot where its first character stands,
/// so CEL's line/column inside the expression map back onto the file.
public struct Expression: Sendable, Hashable {
    public var source: String
    /// The position of the scalar node.
    public var position: SourcePosition
    /// Columns between the scalar's mark and the expression's first character (1 for a quoted scalar).
    public var columnShift: Int
    /// For block scalars (`|`, `>`): the indentation of the content lines.
    public var blockIndent: Int?

    /// The file position of a 1-based line/column inside `source`.
    public func filePosition(line: Int, column: Int) -> SourcePosition {
        if let blockIndent {
            return SourcePosition(file: position.file, line: position.line + line, column: blockIndent + column)
        }
        if line <= 1 {
            return SourcePosition(
                file: position.file, line: position.line, column: position.column + columnShift + column - 1)
        }
        return SourcePosition(file: position.file, line: position.line + line - 1, column: column)
    }
}

/// How several `add` rules on one unit type combine; declared once per unit, never file order.
public enum CombinePolicy: String, Sendable, CaseIterable {
    case sum, max, min, first
}

/// Who may use a unit: plans total units by access as well as by id (a national statistic's
/// "public chargers" is the `public` sum).
public enum UnitAccess: String, Sendable, CaseIterable, Codable {
    case `private`, `public`, mobile, swap
}

/// A unit type of the catalogue: what one charger of that kind delivers and costs.
public struct UnitType: Sendable {
    public var id: Located<String>
    public var doc: String?
    public var access: UnitAccess
    public var powerKW: Double
    public var portsPerSite: Int
    /// In the rule set's currency (`capex_<currency>` in the catalogue).
    public var capex: Double
    public var sessionsPerDay: Double
    /// In the rule set's currency (`price_per_session_<currency>`).
    public var pricePerSession: Double?
    public var combine: CombinePolicy
}

/// A named number of the model with its unit, e.g. kWh per km; or a named list of numbers
/// (`values:`), which CEL reads as `list(double)`.
public struct Parameter: Sendable {
    public var name: Located<String>
    public var value: Double
    public var unit: String?
    /// The numbers of a list parameter (never empty); nil for a scalar one.
    public var values: [Double]?
    /// Declared bounds (`min:`, `max:`): the value, every overlay of it and every draw of a sweep lie within them.
    public var min: Double?
    public var max: Double?

    public init(
        name: Located<String>, value: Double, unit: String? = nil, values: [Double]? = nil,
        min: Double? = nil, max: Double? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.values = values
        self.min = min
        self.max = max
    }

    /// The declared bounds, open where none is declared.
    public var bounds: (lower: Double, upper: Double) { (min ?? -.infinity, max ?? .infinity) }
}

public enum RuleScope: String, Sendable {
    case city, zone
}

/// The types a derived fact can have.
public enum FactType: String, Sendable, CaseIterable {
    case number, int, bool
}

public struct SpillTarget: Sendable {
    public var unit: Located<String>
    public var ratio: Expression
}

public enum CapTarget: String, Sendable {
    /// The installed stock in a year.
    case installed
    /// What may be built in one year (a build rate).
    case new
}

/// What a rule does.
public enum RuleAction: Sendable {
    case derive(fact: Located<String>, type: FactType, precision: Int, value: Expression, initial: Expression?)
    /// `initial:` is the count in the base year, needed when `count` or `when` reads `prev.`.
    case add(unit: Located<String>, count: Expression, initial: Expression?)
    /// `initial:` is the maximum in the base year, needed when `max` or `when` reads `prev.`.
    case cap(unit: Located<String>, on: CapTarget, max: Expression, spill: SpillTarget?, initial: Expression?)
    case site(unit: Located<String>, radiusKM: Expression, minSpacingKM: Expression?, weight: Expression)
    case require(condition: Expression, severity: Severity, message: String)

    public var verb: String {
        switch self {
        case .derive: "derive"
        case .add: "add"
        case .cap: "cap"
        case .site: "site"
        case .require: "require"
        }
    }
}

/// One declarative rule: a scope, an optional condition and one action.
public struct Rule: Sendable {
    public var id: Located<String>
    public var doc: String?
    public var scope: RuleScope
    public var when: Expression?
    public var priority: Int?
    public var action: RuleAction
}

/// Where a rule test's city comes from: never Cities/, so a rule set's tests run in any workspace.
public enum RuleTestCity: Sendable {
    /// A fixture of the rule set (`Rules/<set>/tests/fixtures/<id>.yaml`), by id.
    case fixture(Located<String>)
    /// A profile written in the test itself (`city: {id: …, name: …, zones: […]}`).
    case inline(CityProfile)

    public var id: Located<String> {
        switch self {
        case .fixture(let id): id
        case .inline(let profile): profile.id
        }
    }
}

/// What a `given:` path of a rule test sets; every kind is named by the rule set's declarations.
public enum GivenTarget: Sendable, Equatable {
    /// `params.<name>`: a number, or a list of numbers for a list parameter.
    case param(String)
    /// `city.<input>`, `zone.<input>`, `rollout.<input>`: a declared input (dotted name), one value for every year.
    case input(InputScope, String)
    /// `city.<fact>`, `zone.<fact>`: a derived fact, held at the value in every year instead of derived.
    case fact(RuleScope, String)
    /// `city.existing.<unit>`, `zone.existing.<unit>`: existing chargers of a catalogue unit.
    case existing(RuleScope, String)
    /// `zone.population`, `zone.area_km2`: the engine's own zone numbers.
    case zonePopulation, zoneArea
}

/// A given value, typed by what it sets.
public enum GivenValue: Sendable, Equatable {
    case number(Double)
    case list([Double])
    case bool(Bool)
    case string(String)
}

/// One `given:` entry, checked against the rule set when it loads.
public struct RuleTestGiven: Sendable {
    public var path: Located<String>
    public var target: GivenTarget
    public var value: GivenValue
}

/// One `expect:` entry: a path of the plan, the expected number and its tolerance.
public struct RuleTestExpectation: Sendable {
    public var path: Located<String>
    public var value: Double
    public var tolerance: Double
    /// The scalar that holds the expected number (`value:` of a `{value, tolerance}` mapping when that form is
    /// used): `chargeplan test --update` rewrites exactly this scalar.
    public var valuePosition: SourcePosition
}

/// A rule test kept beside the rules: given facts, expected facts, units and findings.
public struct RuleTest: Sendable {
    public var name: Located<String>
    public var city: RuleTestCity
    public var zone: Located<String>?
    public var year: Located<Int>
    public var given: [RuleTestGiven]
    public var expect: [RuleTestExpectation]
    public var expectFindings: [String]?
    /// The `findings:` list as written, for `test --update`.
    public var findingsPosition: SourcePosition?
    public var todo: String?
}

/// Everything in one `Rules/<id>/` folder.
public struct RuleSet: Sendable {
    public var id: String
    /// Content hashes of the files the rule set was read from, by path, sorted: its rule files, and the
    /// scenario overlaid on it (`Scenarios/<id>.yaml`), so a scenario's plans name it among their inputs.
    public var fileHashes: [(file: String, hash: String)]
    public var units: [UnitType]
    public var params: [Parameter]
    public var rules: [Rule]
    public var tests: [RuleTest]
    /// Unit ids whose definition failed to load: already reported, so references to them are not.
    public var unreadableUnits: Set<String> = []
    /// The profile fields beyond the engine's own (`inputs:`), in file order.
    public var inputs: [InputDeclaration] = []
    /// The zone kinds a profile may use (`zone_kinds:`); empty: any.
    public var zoneKinds: [Located<String>] = []
    /// The currency of every money amount (`currency:`, a 3-letter uppercase code such as `CNY`).
    public var currency: Located<String>?
    /// The city profiles its rule tests plan (`tests/fixtures/*.yaml`), sorted by id; never planned by `plan`.
    public var fixtures: [CityProfile] = []
    /// The numbers `sweep` draws (`uncertain:` of the rule files), in file order; `plan` never reads them.
    public var uncertain: [UncertainEntry] = []
    /// Old spellings that still load (a cap's `on:`), each a warning at its place: commands print them, none fails.
    public var deprecations: [Diagnostic] = []

    /// The declared currency; a rule set without one does not load, so the fallback is never planned with.
    public var currencyCode: String { currency?.value ?? "CNY" }

    /// The suffix of money keys, in the catalogue, in CEL and in plans: `_cny` for `currency: CNY`.
    public var moneySuffix: String { Self.moneySuffix(currencyCode) }

    static func moneySuffix(_ currency: String) -> String { "_" + currency.lowercased() }

    public func unit(_ id: String) -> UnitType? { units.first { $0.id.value == id } }

    public func fixture(_ id: String) -> CityProfile? { fixtures.first { $0.id.value == id } }
}
