import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// `--shard I/N` of `sweep`, checked when the arguments are parsed.
struct SweepShardOption: ExpressibleByArgument {
    var value: SweepSamples.Shard

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
            let shard = SweepSamples.Shard(index: index, count: count)
        else { return nil }
        value = shard
    }
}
