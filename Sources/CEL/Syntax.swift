/// Parsed CEL syntax. Every node records where it starts in the source.
final class Expr: Sendable {
    let kind: ExprKind
    let position: SourcePosition
    /// Longest path from this node to a leaf; bounded by the parser so later passes may recurse.
    let height: Int

    init(_ kind: ExprKind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
        var childHeight = 0
        switch kind {
        case .literal, .ident: break
        case .select(let operand, _), .presence(let operand, _): childHeight = operand.height
        case .call(let target, _, let args):
            childHeight = max(target?.height ?? 0, args.map(\.height).max() ?? 0)
        case .list(let items): childHeight = items.map(\.height).max() ?? 0
        case .map(let entries): childHeight = entries.map { max($0.key.height, $0.value.height) }.max() ?? 0
        case .message(_, let fields): childHeight = fields.map(\.value.height).max() ?? 0
        case .comprehension(_, let range, _, let filter, let body):
            childHeight = max(range.height, filter?.height ?? 0, body.height)
        case .bind(_, let initial, let body): childHeight = max(initial.height, body.height)
        }
        height = childHeight + 1
    }
}

/// The comprehension macros CEL expands (`all`, `exists`, `exists_one`, `map`, `filter`).
enum MacroKind: Sendable {
    case all, exists, existsOne, map, filter
}

indirect enum ExprKind: Sendable {
    case literal(CELValue)
    /// An identifier; `absolute` is true for a leading dot (`.y`).
    case ident(String, absolute: Bool)
    case select(Expr, field: String)
    /// `has(e.f)`.
    case presence(Expr, field: String)
    /// A function call; `target` is the receiver for `x.f(...)` calls. Operators are calls
    /// named `_+_`, `_[_]`, `!_`, `-_`, `_&&_`, `_||_`, `_?_:_`, `@in`.
    case call(target: Expr?, function: String, args: [Expr])
    case list([Expr])
    case map([(key: Expr, value: Expr)])
    /// Message construction `T{f: v}` (parsed so errors are precise; not evaluated).
    case message(typeName: String, fields: [(name: String, value: Expr)])
    /// `range.all(x, p)`, `range.map(x, p, t)`, …
    case comprehension(MacroKind, range: Expr, variable: String, filter: Expr?, body: Expr)
    /// `cel.bind(name, initial, body)`.
    case bind(name: String, initial: Expr, body: Expr)
}

extension Expr {
    /// The dotted name this expression spells (`a.b.c`), if it is only identifiers and selections.
    var qualifiedName: (name: String, absolute: Bool)? {
        switch kind {
        case .ident(let name, let absolute): return (name, absolute)
        case .select(let operand, let field):
            guard let base = operand.qualifiedName else { return nil }
            return (base.name + "." + field, base.absolute)
        default: return nil
        }
    }
}
