import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the derivation tree of a number: rules, their YAML positions, inputs and values.",
        discussion: """
            Units and zone facts need --zone; a city fact (--fact city.ev_stock) does not.
            Exit codes: 0 explained; 2 bad input or unknown city, zone, year or unit.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The city id.", completion: ProjectCompletion.cities)
    var city: String

    @Option(help: "The zone id (not needed for a city fact: --fact city.<fact>).", completion: ProjectCompletion.zones)
    var zone: String?

    @Option(help: "The year.")
    var year: Int

    @Option(help: "One unit type (default: every unit type).")
    var unit: String?

    @Option(help: "Explain a fact instead of units, e.g. private_evs or city.ev_stock.")
    var fact: String?

    @Option(
        help: "The rollout (default: the first, by id, that includes the city).",
        completion: ProjectCompletion.rollouts)
    var rollout: String?

    @Option(help: "text or json.")
    var format: Format = .text

    @Option(
        help: "Explain under the overlay Scenarios/<ID>.yaml (baseline: none), as plan --scenario plans.",
        completion: ProjectCompletion.scenarios)
    var scenario: String = Scenario.baseline

    func run() throws {
        let request = ExplainRequest(
            city: city, zone: zone, year: year, unit: unit, fact: fact, rollout: rollout, scenario: scenario)
        let workspace = try project.load()
        let explanation: Explanation
        do { explanation = try request.explain(in: workspace) } catch { throw DiagnosticPrinter.fail(error) }
        let text = format == .json ? ExplanationWriter.json(explanation) : ExplanationWriter.text(explanation)
        print(text, terminator: "")
    }
}
