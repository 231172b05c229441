import Foundation

/// Per-evaluation state: variable slots, comprehension/bind slots and the spent cost.
struct Frame {
    let variables: UnsafeMutablePointer<CELValue>
    let missing: UnsafeMutablePointer<Bool>
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
}

/// A lowered expression: a closure tree over `Frame`, built once and run per activation.
typealias Eval = @Sendable (inout Frame) throws(CELError) -> CELValue

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

    init(environment: CELEnvironment) {
        self.environment = environment
        self.checking = environment.typeCheckingEnabled
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
        let position = expr.position
        switch expr.kind {
        case .literal(let value):
            let type = value.celType
            return (type, { _ throws(CELError) in value })
        case .ident, .select:
            if let resolved = try resolveQualified(expr) { return resolved }
            guard case .select(let operand, let field) = expr.kind else {
                guard case .ident(let name, _) = expr.kind else { throw checkError("internal: unexpected identifier", position) }
                if checking {
                    throw checkError("undeclared reference to '\(name)'", position)
                }
                return (.dyn, { _ throws(CELError) in throw Runtime.fail("no such attribute: undeclared reference to '\(name)'", position) })
            }
            let (operandType, operandEval) = try compile(operand)
            return try compileSelect(operandType, operandEval, field: field, at: position)
        case .presence(let operand, let field):
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
            return (.bool, { frame throws(CELError) in .bool(try Runtime.has(try operandEval(&frame), field, position)) })
        case .list(let items):
            var elementType: CELType?
            var evals: [Eval] = []
            evals.reserveCapacity(items.count)
            for item in items {
                let (type, eval) = try compile(item)
                elementType = elementType.map { Compiler.join($0, type) } ?? type
                evals.append(eval)
            }
            let count = evals.count
            let itemEvals = evals
            return (.list(elementType ?? .dyn), { frame throws(CELError) in
                if count > 0 { try frame.spend(count, position) }
                var values: [CELValue] = []
                values.reserveCapacity(count)
                for eval in itemEvals { values.append(try eval(&frame)) }
                return .list(values)
            })
        case .map(let entries):
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
            return (.map(keyType ?? .dyn, valueType ?? .dyn), { frame throws(CELError) in
                if count > 0 { try frame.spend(count, position) }
                var map = CELMap()
                for (keyEval, valueEval, keyPosition) in entryEvals {
                    let key = try keyEval(&frame)
                    let value = try valueEval(&frame)
                    switch key {
                    case .int, .uint, .bool, .string: break
                    default: throw Runtime.fail("unsupported map key type \(key.celType.runtimeName)", keyPosition)
                    }
                    guard map.insert(key, value) else { throw Runtime.fail("Failed with repeated key \(key)", keyPosition) }
                }
                return .map(map)
            })
        case .message(let typeName, _):
            throw CELError(checking ? .check : .evaluation, "message construction '\(typeName){…}' is not supported", at: position)
        case .comprehension(let kind, let range, let variable, let filter, let body):
            return try compileComprehension(kind, range: range, variable: variable, filter: filter, body: body, at: position)
        case .bind(let name, let initial, let body):
            let (initialType, initialEval) = try compile(initial)
            let slot = newLocal()
            scopes.append((name, slot, initialType))
            let (bodyType, bodyEval) = try compile(body)
            scopes.removeLast()
            return (bodyType, { frame throws(CELError) in
                frame.locals[slot] = try initialEval(&frame)
                return try bodyEval(&frame)
            })
        case .call(let target, let function, let args):
            return try compileCall(target: target, function: function, args: args, at: position)
        }
    }

    /// Resolves an identifier or a chain of selections on one: locals first, then declared
    /// variables (longest qualified name, container candidates first), then type names.
    private func resolveQualified(_ expr: Expr) throws(CELError) -> (CELType, Eval)? {
        guard let qualified = expr.qualifiedName else { return nil }
        var parts: [String] = []
        var fieldPositions: [SourcePosition] = []
        var node = expr
        while case .select(let operand, let field) = node.kind {
            fieldPositions.append(node.position)
            parts.append(field)
            node = operand
        }
        guard case .ident(let root, _) = node.kind else { return nil }
        parts.append(root)
        parts.reverse()
        fieldPositions.reverse()
        if !qualified.absolute, let local = localLookup(root) {
            var type = local.type
            let slot = local.slot
            var eval: Eval = { frame throws(CELError) in frame.locals[slot] }
            for (offset, field) in parts.dropFirst().enumerated() {
                (type, eval) = try compileSelect(type, eval, field: field, at: fieldPositions[offset], base: offset == 0 ? .local(slot) : nil)
            }
            return (type, eval)
        }
        // Unchecked expressions resolve among several declared candidates at run time, by
        // which ones are bound (the evaluator's "longest bound prefix" rule).
        var options: [(variable: String, fieldsFrom: Int)] = []
        for prefixLength in stride(from: parts.count, through: 1, by: -1) {
            let prefix = parts[0..<prefixLength].joined(separator: ".")
            for candidate in environment.candidateNames(prefix, absolute: qualified.absolute)
            where environment.variableType(candidate) != nil {
                options.append((candidate, prefixLength))
            }
        }
        if let first = options.first {
            let chosen = checking ? [first] : options
            var compiled: [(slot: Int, type: CELType, eval: Eval)] = []
            for option in chosen {
                let slot = slot(forVariable: option.variable)
                var type = environment.variableType(option.variable) ?? .dyn
                let base: Eval = { frame throws(CELError) in
                    if frame.missing[slot] {
                        throw Runtime.fail("no such attribute: variable '\(option.variable)' is not bound", expr.position)
                    }
                    return frame.variables[slot]
                }
                var eval = base
                var path = option.variable
                for index in option.fieldsFrom..<parts.count {
                    let base: SlotAccess? = index == option.fieldsFrom ? .variable(slot) : nil
                    (type, eval) = try compileSelect(type, eval, field: parts[index], at: fieldPositions[index - 1], base: base)
                    path += "." + parts[index]
                }
                referencedPaths.insert(path)
                compiled.append((slot, type, eval))
            }
            if compiled.count == 1, let only = compiled.first { return (only.type, only.eval) }
            let evals = compiled
            return (.dyn, { frame throws(CELError) in
                for option in evals where !frame.missing[option.slot] {
                    return try option.eval(&frame)
                }
                throw Runtime.fail("no such attribute: '\(qualified.name)'", expr.position)
            })
        }
        if parts.count == 1, !qualified.absolute || true {
            let typeValue: CELType?
            switch root {
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
            default: typeValue = environment.objectTypes[root] != nil ? .object(root) : nil
            }
            if let typeValue {
                return (.type, { _ throws(CELError) in .type(typeValue) })
            }
        }
        return nil
    }

    /// Where an operand lives when it is a plain variable or local, so a field read can look at
    /// the slot in place instead of copying the whole object out first.
    enum SlotAccess { case variable(Int), local(Int) }

    private func compileSelect(_ operandType: CELType, _ operand: @escaping Eval, field: String, at position: SourcePosition, base: SlotAccess? = nil) throws(CELError) -> (CELType, Eval) {
        var resultType = CELType.dyn
        if checking {
            switch operandType {
            case .object(let typeName):
                if let declaration = environment.objectTypes[typeName] {
                    guard let index = declaration.fieldIndex[field] else {
                        let known = declaration.fields.map(\.name).sorted().joined(separator: ", ")
                        throw checkError("undefined field '\(field)' on type \(typeName)", position, hint: "known fields: \(known)")
                    }
                    let layout = declaration.layout
                    let fieldType = declaration.fields[index].type
                    switch base {
                    case .variable(let slot):
                        return (fieldType, { frame throws(CELError) in
                            if !frame.missing[slot], case .object(let object) = frame.variables[slot],
                               let value = object.value(at: index, ifLayout: layout) {
                                return value
                            }
                            return try Runtime.select(try operand(&frame), field, position)
                        })
                    case .local(let slot):
                        return (fieldType, { frame throws(CELError) in
                            if case .object(let object) = frame.locals[slot], let value = object.value(at: index, ifLayout: layout) {
                                return value
                            }
                            return try Runtime.select(try operand(&frame), field, position)
                        })
                    case nil: break
                    }
                    return (fieldType, { frame throws(CELError) in
                        let value = try operand(&frame)
                        if case .object(let object) = value, let fieldValue = object.value(at: index, ifLayout: layout) {
                            return fieldValue
                        }
                        return try Runtime.select(value, field, position)
                    })
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
        return (resultType, { frame throws(CELError) in
            try Runtime.select(try operand(&frame), field, position)
        })
    }

    private func compileComprehension(_ kind: MacroKind, range: Expr, variable: String, filter: Expr?, body: Expr, at position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        let (rangeType, rangeEval) = try compile(range)
        var elementType = CELType.dyn
        switch rangeType {
        case .list(let element): elementType = element
        case .map(let key, _): elementType = key
        case .dyn, .error: break
        default:
            if checking { throw checkError("expression of type \(rangeType) cannot be iterated by a comprehension", range.position) }
        }
        let slot = newLocal()
        scopes.append((variable, slot, elementType))
        defer { scopes.removeLast() }
        var compiledFilter: Eval?
        if let filter {
            let (filterType, eval) = try compile(filter)
            if checking, !Compiler.isAssignable(filterType, to: .bool) {
                throw checkError("the filter of map() must be bool, not \(filterType)", filter.position)
            }
            compiledFilter = eval
        }
        let filterEval = compiledFilter
        let (bodyType, bodyEval) = try compile(body)
        if checking, kind != .map, !Compiler.isAssignable(bodyType, to: .bool) {
            throw checkError("the predicate must be bool, not \(bodyType)", body.position)
        }
        let iterate: @Sendable (inout Frame) throws(CELError) -> [CELValue] = { frame throws(CELError) in
            switch try rangeEval(&frame) {
            case .list(let items): return items
            case .map(let map): return map.entries.map(\.key)
            case let other: throw Runtime.fail("cannot iterate over a value of type \(other.celType.runtimeName)", position)
            }
        }
        @Sendable func predicateFailure(_ value: CELValue) -> CELError {
            Runtime.fail("predicate returned \(value.celType.runtimeName), not bool", position)
        }
        switch kind {
        case .all, .exists:
            let stopOn = kind == .exists
            return (.bool, { frame throws(CELError) in
                let items = try iterate(&frame)
                var firstError: CELError?
                for item in items {
                    try frame.spend(1, position)
                    frame.locals[slot] = item
                    do throws(CELError) {
                        let result = try bodyEval(&frame)
                        guard case .bool(let b) = result else {
                            if firstError == nil { firstError = predicateFailure(result) }
                            continue
                        }
                        if b == stopOn { return .bool(stopOn) }
                    } catch {
                        if error.kind == .cost { throw error }
                        if firstError == nil { firstError = error }
                    }
                }
                if let firstError { throw firstError }
                return .bool(!stopOn)
            })
        case .existsOne:
            return (.bool, { frame throws(CELError) in
                let items = try iterate(&frame)
                var count = 0
                for item in items {
                    try frame.spend(1, position)
                    frame.locals[slot] = item
                    let result = try bodyEval(&frame)
                    guard case .bool(let b) = result else { throw predicateFailure(result) }
                    if b { count += 1 }
                }
                return .bool(count == 1)
            })
        case .map:
            return (.list(bodyType), { frame throws(CELError) in
                let items = try iterate(&frame)
                var output: [CELValue] = []
                output.reserveCapacity(items.count)
                for item in items {
                    try frame.spend(1, position)
                    frame.locals[slot] = item
                    if let filterEval {
                        let keep = try filterEval(&frame)
                        guard case .bool(let b) = keep else { throw predicateFailure(keep) }
                        if !b { continue }
                    }
                    output.append(try bodyEval(&frame))
                }
                return .list(output)
            })
        case .filter:
            return (.list(elementType), { frame throws(CELError) in
                let items = try iterate(&frame)
                var output: [CELValue] = []
                for item in items {
                    try frame.spend(1, position)
                    frame.locals[slot] = item
                    let keep = try bodyEval(&frame)
                    guard case .bool(let b) = keep else { throw predicateFailure(keep) }
                    if b { output.append(item) }
                }
                return .list(output)
            })
        }
    }
}
