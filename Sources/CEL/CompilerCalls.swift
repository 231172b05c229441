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
        return CELError(
            .check, "no matching overload for '\(Runtime.displayName(function))' applied to (\(shown))", at: position,
            hint: hint)
    }

    /// True when `target.function(...)` names a namespaced library function (e.g. `math.ceil`)
    /// rather than a method call on a variable.
    /// A call into a library namespace (`math.`) of a function it lacks is a check error naming the
    /// function, not an undeclared reference to the namespace.
    private func namespacedFunction(_ target: Expr, _ function: String) throws(CELError) -> String? {
        guard let qualified = target.qualifiedName, !qualified.absolute else { return nil }
        let name = qualified.name + "." + function
        let root = qualified.name.split(separator: ".").first.map(String.init) ?? qualified.name
        if local(named: root) != nil { return nil }
        if environment.variableType(qualified.name) != nil || environment.variableType(root) != nil { return nil }
        guard Library.functions[name] == nil else { return name }
        let prefix = qualified.name + "."
        let siblings = Library.functions.keys.filter { $0.hasPrefix(prefix) }.sorted()
        guard checking, !siblings.isEmpty else { return nil }
        let hint =
            closestName(to: name, in: siblings).map { "did you mean '\($0)'?" }
            ?? "\(qualified.name) functions: " + siblings.joined(separator: ", ")
        throw CELError(.check, "unknown function '\(name)'", at: target.position, hint: hint)
    }

    private func local(named name: String) -> (slot: Int, type: CELType)? {
        localLookup(name)
    }

    func compileCall(
        target: Expr?, function: String, args: [Expr], at position: SourcePosition
    ) throws(CELError) -> Node {
        if target == nil {
            switch function {
            case "_&&_", "_||_": return try compileLogical(function == "_&&_", args, position)
            case "_?_:_": return try compileConditional(args, position)
            default: break
            }
        }
        if let target, let name = try namespacedFunction(target, function) {
            return try compileLibraryCall(name, receiver: nil, args: args, at: position)
        }
        var compiledArgs: [Node] = []
        for arg in args { compiledArgs.append(try compileNode(arg)) }
        let constantRight: CELValue?
        if args.count == 2, case .literal(let value) = args[1].kind {
            constantRight = value
        } else {
            constantRight = nil
        }
        if let target {
            let receiver = try compileNode(target)
            return try compileLibraryCall(function, receiver: receiver, compiledArgs: compiledArgs, at: position)
        }
        switch function {
        case "!_": return try compileNot(compiledArgs, position)
        case "-_": return try compileNegate(compiledArgs, position)
        case "_+_", "_-_", "_*_", "_/_", "_%_": return try compileArithmetic(function, compiledArgs, position)
        case "_==_", "_!=_":
            return try compileEquality(function == "_==_", compiledArgs, position, constant: constantRight)
        case "_<_", "_<=_", "_>_", "_>=_":
            return try compileRelation(function, compiledArgs, position, constant: constantRight)
        case "_[_]": return try compileIndex(compiledArgs, position)
        case "@in": return try compileIn(compiledArgs, position)
        default:
            let name = function.hasPrefix(".") ? String(function.dropFirst()) : function
            return try compileLibraryCall(name, receiver: nil, compiledArgs: compiledArgs, at: position)
        }
    }

    private func compileLibraryCall(
        _ name: String, receiver: Node?, args: [Expr], at position: SourcePosition
    ) throws(CELError) -> Node {
        var compiledArgs: [Node] = []
        for arg in args { compiledArgs.append(try compileNode(arg)) }
        return try compileLibraryCall(name, receiver: receiver, compiledArgs: compiledArgs, at: position)
    }

    private func compileLibraryCall(
        _ name: String, receiver: Node?, compiledArgs: [Node], at position: SourcePosition
    ) throws(CELError) -> Node {
        guard let definition = Library.functions[name] else {
            if checking {
                throw CELError(.check, "undeclared reference to function '\(name)'", at: position)
            }
            return Node(.dyn, { _ throws(CELError) in throw Runtime.fail("no such function '\(name)'", position) })
        }
        let all = (receiver.map { [$0] } ?? []) + compiledArgs
        var resultType = CELType.dyn
        if checking {
            resultType = try libraryResultType(name, definition, isReceiver: receiver != nil, all.map(\.type), position)
        } else if receiver != nil, !definition.overloads.isEmpty, !definition.overloads.contains(where: \.receiver) {
            return Node(
                .dyn,
                { _ throws(CELError) in throw Runtime.fail("no such overload: '\(name)' is not a method", position) })
        }
        switch definition.impl {
        case .unary(let impl):
            guard all.count == 1, let argumentNode = all.first else {
                return Node(.dyn, try arityFailure(name, position))
            }
            return compileUnaryLibraryCall(name, impl, argumentNode, resultType, position)
        case .binary(let impl):
            guard all.count == 2 else { return Node(.dyn, try arityFailure(name, position)) }
            return compileBinaryLibraryCall(name, impl, all[0], all[1], resultType, position)
        case .variadic(let impl):
            let nodes = all
            return Node(
                resultType,
                { frame throws(CELError) in
                    var values: [CELValue] = []
                    values.reserveCapacity(nodes.count)
                    for node in nodes { values.append(try node.eval(&frame)) }
                    return try impl(values, position, &frame)
                })
        }
    }

    /// The checked result type of a library call on arguments of `types` (the receiver first), or
    /// the overload error when none of its overloads applies.
    private func libraryResultType(
        _ name: String, _ definition: FunctionDefinition, isReceiver: Bool, _ types: [CELType],
        _ position: SourcePosition
    ) throws(CELError) -> CELType {
        if definition.overloads.isEmpty {
            // Variadic numeric functions (math.greatest / math.least).
            var elementTypes = types
            if types.count == 1, case .list(let element) = types[0] { elementTypes = [element] }
            guard !isReceiver, !types.isEmpty,
                elementTypes.allSatisfy({ $0 == .dyn || $0 == .error || Compiler.isNumericType($0) })
            else {
                throw overloadError(name, types, position)
            }
            let distinct = Set(elementTypes)
            return distinct.count == 1 ? (distinct.first ?? .dyn) : .dyn
        }
        let matches = definition.overloads.filter { overload in
            overload.receiver == isReceiver && overload.params.count == types.count
                && zip(types, overload.params).allSatisfy { Compiler.isAssignable($0.0, to: $0.1) }
        }
        guard let first = matches.first else { throw overloadError(name, types, position) }
        if name == "dyn" { return .dyn }
        return matches.allSatisfy { $0.result == first.result } ? first.result : .dyn
    }

    /// A one-argument library function; `math.sum` and the rounding functions get specialised forms.
    private func compileUnaryLibraryCall(
        _ name: String, _ impl: @escaping UnaryImpl, _ argumentNode: Node, _ resultType: CELType,
        _ position: SourcePosition
    ) -> Node {
        let argument = argumentNode.eval
        if name == "math.sum", resultType == .double || resultType == .uint {
            // The sum of an empty list is 0 of the checked element type.
            let zero: CELValue = resultType == .double ? .double(0) : .uint(0)
            return Node(
                resultType,
                { frame throws(CELError) in
                    try Library.sum(try argument(&frame), empty: zero, position, &frame)
                })
        }
        if let rounding = Compiler.roundingRules[name] {
            return Compiler.roundingNode(rounding, impl, argumentNode, resultType, position)
        }
        return Node(
            resultType,
            { frame throws(CELError) in
                let value = try argument(&frame)
                return try impl(value, position, &frame)
            })
    }

    /// `math.ceil`, `math.floor`, `math.round`, `math.trunc`: a double is rounded in place (unboxed
    /// when the argument is a checked double); anything else goes to the library function.
    private static func roundingNode(
        _ rounding: FloatingPointRoundingRule, _ impl: @escaping UnaryImpl, _ argumentNode: Node,
        _ resultType: CELType, _ position: SourcePosition
    ) -> Node {
        let argument = argumentNode.eval
        let boxed: Eval = { frame throws(CELError) in
            let value = try argument(&frame)
            if case .double(let d) = value { return .double(d.rounded(rounding)) }
            return try impl(value, position, &frame)
        }
        guard let typedArgument = argumentNode.double else { return Node(resultType, boxed) }
        let typed: DoubleEval
        switch rounding {
        case .up: typed = { frame throws(CELError) in try typedArgument(&frame).map { $0.rounded(.up) } }
        case .down: typed = { frame throws(CELError) in try typedArgument(&frame).map { $0.rounded(.down) } }
        case .towardZero:
            typed = { frame throws(CELError) in try typedArgument(&frame).map { $0.rounded(.towardZero) } }
        default: typed = { frame throws(CELError) in try typedArgument(&frame).map { $0.rounded(rounding) } }
        }
        var node = Node(resultType, Compiler.boxDouble(typed, fallback: boxed))
        node.double = typed
        return node
    }

    /// A two-argument library function; `matches` with a literal pattern and the string predicates
    /// on checked strings get specialised forms.
    private func compileBinaryLibraryCall(
        _ name: String, _ impl: @escaping BinaryImpl, _ lhsNode: Node, _ rhsNode: Node, _ resultType: CELType,
        _ position: SourcePosition
    ) -> Node {
        let lhs = lhsNode.eval, rhs = rhsNode.eval
        let boxed: Eval = { frame throws(CELError) in
            let a = try lhs(&frame), b = try rhs(&frame)
            return try impl(a, b, position, &frame)
        }
        if name == "matches", case .string(let pattern)? = rhsNode.constant {
            return compileConstantMatches(pattern, text: lhsNode, at: position)
        }
        guard resultType == .bool, Compiler.stringPredicates.contains(name),
            let lhsString = lhsNode.string, let rhsString = rhsNode.string
        else { return Node(resultType, boxed) }
        // startsWith / endsWith / contains on checked strings: unboxed operands and result.
        let boxedBool: BoolEval = { frame throws(CELError) in
            guard case .bool(let b) = try boxed(&frame) else {
                throw Runtime.fail("internal: '\(name)' did not return a bool", position)
            }
            return b
        }
        let test = Library.stringPredicate(name)
        return Node(bool: { frame throws(CELError) in
            let cost = frame.cost
            if let a = try lhsString(&frame), let b = try rhsString(&frame) {
                return try test(a, b, &frame, position)
            }
            frame.cost = cost
            return try boxedBool(&frame)
        })
    }

    /// `matches` with a literal pattern: compiled once with the program. An invalid or
    /// unsupported pattern is still an evaluation error (after the text is evaluated), as for a
    /// pattern computed at run time.
    private func compileConstantMatches(_ pattern: String, text: Node, at position: SourcePosition) -> Node {
        let compiled: Result<CELRegex, CELError>
        do {
            compiled = .success(try Runtime.compileRegex(pattern, position))
        } catch {
            compiled = .failure(error)
            literalPatternErrors.append(error)
        }
        let textEval = text.eval
        let run: @Sendable (CELValue, inout Frame) throws(CELError) -> Bool = { value, frame throws(CELError) in
            guard case .string(let string) = value else {
                throw Runtime.noOverload("matches", [value, .string(pattern)], position)
            }
            switch compiled {
            case .success(let regex): return try Runtime.matches(string, regex, &frame, position)
            case .failure(let error): throw error
            }
        }
        guard let textString = text.string else {
            return Node(bool: { frame throws(CELError) in try run(try textEval(&frame), &frame) })
        }
        return Node(bool: { frame throws(CELError) in
            let cost = frame.cost
            if let string = try textString(&frame) {
                switch compiled {
                case .success(let regex): return try Runtime.matches(string, regex, &frame, position)
                case .failure(let error): throw error
                }
            }
            frame.cost = cost
            return try run(try textEval(&frame), &frame)
        })
    }

    private func arityFailure(_ name: String, _ position: SourcePosition) throws(CELError) -> Eval {
        if checking { throw CELError(.check, "wrong number of arguments to '\(name)'", at: position) }
        return { _ throws(CELError) in
            throw Runtime.fail("no matching overload for '\(name)' (wrong number of arguments)", position)
        }
    }

    static let stringPredicates: Set<String> = ["startsWith", "endsWith", "contains"]

    /// Boxes a partial double evaluator, falling back to the boxed evaluator (with the cost
    /// counter restored) when a run-time value does not have its checked type.
    static func boxDouble(_ typed: @escaping DoubleEval, fallback: @escaping Eval) -> Eval {
        { frame throws(CELError) in
            let cost = frame.cost
            if let value = try typed(&frame) { return .double(value) }
            frame.cost = cost
            return try fallback(&frame)
        }
    }

    static func boxInt(_ typed: @escaping IntEval, fallback: @escaping Eval) -> Eval {
        { frame throws(CELError) in
            let cost = frame.cost
            if let value = try typed(&frame) { return .int(value) }
            frame.cost = cost
            return try fallback(&frame)
        }
    }

    static let roundingRules: [String: FloatingPointRoundingRule] = [
        "math.ceil": .up, "math.floor": .down, "math.round": .toNearestOrAwayFromZero, "math.trunc": .towardZero,
    ]

    static func isNumericType(_ type: CELType) -> Bool {
        type == .int || type == .uint || type == .double
    }

    // MARK: Logic

    private func compileLogical(_ isAnd: Bool, _ args: [Expr], _ position: SourcePosition) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "logical operator needs two operands", at: position) }
        let leftNode = try compileNode(args[0])
        let rightNode = try compileNode(args[1])
        let function = isAnd ? "_&&_" : "_||_"
        if checking,
            !Compiler.isAssignable(leftNode.type, to: .bool) || !Compiler.isAssignable(rightNode.type, to: .bool)
        {
            throw overloadError(function, [leftNode.type, rightNode.type], position)
        }
        // A non-bool operand is an error like any other (absorbed when the other side decides).
        let left = leftNode.boolEval { value in Runtime.noOverload(function, [value], position) }
        let right = rightNode.boolEval { value in Runtime.noOverload(function, [value], position) }
        // The value that decides the result on its own (false for &&, true for ||).
        let decisive = !isAnd
        return Node(bool: { frame throws(CELError) in
            var leftError: CELError?
            do throws(CELError) {
                if try left(&frame) == decisive { return decisive }
            } catch {
                if error.kind == .cost { throw error }
                leftError = error
            }
            let value: Bool
            do throws(CELError) {
                value = try right(&frame)
            } catch {
                if error.kind == .cost { throw error }
                throw leftError ?? error
            }
            if value == decisive { return value }
            if let leftError { throw leftError }
            return value
        })
    }

    private func compileConditional(_ args: [Expr], _ position: SourcePosition) throws(CELError) -> Node {
        guard args.count == 3 else { throw CELError(.parse, "conditional needs three operands", at: position) }
        let conditionNode = try compileNode(args[0])
        let trueNode = try compileNode(args[1])
        let falseNode = try compileNode(args[2])
        let trueType = trueNode.type, falseType = falseNode.type
        if checking, !Compiler.isAssignable(conditionNode.type, to: .bool) {
            throw CELError(.check, "the condition of ?: must be bool, not \(conditionNode.type)", at: args[0].position)
        }
        var resultType = Compiler.join(trueType, falseType)
        if checking, trueType != falseType, !Compiler.isAssignable(trueType, to: falseType) {
            if Compiler.isNumericType(trueType) && Compiler.isNumericType(falseType) {
                throw overloadError("_?_:_", [trueType, falseType], position)
            }
            resultType = .dyn
        }
        let condition = conditionNode.boolEval { value in Runtime.noOverload("_?_:_", [value], position) }
        let whenTrue = trueNode.eval, whenFalse = falseNode.eval
        var node: Node
        // Literal branches are returned directly, without a closure call.
        switch (trueNode.constant, falseNode.constant) {
        case (let t?, let f?):
            node = Node(resultType, { frame throws(CELError) in try condition(&frame) ? t : f })
        case (let t?, nil):
            node = Node(resultType, { frame throws(CELError) in try condition(&frame) ? t : try whenFalse(&frame) })
        case (nil, let f?):
            node = Node(resultType, { frame throws(CELError) in try condition(&frame) ? try whenTrue(&frame) : f })
        case (nil, nil):
            node = Node(
                resultType,
                { frame throws(CELError) in try condition(&frame) ? try whenTrue(&frame) : try whenFalse(&frame) })
        }
        if let t = trueNode.bool, let f = falseNode.bool {
            node.bool = { frame throws(CELError) in try condition(&frame) ? try t(&frame) : try f(&frame) }
        }
        if let t = trueNode.double, let f = falseNode.double {
            node.double = { frame throws(CELError) in try condition(&frame) ? try t(&frame) : try f(&frame) }
        }
        if let t = trueNode.int, let f = falseNode.int {
            node.int = { frame throws(CELError) in try condition(&frame) ? try t(&frame) : try f(&frame) }
        }
        if let t = trueNode.string, let f = falseNode.string {
            node.string = { frame throws(CELError) in try condition(&frame) ? try t(&frame) : try f(&frame) }
        }
        return node
    }

    private func compileNot(_ args: [Node], _ position: SourcePosition) throws(CELError) -> Node {
        guard let operandNode = args.first else { throw CELError(.parse, "! needs an operand", at: position) }
        if checking, !Compiler.isAssignable(operandNode.type, to: .bool) {
            throw overloadError("!_", [operandNode.type], position)
        }
        let operand = operandNode.boolEval { value in Runtime.noOverload("!_", [value], position) }
        return Node(bool: { frame throws(CELError) in !(try operand(&frame)) })
    }

    private func compileNegate(_ args: [Node], _ position: SourcePosition) throws(CELError) -> Node {
        guard let operandNode = args.first else { throw CELError(.parse, "- needs an operand", at: position) }
        let type = operandNode.type, operand = operandNode.eval
        if checking, type != .int, type != .double, type != .dyn, type != .error {
            throw overloadError("-_", [type], position)
        }
        let boxed: Eval = { frame throws(CELError) in try Runtime.negate(try operand(&frame), position) }
        if let typedOperand = operandNode.double {
            let typed: DoubleEval = { frame throws(CELError) in try typedOperand(&frame).map { -$0 } }
            var node = Node(type, Compiler.boxDouble(typed, fallback: boxed))
            node.double = typed
            return node
        }
        return Node(type, boxed)
    }

    // MARK: Arithmetic and comparison

    private func compileArithmetic(
        _ function: String, _ args: [Node], _ position: SourcePosition
    ) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "binary operator needs two operands", at: position) }
        let resultType = try arithmeticResultType(function, args[0].type, args[1].type, position)
        let boxed = Compiler.boxedArithmetic(function, args[0].eval, args[1].eval, position)
        // Checked doubles and ints: unboxed operands, the same results and errors as `Runtime`.
        if let a = args[0].double, let b = args[1].double, function != "_%_" {
            let typed = Compiler.doubleArithmetic(function, a, b)
            var node = Node(resultType, Compiler.boxDouble(typed, fallback: boxed))
            node.double = typed
            return node
        }
        if let a = args[0].int, let b = args[1].int {
            let typed = Compiler.intArithmetic(function, a, b, position)
            var node = Node(resultType, Compiler.boxInt(typed, fallback: boxed))
            node.int = typed
            return node
        }
        return Node(resultType, boxed)
    }

    /// The checked type of `left function right`: both operands of one numeric type (or, for `+`,
    /// string, bytes or list), `dyn` unknown; no double for `%`.
    private func arithmeticResultType(
        _ function: String, _ leftType: CELType, _ rightType: CELType, _ position: SourcePosition
    ) throws(CELError) -> CELType {
        guard checking else { return .dyn }
        let known = [leftType, rightType].filter { $0 != .dyn && $0 != .error }
        guard let first = known.first else { return .dyn }
        var allowed: Set<String> = ["int", "uint", "double"]
        if function == "_+_" { allowed.formUnion(["string", "bytes", "list"]) }
        if function == "_%_" { allowed.remove("double") }
        let compatible: Bool
        if known.count == 2 {
            compatible =
                Compiler.isAssignable(leftType, to: rightType) && Compiler.isAssignable(rightType, to: leftType)
        } else {
            compatible = true
        }
        guard compatible, known.allSatisfy({ allowed.contains($0.runtimeName) }) else {
            throw overloadError(function, [leftType, rightType], position)
        }
        return known.count == 2 ? Compiler.join(leftType, rightType) : first
    }

    /// The boxed evaluator of an arithmetic operator: `Runtime`'s dispatch on the operand values.
    private static func boxedArithmetic(
        _ function: String, _ left: @escaping Eval, _ right: @escaping Eval, _ position: SourcePosition
    ) -> Eval {
        switch function {
        case "_+_":
            return { frame throws(CELError) in
                let a = try left(&frame), b = try right(&frame)
                let value = try Runtime.add(a, b, position, &frame.cost)
                if frame.cost > frame.costLimit { try frame.spend(0, position) }
                return value
            }
        case "_-_":
            return { frame throws(CELError) in try Runtime.subtract(try left(&frame), try right(&frame), position) }
        case "_*_":
            return { frame throws(CELError) in try Runtime.multiply(try left(&frame), try right(&frame), position) }
        case "_/_":
            return { frame throws(CELError) in try Runtime.divide(try left(&frame), try right(&frame), position) }
        default:
            return { frame throws(CELError) in try Runtime.modulo(try left(&frame), try right(&frame), position) }
        }
    }

    /// `+ - * /` over unboxed doubles (IEEE: no errors).
    private static func doubleArithmetic(
        _ function: String, _ a: @escaping DoubleEval, _ b: @escaping DoubleEval
    ) -> DoubleEval {
        switch function {
        case "_+_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                return x + y
            }
        case "_-_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                return x - y
            }
        case "_*_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                return x * y
            }
        default:
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                return x / y
            }
        }
    }

    /// `+ - * / %` over unboxed int64s: overflow and a zero divisor are errors, as in `Runtime`.
    private static func intArithmetic(
        _ function: String, _ a: @escaping IntEval, _ b: @escaping IntEval, _ position: SourcePosition
    ) -> IntEval {
        switch function {
        case "_+_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                let (r, o) = x.addingReportingOverflow(y)
                if o { throw Runtime.overflow(position) }
                return r
            }
        case "_-_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                let (r, o) = x.subtractingReportingOverflow(y)
                if o { throw Runtime.overflow(position) }
                return r
            }
        case "_*_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if o { throw Runtime.overflow(position) }
                return r
            }
        case "_/_":
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                if y == 0 { throw Runtime.fail("division by zero", position) }
                let (r, o) = x.dividedReportingOverflow(by: y)
                if o { throw Runtime.overflow(position) }
                return r
            }
        default:
            return { frame throws(CELError) in
                guard let x = try a(&frame), let y = try b(&frame) else { return nil }
                if y == 0 { throw Runtime.fail("modulus by zero", position) }
                let (r, o) = x.remainderReportingOverflow(dividingBy: y)
                if o { throw Runtime.overflow(position) }
                return r
            }
        }
    }

    private func compileEquality(
        _ isEqual: Bool, _ args: [Node], _ position: SourcePosition, constant: CELValue?
    ) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "== needs two operands", at: position) }
        let leftType = args[0].type, left = args[0].eval
        let rightType = args[1].type, right = args[1].eval
        if checking, !Compiler.isAssignable(leftType, to: rightType), !Compiler.isAssignable(rightType, to: leftType) {
            throw overloadError(isEqual ? "_==_" : "_!=_", [leftType, rightType], position)
        }
        if case .string(let expected)? = constant {
            // Comparison with a string literal: code-point (byte) equality; the bytes compared
            // are charged only when the lengths are equal and the literal is long.
            let expectedCount = expected.utf8.count
            let literalCost = expectedCount / Frame.workPerCost
            @Sendable func same(_ x: String, _ frame: inout Frame) throws(CELError) -> Bool {
                guard x.utf8.count == expectedCount else { return !isEqual }
                if literalCost > 0 { try frame.spend(literalCost, position) }
                return ScalarText.equal(x, expected) == isEqual
            }
            let boxed: BoolEval = { frame throws(CELError) in
                let a = try left(&frame)
                if case .string(let x) = a { return try same(x, &frame) }
                return try Runtime.equals(a, .string(expected), &frame, position) == isEqual
            }
            if let typedLeft = args[0].string {
                return Node(bool: { frame throws(CELError) in
                    let cost = frame.cost
                    if let x = try typedLeft(&frame) { return try same(x, &frame) }
                    frame.cost = cost
                    return try boxed(&frame)
                })
            }
            return Node(bool: boxed)
        }
        let boxed: BoolEval = { frame throws(CELError) in
            let a = try left(&frame), b = try right(&frame)
            return try Runtime.equals(a, b, &frame, position) == isEqual
        }
        if let a = args[0].double, let b = args[1].double {
            return Node(bool: Compiler.typedTest(a, b, boxed) { x, y in (x == y) == isEqual })
        }
        if let a = args[0].int, let b = args[1].int {
            return Node(bool: Compiler.typedTest(a, b, boxed) { x, y in (x == y) == isEqual })
        }
        if let a = args[0].string, let b = args[1].string {
            return Node(bool: { frame throws(CELError) in
                let cost = frame.cost
                if let x = try a(&frame), let y = try b(&frame) {
                    return try Runtime.stringsEqual(x, y, &frame, position) == isEqual
                }
                frame.cost = cost
                return try boxed(&frame)
            })
        }
        return Node(bool: boxed)
    }

    /// A bool evaluator over two partial typed operands, falling back to `boxed` (cost restored).
    static func typedTest<T>(
        _ a: @escaping @Sendable (inout Frame) throws(CELError) -> T?,
        _ b: @escaping @Sendable (inout Frame) throws(CELError) -> T?,
        _ boxed: @escaping BoolEval, _ test: @escaping @Sendable (T, T) -> Bool
    ) -> BoolEval {
        { frame throws(CELError) in
            let cost = frame.cost
            if let x = try a(&frame), let y = try b(&frame) { return test(x, y) }
            frame.cost = cost
            return try boxed(&frame)
        }
    }

    /// The four orderings, switched on inline instead of calling a captured comparison closure.
    enum Ordering: Sendable {
        case less, lessOrEqual, greater, greaterOrEqual

        init(_ function: String) {
            switch function {
            case "_<_": self = .less
            case "_<=_": self = .lessOrEqual
            case "_>_": self = .greater
            default: self = .greaterOrEqual
            }
        }

        @inline(__always)
        func test<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        }
    }

    private func compileRelation(
        _ function: String, _ args: [Node], _ position: SourcePosition, constant: CELValue?
    ) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "comparison needs two operands", at: position) }
        let leftType = args[0].type, left = args[0].eval
        let rightType = args[1].type, right = args[1].eval
        if checking {
            let orderable: Set<CELType> = [.int, .uint, .double, .string, .bytes, .bool]
            let known = [leftType, rightType].filter { $0 != .dyn && $0 != .error }
            let ok =
                known.allSatisfy { orderable.contains($0) }
                && (known.count < 2 || leftType == rightType
                    || (Compiler.isNumericType(leftType) && Compiler.isNumericType(rightType)))
            if !ok { throw overloadError(function, [leftType, rightType], position) }
        }
        let ordering = Ordering(function)
        // Comparison with a literal: the constant is captured and the common kind tested inline.
        if case .double(let bound)? = constant {
            let boxed: BoolEval = { frame throws(CELError) in
                let a = try left(&frame)
                if case .double(let x) = a { return ordering.test(x, bound) }
                return try Runtime.relation(function, a, .double(bound), position, &frame)
            }
            guard let typedLeft = args[0].double else { return Node(bool: boxed) }
            return Node(bool: { frame throws(CELError) in
                let cost = frame.cost
                if let x = try typedLeft(&frame) { return ordering.test(x, bound) }
                frame.cost = cost
                return try boxed(&frame)
            })
        }
        if case .int(let bound)? = constant {
            let boxed: BoolEval = { frame throws(CELError) in
                let a = try left(&frame)
                if case .int(let x) = a { return ordering.test(x, bound) }
                return try Runtime.relation(function, a, .int(bound), position, &frame)
            }
            guard let typedLeft = args[0].int else { return Node(bool: boxed) }
            return Node(bool: { frame throws(CELError) in
                let cost = frame.cost
                if let x = try typedLeft(&frame) { return ordering.test(x, bound) }
                frame.cost = cost
                return try boxed(&frame)
            })
        }
        let boxed: BoolEval = { frame throws(CELError) in
            let a = try left(&frame), b = try right(&frame)
            return try Runtime.relation(function, a, b, position, &frame)
        }
        if let a = args[0].double, let b = args[1].double {
            // NaN compares false, as in `Runtime.relation`.
            return Node(bool: Compiler.typedTest(a, b, boxed) { x, y in ordering.test(x, y) })
        }
        if let a = args[0].int, let b = args[1].int {
            return Node(bool: Compiler.typedTest(a, b, boxed) { x, y in ordering.test(x, y) })
        }
        return Node(bool: boxed)
    }

    private func compileIndex(_ args: [Node], _ position: SourcePosition) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "index needs two operands", at: position) }
        let containerType = args[0].type, container = args[0].eval
        let keyType = args[1].type, key = args[1].eval
        var resultType = CELType.dyn
        if checking {
            switch containerType {
            case .list(let element):
                guard [.int, .uint, .dyn, .error].contains(keyType) else {
                    throw overloadError("_[_]", [containerType, keyType], position)
                }
                resultType = element
            case .map(let k, let v):
                guard
                    Compiler.isAssignable(keyType, to: k)
                        || (Compiler.isNumericType(keyType) && Compiler.isNumericType(k))
                else {
                    throw overloadError("_[_]", [containerType, keyType], position)
                }
                resultType = v
            case .dyn, .error: break
            default: throw overloadError("_[_]", [containerType, keyType], position)
            }
        }
        return Node(
            resultType,
            { frame throws(CELError) in
                let base = try container(&frame), index = try key(&frame)
                return try Runtime.index(base, index, position, &frame)
            })
    }

    private func compileIn(_ args: [Node], _ position: SourcePosition) throws(CELError) -> Node {
        guard args.count == 2 else { throw CELError(.parse, "in needs two operands", at: position) }
        let elementType = args[0].type, element = args[0].eval
        let containerType = args[1].type, container = args[1].eval
        if checking {
            switch containerType {
            case .list(let t):
                if !Compiler.isAssignable(elementType, to: t) {
                    throw overloadError("@in", [elementType, containerType], position)
                }
            case .map(let k, _):
                if !Compiler.isAssignable(elementType, to: k),
                    !(Compiler.isNumericType(elementType) && Compiler.isNumericType(k))
                {
                    throw overloadError("@in", [elementType, containerType], position)
                }
            case .dyn, .error: break
            default: throw overloadError("@in", [elementType, containerType], position)
            }
        }
        return Node(bool: { frame throws(CELError) in
            let value = try element(&frame)
            let range = try container(&frame)
            return try Runtime.contains(range, value, position, &frame)
        })
    }
}
