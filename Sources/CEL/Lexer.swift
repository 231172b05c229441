/// Tokens of CEL source text.
enum TokenKind: Equatable, Sendable {
    case identifier(String)
    /// A backtick-quoted field name (`content-type`), allowed only after '.'.
    case quotedIdentifier(String)
    case intLiteral(UInt64)  // magnitude; the parser checks the range (and folds a leading `-`)
    case uintLiteral(UInt64)
    case doubleLiteral(Double)
    case stringLiteral(String)
    case bytesLiteral([UInt8])
    case punct(String)  // operators and punctuation
    case end
}

struct Token: Sendable {
    let kind: TokenKind
    let position: SourcePosition
    /// UTF-8 offset just past the token.
    let endOffset: Int
}

/// Splits CEL source into tokens, working on UTF-8 bytes and tracking line and scalar column.
struct Lexer {
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    private var position: SourcePosition { SourcePosition(offset: offset, line: line, column: column) }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let index = offset + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func advance() {
        guard offset < bytes.count else { return }
        let byte = bytes[offset]
        offset += 1
        if byte == 0x0A {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            // One column per Unicode scalar: continuation bytes do not count.
            column += 1
        }
    }

    private func error(_ message: String, at position: SourcePosition) -> CELError {
        CELError(.parse, message, at: position)
    }

