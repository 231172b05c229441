import PlanningEngine

/// What `chargeplan check` does once its arguments are parsed: loads the workspace, compiles every rule set and runs
/// the static checks; the findings, the deprecated spellings beside them, and whether the input could be read.
public struct CheckRequest: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    public struct Outcome: Sendable {
        /// Findings and deprecations together, in file order: what is listed.
        public var listed: [Diagnostic]
        /// Findings only: deprecated spellings fail nothing, the old files still load.
        public var findings: [Diagnostic]
        /// Input that could not be read at all (YAML syntax, an unreadable file), as opposed to input read and found
        /// wrong: exit 2 rather than 1.
        public var unreadable: Bool
    }

    public func run() -> Outcome {
        var findings: [Diagnostic] = []
        var deprecations: [Diagnostic] = []
        var unreadable = false
        do {
            let workspace = try Workspace.load(root: root)
            for ruleSet in workspace.ruleSets {
                do { _ = try CompiledRuleSet.compile(ruleSet) } catch { findings += error.diagnostics }
            }
            findings += StaticChecks.run(workspace)
            deprecations = workspace.deprecations
        } catch {
            findings = error.diagnostics
            unreadable = error.diagnostics.contains { Self.isUnreadable($0) }
        }
        return Outcome(
            listed: (findings + deprecations).sorted(by: Diagnostic.sortKey), findings: findings,
            unreadable: unreadable)
    }

    static func isUnreadable(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.position == nil || diagnostic.id.isUnreadable
    }
}
