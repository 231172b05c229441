import Foundation

/// Per-evaluation state: variable slots, comprehension/bind slots and the spent cost.
struct Frame {
    let variables: UnsafePointer<CELValue>
    let missing: UnsafePointer<Bool>
    let locals: UnsafeMutablePointer<CELValue>
    var cost: Int
    let costLimit: Int

    @inline(__always)
    mutating func spend(_ amount: Int, _ position: SourcePosition) throws(CELError) {
        cost &+= amount
        if cost > costLimit {
            throw CELError(.cost, "evaluation cost limit of \(costLimit) exceeded", at: position)
        }
    }

    /// Units of work (bytes of strings and bytes read, regular-expression steps) per cost unit.
    static let workPerCost = 16

    /// Spends one unit per `workPerCost` units of `work` (nothing for short strings).
    @inline(__always)
    mutating func spend(work: Int, _ position: SourcePosition) throws(CELError) {
        if work >= Frame.workPerCost { try spend(work / Frame.workPerCost, position) }
    }

    /// The work that can still be done within the budget.
    var remainingWork: Int {
        let (work, overflow) = max(costLimit &- cost, 0).multipliedReportingOverflow(by: Frame.workPerCost)
        return overflow ? Int.max : work &+ (Frame.workPerCost - 1)
    }
}

/// A lowered expression: a closure tree over `Frame`, built once and run per activation.
typealias Eval = @Sendable (inout Frame) throws(CELError) -> CELValue
/// A total bool evaluator: returns exactly what the node's `Eval` would box, or throws the same error.
typealias BoolEval = @Sendable (inout Frame) throws(CELError) -> Bool
/// Partial typed evaluators: nil means "the run-time value is not of the checked type" (a
/// binding that disagrees with its declaration); the caller then runs the boxed `Eval`.
typealias DoubleEval = @Sendable (inout Frame) throws(CELError) -> Double?
typealias IntEval = @Sendable (inout Frame) throws(CELError) -> Int64?
typealias StringEval = @Sendable (inout Frame) throws(CELError) -> String?

/// A compiled subexpression: its checked type, the boxed evaluator (always present) and
/// evaluators specialised by the checked type, so operators over bools, doubles, ints and
/// strings pass plain Swift values between closures and box only where a `CELValue` is needed.
/// Typed evaluators are pure except for cost spent in comprehensions below them; a caller
/// that falls back from a partial evaluator to `eval` restores the cost counter first, so the
/// result, the error and the spent cost are exactly those of `eval`.
/// (A struct rather than a tuple or an array of closures: closures stored in struct fields keep
/// their natural calling convention, with no reabstraction thunks on each call.)
struct Node {
    var type: CELType
    var eval: Eval
    var bool: BoolEval?
    var double: DoubleEval?
    var int: IntEval?
    var string: StringEval?
    /// The value of a literal.
    var constant: CELValue?

    init(_ type: CELType, _ eval: @escaping Eval) {
        self.type = type
        self.eval = eval
    }

    /// A node whose result is always a bool or an error.
    init(bool: @escaping BoolEval) {
        self.type = .bool
        self.eval = { frame throws(CELError) in .bool(try bool(&frame)) }
        self.bool = bool
    }

    init(literal value: CELValue) {
        self.init(value.celType, { _ throws(CELError) in value })
        constant = value
        switch value {
        case .bool(let b): bool = { _ throws(CELError) in b }
        case .double(let d): double = { _ throws(CELError) in d }
        case .int(let i): int = { _ throws(CELError) in i }
        case .string(let text): string = { _ throws(CELError) in text }
        default: break
        }
    }

    /// The bool evaluator, or one that unboxes `eval` and throws `failure(value)` for a non-bool.
    func boolEval(_ failure: @escaping @Sendable (CELValue) -> CELError) -> BoolEval {
        if let bool { return bool }
        let eval = self.eval
        return { frame throws(CELError) in
            let value = try eval(&frame)
            guard case .bool(let b) = value else { throw failure(value) }
            return b
        }
    }

