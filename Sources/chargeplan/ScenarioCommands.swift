import ArgumentParser
import PlanningEngine
import PlanWriters
import PlanReview

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Two scenarios side by side: installed units, capex, unmet demand, findings, NPV, per rollout and city.",
        discussion: """
            A and B are scenario ids (Scenarios/<id>.yaml) or baseline (no overlay). Both are planned in memory
            (plans/ is neither read nor written); the differences come first, grouped rollout → city → year, with the
            overrides that differ named as their cause, then every city side by side.
            Exit codes: 0 no difference; 1 differences; 2 bad input or usage.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The first scenario id (or baseline).", completion: ProjectCompletion.scenarios)
    var a: String

    @Argument(help: "The second scenario id (or baseline).", completion: ProjectCompletion.scenarios)
    var b: String

    @Option(
        help: "Only this rollout (repeatable; default: every rollout of the scenarios' rule set).",
        completion: ProjectCompletion.rollouts)
    var rollout: [String] = []

    @Option(name: .shortAndLong, help: "text, markdown (for PR comments) or json.")
    var format: ComparisonWriter.Format = .text

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let report: ScenarioComparison.Report
        do {
            let workspace = try Workspace.load(root: project.root)
            report = try ScenarioComparison.run(workspace, a: a, b: b, rollouts: rollout, threads: threads)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        print(ComparisonWriter.render(report, as: format), terminator: "")
        if !report.isEmpty { throw ExitCode(1) }
    }
}

extension SweepWriter.Format: ExpressibleByArgument {}

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract:
            "Uncertainty: N samples of the uncertain numbers planned; P10/P50/P90 per city, year and unit; a ranking.",
        discussion: """
            The numbers declared under uncertain: (rule files and, with --scenario, the scenario) are drawn by Latin
            hypercube from a generator seeded with --seed; every sample is planned in memory up to its units. Written to
            <output>/<rollout>/ (with --scenario ID: <output>/scenarios/<ID>/<rollout>/), all or nothing: sweep.yaml,
            sweep.json, quantiles.csv, sensitivity.csv and samples.csv, or sweep.html (fan and tornado charts).
            The same seed gives the same bytes with any number of threads. Quantiles are type 7.
            Exit codes: 0 written; 2 bad input or usage (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The rollout id.", completion: ProjectCompletion.rollouts)
    var rollout: String

    @Option(help: "How many samples (1-\(Sweep.maximumSamples)).")
    var samples: Int

    @Option(help: "The seed of the generator (0-18446744073709551615).")
    var seed: UInt64

    @Option(
        help: "Draw the scenario's uncertain numbers too, on top of its overrides (Scenarios/<ID>.yaml).",
        completion: ProjectCompletion.scenarios)
    var scenario: String = "baseline"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: "yaml, json, csv or html (repeatable).")
    var format: [SweepWriter.Format] = [.yaml]

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "sweeps"

    @Option(
        help: ArgumentHelp(
            "Plan only shard I of N (the samples numbered I, I+N, I+2N, …) into a shard file; join the shards with "
                + "`merge`.", valueName: "I/N"))
    var shard: SweepShardOption?

    func validate() throws {
        guard (1...Sweep.maximumSamples).contains(samples) else {
            throw ValidationError("--samples must be 1 to \(Sweep.maximumSamples)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let shard, shard.value.count > samples {
            throw ValidationError("--shard \(shard.value): more shards than the \(samples) samples")
        }
    }

    func run() throws {
        let samples: SweepSamples
        do {
            let workspace = try Workspace.load(root: project.root)
            samples = try withProgress("sweep") { progress throws(DiagnosticsError) in
                try Sweep.plan(
                    workspace, rollout: rollout, scenario: scenario, samples: self.samples, seed: seed,
                    shard: shard?.value, threads: threads, progress: progress)
            }
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        var folder = output.hasPrefix("/") ? output : project.root + "/" + output
        var shown = output
        if scenario != Scenario.baseline {
            folder += "/\(Workspace.scenarioPlansFolder)/\(scenario)"
            shown += "/\(Workspace.scenarioPlansFolder)/\(scenario)"
        }
        var formats: [SweepWriter.Format] = []
        for name in format where !formats.contains(name) { formats.append(name) }
        let identity = samples.identity
        do {
            let files =
                try shard.map { [SweepSharding.shardFile(samples, shard: $0.value, formats: formats)] }
                ?? SweepWriter.files(samples.result(), formats: formats)
            _ = try PlanSetWriter.write([.init(rollout: identity.rollout, files: files)], into: folder)
        } catch let error as DiagnosticsError {
            throw DiagnosticPrinter.fail(error)
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
        print(
            "swept \(counted(samples.indices.count, "sample"))"
                + (shard.map { " (shard \($0.value) of \(identity.samples))" } ?? "")
                + " of \(counted(identity.uncertain.count, "uncertain number")) over "
                + "\(counted(identity.cities.count, "city", plural: "cities")) "
                + "into \(shown)/\(identity.rollout)/"
                + (shard == nil ? "" : "; join the shards with `chargeplan merge`")
        )
    }
}

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
