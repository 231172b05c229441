import ArgumentParser
import PlanningEngine
import PlanReview
import PlanWriters

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Hindcast: withhold the observations after a year, plan, and compare the model with them.",
        discussion: """
            Every city profile's `observed:` values after --cutoff are withheld; the rest are pinned as in `plan`.
            Each withheld value is printed beside the model (absolute and % error), then one line per quantity.
            Nothing is written. Exit codes: 0 every value within --tolerance; 1 some value outside it; 2 bad input
            or usage (including no observations after the cutoff).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "The last year the model may see; later observations are withheld and compared.")
    var cutoff: Int

    @Argument(
        help: "Rollout ids (default: every rollout with observations after the cutoff).",
        completion: ProjectCompletion.rollouts)
    var rollouts: [String] = []

    @Option(help: ArgumentHelp("The largest error allowed, in percent of the observed value.", valueName: "percent"))
    var tolerance: Percentage = Percentage(percent: 15)

    @Option(help: "text, json or markdown.")
    var format: BacktestWriter.Format = .text

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        guard (1900...2200).contains(cutoff) else { throw ValidationError("--cutoff is a year, 1900-2200") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let workspace = try project.load()
        let report: Backtest.Report
        do {
            report = try withProgress("backtest") { progress throws(DiagnosticsError) in
                try Backtest.run(
                    workspace, cutoff: cutoff, rolloutIDs: rollouts, tolerance: tolerance.share,
                    threads: threads, progress: progress)
            }
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        print(BacktestWriter.render(report, as: format), terminator: "")
        if !report.passed { throw ExitCode(1) }
    }
}
