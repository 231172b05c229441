import ArgumentParser
import PlanReview
import PlanWriters
import PlanningEngine

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write plans for rollouts or cities (default: every rollout in Cities/rollouts).",
        discussion: """
            The YAML plans are always written (they are what diff compares); each --format adds its files beside them.
            Exit codes: 0 plans written; 1 plans written with error findings; 2 bad input (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @OptionGroup var targets: TargetOptions

    @OptionGroup var output: PlanOutputOptions

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Plan shard I of N, 1 ≤ I ≤ N (every N-th city of each rollout, by id) for a batch runner; join the "
                + "shards with `merge`.", valueName: "I/N"))
    var shard: PlanShardOption?

    @Option(
        help: "Plan with the overlay Scenarios/<ID>.yaml (baseline: none) into <output>/scenarios/<ID>/.",
        completion: ProjectCompletion.scenarios)
    var scenario: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try Self.run(
            PlanRequest(
                root: project.root, targets: targets.targets, output: output.output, formats: output.format,
                threads: threads, shard: shard?.value, scenario: scenario),
            project: project)
    }

    /// Plans and writes `request`, prints the closing line, and exits 1 when any finding is an error.
    static func run(_ request: PlanRequest, project: ProjectOptions) throws {
        let workspace = try project.load()
        let outcome: PlanOutcome
        do {
            outcome = try withProgress("plan") { progress throws(PlanRequestError) in
                try request.run(workspace, progress: progress)
            }
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        print(outcome.summary)
        if outcome.errorFindings > 0 { throw ExitCode(1) }
    }
}
