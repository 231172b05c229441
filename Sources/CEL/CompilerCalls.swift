import Foundation

extension Compiler {
    private func overloadError(_ function: String, _ types: [CELType], _ position: SourcePosition) -> CELError {
        let shown = types.map(\.description).joined(separator: ", ")
        var hint: String?
        let numeric = types.filter { $0 == .int || $0 == .uint || $0 == .double }
        if numeric.count >= 2, Set(numeric).count > 1 {
            if numeric.contains(.double), numeric.contains(.int) {
                hint = "CEL does not mix int and double in arithmetic or equality: write 2.0 instead of 2, or double(x)"
            } else {
                hint = "CEL does not mix int and uint: write 2u, or convert with uint(x) / int(x)"
            }
        }
        return CELError(.check, "no matching overload for '\(Runtime.displayName(function))' applied to (\(shown))", at: position, hint: hint)
    }

    /// True when `target.function(...)` names a namespaced library function (e.g. `math.ceil`)
    /// rather than a method call on a variable.
    private func namespacedFunction(_ target: Expr, _ function: String) -> String? {
        guard let qualified = target.qualifiedName, !qualified.absolute else { return nil }
        let name = qualified.name + "." + function
        guard Library.functions[name] != nil else { return nil }
        let root = qualified.name.split(separator: ".").first.map(String.init) ?? qualified.name
        if local(named: root) != nil { return nil }
        if environment.variableType(qualified.name) != nil || environment.variableType(root) != nil { return nil }
        return name
    }

    private func local(named name: String) -> (slot: Int, type: CELType)? {
        localLookup(name)
    }

    func compileCall(target: Expr?, function: String, args: [Expr], at position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        if target == nil {
            switch function {
            case "_&&_", "_||_": return try compileLogical(function == "_&&_", args, position)
            case "_?_:_": return try compileConditional(args, position)
            default: break
            }
        }
        if let target, let name = namespacedFunction(target, function) {
            return try compileLibraryCall(name, receiver: nil, args: args, at: position)
        }
        var compiledArgs: [(CELType, Eval)] = []
        for arg in args { compiledArgs.append(try compile(arg)) }
        let constantRight: CELValue?
        if args.count == 2, case .literal(let value) = args[1].kind { constantRight = value } else { constantRight = nil }
        if let target {
            let receiver = try compile(target)
            return try compileLibraryCall(function, receiver: receiver, compiledArgs: compiledArgs, at: position)
        }
        switch function {
        case "!_": return try compileNot(compiledArgs, position)
        case "-_": return try compileNegate(compiledArgs, position)
        case "_+_", "_-_", "_*_", "_/_", "_%_": return try compileArithmetic(function, compiledArgs, position)
        case "_==_", "_!=_": return try compileEquality(function == "_==_", compiledArgs, position, constant: constantRight)
        case "_<_", "_<=_", "_>_", "_>=_": return try compileRelation(function, compiledArgs, position, constant: constantRight)
        case "_[_]": return try compileIndex(compiledArgs, position)
        case "@in": return try compileIn(compiledArgs, position)
        default:
            let name = function.hasPrefix(".") ? String(function.dropFirst()) : function
            return try compileLibraryCall(name, receiver: nil, compiledArgs: compiledArgs, at: position)
        }
    }

    private func compileLibraryCall(_ name: String, receiver: (CELType, Eval)?, args: [Expr], at position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        var compiledArgs: [(CELType, Eval)] = []
        for arg in args { compiledArgs.append(try compile(arg)) }
        return try compileLibraryCall(name, receiver: receiver, compiledArgs: compiledArgs, at: position)
    }

