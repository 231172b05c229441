import ArgumentParser
import Foundation
import PlanWriters
import PlanningEngine

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the folders written by `plan --shard I/N` into the plans a single run writes, byte for byte.",
        discussion: "Exit codes: 0 merged; 2 a shard missing, twice, or from other inputs (nothing written)."
    )

    @Argument(help: "The shard folders (each the --output of one `plan --shard I/N` or `sweep --shard I/N`).")
    var shards: [String]

    @Option(name: .shortAndLong, help: "Output folder (default: plans, or sweeps for the shards of a sweep).")
    var output: String?

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("name the shard folders to merge") }
    }

    func run() throws {
        let sweepFolders = shards.filter { !SweepSharding.shardFiles(in: $0).isEmpty }
        if !sweepFolders.isEmpty {
            if let other = shards.first(where: { !sweepFolders.contains($0) }) {
                throw DiagnosticPrinter.fail(
                    message: "\(other) holds no sweep shard files, \(sweepFolders[0]) does: "
                        + "merge the shards of one sweep (plan shards apart)")
            }
            try mergeSweeps()
            return
        }
        let output = self.output ?? "plans"
        do {
            let rollouts = try Sharding.merge(folders: shards)
            _ = try PlanSetWriter.write(rollouts.map { .init(rollout: $0.rollout, files: $0.files) }, into: output)
            print(
                "merged \(counted(shards.count, "shard folder")) into \(counted(rollouts.count, "rollout")) "
                    + "in \(output)/")
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
    }

    /// The shards of sweeps: each sweep's files, as one `sweep` run writes them, into <output>[/scenarios/<ID>]/.
    func mergeSweeps() throws {
        let output = self.output ?? "sweeps"
        let sweeps: [SweepSharding.Merged]
        do { sweeps = try SweepSharding.merge(folders: shards) } catch { throw DiagnosticPrinter.fail(error) }
        let scenarios = Set(sweeps.map { $0.scenario ?? Scenario.baseline })
        guard scenarios.count == 1, let scenario = sweeps.first?.scenario ?? Optional(Scenario.baseline) else {
            throw DiagnosticPrinter.fail(
                message: "the shards are of sweeps of several scenarios ("
                    + scenarios.sorted().joined(separator: ", ") + "): merge one at a time")
        }
        let folder = scenario == Scenario.baseline ? output : output + "/\(Workspace.scenarioPlansFolder)/\(scenario)"
        do {
            _ = try PlanSetWriter.write(sweeps.map { .init(rollout: $0.rollout, files: $0.files) }, into: folder)
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
        print("merged \(counted(shards.count, "shard folder")) into \(counted(sweeps.count, "sweep")) in \(folder)/")
    }
}
