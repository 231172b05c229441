/// What a read of a declared object field needs: the operand, the field's name and its index in
/// the declared layout, and where the selection is (for errors).
struct FieldAccess {
    let operand: Eval
    let field: String
    let index: Int
    let layout: CELObjectLayout
    let position: SourcePosition
}
