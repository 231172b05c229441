import ArgumentParser
import PlanReview
import PlanWriters

/// Where `plan` writes and what: the folder and the formats beside the YAML plans.
struct PlanOutputOptions: ParsableArguments {
    @OptionGroup var folder: OutputOptions<PlansFolder>

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Also write this format: yaml, json, csv, markdown, geojson, html "
                + "(repeatable; the YAML plans are always written)."))
    var format: [PlanFormat] = []

    var output: String { folder.output }
}