    /// Sets the typed readers for a value of checked type `type` extracted by `read`.
    mutating func setTypedReaders(
        _ type: CELType, _ read: @escaping @Sendable (inout Frame) throws(CELError) -> CELValue?
    ) {
        switch type {
        case .double:
            double = { frame throws(CELError) in
                if case .double(let d)? = try read(&frame) { return d }
                return nil
            }
        case .int:
            int = { frame throws(CELError) in
                if case .int(let i)? = try read(&frame) { return i }
                return nil
            }
        case .string:
            string = { frame throws(CELError) in
                if case .string(let text)? = try read(&frame) { return text }
                return nil
            }
        default: break
        }
    }
}

/// Type-checks and lowers a parsed expression in one pass. With checking disabled every type
/// is `dyn` and only run-time dispatch applies.
final class Compiler {
    let environment: CELEnvironment
    let checking: Bool
    private(set) var variableNames: [String] = []
    private var variableSlots: [String: Int] = [:]
    private var scopes: [(name: String, slot: Int, type: CELType)] = []
    private(set) var localCount = 0
    private(set) var referencedPaths: Set<String> = []
    /// Literal `matches` patterns that do not compile (an evaluation error whenever the call runs).
    var literalPatternErrors: [CELError] = []

    init(environment: CELEnvironment) {
        self.environment = environment
        self.checking = environment.typeCheckingEnabled
        for name in environment.variableSlotOrder ?? [] { _ = slot(forVariable: name) }
    }

    private func checkError(_ message: String, _ position: SourcePosition, hint: String? = nil) -> CELError {
        CELError(.check, message, at: position, hint: hint)
    }

    private func slot(forVariable name: String) -> Int {
        if let existing = variableSlots[name] { return existing }
        let slot = variableNames.count
        variableNames.append(name)
        variableSlots[name] = slot
        return slot
    }

    func localLookup(_ name: String) -> (slot: Int, type: CELType)? {
        for entry in scopes.reversed() where entry.name == name {
            return (entry.slot, entry.type)
        }
        return nil
    }

    private func newLocal() -> Int {
        localCount += 1
        return localCount - 1
    }

    // MARK: Types

    static func isAssignable(_ actual: CELType, to expected: CELType) -> Bool {
        switch (actual, expected) {
        case (.dyn, _), (_, .dyn), (.error, _), (_, .error): return true
        case (.list(let a), .list(let b)): return isAssignable(a, to: b)
        case (.map(let ak, let av), .map(let bk, let bv)): return isAssignable(ak, to: bk) && isAssignable(av, to: bv)
        case (.null, .object): return true
        default: return actual == expected
        }
    }

    /// The most specific type covering both (dyn when they differ).
    static func join(_ a: CELType, _ b: CELType) -> CELType {
        if a == b { return a }
        switch (a, b) {
        case (.list(let x), .list(let y)): return .list(join(x, y))
        case (.map(let xk, let xv), .map(let yk, let yv)): return .map(join(xk, yk), join(xv, yv))
        case (.null, .object): return b
        case (.object, .null): return a
        default: return .dyn
        }
    }

    private static func isNumeric(_ type: CELType) -> Bool {
        type == .int || type == .uint || type == .double
    }

    // MARK: Expressions

    func compile(_ expr: Expr) throws(CELError) -> (CELType, Eval) {
        let node = try compileNode(expr)
        return (node.type, node.eval)
    }

    func compileNode(_ expr: Expr) throws(CELError) -> Node {
        let position = expr.position
        switch expr.kind {
        case .literal(let value):
            return Node(literal: value)
        case .ident, .select:
            return try compileReference(expr)
        case .presence(let operand, let field):
            return try compilePresence(operand, field: field, at: position)
        case .list(let items):
            return try compileList(items, at: position)
        case .map(let entries):
            return try compileMap(entries, at: position)
        case .message(let typeName, _):
            throw CELError(
                checking ? .check : .evaluation, "message construction '\(typeName){…}' is not supported", at: position)
        case .comprehension(let kind, let range, let variable, let filter, let body):
            return try compileComprehension(
                kind, range: range, variable: variable, filter: filter, body: body, at: position)
        case .bind(let name, let initial, let body):
            return try compileBind(name, initial: initial, body: body)
        case .call(let target, let function, let args):
            return try compileCall(target: target, function: function, args: args, at: position)
        }
    }

