/// Recursive-descent parser for the CEL grammar. Nesting is bounded (`maxNesting`) and so is
/// the height of the tree (`maxHeight`), so neither parsing nor later recursive passes can
/// overflow the stack on hostile input.
struct Parser {
    static let maxNesting = 250
    static let maxHeight = 500

    private let tokens: [Token]
    private var index = 0
    private var depth = 0
    private let expandMacros: Bool

    static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "in",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    init(tokens: [Token], expandMacros: Bool = true) {
        self.tokens = tokens
        self.expandMacros = expandMacros
    }

    /// Parses a whole expression.
    static func parse(_ source: String, expandMacros: Bool = true) throws(CELError) -> Expr {
        var lexer = Lexer(source)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, expandMacros: expandMacros)
        let expr = try parser.parseExpr()
        let trailing = parser.current
        if trailing.kind != .end {
            throw CELError(
                .parse, "unexpected \(describe(trailing.kind)) after the end of the expression", at: trailing.position)
        }
        return expr
    }

    private var current: Token { tokens[min(index, tokens.count - 1)] }

    private func peekKind(_ ahead: Int) -> TokenKind {
        tokens[min(index + ahead, tokens.count - 1)].kind
    }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    private func isPunct(_ text: String) -> Bool {
        if case .punct(let p) = current.kind { return p == text }
        return false
    }

    private mutating func accept(_ text: String) -> Bool {
        if isPunct(text) {
            advance()
            return true
        }
        return false
    }

    private mutating func expect(_ text: String, _ context: String) throws(CELError) {
        guard accept(text) else {
            throw CELError(
                .parse, "expected '\(text)' \(context), found \(Parser.describe(current.kind))", at: current.position)
        }
    }

    static func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .quotedIdentifier(let name): return "`\(name)`"
        case .intLiteral(let v): return "'\(v)'"
        case .uintLiteral(let v): return "'\(v)u'"
        case .doubleLiteral(let v): return "'\(v)'"
        case .stringLiteral: return "a string literal"
        case .bytesLiteral: return "a bytes literal"
        case .punct(let p): return "'\(p)'"
        case .end: return "end of input"
        }
    }

    private func make(_ kind: ExprKind, at position: SourcePosition) throws(CELError) -> Expr {
        let expr = Expr(kind, at: position)
        if expr.height > Parser.maxHeight {
            throw CELError(
                .parse, "expression is too deeply nested (more than \(Parser.maxHeight) levels)", at: position)
        }
        return expr
    }

    mutating func parseExpr() throws(CELError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxNesting {
            throw CELError(.parse, "expression nesting exceeds the limit of \(Parser.maxNesting)", at: current.position)
        }
        let condition = try parseOr()
        guard isPunct("?") else { return condition }
        let questionPosition = current.position
        advance()
        let whenTrue = try parseOr()
        try expect(":", "in conditional expression")
        let whenFalse = try parseExpr()
        return try make(
            .call(target: nil, function: "_?_:_", args: [condition, whenTrue, whenFalse]), at: questionPosition)
    }

    /// Builds a balanced tree for a chain of the same associative logical operator.
    private func balanced(
        _ operands: [Expr], _ positions: [SourcePosition], _ function: String, _ low: Int, _ high: Int
    ) throws(CELError) -> Expr {
        if low == high { return operands[low] }
        let middle = (low + high + 1) / 2
        let left = try balanced(operands, positions, function, low, middle - 1)
        let right = try balanced(operands, positions, function, middle, high)
        return try make(.call(target: nil, function: function, args: [left, right]), at: positions[middle - 1])
    }

    private mutating func parseOr() throws(CELError) -> Expr {
        var operands = [try parseAnd()]
        var positions: [SourcePosition] = []
        while isPunct("||") {
            positions.append(current.position)
            advance()
            operands.append(try parseAnd())
        }
        return try balanced(operands, positions, "_||_", 0, operands.count - 1)
    }

    private mutating func parseAnd() throws(CELError) -> Expr {
        var operands = [try parseRelation()]
        var positions: [SourcePosition] = []
        while isPunct("&&") {
            positions.append(current.position)
            advance()
            operands.append(try parseRelation())
        }
        return try balanced(operands, positions, "_&&_", 0, operands.count - 1)
    }

    private mutating func parseRelation() throws(CELError) -> Expr {
        var left = try parseAddition()
        while true {
            let position = current.position
            let function: String
            switch current.kind {
            case .punct("<"): function = "_<_"
            case .punct("<="): function = "_<=_"
            case .punct(">"): function = "_>_"
            case .punct(">="): function = "_>=_"
            case .punct("=="): function = "_==_"
            case .punct("!="): function = "_!=_"
            case .identifier("in"): function = "@in"
            default: return left
            }
            advance()
            let right = try parseAddition()
            left = try make(.call(target: nil, function: function, args: [left, right]), at: position)
        }
    }

    private mutating func parseAddition() throws(CELError) -> Expr {
        var left = try parseMultiplication()
        while true {
            let position = current.position
            let function: String
            switch current.kind {
            case .punct("+"): function = "_+_"
            case .punct("-"): function = "_-_"
            default: return left
            }
            advance()
            let right = try parseMultiplication()
            left = try make(.call(target: nil, function: function, args: [left, right]), at: position)
        }
    }

    private mutating func parseMultiplication() throws(CELError) -> Expr {
        var left = try parseUnary()
        while true {
            let position = current.position
            let function: String
            switch current.kind {
            case .punct("*"): function = "_*_"
            case .punct("/"): function = "_/_"
            case .punct("%"): function = "_%_"
            default: return left
            }
            advance()
            let right = try parseUnary()
            left = try make(.call(target: nil, function: function, args: [left, right]), at: position)
        }
    }

    private mutating func parseUnary() throws(CELError) -> Expr {
        if isPunct("!") {
            var positions: [SourcePosition] = []
            while isPunct("!") {
                positions.append(current.position)
                advance()
            }
            var operand = try parseMember()
            for position in positions.reversed() {
                operand = try make(.call(target: nil, function: "!_", args: [operand]), at: position)
            }
            return operand
        }
        if isPunct("-") {
            var positions: [SourcePosition] = []
            while isPunct("-") {
                positions.append(current.position)
                advance()
            }
            var operand: Expr
            // A minus directly before a numeric literal is part of the literal (so that
            // -9223372036854775808 is representable).
            if case .intLiteral(let magnitude) = current.kind, let last = positions.last {
                let literalToken = current
                if magnitude > UInt64(Int64.max) + 1 {
                    throw CELError(.parse, "integer literal out of range", at: literalToken.position)
                }
                let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
                advance()
                positions.removeLast()
                operand = try parseMemberSuffixes(try make(.literal(.int(value)), at: last))
            } else if case .doubleLiteral(let magnitude) = current.kind, let last = positions.last {
                advance()
                positions.removeLast()
                operand = try parseMemberSuffixes(try make(.literal(.double(-magnitude)), at: last))
            } else {
                operand = try parseMember()
            }
            for position in positions.reversed() {
                operand = try make(.call(target: nil, function: "-_", args: [operand]), at: position)
            }
            return operand
        }
        return try parseMember()
    }

    private mutating func parseMember() throws(CELError) -> Expr {
        let primary = try parsePrimary()
        return try parseMemberSuffixes(primary)
    }

    private mutating func parseMemberSuffixes(_ start: Expr) throws(CELError) -> Expr {
        var operand = start
        while true {
            if isPunct(".") {
                let dotPosition = current.position
                advance()
                if case .quotedIdentifier(let quoted) = current.kind {
                    let namePosition = current.position
                    advance()
                    operand = try make(.select(operand, field: quoted), at: namePosition)
                    continue
                }
                guard case .identifier(let name) = current.kind else {
                    throw CELError(
                        .parse, "expected a field or method name after '.', found \(Parser.describe(current.kind))",
                        at: current.position)
                }
                let namePosition = current.position
                advance()
                if isPunct("(") {
                    advance()
                    let args = try parseArguments(closing: ")")
                    operand = try makeCall(target: operand, function: name, args: args, at: namePosition)
                } else {
                    _ = dotPosition
                    operand = try make(.select(operand, field: name), at: namePosition)
                }
            } else if isPunct("[") {
                let position = current.position
                advance()
                let indexExpr = try parseExpr()
                try expect("]", "to close the index")
                operand = try make(.call(target: nil, function: "_[_]", args: [operand, indexExpr]), at: position)
            } else if isPunct("{"), let typeName = operand.qualifiedName, isMessageStart() {
                let position = current.position
                advance()
                var fields: [(name: String, value: Expr)] = []
                while !isPunct("}") {
                    guard case .identifier(let fieldName) = current.kind else {
                        throw CELError(.parse, "expected a field name in message construction", at: current.position)
                    }
                    advance()
                    try expect(":", "after the field name")
                    fields.append((fieldName, try parseExpr()))
                    if !accept(",") { break }
                }
                try expect("}", "to close the message construction")
                operand = try make(
                    .message(typeName: (typeName.absolute ? "." : "") + typeName.name, fields: fields), at: position)
            } else {
                return operand
            }
        }
    }

    /// `T{` starts a message only when followed by `}` or `ident :` (otherwise it is not CEL at all).
    private func isMessageStart() -> Bool {
        switch peekKind(1) {
        case .punct("}"): return true
        case .identifier:
            if case .punct(":") = peekKind(2) { return true }
            return false
        default: return false
        }
    }

    private mutating func parseArguments(closing: String) throws(CELError) -> [Expr] {
        var args: [Expr] = []
        if accept(closing) { return args }
        while true {
            args.append(try parseExpr())
            if accept(closing) { return args }
            try expect(",", "between arguments")
            if accept(closing) { return args }  // trailing comma
        }
    }

    private mutating func makeCall(
        target: Expr?, function: String, args: [Expr], at position: SourcePosition
    ) throws(CELError) -> Expr {
        if expandMacros {
            if let target {
                let macro: MacroKind?
                switch (function, args.count) {
                case ("all", 2): macro = .all
                case ("exists", 2): macro = .exists
                case ("exists_one", 2): macro = .existsOne
                case ("map", 2), ("map", 3): macro = .map
                case ("filter", 2): macro = .filter
                default: macro = nil
                }
                if let macro {
                    guard case .ident(let variable, absolute: false) = args[0].kind else {
                        throw CELError(
                            .parse, "the first argument of \(function) must be a simple identifier",
                            at: args[0].position)
                    }
                    let filter = args.count == 3 ? args[1] : nil
                    let body = args.count == 3 ? args[2] : args[1]
                    return try make(
                        .comprehension(macro, range: target, variable: variable, filter: filter, body: body),
                        at: position)
                }
                if function == "bind", args.count == 3, case .ident("cel", absolute: false) = target.kind {
                    guard case .ident(let name, absolute: false) = args[0].kind else {
                        throw CELError(
                            .parse, "the first argument of cel.bind must be a simple identifier", at: args[0].position)
                    }
                    return try make(.bind(name: name, initial: args[1], body: args[2]), at: position)
                }
            } else if function == "has" {
                guard args.count == 1, case .select(let operand, let field) = args[0].kind else {
                    throw CELError(.parse, "has() requires a field selection such as has(m.f)", at: position)
                }
                return try make(.presence(operand, field: field), at: position)
            }
        }
        return try make(.call(target: target, function: function, args: args), at: position)
    }

    private mutating func parsePrimary() throws(CELError) -> Expr {
        let token = current
        switch token.kind {
        case .intLiteral(let magnitude):
            advance()
            guard magnitude <= UInt64(Int64.max) else {
                throw CELError(.parse, "integer literal out of range", at: token.position)
            }
            return try make(.literal(.int(Int64(magnitude))), at: token.position)
        case .uintLiteral(let value):
            advance()
            return try make(.literal(.uint(value)), at: token.position)
        case .doubleLiteral(let value):
            advance()
            return try make(.literal(.double(value)), at: token.position)
        case .stringLiteral(let value):
            advance()
            return try make(.literal(.string(value)), at: token.position)
        case .bytesLiteral(let value):
            advance()
            return try make(.literal(.bytes(value)), at: token.position)
        case .identifier(let name):
            advance()
            return try parseIdentifier(name, absolute: false, at: token.position)
        case .punct("."):
            advance()
            guard case .identifier(let name) = current.kind else {
                throw CELError(.parse, "expected an identifier after a leading '.'", at: current.position)
            }
            advance()
            return try parseIdentifier(name, absolute: true, at: token.position)
        case .punct("("):
            advance()
            let inner = try parseExpr()
            try expect(")", "to close the parenthesis")
            return inner
        case .punct("["):
            advance()
            depth += 1
            defer { depth -= 1 }
            let items = try parseArguments(closing: "]")
            return try make(.list(items), at: token.position)
        case .punct("{"):
            advance()
            var entries: [(key: Expr, value: Expr)] = []
            while !isPunct("}") {
                let key = try parseExpr()
                try expect(":", "between map key and value")
                let value = try parseExpr()
                entries.append((key, value))
                if !accept(",") { break }
            }
            try expect("}", "to close the map literal")
            return try make(.map(entries), at: token.position)
        case .end:
            throw CELError(.parse, "unexpected end of input", at: token.position)
        default:
            throw CELError(.parse, "unexpected \(Parser.describe(token.kind))", at: token.position)
        }
    }

    private mutating func parseIdentifier(
        _ name: String, absolute: Bool, at position: SourcePosition
    ) throws(CELError) -> Expr {
        if !absolute {
            switch name {
            case "true": return try make(.literal(.bool(true)), at: position)
            case "false": return try make(.literal(.bool(false)), at: position)
            case "null": return try make(.literal(.null), at: position)
            default: break
            }
        }
        if Parser.reservedWords.contains(name) {
            throw CELError(.parse, "'\(name)' is a reserved word and cannot be used as an identifier", at: position)
        }
        if isPunct("(") {
            advance()
            let args = try parseArguments(closing: ")")
            return try makeCall(target: nil, function: (absolute ? "." : "") + name, args: args, at: position)
        }
        return try make(.ident(name, absolute: absolute), at: position)
    }
}
