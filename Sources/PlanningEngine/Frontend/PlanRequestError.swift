/// Why a planning request cannot start: the arguments contradict each other (shown with the command's usage), or
/// they name something the project does not hold. Either way the command exits 2 and nothing is written.
public enum PlanRequestError: Error, Sendable {
    /// The arguments do not go together, e.g. `--shard` with a city.
    case usage(String)
    /// The project holds no such rollout, city or scenario, or it cannot be loaded.
    case diagnostics(DiagnosticsError)

    /// A problem with no place in a file.
    static func input(_ message: String) -> PlanRequestError {
        .diagnostics(DiagnosticsError([.error(message, at: nil)]))
    }
}