    private func compileLibraryCall(_ name: String, receiver: (CELType, Eval)?, compiledArgs: [(CELType, Eval)], at position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard let definition = Library.functions[name] else {
            if checking {
                throw CELError(.check, "undeclared reference to function '\(name)'", at: position)
            }
            return (.dyn, { _ throws(CELError) in throw Runtime.fail("no such function '\(name)'", position) })
        }
        let all = (receiver.map { [$0] } ?? []) + compiledArgs
        let types = all.map(\.0)
        var resultType = CELType.dyn
        if checking {
            if definition.overloads.isEmpty {
                // Variadic numeric functions (math.greatest / math.least).
                var elementTypes = types
                if types.count == 1, case .list(let element) = types[0] { elementTypes = [element] }
                guard receiver == nil, !types.isEmpty,
                      elementTypes.allSatisfy({ $0 == .dyn || $0 == .error || Compiler.isNumericType($0) }) else {
                    throw overloadError(name, types, position)
                }
                let distinct = Set(elementTypes)
                resultType = distinct.count == 1 ? (distinct.first ?? .dyn) : .dyn
            } else {
                let isReceiver = receiver != nil
                let matches = definition.overloads.filter { overload in
                    overload.receiver == isReceiver && overload.params.count == types.count
                        && zip(types, overload.params).allSatisfy { Compiler.isAssignable($0.0, to: $0.1) }
                }
                guard let first = matches.first else { throw overloadError(name, types, position) }
                resultType = matches.allSatisfy { $0.result == first.result } ? first.result : .dyn
                if name == "dyn" { resultType = .dyn }
            }
        } else if receiver != nil, !definition.overloads.isEmpty, !definition.overloads.contains(where: \.receiver) {
            return (.dyn, { _ throws(CELError) in throw Runtime.fail("no such overload: '\(name)' is not a method", position) })
        }
        let evals = all.map(\.1)
        switch definition.impl {
        case .unary(let impl):
            guard evals.count == 1, let argument = evals.first else {
                return (.dyn, try arityFailure(name, position))
            }
            if let rounding = Compiler.roundingRules[name] {
                return (resultType, { frame throws(CELError) in
                    let value = try argument(&frame)
                    if case .double(let d) = value { return .double(d.rounded(rounding)) }
                    return try impl(value, position)
                })
            }
            return (resultType, { frame throws(CELError) in try impl(try argument(&frame), position) })
        case .binary(let impl):
            guard evals.count == 2 else { return (.dyn, try arityFailure(name, position)) }
            let lhs = evals[0], rhs = evals[1]
            return (resultType, { frame throws(CELError) in try impl(try lhs(&frame), try rhs(&frame), position) })
        case .variadic(let impl):
            return (resultType, { frame throws(CELError) in
                var values: [CELValue] = []
                values.reserveCapacity(evals.count)
                for eval in evals { values.append(try eval(&frame)) }
                return try impl(values, position)
            })
        }
    }

    private func arityFailure(_ name: String, _ position: SourcePosition) throws(CELError) -> Eval {
        if checking { throw CELError(.check, "wrong number of arguments to '\(name)'", at: position) }
        return { _ throws(CELError) in throw Runtime.fail("no matching overload for '\(name)' (wrong number of arguments)", position) }
    }

    static let roundingRules: [String: FloatingPointRoundingRule] = [
        "math.ceil": .up, "math.floor": .down, "math.round": .toNearestOrAwayFromZero, "math.trunc": .towardZero,
    ]

    static func isNumericType(_ type: CELType) -> Bool {
        type == .int || type == .uint || type == .double
    }

    // MARK: Logic

