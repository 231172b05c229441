/// The rollouts one `plan` run covers, each once: whole, or only the cities named (their union when a rollout is
/// reached twice). Naming a rollout and one of its cities plans the whole rollout. Kept in the engine, not in the
/// command line, so that choosing what to plan is tested as a function and every front end chooses alike.
public struct PlanSelection: Sendable {
    /// One rollout and, when only some of its cities are planned, their ids.
    public struct Entry: Sendable {
        public var rollout: Rollout
        /// nil: every member city.
        public var only: Set<String>?
    }

    public private(set) var entries: [Entry] = []

    /// Every entry plans whole rollouts (no city subset): the plans can be streamed city by city.
    public var isWholeRollouts: Bool { entries.allSatisfy { $0.only == nil } }

    /// The rollouts and cities named by `targets` (default: every rollout of `workspace`).
    /// - Parameters:
    ///   - root: the project root, as the messages name it.
    ///   - sharded: a shard splits whole rollouts, so naming a city is a usage error.
    public static func select(
        _ targets: [String], in workspace: Workspace, root: String, sharded: Bool
    ) throws(PlanRequestError) -> PlanSelection {
        var selection = PlanSelection()
        if targets.isEmpty {
            if workspace.rollouts.isEmpty {
                throw .input("no rollouts in \(root)/Cities/rollouts: nothing to plan")
            }
            for rollout in workspace.rollouts { selection.add(rollout, only: nil) }
            return selection
        }
        for target in targets {
            if let rollout = workspace.rollout(target) {
                selection.add(rollout, only: nil)
            } else if workspace.city(target) != nil, sharded {
                throw .usage("--shard splits whole rollouts; name rollouts, not cities ('\(target)')")
            } else if workspace.city(target) != nil {
                let owners = workspace.rollouts.filter { $0.members.contains { $0.city.value == target } }
                if owners.isEmpty { throw .input("city '\(target)' belongs to no rollout") }
                for rollout in owners { selection.add(rollout, only: [target]) }
            } else {
                throw .input("no rollout or city named '\(target)'")
            }
        }
        return selection
    }

    /// Adds `rollout` (or some of its cities); a rollout already selected widens to the union, or to all of it.
    mutating func add(_ rollout: Rollout, only: Set<String>?) {
        guard let index = entries.firstIndex(where: { $0.rollout.id.value == rollout.id.value }) else {
            entries.append(Entry(rollout: rollout, only: only))
            return
        }
        if let old = entries[index].only, let new = only {
            entries[index].only = old.union(new)
        } else {
            entries[index].only = nil
        }
    }
}
