import ArgumentParser
import PlanningEngine
import PlanWriters

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

    @Argument(help: "The first scenario id (or baseline).")
    var a: String

    @Argument(help: "The second scenario id (or baseline).")
    var b: String

    @Option(help: "Only this rollout (repeatable; default: every rollout of the scenarios' rule set).")
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

    @Argument(help: "The rollout id.")
    var rollout: String

    @Option(help: "How many samples (1-\(Sweep.maximumSamples)).")
    var samples: Int

    @Option(help: "The seed of the generator (0-18446744073709551615).")
    var seed: UInt64

    @Option(help: "Draw the scenario's uncertain numbers too, on top of its overrides (Scenarios/<ID>.yaml).")
    var scenario: String = "baseline"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: "yaml, json, csv or html (repeatable).")
    var format: [SweepWriter.Format] = [.yaml]

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "sweeps"

    func validate() throws {
        guard (1...Sweep.maximumSamples).contains(samples) else {
            throw ValidationError("--samples must be 1 to \(Sweep.maximumSamples)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let result: Sweep.Result
        do {
            let workspace = try Workspace.load(root: project.root)
            result = try Sweep.run(
                workspace, rollout: rollout, scenario: scenario, samples: samples, seed: seed,
                threads: threads)
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
        do {
            let files = SweepWriter.files(result, formats: formats)
            _ = try PlanSetWriter.write([.init(rollout: result.rollout, files: files)], into: folder)
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
        print(
            "swept \(counted(result.samples, "sample")) of \(counted(result.uncertain.count, "uncertain number")) over "
                + "\(counted(Set(result.rows.compactMap(\.city)).count, "city", plural: "cities")) "
                + "into \(shown)/\(result.rollout)/"
        )
    }
}