    /// An identifier or a selection: a qualified name when one resolves, else a field read on the
    /// operand (or, for a bare unknown identifier, a check error or a run-time failure).
    private func compileReference(_ expr: Expr) throws(CELError) -> Node {
        let position = expr.position
        if let resolved = try resolveQualified(expr) { return resolved }
        guard case .select(let operand, let field) = expr.kind else {
            guard case .ident(let name, _) = expr.kind else {
                throw checkError("internal: unexpected identifier", position)
            }
            if checking {
                let hint = closestName(to: name, in: environment.variables.keys.sorted()).map {
                    "did you mean '\($0)'?"
                }
                throw checkError("undeclared reference to '\(name)'", position, hint: hint)
            }
            return Node(
                .dyn,
                { _ throws(CELError) in
                    throw Runtime.fail("no such attribute: undeclared reference to '\(name)'", position)
                })
        }
        return try compileSelect(try compileNode(operand), field: field, at: position)
    }

    /// `has(operand.field)`.
    private func compilePresence(_ operand: Expr, field: String, at position: SourcePosition) throws(CELError) -> Node {
        let pathsBefore = referencedPaths
        let (operandType, operandEval) = try compile(operand)
        if operand.qualifiedName != nil {
            // has(zone.id) references the path zone.id, not zone.
            referencedPaths = pathsBefore
            _ = try? resolveQualified(Expr(.select(operand, field: field), at: position))
        }
        if checking {
            switch operandType {
            case .map, .dyn, .error: break
            case .object(let typeName):
                if let declaration = environment.objectTypes[typeName], declaration.fieldIndex[field] == nil {
                    throw checkError("undefined field '\(field)' on type \(typeName)", position)
                }
            default:
                throw checkError("has() cannot test a field of type \(operandType)", position)
            }
        }
        return Node(bool: { frame throws(CELError) in try Runtime.has(try operandEval(&frame), field, position) })
    }

    /// A list literal `[a, b, …]`.
    private func compileList(_ items: [Expr], at position: SourcePosition) throws(CELError) -> Node {
        var elementType: CELType?
        var nodes: [Node] = []
        nodes.reserveCapacity(items.count)
        for item in items {
            let node = try compileNode(item)
            elementType = elementType.map { Compiler.join($0, node.type) } ?? node.type
            nodes.append(node)
        }
        let count = nodes.count
        let itemNodes = nodes
        return Node(
            .list(elementType ?? .dyn),
            { frame throws(CELError) in
                if count > 0 { try frame.spend(count, position) }
                var values: [CELValue] = []
                values.reserveCapacity(count)
                for node in itemNodes { values.append(try node.eval(&frame)) }
                return .list(values)
            })
    }

    /// A map literal `{k: v, …}`: keys must be int, uint, bool or string, and distinct.
    private func compileMap(
        _ entries: [(key: Expr, value: Expr)], at position: SourcePosition
    ) throws(CELError) -> Node {
        var keyType: CELType?
        var valueType: CELType?
        var evals: [(Eval, Eval, SourcePosition)] = []
        for entry in entries {
            let (kt, ke) = try compile(entry.key)
            let (vt, ve) = try compile(entry.value)
            if checking {
                switch kt {
                case .int, .uint, .bool, .string, .dyn, .error: break
                default: throw checkError("unsupported map key type \(kt)", entry.key.position)
                }
            }
            keyType = keyType.map { Compiler.join($0, kt) } ?? kt
            valueType = valueType.map { Compiler.join($0, vt) } ?? vt
            evals.append((ke, ve, entry.key.position))
        }
        let count = evals.count
        let entryEvals = evals
        return Node(
            .map(keyType ?? .dyn, valueType ?? .dyn),
            { frame throws(CELError) in
                if count > 0 { try frame.spend(count, position) }
                var map = CELMap()
                for (keyEval, valueEval, keyPosition) in entryEvals {
                    let key = try keyEval(&frame)
                    let value = try valueEval(&frame)
                    switch key {
                    case .int, .uint, .bool, .string: break
                    default: throw Runtime.fail("unsupported map key type \(key.celType.runtimeName)", keyPosition)
                    }
                    try Runtime.spendKey(key, &frame, keyPosition)
                    guard map.insert(key, value) else {
                        throw Runtime.fail("Failed with repeated key \(key)", keyPosition)
                    }
                }
                return .map(map)
            })
    }