    /// Reads every token (ending with `.end`).
    mutating func tokenize() throws(CELError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func skipTrivia() {
        while let byte = peek() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                advance()
            } else if byte == 0x2F, peek(1) == 0x2F {
                while let b = peek(), b != 0x0A { advance() }
            } else {
                return
            }
        }
    }

    /// One-character operators and punctuation, indexed by byte.
    private static let singleCharacterPunctuation: [String?] = (0..<256).map { byte in
        "+-*/%!<>?:.,()[]{}".utf8.contains(UInt8(byte)) ? String(UnicodeScalar(UInt8(byte))) : nil
    }

    private static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    mutating func next() throws(CELError) -> Token {
        skipTrivia()
        let start = position
        guard let byte = peek() else {
            return Token(kind: .end, position: start, endOffset: offset)
        }
        // String and bytes literals, with optional r/b prefixes.
        if byte == 0x22 || byte == 0x27 {
            return try lexString(raw: false, isBytes: false, start: start)
        }
        if Lexer.isIdentStart(byte) {
            return try lexIdentifierOrPrefixedString(byte, start: start)
        }
        if byte == 0x60 {
            return try lexQuotedIdentifier(start: start)
        }
        if Lexer.isDigit(byte) || (byte == 0x2E && peek(1).map(Lexer.isDigit) == true) {
            return try lexNumber(start: start)
        }
        return try lexPunctuation(byte, start: start)
    }

    /// An identifier, or a string or bytes literal with an `r`, `b`, `rb` or `br` prefix (any case).
    private mutating func lexIdentifierOrPrefixedString(_ byte: UInt8, start: SourcePosition) throws(CELError) -> Token
    {
        let lower = byte | 0x20
        if lower == 0x72 || lower == 0x62 {  // r or b
            let second = peek(1)
            if second == 0x22 || second == 0x27 {
                advance()
                return try lexString(raw: lower == 0x72, isBytes: lower == 0x62, start: start)
            }
            if let second, let third = peek(2), third == 0x22 || third == 0x27 {
                let secondLower = second | 0x20
                if (lower == 0x72 && secondLower == 0x62) || (lower == 0x62 && secondLower == 0x72) {
                    advance()
                    advance()
                    return try lexString(raw: true, isBytes: true, start: start)
                }
            }
        }
        var text: [UInt8] = []
        while let b = peek(), Lexer.isIdentStart(b) || Lexer.isDigit(b) {
            text.append(b)
            advance()
        }
        return Token(kind: .identifier(String(decoding: text, as: UTF8.self)), position: start, endOffset: offset)
    }

    /// A backtick-quoted field name: not empty, on one line.
    private mutating func lexQuotedIdentifier(start: SourcePosition) throws(CELError) -> Token {
        advance()
        var text: [UInt8] = []
        while let b = peek(), b != 0x60 {
            if b == 0x0A { throw error("newline in quoted identifier", at: start) }
            text.append(b)
            advance()
        }
        guard peek() == 0x60, !text.isEmpty else {
            throw error("unterminated or empty quoted identifier", at: start)
        }
        advance()
        return Token(
            kind: .quotedIdentifier(String(decoding: text, as: UTF8.self)), position: start, endOffset: offset)
    }

    /// A two- or one-character operator or punctuation; anything else is an unexpected character.
    private mutating func lexPunctuation(_ byte: UInt8, start: SourcePosition) throws(CELError) -> Token {
        if let second = peek(1) {
            let pair: String?
            switch (byte, second) {
            case (0x3D, 0x3D): pair = "=="
            case (0x21, 0x3D): pair = "!="
            case (0x3C, 0x3D): pair = "<="
            case (0x3E, 0x3D): pair = ">="
            case (0x26, 0x26): pair = "&&"
            case (0x7C, 0x7C): pair = "||"
            default: pair = nil
            }
            if let pair {
                advance()
                advance()
                return Token(kind: .punct(pair), position: start, endOffset: offset)
            }
        }
        if let punctuation = Lexer.singleCharacterPunctuation[Int(byte)] {
            advance()
            return Token(kind: .punct(punctuation), position: start, endOffset: offset)
        }
        if byte == 0x3D || byte == 0x26 || byte == 0x7C {
            throw error("unexpected character '\(String(UnicodeScalar(byte)))'", at: start)
        }
        let scalarText: String
        if byte < 0x80 {
            scalarText = String(UnicodeScalar(byte))
        } else {
            var end = offset + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80, end - offset < 4 { end += 1 }
            scalarText = String(decoding: bytes[offset..<end], as: UTF8.self)
        }
        throw error("unexpected character '\(scalarText)'", at: start)
    }

    private mutating func lexNumber(start: SourcePosition) throws(CELError) -> Token {
        // Hexadecimal integers.
        if peek() == 0x30, let x = peek(1), x | 0x20 == 0x78 {
            advance()
            advance()
            var value: UInt64 = 0
            var digits = 0
            var overflow = false
            while let b = peek(), let digit = Lexer.hexValue(b) {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 16)
                let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
                overflow = overflow || o1 || o2
                value = sum
                digits += 1
                advance()
            }
            guard digits > 0 else { throw error("malformed hexadecimal literal", at: start) }
            if overflow { throw error("integer literal out of range", at: start) }
            if let u = peek(), u | 0x20 == 0x75 {
                advance()
                return Token(kind: .uintLiteral(value), position: start, endOffset: offset)
            }
            return Token(kind: .intLiteral(value), position: start, endOffset: offset)
        }
        var text: [UInt8] = []
        var isDouble = false
        while let b = peek(), Lexer.isDigit(b) {
            text.append(b)
            advance()
        }
        if peek() == 0x2E, let next = peek(1), Lexer.isDigit(next) {
            isDouble = true
            text.append(0x2E)
            advance()
            while let b = peek(), Lexer.isDigit(b) {
                text.append(b)
                advance()
            }
        }
        if let e = peek(), e | 0x20 == 0x65 {
            var lookahead = 1
            if let sign = peek(1), sign == 0x2B || sign == 0x2D { lookahead = 2 }
            if let d = peek(lookahead), Lexer.isDigit(d) {
                isDouble = true
                for _ in 0..<lookahead {
                    if let b = peek() { text.append(b) }
                    advance()
                }
                while let b = peek(), Lexer.isDigit(b) {
                    text.append(b)
                    advance()
                }
            }
        }
        let literal = String(decoding: text, as: UTF8.self)
        if isDouble {
            guard let value = Double(literal) else { throw error("malformed floating-point literal", at: start) }
            return Token(kind: .doubleLiteral(value), position: start, endOffset: offset)
        }
        guard let value = UInt64(literal) else { throw error("integer literal out of range", at: start) }
        if let u = peek(), u | 0x20 == 0x75 {
            advance()
            return Token(kind: .uintLiteral(value), position: start, endOffset: offset)
        }
        return Token(kind: .intLiteral(value), position: start, endOffset: offset)
    }

    private mutating func lexString(raw: Bool, isBytes: Bool, start: SourcePosition) throws(CELError) -> Token {
        guard let quote = peek() else { throw error("unterminated string", at: start) }
        let triple = peek(1) == quote && peek(2) == quote
        advance()
        if triple {
            advance()
            advance()
        }
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated string literal", at: start) }
            if byte == quote {
                if !triple {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    advance()
                    advance()
                    advance()
                    break
                }
                out.append(byte)
                advance()
                continue
            }
            if (byte == 0x0A || byte == 0x0D) && !triple {
                throw error("newline in string literal", at: position)
            }
            if byte == 0x5C && !raw {
                try lexEscape(into: &out, isBytes: isBytes)
                continue
            }
            if byte == 0x5C && raw {
                // A raw string keeps the backslash, but an escaped quote does not end it.
                out.append(byte)
                advance()
                if let next = peek(), next == quote, !triple {
                    out.append(next)
                    advance()
                }
                continue
            }
            out.append(byte)
            advance()
        }
        let end = offset
        if isBytes {
            return Token(kind: .bytesLiteral(out), position: start, endOffset: end)
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw error("invalid UTF-8 in string literal", at: start)
        }
        return Token(kind: .stringLiteral(text), position: start, endOffset: end)
    }

    private mutating func lexEscape(into out: inout [UInt8], isBytes: Bool) throws(CELError) {
        let escapeStart = position
        advance()  // backslash
        guard let c = peek() else { throw error("unterminated escape sequence", at: escapeStart) }
        func appendScalar(_ value: UInt32, _ out: inout [UInt8]) throws(CELError) {
            guard let scalar = UnicodeScalar(value) else {
                throw CELError(.parse, "invalid Unicode code point in escape", at: escapeStart)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        switch c {
        case 0x61: out.append(0x07); advance()
        case 0x62: out.append(0x08); advance()
        case 0x66: out.append(0x0C); advance()
        case 0x6E: out.append(0x0A); advance()
        case 0x72: out.append(0x0D); advance()
        case 0x74: out.append(0x09); advance()
        case 0x76: out.append(0x0B); advance()
        case 0x5C, 0x27, 0x22, 0x60, 0x3F: out.append(c); advance()
        case 0x78, 0x58, 0x75, 0x55:
            let count = (c == 0x78 || c == 0x58) ? 2 : (c == 0x75 ? 4 : 8)
            advance()
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let b = peek(), let digit = Lexer.hexValue(b) else {
                    throw error("malformed escape sequence", at: escapeStart)
                }
                value = value * 16 + digit
                advance()
            }
            if count == 2 && isBytes {
                out.append(UInt8(value))
            } else {
                if isBytes && count != 2 {
                    throw error("unicode escapes are not allowed in bytes literals", at: escapeStart)
                }
                try appendScalar(value, &out)
            }
        case 0x30...0x33:
            var value: UInt32 = 0
            for _ in 0..<3 {
                guard let b = peek(), b >= 0x30, b <= 0x37 else {
                    throw error("malformed octal escape sequence", at: escapeStart)
                }
                value = value * 8 + UInt32(b - 0x30)
                advance()
            }
            if isBytes {
                out.append(UInt8(value))
            } else {
                try appendScalar(value, &out)
            }
        default:
            throw error("invalid escape sequence", at: escapeStart)
        }
    }
}
