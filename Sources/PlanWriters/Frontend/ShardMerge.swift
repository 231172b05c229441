import PlanningEngine

/// `chargeplan merge`: the folders of `plan --shard I/N` joined into the plans one run writes, or those of
/// `sweep --shard I/N` into the files one sweep writes, all or nothing. Which kind is read from the folders.
public enum ShardMerge {
    /// Merges `shards` into `output` (default: `plans`, or `sweeps` for the shards of a sweep) and returns the
    /// closing line.
    public static func merge(_ shards: [String], output: String?) throws(DiagnosticsError) -> String {
        let sweepFolders = shards.filter { !SweepSharding.shardFiles(in: $0).isEmpty }
        guard !sweepFolders.isEmpty else { return try mergePlans(shards, output: output ?? WorkspaceLayout.plans) }
        if let other = shards.first(where: { !sweepFolders.contains($0) }) {
            throw failure(
                "\(other) holds no sweep shard files, \(sweepFolders[0]) does: "
                    + "merge the shards of one sweep (plan shards apart)")
        }
        return try mergeSweeps(shards, output: output ?? WorkspaceLayout.sweeps)
    }

    static func mergePlans(_ shards: [String], output: String) throws(DiagnosticsError) -> String {
        do {
            let rollouts = try Sharding.merge(folders: shards)
            _ = try PlanSetWriter.write(rollouts.map { .init(rollout: $0.rollout, files: $0.files) }, into: output)
            return "merged \(counted(shards.count, "shard folder")) into \(counted(rollouts.count, "rollout")) "
                + "in \(output)/"
        } catch {
            throw failure(String(describing: error))
        }
    }

    /// The shards of sweeps: each sweep's files, as one `sweep` run writes them, into <output>[/scenarios/<ID>]/.
    static func mergeSweeps(_ shards: [String], output: String) throws(DiagnosticsError) -> String {
        let sweeps = try SweepSharding.merge(folders: shards)
        let scenarios = Set(sweeps.map { $0.scenario ?? Scenario.baseline })
        guard scenarios.count == 1, let scenario = sweeps.first?.scenario ?? Optional(Scenario.baseline) else {
            throw failure(
                "the shards are of sweeps of several scenarios ("
                    + scenarios.sorted().joined(separator: ", ") + "): merge one at a time")
        }
        let folder = scenario == Scenario.baseline ? output : output + "/\(Workspace.scenarioPlansFolder)/\(scenario)"
        do {
            _ = try PlanSetWriter.write(sweeps.map { .init(rollout: $0.rollout, files: $0.files) }, into: folder)
        } catch {
            throw failure(String(describing: error))
        }
        return "merged \(counted(shards.count, "shard folder")) into \(counted(sweeps.count, "sweep")) in \(folder)/"
    }

    /// A problem with no place in a file.
    static func failure(_ message: String) -> DiagnosticsError { DiagnosticsError([.error(message, at: nil)]) }
}