    /// `cel.bind(name, initial, body)`: `initial` is evaluated once into a local slot `body` reads.
    private func compileBind(_ name: String, initial: Expr, body: Expr) throws(CELError) -> Node {
        let (initialType, initialEval) = try compile(initial)
        let slot = newLocal()
        scopes.append((name, slot, initialType))
        let (bodyType, bodyEval) = try compile(body)
        scopes.removeLast()
        return Node(
            bodyType,
            { frame throws(CELError) in
                frame.locals[slot] = try initialEval(&frame)
                return try bodyEval(&frame)
            })
    }

    /// Resolves an identifier or a chain of selections on one: locals first, then declared
    /// variables (longest qualified name, container candidates first), then type names.
    private func resolveQualified(_ expr: Expr) throws(CELError) -> Node? {
        guard let qualified = expr.qualifiedName, let path = QualifiedPath(expr) else { return nil }
        if !qualified.absolute, let local = localLookup(path.root) {
            return try compileLocalPath(local, path)
        }
        // Unchecked expressions resolve among several declared candidates at run time, by
        // which ones are bound (the evaluator's "longest bound prefix" rule).
        var options: [(variable: String, fieldsFrom: Int)] = []
        for prefixLength in stride(from: path.parts.count, through: 1, by: -1) {
            let prefix = path.parts[0..<prefixLength].joined(separator: ".")
            for candidate in environment.candidateNames(prefix, absolute: qualified.absolute)
            where environment.variableType(candidate) != nil {
                options.append((candidate, prefixLength))
            }
        }
        if let first = options.first {
            return try compileVariablePaths(checking ? [first] : options, path, name: qualified.name, at: expr.position)
        }
        if path.parts.count == 1 { return typeNameNode(path.root) }
        return nil
    }

    /// A local (comprehension variable or bind) followed by field selections.
    private func compileLocalPath(_ local: (slot: Int, type: CELType), _ path: QualifiedPath) throws(CELError) -> Node {
        let slot = local.slot
        var node = Node(local.type, { frame throws(CELError) in frame.locals[slot] })
        if checking { node.setTypedReaders(local.type) { frame throws(CELError) in frame.locals[slot] } }
        for (offset, field) in path.parts.dropFirst().enumerated() {
            node = try compileSelect(
                node, field: field, at: path.fieldPositions[offset], base: offset == 0 ? .local(slot) : nil)
        }
        return node
    }

    /// Declared variables that `path` may name (each with the rest of the path as field selections);
    /// with several, the first one bound at run time wins.
    private func compileVariablePaths(
        _ options: [(variable: String, fieldsFrom: Int)], _ path: QualifiedPath, name: String,
        at position: SourcePosition
    ) throws(CELError) -> Node {
        var compiled: [(slot: Int, node: Node)] = []
        for option in options {
            let slot = slot(forVariable: option.variable)
            var node = variableNode(option.variable, slot: slot, at: position)
            var referenced = option.variable
            for index in option.fieldsFrom..<path.parts.count {
                let base: SlotAccess? = index == option.fieldsFrom ? .variable(slot) : nil
                node = try compileSelect(
                    node, field: path.parts[index], at: path.fieldPositions[index - 1], base: base)
                referenced += "." + path.parts[index]
            }
            referencedPaths.insert(referenced)
            compiled.append((slot, node))
        }
        if compiled.count == 1, let only = compiled.first { return only.node }
        let evals = compiled
        return Node(
            .dyn,
            { frame throws(CELError) in
                for option in evals where !frame.missing[option.slot] {
                    return try option.node.eval(&frame)
                }
                throw Runtime.fail("no such attribute: '\(name)'", position)
            })
    }

