import PlanningEngine

/// The default output folder of a command, as a type: `OutputOptions<PlansFolder>` is `--output` defaulting to
/// `plans`, so the commands share one option while each keeps its own default.
protocol OutputFolder {
    static var name: String { get }
}

/// `plan`'s folder.
enum PlansFolder: OutputFolder {
    static let name = WorkspaceLayout.plans
}

/// `render`'s folder.
enum ReportsFolder: OutputFolder {
    static let name = WorkspaceLayout.reports
}

/// `sweep`'s folder.
enum SweepsFolder: OutputFolder {
    static let name = WorkspaceLayout.sweeps
}
