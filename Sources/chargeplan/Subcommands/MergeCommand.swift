import ArgumentParser
import PlanReview
import PlanWriters

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
        do { print(try ShardMerge.merge(shards, output: output)) } catch { throw DiagnosticPrinter.fail(error) }
    }
}
