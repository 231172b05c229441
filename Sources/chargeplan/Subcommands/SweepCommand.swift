import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

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

    @OptionGroup var output: OutputOptions<SweepsFolder>

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
        let request = SweepRequest(
            root: project.root, rollout: rollout, scenario: scenario, samples: samples, seed: seed,
            shard: shard?.value, threads: threads, formats: format, output: output.output)
        let workspace = try project.load()
        do {
            let summary = try withProgress("sweep") { progress throws(DiagnosticsError) in
                try request.run(workspace, progress: progress)
            }
            print(summary)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
    }
}
