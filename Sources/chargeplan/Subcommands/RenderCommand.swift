import ArgumentParser
import PlanReview
import PlanWriters

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write an HTML report with SVG charts per rollout (reports/<rollout>/_report.html).",
        discussion: """
            The report alone: `plan --format html` writes the same _report.html beside the YAML plans. Exit codes as for plan.
            """
    )

    @OptionGroup var project: ProjectOptions

    @OptionGroup var targets: TargetOptions

    @OptionGroup var output: OutputOptions<ReportsFolder>

    func run() throws {
        try PlanCommand.run(
            PlanRequest(
                root: project.root, targets: targets.targets, output: output.output, formats: [.html],
                reportOnly: true),
            project: project)
    }
}
