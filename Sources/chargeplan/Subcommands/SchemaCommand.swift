import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write or print JSON Schemas (draft 2020-12) of the input files and of the JSON chargeplan writes.",
        discussion: """
            Without options, writes every schema into schemas/ under --root: city.schema.json (profiles: the union of
            every rule set's inputs), rollout.schema.json, rules.schema.json, scenario.schema.json,
            city.<rule set>.schema.json for each rule set (its own inputs only: its test fixtures point at it), and the
            schemas of the JSON outputs:
            plan.schema.json (<city>.json), plan-summary.schema.json (_summary.json), diff.schema.json (diff --format
            json), compare.schema.json (compare --format json), sweep.schema.json (sweep.json). --kind K prints
            that one schema (or writes it into --output DIR). Only Rules/ under --root is read.
            The committed copies are regenerated with: swift run chargeplan schema
            Exit codes: 0 written; 2 bad usage, unloadable rule sets or unwritable folder.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case city, rollout, rules, scenario, plan
        case planSummary = "plan-summary"
        case diff, compare, sweep, geojson

        var fileName: String { rawValue + ".schema.json" }
        /// The output schemas describe what chargeplan writes and need no rule set.
        var isOutput: Bool { [.plan, .planSummary, .diff, .compare, .sweep, .geojson].contains(self) }
    }

    @OptionGroup var project: ProjectOptions

    @Option(
        help: ArgumentHelp(
            "Only this kind: city, rollout, rules, scenario (input files), plan, plan-summary, "
                + "diff, compare, sweep or geojson (JSON outputs). Default: all of them, and one city schema per rule set."
        ))
    var kind: Kind?

    @Option(help: "With --kind city: the city schema of this rule set only (city.<rule set>.schema.json).")
    var ruleSet: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the .schema.json files into this folder (default: schemas "
                + "under --root; with --kind and no --output, the schema is printed)."))
    var output: String?

    func validate() throws {
        if ruleSet != nil, kind != .city { throw ValidationError("--rule-set goes with --kind city") }
    }

    func run() throws {
        var ruleSets: [RuleSet] = []
        if kind.map({ !$0.isOutput }) ?? true { ruleSets = try project.loadRules().ruleSets }
        var files = SchemaFiles.all(ruleSets: ruleSets)
        if let ruleSet {
            guard let set = ruleSets.first(where: { $0.id == ruleSet }) else {
                throw DiagnosticPrinter.fail(message: "no rule set named '\(ruleSet)'")
            }
            files = [(InputSchemas.cityFileName(ruleSet: set.id), InputSchemas.citySchema(of: set).rendered())]
        } else if let kind {
            files = files.filter { $0.fileName == kind.fileName }
        }
        if output == nil, kind != nil, let file = files.first {
            print(file.text, terminator: "")
            return
        }
        let folder = output ?? ProjectFiles.path("schemas", in: project.root)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw DiagnosticPrinter.fail(message: "cannot create \(folder): \(error.localizedDescription)")
        }
        do { try ProjectFiles.write(files.map { (folder + "/" + $0.fileName, $0.text) }) } catch {
            throw DiagnosticPrinter.fail(error)
        }
        print(
            "wrote \(files.count) \(files.count == 1 ? "schema" : "schemas") into \(folder)/: "
                + files.map(\.fileName).joined(separator: ", "))
    }
}
