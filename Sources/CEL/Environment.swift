/// Declarations an expression is checked against: variables and the object types the
/// planner exposes (zone, city, site). The standard library, the math extension and
/// `cel.bind` are always available.
public struct CELEnvironment: Sendable {
    struct ObjectTypeDeclaration: Sendable {
        let name: String
        let fields: [(name: String, type: CELType)]
        let layout: CELObjectLayout
        let fieldIndex: [String: Int]
    }

    private(set) var variables: [String: CELType] = [:]
    private(set) var objectTypes: [String: ObjectTypeDeclaration] = [:]
    /// The namespace names are resolved in (`com.example` makes `y` find `com.example.y`).
    public var container: String = ""
    /// When false, expressions are lowered without static checking (types are `dyn`).
    public var typeCheckingEnabled = true
    /// When false, `all`, `exists`, `has`, `cel.bind`, … are parsed as plain calls.
    public var macrosEnabled = true
    /// When set, every program compiled here reads its variables from these slots, in this order, whether it
    /// reads them or not: an activation that binds exactly these names in this order serves as the slot array
    /// of every program, with no copy and no look-up by name. Names not declared are never read.
    public var variableSlotOrder: [String]?

    public init() {}

    public mutating func declareVariable(_ name: String, type: CELType) {
        variables[name] = type
    }

    /// Declares an object type; the field order is the storage order of its objects.
    public mutating func declareObjectType(_ name: String, fields: [(name: String, type: CELType)]) {
        let layout = CELObjectLayout.interned(typeName: name, fieldNames: fields.map(\.name))
        var fieldIndex: [String: Int] = [:]
        for (position, field) in fields.enumerated() { fieldIndex[field.name] = position }
        objectTypes[name] = ObjectTypeDeclaration(name: name, fields: fields, layout: layout, fieldIndex: fieldIndex)
    }

    /// The storage layout of a declared object type, for building objects with `CELObject(layout:values:)`.
    public func objectLayout(named name: String) -> CELObjectLayout? {
        objectTypes[name]?.layout
    }

    /// The declared object types, sorted.
    public var objectTypeNames: [String] { objectTypes.keys.sorted() }

    func variableType(_ name: String) -> CELType? { variables[name] }

    /// Candidate fully qualified names for `name` in the container, most specific first.
    func candidateNames(_ name: String, absolute: Bool) -> [String] {
        if absolute || container.isEmpty { return [name] }
        var candidates: [String] = []
        var prefix = container
        while true {
            candidates.append(prefix + "." + name)
            guard let dot = prefix.lastIndex(of: ".") else { break }
            prefix = String(prefix[..<dot])
        }
        candidates.append(name)
        return candidates
    }
}

/// Variable values for one evaluation. Lookup is by name over a small array (few variables,
/// short names), which is cheaper than hashing for the planner's activations.
public struct CELActivation: Sendable {
    private(set) var names: [String] = []
    private(set) var values: [CELValue] = []

    public init() {}

    public init(_ bindings: [String: CELValue]) {
        for name in bindings.keys.sorted() {
            if let value = bindings[name] { bind(name, value) }
        }
    }

    /// The values of `names` (distinct), in that order: with an environment's `variableSlotOrder`, the cheapest
    /// activation to build and to read.
    public init(names: [String], values: [CELValue]) {
        if names.count == values.count {
            self.names = names
            self.values = values
        } else {
            let count = min(names.count, values.count)
            self.names = Array(names.prefix(count))
            self.values = Array(values.prefix(count))
        }
    }

    public mutating func bind(_ name: String, _ value: CELValue) {
        if let position = names.firstIndex(of: name) {
            values[position] = value
        } else {
            names.append(name)
            values.append(value)
        }
    }

    /// The value bound at `position` (the order of binding).
    public func value(at position: Int) -> CELValue? { position < values.count ? values[position] : nil }

    /// Sets one field of the object bound at `position`: in place while this activation holds the only reference to
    /// it (a planner lending its state to the activation), else in a copy.
    public mutating func setField(_ field: Int, of position: Int, to value: CELValue) {
        guard position < values.count, case .object(var object) = values[position] else { return }
        values[position] = .null
        object.set(field, value)
        values[position] = .object(object)
    }

    public func value(of name: String) -> CELValue? {
        for position in names.indices where names[position] == name {
            return values[position]
        }
        return nil
    }
}
