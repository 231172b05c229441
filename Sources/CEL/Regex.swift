/// Regular expressions for `matches`, in RE2's dialect, run in time linear in the input.
///
/// A pattern is parsed into a small syntax tree, compiled to a Thompson NFA (a program of
/// consuming, split, jump and assertion instructions) and run as a Pike VM over the Unicode
/// scalars of the text: every position is visited once and every instruction at most once per
/// position, so a search takes at most (scalars + 1) × (program size) steps, whatever the
/// pattern. Features that need backtracking (lookaround, backreferences, atomic groups,
/// possessive quantifiers) are rejected, as RE2 rejects them. Only a boolean, unanchored
/// ("partial") match is computed, which is what CEL's `matches` needs: captures and laziness do
/// not change the result.

/// Why a pattern is refused: not a regular expression at all (`invalid`), or a feature outside
/// RE2's dialect (`unsupported`).
enum RegexError: Error, Sendable {
    case invalid(String)
    case unsupported(String)
}

enum RegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

enum RegexInstruction: Sendable {
    /// Consumes one scalar equal to the value.
    case scalar(UInt32)
    /// Consumes one scalar of the program's character set with this index.
    case set(Int)
    /// Consumes any scalar.
    case any
    /// Consumes any scalar but a newline.
    case anyButNewline
    case split(Int, Int)
    case jump(Int)
    case assert(RegexAssertion)
    case match
}

/// A character class: ranges and Unicode general categories, possibly negated and case-folded.
struct RegexCharSet: Sendable {
    /// Scalar ranges (sorted and merged by `finalize`).
    var ranges: [ClosedRange<UInt32>] = []
    /// General categories (bits from `RegexCharSet.categoryBit`) whose scalars belong to the set.
    var categories: UInt64 = 0
    /// Masks of `\P{…}` items: a scalar whose category is outside one of these masks belongs to the set.
    var excludedCategories: [UInt64] = []
    var negated = false
    /// Matches a scalar when any member of its case orbit is a member (`(?i)`).
    var foldCase = false
    /// Final membership (after folding and negation) of the ASCII scalars, set by `finalize`.
    var asciiLow: UInt64 = 0
    var asciiHigh: UInt64 = 0

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return (asciiLow >> UInt64(scalar)) & 1 == 1 }
        if scalar < 128 { return (asciiHigh >> UInt64(scalar - 64)) & 1 == 1 }
        return containsSlowly(scalar)
    }

    /// Membership before folding and negation.
    func containsRaw(_ scalar: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < scalar { low = middle + 1 } else { high = middle }
        }
        if low < ranges.count, ranges[low].lowerBound <= scalar { return true }
        if categories != 0 || !excludedCategories.isEmpty {
            guard let value = Unicode.Scalar(scalar) else { return false }
            let bit = RegexCharSet.categoryBit(value.properties.generalCategory)
            if categories & bit != 0 { return true }
            for mask in excludedCategories where mask & bit == 0 { return true }
        }
        return false
    }

    func containsSlowly(_ scalar: UInt32) -> Bool {
        var member = containsRaw(scalar)
        if !member, foldCase {
            for variant in RegexCharSet.caseOrbit(scalar) where variant != scalar && containsRaw(variant) {
                member = true
                break
            }
        }
        return member != negated
    }

    /// Sorts and merges the ranges, folds small sets at compile time (spending `foldBudget`
    /// scalars of the pattern's allowance) and computes the ASCII bitmap.
    mutating func finalize(foldBudget: inout Int) {
        ranges = RegexCharSet.merged(ranges)
        if foldCase, categories == 0, excludedCategories.isEmpty {
            let size = ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
            if size <= foldBudget {
                foldBudget -= size
                var added: [ClosedRange<UInt32>] = []
                for range in ranges {
                    for scalar in range {
                        for variant in RegexCharSet.caseOrbit(scalar) where variant != scalar {
                            added.append(variant...variant)
                        }
                    }
                }
                ranges = RegexCharSet.merged(ranges + added)
                foldCase = false
            }
        }
        asciiLow = 0
        asciiHigh = 0
        for scalar in UInt32(0)..<128 where containsSlowly(scalar) {
            if scalar < 64 { asciiLow |= 1 << UInt64(scalar) } else { asciiHigh |= 1 << UInt64(scalar - 64) }
        }
    }

    static func merged(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var output: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = output.last, last.upperBound == UInt32.max || range.lowerBound <= last.upperBound + 1 {
                if range.upperBound > last.upperBound { output[output.count - 1] = last.lowerBound...range.upperBound }
            } else {
                output.append(range)
            }
        }
        return output
    }

    /// The complement of sorted, merged ranges within the scalar space.
    static func complement(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var output: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in merged(input) {
            if range.lowerBound > next { output.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= 0x10FFFF { return output }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { output.append(next...0x10FFFF) }
        return output
    }

    /// The scalar and its simple case variants (lowercase, uppercase and titlecase mappings of
    /// one scalar, closed over a few steps, plus the Kelvin sign and long s for k and s).
    static func caseOrbit(_ scalar: UInt32) -> [UInt32] {
        if scalar < 128 {
            switch scalar {
            case 0x4B, 0x6B: return [scalar, scalar ^ 0x20, 0x212A]
            case 0x53, 0x73: return [scalar, scalar ^ 0x20, 0x17F]
            case 0x41...0x5A, 0x61...0x7A: return [scalar, scalar ^ 0x20]
            default: return [scalar]
            }
        }
        guard let first = Unicode.Scalar(scalar), first.properties.changesWhenCaseMapped else { return [scalar] }
        var orbit: [UInt32] = [scalar]
        var index = 0
        while index < orbit.count, orbit.count < 8 {
            guard let value = Unicode.Scalar(orbit[index]) else { break }
            index += 1
            let properties = value.properties
            for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
                var scalars = mapping.unicodeScalars.makeIterator()
                if let only = scalars.next(), scalars.next() == nil, !orbit.contains(only.value) {
                    orbit.append(only.value)
                }
            }
        }
        return orbit
    }

    static func categoryBit(_ category: Unicode.GeneralCategory) -> UInt64 {
        let index: UInt64
        switch category {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: index = 29
        @unknown default: index = 29
        }
        return 1 << index
    }

    /// `\p{…}` names: general categories and their one-letter groups.
    static let categoryMasks: [String: UInt64] = {
        let names = [
            "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi",
            "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co",
        ]
        var table: [String: UInt64] = [:]
        for (index, name) in names.enumerated() {
            let bit: UInt64 = 1 << UInt64(index)
            table[name] = bit
            let group = String(name.prefix(1))
            table[group, default: 0] |= bit
        }
        return table
    }()
}