    /// Reads the declared variable `variable` from its slot; unbound is a run-time failure.
    private func variableNode(_ variable: String, slot: Int, at position: SourcePosition) -> Node {
        let type = environment.variableType(variable) ?? .dyn
        var node = Node(
            type,
            { frame throws(CELError) in
                if frame.missing[slot] {
                    throw Runtime.fail("no such attribute: variable '\(variable)' is not bound", position)
                }
                return frame.variables[slot]
            })
        if checking {
            node.setTypedReaders(type) { frame throws(CELError) in
                frame.missing[slot] ? nil : frame.variables[slot]
            }
        }
        return node
    }

    /// A type name used as a value (`int`, `list`, a declared object type), or nil.
    private func typeNameNode(_ name: String) -> Node? {
        let typeValue: CELType
        switch name {
        case "int": typeValue = .int
        case "uint": typeValue = .uint
        case "double": typeValue = .double
        case "bool": typeValue = .bool
        case "string": typeValue = .string
        case "bytes": typeValue = .bytes
        case "list": typeValue = .list(.dyn)
        case "map": typeValue = .map(.dyn, .dyn)
        case "null_type": typeValue = .null
        case "type": typeValue = .type
        default:
            guard environment.objectTypes[name] != nil else { return nil }
            typeValue = .object(name)
        }
        return Node(.type, { _ throws(CELError) in .type(typeValue) })
    }

    /// Where an operand lives when it is a plain variable or local, so a field read can look at
    /// the slot in place instead of copying the whole object out first.
    enum SlotAccess { case variable(Int), local(Int) }

    private func compileSelect(
        _ operandNode: Node, field: String, at position: SourcePosition, base: SlotAccess? = nil
    ) throws(CELError) -> Node {
        let operandType = operandNode.type
        let operand = operandNode.eval
        var resultType = CELType.dyn
        if checking {
            switch operandType {
            case .object(let typeName):
                if let declaration = environment.objectTypes[typeName] {
                    guard let index = declaration.fieldIndex[field] else {
                        let names = declaration.fields.map(\.name).sorted()
                        let hint =
                            closestName(to: field, in: names).map { "did you mean '\($0)'?" }
                            ?? "known fields: \(names.joined(separator: ", "))"
                        throw checkError("undefined field '\(field)' on type \(typeName)", position, hint: hint)
                    }
                    let access = FieldAccess(
                        operand: operand, field: field, index: index, layout: declaration.layout, position: position)
                    return compileDeclaredField(access, type: declaration.fields[index].type, base: base)
                }
            case .map(let key, let value):
                guard Compiler.isAssignable(.string, to: key) else {
                    throw checkError("cannot select field '\(field)' on \(operandType): keys are not strings", position)
                }
                resultType = value
            case .dyn, .error: resultType = .dyn
            default:
                throw checkError("type '\(operandType)' does not support field selection", position)
            }
        }
        return Node(
            resultType,
            { frame throws(CELError) in
                try Runtime.select(try operand(&frame), field, position)
            })
    }

    /// A read of a declared field: straight from the object's layout when the value has it (reading
    /// a variable or local in its slot), else the general `Runtime.select`.
    private func compileDeclaredField(_ access: FieldAccess, type fieldType: CELType, base: SlotAccess?) -> Node {
        let operand = access.operand, field = access.field, index = access.index
        let layout = access.layout, position = access.position
        var node: Node
        // `read` gives the field value on the fast path (declared layout), nil otherwise.
        let read: @Sendable (inout Frame) throws(CELError) -> CELValue?
        switch base {
        case .variable(let slot):
            return compileVariableField(access, type: fieldType, slot: slot)
        case .local(let slot):
            node = Node(
                fieldType,
                { frame throws(CELError) in
                    if case .object(let object) = frame.locals[slot],
                        let value = object.value(at: index, ifLayout: layout)
                    {
                        return value
                    }
                    return try Runtime.select(try operand(&frame), field, position)
                })
            read = { frame throws(CELError) in
                guard case .object(let object) = frame.locals[slot] else { return nil }
                return object.value(at: index, ifLayout: layout)
            }
        case nil:
            node = Node(
                fieldType,
                { frame throws(CELError) in
                    let value = try operand(&frame)
                    if case .object(let object) = value,
                        let fieldValue = object.value(at: index, ifLayout: layout)
                    {
                        return fieldValue
                    }
                    return try Runtime.select(value, field, position)
                })
            read = { frame throws(CELError) in
                guard case .object(let object) = try operand(&frame) else { return nil }
                return object.value(at: index, ifLayout: layout)
            }
        }
        node.setTypedReaders(fieldType, read)
        return node
    }

