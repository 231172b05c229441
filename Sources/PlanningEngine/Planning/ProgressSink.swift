/// Where a long run reports how far it is, so the command line can draw a progress bar on a terminal while the
/// library stays free of terminals: work items are announced (`expect`) and finished (`advance`), from any thread.
public protocol ProgressSink: Sendable {
    /// `count` more work items are known.
    func expect(_ count: Int)
    /// One work item is done.
    func advance()
}
