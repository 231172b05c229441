/// The parts of a qualified name (`a.b.c` → a, b, c) and where each selection starts, so a
/// resolved prefix can be followed by field selections reported at their own positions.
struct QualifiedPath {
    let parts: [String]
    /// `fieldPositions[i]` is the position of the selection of `parts[i + 1]`.
    let fieldPositions: [SourcePosition]
    var root: String { parts[0] }

    init?(_ expr: Expr) {
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
        self.parts = parts.reversed()
        self.fieldPositions = fieldPositions.reversed()
    }
}
