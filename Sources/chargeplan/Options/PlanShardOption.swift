import ArgumentParser
import PlanReview
import PlanWriters

/// `--shard I/N` of `plan`, checked when the arguments are parsed: a wrong value names the option.
struct PlanShardOption: ExpressibleByArgument {
    var value: Sharding.Shard

    init?(argument: String) {
        guard let shard = Sharding.Shard(parsing: argument) else { return nil }
        value = shard
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
