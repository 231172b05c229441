/// What every comprehension loop shares: the range iterator, the variable's local slot and the
/// position that spends cost and reports errors.
struct ComprehensionLoop {
    let iterate: @Sendable (inout Frame) throws(CELError) -> IterationRange
    let slot: Int
    let position: SourcePosition
}