/// Parsed syntax (groups are kept only as structure; captures do not matter for a boolean match).
indirect enum RegexNode {
    case empty
    case literal(UInt32, fold: Bool)
    /// A character class: an index into the parser's set table.
    case set(Int)
    case any(dotAll: Bool)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == nil` repeats without bound.
    case repetition(RegexNode, min: Int, max: Int?)
}

struct RegexFlags {
    var caseInsensitive = false
    var dotAll = false
    var multiLine = false
}

/// A recursive-descent parser for RE2 syntax over the pattern's scalars.
struct RegexParser {
    static let maxRepeat = 1000
    static let maxDepth = 250

    let pattern: [UInt32]
    var index = 0
    var sets: [RegexCharSet] = []

    init(_ pattern: String) {
        self.pattern = pattern.unicodeScalars.map(\.value)
    }

    func peek(_ ahead: Int = 0) -> UInt32? {
        index + ahead < pattern.count ? pattern[index + ahead] : nil
    }

    func text(_ range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        for value in pattern[range.clamped(to: 0..<pattern.count)] {
            if let scalar = Unicode.Scalar(value) { out.append(scalar) }
        }
        return String(out)
    }

    static func ascii(_ character: Character) -> UInt32 {
        character.unicodeScalars.first?.value ?? 0
    }

    mutating func parse() throws(RegexError) -> RegexNode {
        var flags = RegexFlags()
        let node = try parseAlternation(&flags, depth: 0)
        if index < pattern.count { throw .invalid("unexpected )") }
        return node
    }

    mutating func parseAlternation(_ flags: inout RegexFlags, depth: Int) throws(RegexError) -> RegexNode {
        var branches: [RegexNode] = [try parseConcat(&flags, depth: depth)]
        while peek() == RegexParser.ascii("|") {
            index += 1
            branches.append(try parseConcat(&flags, depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    mutating func parseConcat(_ flags: inout RegexFlags, depth: Int) throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let character = peek(), character != RegexParser.ascii("|"), character != RegexParser.ascii(")") {
            var atom: RegexNode
            switch character {
            case RegexParser.ascii("("):
                guard let group = try parseGroup(&flags, depth: depth) else { continue }
                atom = group
            case RegexParser.ascii("["):
                atom = .set(try parseClass(flags))
            case RegexParser.ascii("."):
                index += 1
                atom = .any(dotAll: flags.dotAll)
            case RegexParser.ascii("^"):
                index += 1
                atom = .assertion(flags.multiLine ? .beginLine : .beginText)
            case RegexParser.ascii("$"):
                index += 1
                atom = .assertion(flags.multiLine ? .endLine : .endText)
            case RegexParser.ascii("\\"):
                if peek(1) == RegexParser.ascii("Q") {
                    index += 2
                    var quoted: [RegexNode] = []
                    while let next = peek() {
                        if next == RegexParser.ascii("\\"), peek(1) == RegexParser.ascii("E") {
                            index += 2
                            break
                        }
                        quoted.append(.literal(next, fold: flags.caseInsensitive))
                        index += 1
                    }
                    guard let last = quoted.popLast() else { continue }
                    items.append(contentsOf: quoted)
                    atom = last
                } else {
                    atom = try parseEscape(flags)
                }
            case RegexParser.ascii("*"), RegexParser.ascii("+"), RegexParser.ascii("?"):
                throw .invalid("missing argument to repetition operator: \(text(index..<index + 1))")
            case RegexParser.ascii("{") where repeatSyntax(at: index) != nil:
                throw .invalid("missing argument to repetition operator: \(text(index..<(index + 1)))")
            default:
                index += 1
                atom = .literal(character, fold: flags.caseInsensitive)
            }
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// Applies `* + ? {n} {n,} {n,m}` (and their lazy forms) following an atom.
    mutating func parseQuantifiers(_ operand: RegexNode) throws(RegexError) -> RegexNode {
        var atom = operand
        var previous: String?
        while let character = peek() {
            let start = index
            let minimum: Int, maximum: Int?
            switch character {
            case RegexParser.ascii("*"):
                (minimum, maximum) = (0, nil)
                index += 1
            case RegexParser.ascii("+"):
                (minimum, maximum) = (1, nil)
                index += 1
            case RegexParser.ascii("?"):
                (minimum, maximum) = (0, 1)
                index += 1
            case RegexParser.ascii("{"):
                guard let counted = repeatSyntax(at: index) else { return atom }
                (minimum, maximum) = (counted.min, counted.max)
                index += counted.length
            default:
                return atom
            }
            let operatorText = text(start..<index)
            if let previous {
                if character == RegexParser.ascii("+") {
                    throw .unsupported("possessive quantifier \(previous)+ is not in RE2's dialect")
                }
                throw .invalid("bad repetition operator: \(previous)\(operatorText)")
            }
            if peek() == RegexParser.ascii("?") { index += 1 }  // lazy: the same boolean result
            if minimum > RegexParser.maxRepeat || (maximum ?? 0) > RegexParser.maxRepeat {
                throw .unsupported("repetition count \(operatorText) exceeds RE2's limit of \(RegexParser.maxRepeat)")
            }
            if let maximum, maximum < minimum { throw .invalid("bad repetition operator: \(operatorText)") }
            atom = .repetition(atom, min: minimum, max: maximum)
            previous = text(start..<index)
        }
        return atom
    }

    /// `{n}`, `{n,}` or `{n,m}` at `position`; nil when the brace is a literal (as in RE2).
    func repeatSyntax(at position: Int) -> (min: Int, max: Int?, length: Int)? {
        var cursor = position + 1
        func number() -> Int? {
            var value: Int?
            while cursor < pattern.count, pattern[cursor] >= 0x30, pattern[cursor] <= 0x39 {
                value = min((value ?? 0) * 10 + Int(pattern[cursor] - 0x30), 1_000_000)
                cursor += 1
            }
            return value
        }
        guard let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if cursor < pattern.count, pattern[cursor] == RegexParser.ascii(",") {
            cursor += 1
            maximum = number()
        }
        guard cursor < pattern.count, pattern[cursor] == RegexParser.ascii("}") else { return nil }
        return (minimum, maximum, cursor + 1 - position)
    }

    /// A group; nil for a flag setting such as `(?i)`, which changes `flags` for the rest of the group.
    mutating func parseGroup(_ flags: inout RegexFlags, depth: Int) throws(RegexError) -> RegexNode? {
        guard depth < RegexParser.maxDepth else {
            throw .invalid("expression nests too deeply (more than \(RegexParser.maxDepth) groups)")
        }
        index += 1
        var inner = flags
        if peek() == RegexParser.ascii("?") {
            index += 1
            guard let kind = peek() else { throw .invalid("missing )") }
            let next = peek(1)
            try RegexParser.rejectUnsupportedGroup(kind, next)
            guard kind == RegexParser.ascii("<") || kind == RegexParser.ascii("P") else {
                return try parseFlagGroup(&flags, depth: depth)
            }
            try skipCaptureName(kind, next)
        }
        let body = try parseAlternation(&inner, depth: depth + 1)
        guard peek() == RegexParser.ascii(")") else { throw .invalid("missing )") }
        index += 1
        return body
    }

    /// The `(?…)` groups of other dialects (lookaround, backreferences, recursion, atomic,
    /// comment, conditional, branch reset), named in the error; `kind` follows `(?`.
    static func rejectUnsupportedGroup(_ kind: UInt32, _ next: UInt32?) throws(RegexError) {
        switch kind {
        case RegexParser.ascii("="):
            throw .unsupported("lookahead (?=…) is not in RE2's dialect")
        case RegexParser.ascii("!"):
            throw .unsupported("negative lookahead (?!…) is not in RE2's dialect")
        case RegexParser.ascii("<") where next == RegexParser.ascii("="):
            throw .unsupported("lookbehind (?<=…) is not in RE2's dialect")
        case RegexParser.ascii("<") where next == RegexParser.ascii("!"):
            throw .unsupported("negative lookbehind (?<!…) is not in RE2's dialect")
        case RegexParser.ascii("P") where next == RegexParser.ascii("="):
            throw .unsupported("backreference (?P=name) is not in RE2's dialect")
        case RegexParser.ascii("P") where next == RegexParser.ascii(">"):
            throw .unsupported("recursion (?P>name) is not in RE2's dialect")
        case RegexParser.ascii(">"):
            throw .unsupported("atomic group (?>…) is not in RE2's dialect")
        case RegexParser.ascii("#"):
            throw .unsupported("comment group (?#…) is not in RE2's dialect")
        case RegexParser.ascii("("):
            throw .unsupported("conditional group (?(…)…) is not in RE2's dialect")
        case RegexParser.ascii("|"):
            throw .unsupported("branch reset group (?|…) is not in RE2's dialect")
        case RegexParser.ascii("R"), RegexParser.ascii("&"), RegexParser.ascii("+"), 0x30...0x39:
            throw .unsupported("recursion (?R) is not in RE2's dialect")
        default: break
        }
    }

    /// Skips the name of a named capture, `(?P<name>` or `(?<name>`; `kind` (`P` or `<`) is at `index`.
    mutating func skipCaptureName(_ kind: UInt32, _ next: UInt32?) throws(RegexError) {
        index += kind == RegexParser.ascii("P") ? 2 : 1
        if kind == RegexParser.ascii("P"), next != RegexParser.ascii("<") {
            throw .invalid("invalid named capture group")
        }
        let nameStart = index
        while let character = peek(), RegexParser.isWordScalar(character) { index += 1 }
        guard index > nameStart, peek() == RegexParser.ascii(">") else {
            throw .invalid("invalid named capture group")
        }
        index += 1
    }

    /// Flags after `(?`: `(?ims-ims)` sets them for the rest of this group (in `flags`; the result
    /// is nil), `(?ims-ims:…)` is a non-capturing group with them.
    mutating func parseFlagGroup(_ flags: inout RegexFlags, depth: Int) throws(RegexError) -> RegexNode? {
        var inner = flags
        var negate = false
        var sawFlag = false
        while true {
            guard let character = peek() else { throw .invalid("missing )") }
            index += 1
            switch character {
            case RegexParser.ascii("i"): inner.caseInsensitive = !negate
            case RegexParser.ascii("s"): inner.dotAll = !negate
            case RegexParser.ascii("m"): inner.multiLine = !negate
            case RegexParser.ascii("U"): break  // ungreedy: the same boolean result
            case RegexParser.ascii("-"):
                guard !negate else {
                    throw .invalid("invalid or unsupported Perl syntax: (?\(text(index - 1..<index))")
                }
                negate = true
                continue
            case RegexParser.ascii(")"), RegexParser.ascii(":"):
                // (?:…) needs no flags; (?) and (?-…) without a letter are errors.
                guard sawFlag || (character == RegexParser.ascii(":") && !negate) else {
                    throw .invalid("missing flags in (?…)")
                }
                if character == RegexParser.ascii(")") {
                    flags = inner
                    return nil
                }
                let body = try parseAlternation(&inner, depth: depth + 1)
                guard peek() == RegexParser.ascii(")") else { throw .invalid("missing )") }
                index += 1
                return body
            default:
                throw .invalid("invalid or unsupported Perl syntax: (?\(text(index - 1..<index))")
            }
            sawFlag = true
        }
    }

    static func isWordScalar(_ scalar: UInt32) -> Bool {
        (scalar >= 0x30 && scalar <= 0x39) || (scalar >= 0x41 && scalar <= 0x5A) || (scalar >= 0x61 && scalar <= 0x7A)
            || scalar == 0x5F
    }

    /// What an escape denotes.
    enum EscapeItem {
        case scalar(UInt32)
        case set(RegexCharSet)
        case assertion(RegexAssertion)
    }

    mutating func parseEscape(_ flags: RegexFlags) throws(RegexError) -> RegexNode {
        switch try parseEscapeItem(inClass: false) {
        case .scalar(let value): return .literal(value, fold: flags.caseInsensitive)
        case .assertion(let assertion): return .assertion(assertion)
        case .set(var set):
            if set.categories != 0 || !set.excludedCategories.isEmpty { set.foldCase = flags.caseInsensitive }
            sets.append(set)
            return .set(sets.count - 1)
        }
    }

    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    static let spaceRanges: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// Parses the escape at `index` (a backslash).
    mutating func parseEscapeItem(inClass: Bool) throws(RegexError) -> EscapeItem {
        index += 1
        guard let character = peek() else { throw .invalid("trailing \\") }
        index += 1
        let shown = "\\" + text(index - 1..<index)
        func perl(_ ranges: [ClosedRange<UInt32>], negated: Bool) -> EscapeItem {
            .set(RegexCharSet(ranges: negated ? RegexCharSet.complement(ranges) : ranges))
        }
        switch character {
        case RegexParser.ascii("a"): return .scalar(0x07)
        case RegexParser.ascii("f"): return .scalar(0x0C)
        case RegexParser.ascii("n"): return .scalar(0x0A)
        case RegexParser.ascii("r"): return .scalar(0x0D)
        case RegexParser.ascii("t"): return .scalar(0x09)
        case RegexParser.ascii("v"): return .scalar(0x0B)
        case RegexParser.ascii("d"): return perl(RegexParser.digitRanges, negated: false)
        case RegexParser.ascii("D"): return perl(RegexParser.digitRanges, negated: true)
        case RegexParser.ascii("s"): return perl(RegexParser.spaceRanges, negated: false)
        case RegexParser.ascii("S"): return perl(RegexParser.spaceRanges, negated: true)
        case RegexParser.ascii("w"): return perl(RegexParser.wordRanges, negated: false)
        case RegexParser.ascii("W"): return perl(RegexParser.wordRanges, negated: true)
        case RegexParser.ascii("p"), RegexParser.ascii("P"):
            return .set(try parseUnicodeClass(negated: character == RegexParser.ascii("P")))
        case RegexParser.ascii("x"):
            return .scalar(try parseHex())
        case RegexParser.ascii("0"):
            var value: UInt32 = 0
            for _ in 0..<2 {
                guard let digit = peek(), digit >= 0x30, digit <= 0x37 else { break }
                value = value * 8 + digit - 0x30
                index += 1
            }
            return .scalar(value)
        case 0x31...0x37 where peek().map({ $0 >= 0x30 && $0 <= 0x37 }) == true:
            // RE2 reads \12 as an octal escape (a single digit would be a backreference).
            var value = character - 0x30
            for _ in 0..<2 {
                guard let digit = peek(), digit >= 0x30, digit <= 0x37 else { break }
                value = value * 8 + digit - 0x30
                index += 1
            }
            return .scalar(value)
        case 0x31...0x39:
            throw .unsupported("backreference \(shown) is not in RE2's dialect")
        case RegexParser.ascii("k"), RegexParser.ascii("g"):
            throw .unsupported("backreference \(shown) is not in RE2's dialect")
        case RegexParser.ascii("b") where !inClass: return .assertion(.wordBoundary)
        case RegexParser.ascii("B") where !inClass: return .assertion(.notWordBoundary)
        case RegexParser.ascii("A") where !inClass: return .assertion(.beginText)
        case RegexParser.ascii("z") where !inClass: return .assertion(.endText)
        case RegexParser.ascii("Z"):
            throw .unsupported("\\Z is not in RE2's dialect (use \\z)")
        case RegexParser.ascii("C"):
            throw .unsupported("\\C (any byte) is not supported")
        case RegexParser.ascii("G"), RegexParser.ascii("K"), RegexParser.ascii("R"), RegexParser.ascii("X"):
            throw .unsupported("\(shown) is not in RE2's dialect")
        default:
            // Any ASCII punctuation may be escaped; anything else is an error, as in RE2.
            if character < 0x80, !RegexParser.isWordScalar(character) { return .scalar(character) }
            throw .invalid("invalid escape sequence \(shown)")
        }
    }

    /// `\xHH` or `\x{H…}` (the `x` already read).
    mutating func parseHex() throws(RegexError) -> UInt32 {
        func hexValue(_ scalar: UInt32?) -> UInt32? {
            guard let scalar else { return nil }
            switch scalar {
            case 0x30...0x39: return scalar - 0x30
            case 0x41...0x46: return scalar - 0x41 + 10
            case 0x61...0x66: return scalar - 0x61 + 10
            default: return nil
            }
        }
        if peek() == RegexParser.ascii("{") {
            index += 1
            var value: UInt32 = 0
            var digits = 0
            while let digit = hexValue(peek()) {
                value = value * 16 + digit
                digits += 1
                index += 1
                if value > 0x10FFFF { throw .invalid("invalid escape sequence: \\x{…} beyond U+10FFFF") }
            }
            guard digits > 0, peek() == RegexParser.ascii("}") else { throw .invalid("invalid escape sequence \\x{") }
            index += 1
            return value
        }
        guard let high = hexValue(peek()), let low = hexValue(peek(1)) else {
            throw .invalid("invalid escape sequence \\x")
        }
        index += 2
        return high * 16 + low
    }

    /// `\pL`, `\p{Lu}`, `\p{^L}`, `\PL` (the `p` or `P` already read).
    mutating func parseUnicodeClass(negated: Bool) throws(RegexError) -> RegexCharSet {
        guard let first = peek() else { throw .invalid("invalid character class range: \\p") }
        var name: String
        if first == RegexParser.ascii("{") {
            let start = index + 1
            guard let close = pattern[start...].firstIndex(of: RegexParser.ascii("}")) else {
                throw .invalid("invalid character class range: \\p{")
            }
            name = text(start..<close)
            index = close + 1
        } else {
            name = text(index..<index + 1)
            index += 1
        }
        var exclude = negated
        if name.hasPrefix("^") {
            name.removeFirst()
            exclude.toggle()
        }
        var set = RegexCharSet()
        if name == "Any" {
            set.ranges = [0...0x10FFFF]
            set.negated = exclude
            return set
        }
        guard let mask = RegexCharSet.categoryMasks[name] else {
            throw .unsupported(
                "Unicode class \\p{\(name)} is not supported (general categories such as \\p{L}, "
                    + "\\p{Lu}, \\p{N} are)")
        }
        if exclude { set.excludedCategories = [mask] } else { set.categories = mask }
        return set
    }

    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
        "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [0x30...0x39],
        "graph": [0x21...0x7E],
        "lower": [0x61...0x7A],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A],
        "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
        "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]

    /// `[:name:]` or `[:^name:]` at `index`: ranges and length, nil when it is not of that form.
    func posixClass() throws(RegexError) -> (ranges: [ClosedRange<UInt32>], length: Int)? {
        var cursor = index + 2
        var negated = false
        if cursor < pattern.count, pattern[cursor] == RegexParser.ascii("^") {
            negated = true
            cursor += 1
        }
        let nameStart = cursor
        while cursor < pattern.count, pattern[cursor] >= 0x61, pattern[cursor] <= 0x7A { cursor += 1 }
        guard cursor + 1 < pattern.count, pattern[cursor] == RegexParser.ascii(":"),
            pattern[cursor + 1] == RegexParser.ascii("]")
        else { return nil }
        let name = text(nameStart..<cursor)
        guard let ranges = RegexParser.posixClasses[name] else {
            throw .invalid("invalid character class range: \(text(index..<cursor + 2))")
        }
        return (negated ? RegexCharSet.complement(ranges) : ranges, cursor + 2 - index)
    }

    /// A bracketed class; returns its index in `sets`.
    mutating func parseClass(_ flags: RegexFlags) throws(RegexError) -> Int {
        index += 1
        var set = RegexCharSet()
        set.foldCase = flags.caseInsensitive
        if peek() == RegexParser.ascii("^") {
            index += 1
            set.negated = true
        }
        var first = true
        while true {
            guard let character = peek() else { throw .invalid("missing closing ]") }
            if character == RegexParser.ascii("]"), !first {
                index += 1
                break
            }
            first = false
            if character == RegexParser.ascii("["), peek(1) == RegexParser.ascii(":"), let posix = try posixClass() {
                set.ranges += posix.ranges
                index += posix.length
                continue
            }
            let low: UInt32
            if character == RegexParser.ascii("\\") {
                switch try parseEscapeItem(inClass: true) {
                case .scalar(let value): low = value
                case .set(let item):
                    if item.negated {
                        // \P{Any}: matches nothing, adds nothing.
                    } else {
                        set.ranges += item.ranges
                        set.categories |= item.categories
                        set.excludedCategories += item.excludedCategories
                    }
                    continue
                case .assertion:
                    throw .invalid("invalid escape sequence in a character class")
                }
            } else {
                index += 1
                low = character
            }
            if peek() == RegexParser.ascii("-"), let after = peek(1), after != RegexParser.ascii("]") {
                index += 1
                let high: UInt32
                if after == RegexParser.ascii("\\") {
                    guard case .scalar(let value) = try parseEscapeItem(inClass: true) else {
                        throw .invalid("bad character class range")
                    }
                    high = value
                } else {
                    index += 1
                    high = after
                }
                guard low <= high else { throw .invalid("bad character class range \(text(index - 3..<index))") }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        sets.append(set)
        return sets.count - 1
    }
}

/// Lowers the syntax tree to instructions, refusing programs larger than `maxInstructions`.
struct RegexEmitter {
    static let maxInstructions = 100_000

    let parsedSets: [RegexCharSet]
    var program: [RegexInstruction] = []
    var sets: [RegexCharSet] = []
    /// Parser set index → program set index, for sets actually used.
    var setIndex: [Int: Int] = [:]
    /// Case-folded literal → program set index.
    var foldedLiterals: [UInt32: Int] = [:]
    /// Nodes emitted so far.
    var emitted = 0

    init(sets: [RegexCharSet]) {
        self.parsedSets = sets
    }

    @discardableResult
    mutating func append(_ instruction: RegexInstruction) throws(RegexError) -> Int {
        guard program.count < RegexEmitter.maxInstructions else {
            throw .unsupported("regular expression too large (more than \(RegexEmitter.maxInstructions) instructions)")
        }
        program.append(instruction)
        return program.count - 1
    }

    mutating func emit(_ node: RegexNode) throws(RegexError) {
        // Repeating a node that emits nothing (`(?:){1000}`) adds no instructions but still
        // takes time: the number of nodes emitted is bounded as well.
        emitted += 1
        guard emitted <= 4 * RegexEmitter.maxInstructions else {
            throw .unsupported("regular expression too large (more than \(RegexEmitter.maxInstructions) instructions)")
        }
        switch node {
        case .empty: break
        case .literal(let value, let fold):
            let orbit = fold ? RegexCharSet.caseOrbit(value) : [value]
            if orbit.count == 1 {
                try append(.scalar(value))
            } else if let existing = foldedLiterals[value] {
                try append(.set(existing))
            } else {
                sets.append(RegexCharSet(ranges: orbit.map { $0...$0 }))
                foldedLiterals[value] = sets.count - 1
                try append(.set(sets.count - 1))
            }
        case .set(let parsed):
            if let existing = setIndex[parsed] {
                try append(.set(existing))
            } else if parsed < parsedSets.count {
                sets.append(parsedSets[parsed])
                setIndex[parsed] = sets.count - 1
                try append(.set(sets.count - 1))
            }
        case .any(let dotAll):
            try append(dotAll ? .any : .anyButNewline)
        case .assertion(let assertion):
            try append(.assert(assertion))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternate(let branches):
            var exits: [Int] = []
            for (position, branch) in branches.enumerated() {
                if position == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = try append(.split(0, 0))
                    try emit(branch)
                    exits.append(try append(.jump(0)))
                    program[split] = .split(split + 1, program.count)
                }
            }
            for exit in exits { program[exit] = .jump(program.count) }
        case .repetition(let operand, let minimum, let maximum):
            if let maximum {
                for _ in 0..<minimum { try emit(operand) }
                var exits: [Int] = []
                for _ in 0..<(maximum - minimum) {
                    let split = try append(.split(0, 0))
                    exits.append(split)
                    try emit(operand)
                    program[split] = .split(split + 1, 0)
                }
                for exit in exits {
                    if case .split(let first, _) = program[exit] { program[exit] = .split(first, program.count) }
                }
            } else if minimum == 0 {
                let split = try append(.split(0, 0))
                try emit(operand)
                try append(.jump(split))
                program[split] = .split(split + 1, program.count)
            } else {
                for _ in 0..<(minimum - 1) { try emit(operand) }
                let start = program.count
                try emit(operand)
                let split = try append(.split(start, 0))
                program[split] = .split(start, split + 1)
            }
        }
    }
}

/// A compiled pattern: immutable, shared by every evaluation of a program.
final class CELRegex: Sendable {
    let instructions: [RegexInstruction]
    let sets: [RegexCharSet]
    /// The pattern can only match at the start of the text (`^…` without `(?m)`, or `\A…`).
    let anchoredStart: Bool
    /// Case folding at compile time is limited to this many scalars of classes per pattern.
    static let foldAllowance = 10_000

    var size: Int { instructions.count }

    init(_ pattern: String) throws(RegexError) {
        var parser = RegexParser(pattern)
        let tree = try parser.parse()
        if CELRegex.repetitionAllowance(tree, RegexParser.maxRepeat) == 0 {
            throw .unsupported("nested repetition counts multiply to more than \(RegexParser.maxRepeat), RE2's limit")
        }
        var emitter = RegexEmitter(sets: parser.sets)
        try emitter.emit(tree)
        try emitter.append(.match)
        var foldBudget = CELRegex.foldAllowance
        var sets = emitter.sets
        for index in sets.indices { sets[index].finalize(foldBudget: &foldBudget) }
        self.instructions = emitter.program
        self.sets = sets
        self.anchoredStart = CELRegex.isAnchoredAtStart(tree)
    }

    /// RE2's check of nested counted repetitions: the allowance divided by each enclosing count.
    static func repetitionAllowance(_ node: RegexNode, _ allowance: Int) -> Int {
        switch node {
        case .concat(let items), .alternate(let items):
            var smallest = allowance
            for item in items { smallest = min(smallest, repetitionAllowance(item, allowance)) }
            return smallest
        case .repetition(let operand, let minimum, let maximum):
            let count = maximum ?? minimum
            let inner = count > 0 ? allowance / count : allowance
            return inner == 0 ? 0 : repetitionAllowance(operand, inner)
        default:
            return allowance
        }
    }

    static func isAnchoredAtStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.beginText): return true
        case .concat(let items):
            for item in items {
                if case .empty = item { continue }
                return isAnchoredAtStart(item)
            }
            return false
        case .alternate(let branches): return !branches.isEmpty && branches.allSatisfy(isAnchoredAtStart)
        case .repetition(let operand, let minimum, _): return minimum > 0 && isAnchoredAtStart(operand)
        default: return false
        }
    }

    static func isWord(_ scalar: UInt32) -> Bool { RegexParser.isWordScalar(scalar) }

    /// Unanchored search: true when the pattern matches somewhere in `text`. `steps` counts the
    /// instructions visited; nil when more than `stepLimit` steps were needed (the search stops).
    func search(_ text: String, stepLimit: Int, steps: inout Int) -> Bool? {
        var machine = PikeMachine(instructions: instructions)
        defer { steps = machine.steps }
        let none = UInt32.max
        var current: [Int] = []
        var next: [Int] = []
        var iterator = text.unicodeScalars.makeIterator()
        var previous = none
        var scalar = iterator.next()?.value ?? none
        var generation = 0
        var atStart = true
        while true {
            if atStart || !anchoredStart {
                if machine.addThread(0, &current, generation, previous, scalar) { return true }
            } else if current.isEmpty {
                return false
            }
            if scalar == none { return false }
            let following = iterator.next()?.value ?? none
            generation += 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                machine.steps &+= 1
                let consumes: Bool
                switch instructions[pc] {
                case .scalar(let value): consumes = value == scalar
                case .set(let index): consumes = sets[index].contains(scalar)
                case .any: consumes = true
                case .anyButNewline: consumes = scalar != 0x0A
                default: consumes = false
                }
                if consumes, machine.addThread(pc + 1, &next, generation, scalar, following) { return true }
            }
            swap(&current, &next)
            previous = scalar
            scalar = following
            atStart = false
            if machine.steps > stepLimit { return nil }
        }
    }
}

/// Thread bookkeeping of one search: which instructions were reached at the current position.
struct PikeMachine {
    let instructions: [RegexInstruction]
    var seen: [Int]
    var stack: [Int] = []
    var steps = 0

    init(instructions: [RegexInstruction]) {
        self.instructions = instructions
        self.seen = Array(repeating: -1, count: instructions.count)
    }

    /// Adds the thread at `start` and everything reachable from it without consuming input
    /// (context: the scalars before and at the position, `UInt32.max` for none); true on a match.
    mutating func addThread(
        _ start: Int, _ list: inout [Int], _ generation: Int,
        _ previous: UInt32, _ current: UInt32
    ) -> Bool {
        stack.append(start)
        while let pc = stack.popLast() {
            guard pc < instructions.count, seen[pc] != generation else { continue }
            seen[pc] = generation
            steps &+= 1
            switch instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assert(let assertion):
                if PikeMachine.holds(assertion, previous, current) { stack.append(pc + 1) }
            case .match:
                stack.removeAll(keepingCapacity: true)
                return true
            default:
                list.append(pc)
            }
        }
        return false
    }

    static func holds(_ assertion: RegexAssertion, _ previous: UInt32, _ current: UInt32) -> Bool {
        let none = UInt32.max
        switch assertion {
        case .beginText: return previous == none
        case .endText: return current == none
        case .beginLine: return previous == none || previous == 0x0A
        case .endLine: return current == none || current == 0x0A
        case .wordBoundary: return CELRegex.isWord(previous) != CELRegex.isWord(current)
        case .notWordBoundary: return CELRegex.isWord(previous) == CELRegex.isWord(current)
        }
    }
}
