import PlanningEngine

/// What `chargeplan sweep` is asked, and the doing of it: the samples planned, then their files (or one shard's)
/// written all or nothing into `<output>[/scenarios/<ID>]/<rollout>/`. The command line only parses into this.
public struct SweepRequest: Sendable {
    public var root: String
    public var rollout: String
    public var scenario: String
    public var samples: Int
    public var seed: UInt64
    public var shard: SweepSamples.Shard?
    public var threads: Int?
    /// The formats asked for; each is written once, in the order first asked.
    public var formats: [SweepWriter.Format]
    /// The output folder as given: relative to `root` unless absolute.
    public var output: String

    public init(
        root: String, rollout: String, scenario: String, samples: Int, seed: UInt64, shard: SweepSamples.Shard?,
        threads: Int?, formats: [SweepWriter.Format], output: String
    ) {
        self.root = root
        self.rollout = rollout
        self.scenario = scenario
        self.samples = samples
        self.seed = seed
        self.shard = shard
        self.threads = threads
        self.formats = formats
        self.output = output
    }

    /// The folder the rollout's folder goes into, as messages show it.
    public var shownOutput: String {
        scenario == Scenario.baseline ? output : output + "/\(Workspace.scenarioPlansFolder)/\(scenario)"
    }

    var outputRoot: String { shownOutput.hasPrefix("/") ? shownOutput : root + "/" + shownOutput }

    var writtenFormats: [SweepWriter.Format] {
        var written: [SweepWriter.Format] = []
        for format in formats where !written.contains(format) { written.append(format) }
        return written
    }

    /// Plans the samples and writes their files; returns the closing line.
    public func run(_ workspace: Workspace, progress: (any ProgressSink)?) throws(DiagnosticsError) -> String {
        let planned = try Sweep.plan(
            workspace, rollout: rollout, scenario: scenario, samples: samples, seed: seed, shard: shard,
            threads: threads, progress: progress)
        let identity = planned.identity
        do {
            let files =
                try shard.map { [SweepSharding.shardFile(planned, shard: $0, formats: writtenFormats)] }
                ?? SweepWriter.files(planned.result(), formats: writtenFormats)
            _ = try PlanSetWriter.write([.init(rollout: identity.rollout, files: files)], into: outputRoot)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(String(describing: error), at: nil)])
        }
        return "swept \(counted(planned.indices.count, "sample"))"
            + (shard.map { " (shard \($0) of \(identity.samples))" } ?? "")
            + " of \(counted(identity.uncertain.count, "uncertain number")) over "
            + "\(counted(identity.cities.count, "city", plural: "cities")) "
            + "into \(shownOutput)/\(identity.rollout)/"
            + (shard == nil ? "" : "; join the shards with `chargeplan merge`")
    }
}