    /// The hot case, a declared field of a bound variable: the boxed reader and the typed reader
    /// each look at the variable's slot in one closure.
    private func compileVariableField(_ access: FieldAccess, type fieldType: CELType, slot: Int) -> Node {
        let operand = access.operand, field = access.field, index = access.index
        let layout = access.layout, position = access.position
        var node = Node(
            fieldType,
            { frame throws(CELError) in
                if !frame.missing[slot], case .object(let object) = frame.variables[slot],
                    let value = object.value(at: index, ifLayout: layout)
                {
                    return value
                }
                return try Runtime.select(try operand(&frame), field, position)
            })
        switch fieldType {
        case .double:
            node.double = { frame throws(CELError) in
                guard !frame.missing[slot], case .object(let object) = frame.variables[slot],
                    case .double(let d)? = object.value(at: index, ifLayout: layout)
                else { return nil }
                return d
            }
        case .int:
            node.int = { frame throws(CELError) in
                guard !frame.missing[slot], case .object(let object) = frame.variables[slot],
                    case .int(let i)? = object.value(at: index, ifLayout: layout)
                else { return nil }
                return i
            }
        case .string:
            node.string = { frame throws(CELError) in
                guard !frame.missing[slot], case .object(let object) = frame.variables[slot],
                    case .string(let text)? = object.value(at: index, ifLayout: layout)
                else { return nil }
                return text
            }
        default: break
        }
        return node
    }

    private func compileComprehension(
        _ kind: MacroKind, range: Expr, variable: String, filter: Expr?, body: Expr, at position: SourcePosition
    ) throws(CELError) -> Node {
        let (rangeType, rangeEval) = try compile(range)
        let elementType = try comprehensionElementType(rangeType, range)
        let slot = newLocal()
        scopes.append((variable, slot, elementType))
        defer { scopes.removeLast() }
        @Sendable func predicateFailure(_ value: CELValue) -> CELError {
            Runtime.fail("predicate returned \(value.celType.runtimeName), not bool", position)
        }
        var compiledFilter: BoolEval?
        if let filter {
            let node = try compileNode(filter)
            if checking, !Compiler.isAssignable(node.type, to: .bool) {
                throw checkError("the filter of map() must be bool, not \(node.type)", filter.position)
            }
            compiledFilter = node.boolEval(predicateFailure)
        }
        let bodyNode = try compileNode(body)
        if checking, kind != .map, !Compiler.isAssignable(bodyNode.type, to: .bool) {
            throw checkError("the predicate must be bool, not \(bodyNode.type)", body.position)
        }
        // The range is iterated in place (a map's keys are not copied out first), so the work is
        // exactly the iterations spent.
        let iterate: @Sendable (inout Frame) throws(CELError) -> IterationRange = { frame throws(CELError) in
            switch try rangeEval(&frame) {
            case .list(let items): return .list(items)
            case .map(let map): return .keys(map)
            case let other:
                throw Runtime.fail("cannot iterate over a value of type \(other.celType.runtimeName)", position)
            }
        }
        let loop = ComprehensionLoop(iterate: iterate, slot: slot, position: position)
        let bodyBool = bodyNode.boolEval(predicateFailure)
        switch kind {
        case .all, .exists: return Compiler.quantifierNode(loop, stopOn: kind == .exists, bodyBool)
        case .existsOne: return Compiler.existsOneNode(loop, bodyBool)
        case .map: return Compiler.mapNode(loop, filter: compiledFilter, body: bodyNode)
        case .filter: return Compiler.filterNode(loop, elementType: elementType, bodyBool)
        }
    }

    /// The type of the comprehension variable: a list's element type or a map's key type.
    private func comprehensionElementType(_ rangeType: CELType, _ range: Expr) throws(CELError) -> CELType {
        switch rangeType {
        case .list(let element): return element
        case .map(let key, _): return key
        case .dyn, .error: return .dyn
        default:
            if checking {
                throw checkError(
                    "expression of type \(rangeType) cannot be iterated by a comprehension", range.position)
            }
            return .dyn
        }
    }