    private func compileLogical(_ isAnd: Bool, _ args: [Expr], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "logical operator needs two operands", at: position) }
        let (leftType, left) = try compile(args[0])
        let (rightType, right) = try compile(args[1])
        let function = isAnd ? "_&&_" : "_||_"
        if checking, !Compiler.isAssignable(leftType, to: .bool) || !Compiler.isAssignable(rightType, to: .bool) {
            throw overloadError(function, [leftType, rightType], position)
        }
        // The value that decides the result on its own (false for &&, true for ||).
        let decisive = !isAnd
        return (.bool, { frame throws(CELError) in
            var leftError: CELError?
            do throws(CELError) {
                let value = try left(&frame)
                if case .bool(let b) = value {
                    if b == decisive { return value }
                } else {
                    leftError = Runtime.noOverload(function, [value], position)
                }
            } catch {
                if error.kind == .cost { throw error }
                leftError = error
            }
            let value: CELValue
            do throws(CELError) {
                value = try right(&frame)
            } catch {
                if error.kind == .cost { throw error }
                throw leftError ?? error
            }
            if case .bool(let b) = value {
                if b == decisive { return value }
                if let leftError { throw leftError }
                return value
            }
            throw leftError ?? Runtime.noOverload(function, [value], position)
        })
    }

    private func compileConditional(_ args: [Expr], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard args.count == 3 else { throw CELError(.parse, "conditional needs three operands", at: position) }
        let (conditionType, condition) = try compile(args[0])
        let (trueType, whenTrue) = try compile(args[1])
        let (falseType, whenFalse) = try compile(args[2])
        if checking, !Compiler.isAssignable(conditionType, to: .bool) {
            throw CELError(.check, "the condition of ?: must be bool, not \(conditionType)", at: args[0].position)
        }
        var resultType = Compiler.join(trueType, falseType)
        if checking, trueType != falseType, !Compiler.isAssignable(trueType, to: falseType) {
            if Compiler.isNumericType(trueType) && Compiler.isNumericType(falseType) {
                throw overloadError("_?_:_", [trueType, falseType], position)
            }
            resultType = .dyn
        }
        return (resultType, { frame throws(CELError) in
            let value = try condition(&frame)
            guard case .bool(let b) = value else { throw Runtime.noOverload("_?_:_", [value], position) }
            return b ? try whenTrue(&frame) : try whenFalse(&frame)
        })
    }

    private func compileNot(_ args: [(CELType, Eval)], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard let (type, operand) = args.first else { throw CELError(.parse, "! needs an operand", at: position) }
        if checking, !Compiler.isAssignable(type, to: .bool) { throw overloadError("!_", [type], position) }
        return (.bool, { frame throws(CELError) in
            let value = try operand(&frame)
            guard case .bool(let b) = value else { throw Runtime.noOverload("!_", [value], position) }
            return .bool(!b)
        })
    }

    private func compileNegate(_ args: [(CELType, Eval)], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard let (type, operand) = args.first else { throw CELError(.parse, "- needs an operand", at: position) }
        if checking, type != .int, type != .double, type != .dyn, type != .error { throw overloadError("-_", [type], position) }
        return (type, { frame throws(CELError) in try Runtime.negate(try operand(&frame), position) })
    }

    // MARK: Arithmetic and comparison

    private func compileArithmetic(_ function: String, _ args: [(CELType, Eval)], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "binary operator needs two operands", at: position) }
        let (leftType, left) = args[0]
        let (rightType, right) = args[1]
        var resultType = CELType.dyn
        if checking {
            let known = [leftType, rightType].filter { $0 != .dyn && $0 != .error }
            if let first = known.first {
                var allowed: Set<String> = ["int", "uint", "double"]
                if function == "_+_" { allowed.formUnion(["string", "bytes", "list"]) }
                if function == "_%_" { allowed.remove("double") }
                let compatible: Bool
                if known.count == 2 {
                    compatible = Compiler.isAssignable(leftType, to: rightType) && Compiler.isAssignable(rightType, to: leftType)
                } else {
                    compatible = true
                }
                guard compatible, known.allSatisfy({ allowed.contains($0.runtimeName) }) else {
                    throw overloadError(function, [leftType, rightType], position)
                }
                resultType = known.count == 2 ? Compiler.join(leftType, rightType) : first
            }
        }
        switch function {
        case "_+_":
            if leftType == .double && rightType == .double {
                return (resultType, { frame throws(CELError) in
                    let a = try left(&frame), b = try right(&frame)
                    if case .double(let x) = a, case .double(let y) = b { return .double(x + y) }
                    return try Runtime.add(a, b, position, &frame.cost)
                })
            }
            return (resultType, { frame throws(CELError) in
                let a = try left(&frame), b = try right(&frame)
                let value = try Runtime.add(a, b, position, &frame.cost)
                if frame.cost > frame.costLimit { try frame.spend(0, position) }
                return value
            })
        case "_-_":
            return (resultType, { frame throws(CELError) in try Runtime.subtract(try left(&frame), try right(&frame), position) })
        case "_*_":
            if leftType == .double && rightType == .double {
                return (resultType, { frame throws(CELError) in
                    let a = try left(&frame), b = try right(&frame)
                    if case .double(let x) = a, case .double(let y) = b { return .double(x * y) }
                    return try Runtime.multiply(a, b, position)
                })
            }
            return (resultType, { frame throws(CELError) in try Runtime.multiply(try left(&frame), try right(&frame), position) })
        case "_/_":
            return (resultType, { frame throws(CELError) in try Runtime.divide(try left(&frame), try right(&frame), position) })
        default:
            return (resultType, { frame throws(CELError) in try Runtime.modulo(try left(&frame), try right(&frame), position) })
        }
    }

    private func compileEquality(_ isEqual: Bool, _ args: [(CELType, Eval)], _ position: SourcePosition, constant: CELValue?) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "== needs two operands", at: position) }
        let (leftType, left) = args[0]
        let (rightType, right) = args[1]
        if checking, !Compiler.isAssignable(leftType, to: rightType), !Compiler.isAssignable(rightType, to: leftType) {
            throw overloadError(isEqual ? "_==_" : "_!=_", [leftType, rightType], position)
        }
        if case .string(let expected)? = constant {
            let expectedUTF8 = Array(expected.utf8)
            return (.bool, { frame throws(CELError) in
                let a = try left(&frame)
                if case .string(let x) = a {
                    var same = x.utf8.count == expectedUTF8.count
                    if same {
                        var index = 0
                        for byte in x.utf8 {
                            if byte != expectedUTF8[index] { same = false; break }
                            index &+= 1
                        }
                    }
                    return .bool(same == isEqual)
                }
                return .bool(Runtime.equals(a, .string(expected)) == isEqual)
            })
        }
        if leftType == .string && rightType == .string {
            return (.bool, { frame throws(CELError) in
                let a = try left(&frame), b = try right(&frame)
                if case .string(let x) = a, case .string(let y) = b { return .bool(x.utf8.elementsEqual(y.utf8) == isEqual) }
                return .bool(Runtime.equals(a, b) == isEqual)
            })
        }
        return (.bool, { frame throws(CELError) in
            .bool(Runtime.equals(try left(&frame), try right(&frame)) == isEqual)
        })
    }

    private func compileRelation(_ function: String, _ args: [(CELType, Eval)], _ position: SourcePosition, constant: CELValue?) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "comparison needs two operands", at: position) }
        let (leftType, left) = args[0]
        let (rightType, right) = args[1]
        if checking {
            let orderable: Set<CELType> = [.int, .uint, .double, .string, .bytes, .bool]
            let known = [leftType, rightType].filter { $0 != .dyn && $0 != .error }
            let ok = known.allSatisfy { orderable.contains($0) }
                && (known.count < 2 || leftType == rightType || (Compiler.isNumericType(leftType) && Compiler.isNumericType(rightType)))
            if !ok { throw overloadError(function, [leftType, rightType], position) }
        }
        // Comparison with a literal: the constant is captured and the common kind tested inline.
        if case .double(let bound)? = constant {
            let test: @Sendable (Double) -> Bool
            switch function {
            case "_<_": test = { $0 < bound }
            case "_<=_": test = { $0 <= bound }
            case "_>_": test = { $0 > bound }
            default: test = { $0 >= bound }
            }
            return (.bool, { frame throws(CELError) in
                let a = try left(&frame)
                if case .double(let x) = a { return .bool(test(x)) }
                return .bool(try Runtime.relation(function, a, .double(bound), position))
            })
        }
        if case .int(let bound)? = constant {
            let test: @Sendable (Int64) -> Bool
            switch function {
            case "_<_": test = { $0 < bound }
            case "_<=_": test = { $0 <= bound }
            case "_>_": test = { $0 > bound }
            default: test = { $0 >= bound }
            }
            return (.bool, { frame throws(CELError) in
                let a = try left(&frame)
                if case .int(let x) = a { return .bool(test(x)) }
                return .bool(try Runtime.relation(function, a, .int(bound), position))
            })
        }
        if leftType == .double && rightType == .double {
            let op: @Sendable (Double, Double) -> Bool
            switch function {
            case "_<_": op = { $0 < $1 }
            case "_<=_": op = { $0 <= $1 }
            case "_>_": op = { $0 > $1 }
            default: op = { $0 >= $1 }
            }
            return (.bool, { frame throws(CELError) in
                let a = try left(&frame), b = try right(&frame)
                if case .double(let x) = a, case .double(let y) = b { return .bool(op(x, y)) }
                return .bool(try Runtime.relation(function, a, b, position))
            })
        }
        return (.bool, { frame throws(CELError) in
            .bool(try Runtime.relation(function, try left(&frame), try right(&frame), position))
        })
    }

    private func compileIndex(_ args: [(CELType, Eval)], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "index needs two operands", at: position) }
        let (containerType, container) = args[0]
        let (keyType, key) = args[1]
        var resultType = CELType.dyn
        if checking {
            switch containerType {
            case .list(let element):
                guard [.int, .uint, .dyn, .error].contains(keyType) else { throw overloadError("_[_]", [containerType, keyType], position) }
                resultType = element
            case .map(let k, let v):
                guard Compiler.isAssignable(keyType, to: k) || (Compiler.isNumericType(keyType) && Compiler.isNumericType(k)) else {
                    throw overloadError("_[_]", [containerType, keyType], position)
                }
                resultType = v
            case .dyn, .error: break
            default: throw overloadError("_[_]", [containerType, keyType], position)
            }
        }
        return (resultType, { frame throws(CELError) in try Runtime.index(try container(&frame), try key(&frame), position) })
    }

    private func compileIn(_ args: [(CELType, Eval)], _ position: SourcePosition) throws(CELError) -> (CELType, Eval) {
        guard args.count == 2 else { throw CELError(.parse, "in needs two operands", at: position) }
        let (elementType, element) = args[0]
        let (containerType, container) = args[1]
        if checking {
            switch containerType {
            case .list(let t):
                if !Compiler.isAssignable(elementType, to: t) { throw overloadError("@in", [elementType, containerType], position) }
            case .map(let k, _):
                if !Compiler.isAssignable(elementType, to: k), !(Compiler.isNumericType(elementType) && Compiler.isNumericType(k)) {
                    throw overloadError("@in", [elementType, containerType], position)
                }
            case .dyn, .error: break
            default: throw overloadError("@in", [elementType, containerType], position)
            }
        }
        return (.bool, { frame throws(CELError) in
            let value = try element(&frame)
            return .bool(try Runtime.contains(try container(&frame), value, position))
        })
    }
}
