import Foundation

/// Which rules ran and which way their conditions went: the raw material of rule coverage.
/// Shared across threads, so it locks.
public final class RuleTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var fired: Set<String> = []
    private var whenTrue: Set<String> = []
    private var whenFalse: Set<String> = []

    public init() {}

    func record(rule: String, when outcome: Bool?) {
        lock.lock()
        defer { lock.unlock() }
        switch outcome {
        case .none: fired.insert(rule)
        case .some(true):
            fired.insert(rule)
            whenTrue.insert(rule)
        case .some(false): whenFalse.insert(rule)
        }
    }

    /// Rules whose action ran at least once.
    public var firedRules: Set<String> { lock.withLock { fired } }
    /// Rules whose `when:` held at least once.
    public var rulesWhoseWhenHeld: Set<String> { lock.withLock { whenTrue } }
    /// Rules whose `when:` failed at least once.
    public var rulesWhoseWhenFailed: Set<String> { lock.withLock { whenFalse } }
}
