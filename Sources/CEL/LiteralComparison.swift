/// A string literal compared by `==` or `!=` with a dotted name (`zone.kind == 'rural'`, either side), found in the
/// parsed tree: a checker can test the literal against the values the name can take without re-reading source text.
public struct LiteralComparison: Sendable, Equatable {
    /// The dotted name (`zone.kind`).
    public let name: String
    public let literal: String
    /// Where the literal starts (its opening quote), 1-based within the expression's source.
    public let line: Int
    public let column: Int
}

extension LiteralComparison {
    /// Every such comparison in `expr`, in source order. The parser bounds the tree's height, so recursion is safe.
    static func all(in expr: Expr) -> [LiteralComparison] {
        var found: [LiteralComparison] = []
        collect(expr, into: &found)
        return found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    private static func collect(_ expr: Expr, into found: inout [LiteralComparison]) {
        switch expr.kind {
        case .literal, .ident: break
        case .select(let operand, _), .presence(let operand, _): collect(operand, into: &found)
        case .call(let target, let function, let args):
            if function == "_==_" || function == "_!=_", args.count == 2 {
                for (named, other) in [(args[0], args[1]), (args[1], args[0])] {
                    if let name = named.qualifiedName, !name.absolute, case .literal(.string(let text)) = other.kind {
                        found.append(
                            LiteralComparison(
                                name: name.name, literal: text, line: other.position.line,
                                column: other.position.column))
                    }
                }
            }
            if let target { collect(target, into: &found) }
            for arg in args { collect(arg, into: &found) }
        case .list(let items): for item in items { collect(item, into: &found) }
        case .map(let entries):
            for entry in entries {
                collect(entry.key, into: &found)
                collect(entry.value, into: &found)
            }
        case .message(_, let fields): for field in fields { collect(field.value, into: &found) }
        case .comprehension(_, let range, _, let filter, let body):
            collect(range, into: &found)
            if let filter { collect(filter, into: &found) }
            collect(body, into: &found)
        case .bind(_, let initial, let body):
            collect(initial, into: &found)
            collect(body, into: &found)
        }
    }
}