    /// `all` (stops on false) and `exists` (stops on true); an error in one iteration is reported
    /// only when no later iteration decides the result.
    private static func quantifierNode(_ loop: ComprehensionLoop, stopOn: Bool, _ bodyBool: @escaping BoolEval) -> Node
    {
        let iterate = loop.iterate, slot = loop.slot, position = loop.position
        return Node(bool: { frame throws(CELError) in
            let items = try iterate(&frame)
            var firstError: CELError?
            for offset in 0..<items.count {
                try frame.spend(1, position)
                let item = items[offset]
                frame.locals[slot] = item
                do throws(CELError) {
                    if try bodyBool(&frame) == stopOn { return stopOn }
                } catch {
                    if error.kind == .cost { throw error }
                    if firstError == nil { firstError = error }
                }
            }
            if let firstError { throw firstError }
            return !stopOn
        })
    }

    /// `exists_one`: true when the predicate holds for exactly one element.
    private static func existsOneNode(_ loop: ComprehensionLoop, _ bodyBool: @escaping BoolEval) -> Node {
        let iterate = loop.iterate, slot = loop.slot, position = loop.position
        return Node(bool: { frame throws(CELError) in
            let items = try iterate(&frame)
            var count = 0
            for offset in 0..<items.count {
                try frame.spend(1, position)
                let item = items[offset]
                frame.locals[slot] = item
                if try bodyBool(&frame) { count += 1 }
            }
            return count == 1
        })
    }

    /// `map(x, t)` and `map(x, p, t)`: the transform of every element (that passes the filter).
    private static func mapNode(_ loop: ComprehensionLoop, filter filterEval: BoolEval?, body: Node) -> Node {
        let iterate = loop.iterate, slot = loop.slot, position = loop.position
        let bodyEval = body.eval
        return Node(
            .list(body.type),
            { frame throws(CELError) in
                let items = try iterate(&frame)
                var output: [CELValue] = []
                output.reserveCapacity(min(items.count, frame.costLimit))
                for offset in 0..<items.count {
                    try frame.spend(1, position)
                    let item = items[offset]
                    frame.locals[slot] = item
                    if let filterEval, try !filterEval(&frame) { continue }
                    output.append(try bodyEval(&frame))
                }
                return .list(output)
            })
    }

    /// `filter(x, p)`: the elements for which the predicate holds.
    private static func filterNode(
        _ loop: ComprehensionLoop, elementType: CELType, _ bodyBool: @escaping BoolEval
    ) -> Node {
        let iterate = loop.iterate, slot = loop.slot, position = loop.position
        return Node(
            .list(elementType),
            { frame throws(CELError) in
                let items = try iterate(&frame)
                var output: [CELValue] = []
                for offset in 0..<items.count {
                    try frame.spend(1, position)
                    let item = items[offset]
                    frame.locals[slot] = item
                    if try bodyBool(&frame) { output.append(item) }
                }
                return .list(output)
            })
    }
}

/// What a comprehension iterates: a list's elements or a map's keys, read in place.
enum IterationRange {
    case list([CELValue])
    case keys(CELMap)

    var count: Int {
        switch self {
        case .list(let items): return items.count
        case .keys(let map): return map.count
        }
    }

    subscript(offset: Int) -> CELValue {
        switch self {
        case .list(let items): return items[offset]
        case .keys(let map): return map.entries[offset].key
        }
    }
}

/// The declared name nearest to a misspelling (at most two edits away), for "did you mean".
public func closestName(to word: String, in names: [String]) -> String? {
    let target = Array(word)
    var best: (name: String, distance: Int)?
    for name in names {
        let candidate = Array(name)
        guard abs(candidate.count - target.count) <= 2 else { continue }
        var previous = Array(0...candidate.count)
        for (i, a) in target.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: candidate.count)
            for (j, b) in candidate.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
            }
            previous = current
        }
        let distance = previous[candidate.count]
        if distance <= 2, distance < (best?.distance ?? Int.max) { best = (name, distance) }
    }
    return best?.name
}
