/// A compiled expression: parsed, checked and lowered once, then evaluated against many
/// activations without re-parsing or re-resolving names.
public final class CELProgram: Sendable {
    public let source: String
    public let resultType: CELType
    /// Sorted, de-duplicated member paths rooted at declared variables (`zone.kind`, `year`).
    public let referencedPaths: [String]
    /// The declared variables the program reads, in slot order (see `evaluate(slots:)`).
    public let variables: [String]
    public let costLimit: Int
    private let root: Eval
    private let localCount: Int

    public init(compiling source: String, in environment: CELEnvironment, costLimit: Int = 100_000) throws(CELError) {
        let expr = try Parser.parse(source, expandMacros: environment.macrosEnabled)
        let compiler = Compiler(environment: environment)
        let (type, eval) = try compiler.compile(expr)
        self.source = source
        self.resultType = type
        self.root = eval
        self.variables = compiler.variableNames
        self.localCount = compiler.localCount
        self.referencedPaths = compiler.referencedPaths.sorted()
        self.costLimit = costLimit
    }

    /// Evaluates with variables looked up by name in the activation.
    public func evaluate(_ activation: CELActivation) throws(CELError) -> CELValue {
        let result: Result<CELValue, CELError> = withUnsafeTemporaryAllocation(of: CELValue.self, capacity: max(variables.count, 1)) { slots in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(variables.count, 1)) { missing in
                guard let slotBase = slots.baseAddress, let missingBase = missing.baseAddress else {
                    return .failure(CELError(.evaluation, "internal: no slot storage", at: .unknown))
                }
                for (position, name) in variables.enumerated() {
                    if let value = activation.value(of: name) {
                        (slotBase + position).initialize(to: value)
                        missingBase[position] = false
                    } else {
                        (slotBase + position).initialize(to: .null)
                        missingBase[position] = true
                    }
                }
                defer { slotBase.deinitialize(count: variables.count) }
                return run(variables: slotBase, missing: missingBase)
            }
        }
        return try result.get()
    }

    /// Evaluates with values given in the order of `variables` (no name lookups at all).
    public func evaluate(slots values: [CELValue]) throws(CELError) -> CELValue {
        let result: Result<CELValue, CELError> = withUnsafeTemporaryAllocation(of: CELValue.self, capacity: max(variables.count, 1)) { slots in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(variables.count, 1)) { missing in
                guard let slotBase = slots.baseAddress, let missingBase = missing.baseAddress else {
                    return .failure(CELError(.evaluation, "internal: no slot storage", at: .unknown))
                }
                for position in 0..<variables.count {
                    let present = position < values.count
                    (slotBase + position).initialize(to: present ? values[position] : .null)
                    missingBase[position] = !present
                }
                defer { slotBase.deinitialize(count: variables.count) }
                return run(variables: slotBase, missing: missingBase)
            }
        }
        return try result.get()
    }

    private func run(variables: UnsafeMutablePointer<CELValue>, missing: UnsafeMutablePointer<Bool>) -> Result<CELValue, CELError> {
        withUnsafeTemporaryAllocation(of: CELValue.self, capacity: max(localCount, 1)) { locals in
            guard let localBase = locals.baseAddress else {
                return .failure(CELError(.evaluation, "internal: no local storage", at: .unknown))
            }
            localBase.initialize(repeating: .null, count: localCount)
            defer { localBase.deinitialize(count: localCount) }
            var frame = Frame(variables: variables, missing: missing, locals: localBase, cost: 0, costLimit: costLimit)
            do throws(CELError) {
                return .success(try root(&frame))
            } catch {
                return .failure(error)
            }
        }
    }
}
