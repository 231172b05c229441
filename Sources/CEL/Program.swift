/// A compiled expression: parsed, checked and lowered once, then evaluated against many
/// activations without re-parsing or re-resolving names.
public final class CELProgram: Sendable {
    public let source: String
    public let resultType: CELType
    /// Sorted, de-duplicated member paths rooted at declared variables (`zone.kind`, `year`).
    public let referencedPaths: [String]
    /// The declared variables the program reads, in slot order (see `evaluate(slots:)`).
    public let variables: [String]
    /// Literal `matches` patterns that do not compile, so a checker can report them before anything runs
    /// (evaluation still fails with the same error, as CEL requires).
    public let literalPatternErrors: [CELError]
    /// String literals compared with a name (`zone.kind == 'rural'`), for checkers of what the name can be.
    public let literalComparisons: [LiteralComparison]
    public let costLimit: Int
    private let root: Eval
    private let localCount: Int
    /// `variables.count` false flags: the "missing" array when every variable is bound.
    private let noneMissing: [Bool]

    public init(compiling source: String, in environment: CELEnvironment, costLimit: Int = 100_000) throws(CELError) {
        let expr = try Parser.parse(source, expandMacros: environment.macrosEnabled)
        let compiler = Compiler(environment: environment)
        let (type, eval) = try compiler.compile(expr)
        self.source = source
        self.resultType = type
        self.root = eval
        self.variables = compiler.variableNames
        self.localCount = compiler.localCount
        self.noneMissing = Array(repeating: false, count: max(compiler.variableNames.count, 1))
        self.referencedPaths = compiler.referencedPaths.sorted()
        self.literalPatternErrors = compiler.literalPatternErrors
        self.literalComparisons = LiteralComparison.all(in: expr)
        self.costLimit = costLimit
    }

    /// Evaluates with variables looked up by name in the activation.
    public func evaluate(_ activation: CELActivation) throws(CELError) -> CELValue {
        let count = variables.count
        if count == 0 { return try runWithoutVariables() }
        let names = activation.names
        // Fast path: the activation binds the program's variables first and in slot order (the
        // planner binds the same names in the same order every time), so the activation's own
        // value storage serves as the slot array: no copies, no retains, no lookups by name.
        if count > 0, names.count >= count, activation.values.count == names.count {
            var inOrder = true
            for position in 0..<count where names[position] != variables[position] {
                inOrder = false
                break
            }
            if inOrder {
                return try activation.values.withUnsafeBufferPointer { values throws(CELError) -> CELValue in
                    try noneMissing.withUnsafeBufferPointer { missing throws(CELError) -> CELValue in
                        guard let valueBase = values.baseAddress, let missingBase = missing.baseAddress else {
                            throw CELError(.evaluation, "internal: no slot storage", at: .unknown)
                        }
                        return try run(variables: valueBase, missing: missingBase)
                    }
                }
            }
        }
        return try withSlots { position in activation.value(of: variables[position]) }
    }

    /// Evaluates with values given in the order of `variables` (no name lookups at all).
    public func evaluate(slots values: [CELValue]) throws(CELError) -> CELValue {
        if variables.isEmpty { return try runWithoutVariables() }
        if values.count >= variables.count, !variables.isEmpty {
            return try values.withUnsafeBufferPointer { values throws(CELError) -> CELValue in
                try noneMissing.withUnsafeBufferPointer { missing throws(CELError) -> CELValue in
                    guard let valueBase = values.baseAddress, let missingBase = missing.baseAddress else {
                        throw CELError(.evaluation, "internal: no slot storage", at: .unknown)
                    }
                    return try run(variables: valueBase, missing: missingBase)
                }
            }
        }
        return try withSlots { position in position < values.count ? values[position] : nil }
    }

    /// Copies variable values into temporary slots (absent ones marked missing) and runs.
    private func withSlots(_ value: (Int) -> CELValue?) throws(CELError) -> CELValue {
        let count = variables.count
        return try withUnsafeTemporaryAllocation(of: CELValue.self, capacity: max(count, 1)) {
            slots throws(CELError) -> CELValue in
            try withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(count, 1)) {
                missing throws(CELError) -> CELValue in
                guard let slotBase = slots.baseAddress, let missingBase = missing.baseAddress else {
                    throw CELError(.evaluation, "internal: no slot storage", at: .unknown)
                }
                for position in 0..<count {
                    if let bound = value(position) {
                        (slotBase + position).initialize(to: bound)
                        missingBase[position] = false
                    } else {
                        (slotBase + position).initialize(to: .null)
                        missingBase[position] = true
                    }
                }
                defer { slotBase.deinitialize(count: count) }
                return try run(variables: slotBase, missing: missingBase)
            }
        }
    }

    /// Runs a program that reads no variables (the local slots stand in for the variable pointer).
    private func runWithoutVariables() throws(CELError) -> CELValue {
        try noneMissing.withUnsafeBufferPointer { missing throws(CELError) -> CELValue in
            try withUnsafeTemporaryAllocation(of: CELValue.self, capacity: 1) { dummy throws(CELError) -> CELValue in
                guard let missingBase = missing.baseAddress, let dummyBase = dummy.baseAddress else {
                    throw CELError(.evaluation, "internal: no slot storage", at: .unknown)
                }
                dummyBase.initialize(to: .null)
                defer { dummyBase.deinitialize(count: 1) }
                return try run(variables: dummyBase, missing: missingBase)
            }
        }
    }

    @inline(__always)
    private func run(variables: UnsafePointer<CELValue>, missing: UnsafePointer<Bool>) throws(CELError) -> CELValue {
        let localCount = self.localCount
        return try withUnsafeTemporaryAllocation(of: CELValue.self, capacity: max(localCount, 1)) {
            locals throws(CELError) -> CELValue in
            guard let localBase = locals.baseAddress else {
                throw CELError(.evaluation, "internal: no local storage", at: .unknown)
            }
            if localCount > 0 { localBase.initialize(repeating: .null, count: localCount) }
            defer { if localCount > 0 { localBase.deinitialize(count: localCount) } }
            var frame = Frame(variables: variables, missing: missing, locals: localBase, cost: 0, costLimit: costLimit)
            return try root(&frame)
        }
    }
}
