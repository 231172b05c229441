import ArgumentParser

/// The rollouts and cities a planning command covers, shared by `plan` and `render` so both name them alike.
struct TargetOptions: ParsableArguments {
    @Argument(
        help: "Rollout ids or city ids (default: every rollout). A city is planned in every rollout it belongs to.",
        completion: ProjectCompletion.rolloutsAndCities)
    var targets: [String] = []
}
