import ArgumentParser
import Foundation
import PlanningEngine
import PlanWriters
import PlanReview

/// The `chargeplan` command: parses arguments and hands the work to the library modules.
@main
struct Chargeplan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargeplan",
        abstract: "Plan EV-charging rollouts city by city and year by year, from YAML rules.",
        discussion: """
            Exit codes: 0 success; 1 findings or differences; 2 bad input or usage.
            Errors are printed as file:line:col: error: message.
            """,
        version: ChargeplanVersion.current,
        subcommands: [
            PlanCommand.self, MergeCommand.self, RenderCommand.self, CheckCommand.self, ExplainCommand.self,
            FindingsCommand.self, SiteCommand.self, SchemaCommand.self, FmtCommand.self, DiffCommand.self,
            TestCommand.self, BacktestCommand.self, CompareCommand.self, SweepCommand.self,
        ]
    )

    /// ArgumentParser exits 64 on a usage error; the tool's contract is 2 for bad input or usage. A usage error found
    /// while a command runs is shown with that command's usage, as one found while parsing is.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, message: fullMessage(for: error))
        }
        do {
            try command.run()
        } catch {
            let usage = usageString(for: type(of: command))
            let name = type(of: command).configuration.commandName.map { "chargeplan \($0)" } ?? "chargeplan"
            fail(
                error,
                message: "Error: \(message(for: error))\nUsage: \(usage)\n"
                    + "  See '\(name) --help' for more information.")
        }
    }

    private static func fail(_ error: Error, message: String) -> Never {
        if exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
        exit(withError: error)
    }
}

/// `1 rollout`, `3 rollouts`: counts in messages agree with their noun.
func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}

/// Runs `body` with a progress bar on stderr when it is a terminal (and NO_COLOR and CI are unset), erased after.
func withProgress<Value, Failure: Error>(
    _ label: String, _ body: ((any ProgressSink)?) throws(Failure) -> Value
) throws(Failure) -> Value {
    let reporter = ProgressReporter.onTerminal(label: label) { ProcessInfo.processInfo.systemUptime }
    defer { reporter?.finish() }
    return try body(reporter)
}

/// Options every command that reads the project shares.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project root holding Cities/ and Rules/.")
    var root: String = "."

    /// The workspace, or exit 2 with its diagnostics.
    func load() throws -> Workspace {
        do { return try Workspace.load(root: root) } catch { throw DiagnosticPrinter.fail(error) }
    }

    /// Rules/ only, or exit 2 with its diagnostics.
    func loadRules() throws -> Workspace {
        do { return try Workspace.loadRules(root: root) } catch { throw DiagnosticPrinter.fail(error) }
    }
}

/// Prints diagnostics on stderr the one way the tool prints them.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        var text = diagnostics.map(\.description).joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func fail(_ error: DiagnosticsError) -> ExitCode {
        print(error.diagnostics)
        return ExitCode(2)
    }

    /// A problem with no place in a file (usage, output folders): `chargeplan: error: …`, exit 2.
    static func fail(message: String) -> ExitCode {
        print([.error(message, at: nil)])
        return ExitCode(2)
    }
}

extension PlanFormat: ExpressibleByArgument {}

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

    @Argument(
        help: "Rollout ids or city ids. A city is planned in every rollout it belongs to.",
        completion: ProjectCompletion.rolloutsAndCities)
    var targets: [String] = []

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "plans"

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Also write this format: yaml, json, csv, markdown, geojson, html "
                + "(repeatable; the YAML plans are always written)."))
    var format: [PlanFormat] = []

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(
        help:
            "Plan shard I of N (every N-th city of each rollout, by id) for a batch runner; join the shards with `merge`."
    )
    var shard: String?

    @Option(
        help: "Plan with the overlay Scenarios/<ID>.yaml (baseline: none) into <output>/scenarios/<ID>/.",
        completion: ProjectCompletion.scenarios)
    var scenario: String?

    /// `render`: the report alone, into its own folder (no YAML plans beside it).
    @Flag(help: .private)
    var reportOnly = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let shard, Sharding.Shard(parsing: shard) == nil {
            throw ValidationError("--shard takes I/N with 1 ≤ I ≤ N, e.g. 2/8")
        }
    }

    /// The formats written: YAML first (unless only the report is asked for), then the others, each once.
    var formats: [PlanFormat] {
        var formats: [PlanFormat] = reportOnly ? [] : [.yaml]
        for name in format where !formats.contains(name) { formats.append(name) }
        return formats
    }

    func run() throws {
        let formats = self.formats
        let shardSpec = shard.flatMap(Sharding.Shard.init(parsing:))
        let loaded = try project.load()
        var workspace = loaded
        var output = self.output
        if let scenario {
            do { workspace = try loaded.overlaid(scenario: scenario).workspace } catch {
                throw DiagnosticPrinter.fail(error)
            }
            output += "/\(Workspace.scenarioPlansFolder)/\(scenario)"
            for target in targets where workspace.rollout(target) == nil && loaded.rollout(target) != nil {
                throw DiagnosticPrinter.fail(
                    message: "rollout '\(target)' is not planned with the rule set of "
                        + "scenario '\(scenario)'")
            }
        }
        // Each rollout once: all its cities, or the named ones.
        var selected: [(rollout: Rollout, only: Set<String>?)] = []
        func select(_ rollout: Rollout, _ only: Set<String>?) {
            if let index = selected.firstIndex(where: { $0.rollout.id.value == rollout.id.value }) {
                if let old = selected[index].only, let new = only {
                    selected[index].only = old.union(new)
                } else {
                    selected[index].only = nil
                }
            } else {
                selected.append((rollout, only))
            }
        }
        if targets.isEmpty {
            if workspace.rollouts.isEmpty {
                throw DiagnosticPrinter.fail(message: "no rollouts in \(project.root)/Cities/rollouts: nothing to plan")
            }
            for rollout in workspace.rollouts { select(rollout, nil) }
        } else {
            for target in targets {
                if let rollout = workspace.rollout(target) {
                    select(rollout, nil)
                } else if workspace.city(target) != nil, shardSpec != nil {
                    throw ValidationError("--shard splits whole rollouts; name rollouts, not cities ('\(target)')")
                } else if workspace.city(target) != nil {
                    let owners = workspace.rollouts.filter { $0.members.contains { $0.city.value == target } }
                    if owners.isEmpty {
                        throw DiagnosticPrinter.fail(message: "city '\(target)' belongs to no rollout")
                    }
                    for rollout in owners { select(rollout, [target]) }
                } else {
                    throw DiagnosticPrinter.fail(message: "no rollout or city named '\(target)'")
                }
            }
        }
        let outputRoot = output.hasPrefix("/") ? output : project.root + "/" + output
        if shardSpec == nil, selected.allSatisfy({ $0.only == nil }) {
            // Whole rollouts: planned, written and dropped city by city (memory does not grow with the cities).
            let plans: [RolloutPlan]
            do {
                plans = try withProgress("plan") { progress throws(DiagnosticsError) in
                    try StreamedPlanning.plan(
                        selected.map(\.rollout), in: workspace, threads: threads,
                        formats: formats, into: outputRoot, progress: progress)
                }
            } catch {
                throw DiagnosticPrinter.fail(error)
            }
            return try report(plans, output: output, partial: false, shard: nil)
        }
        var planned: [(plan: RolloutPlan, partial: Bool)] = []
        var failures: [Diagnostic] = []
        withProgress("plan") { (progress) -> Void in
            for (rollout, only) in selected {
                var subset = rollout
                if let only { subset.members = rollout.members.filter { only.contains($0.city.value) } }
                if let shardSpec { subset.members = shardSpec.members(of: rollout) }
                do throws(DiagnosticsError) {
                    let plan = try RolloutPlanner.plan(subset, in: workspace, threads: threads, progress: progress)
                    planned.append((plan, only != nil))
                } catch {
                    failures += error.diagnostics
                }
            }
        }
        if !failures.isEmpty { throw DiagnosticPrinter.fail(DiagnosticsError(failures)) }
        do {
            var folders: [PlanSetWriter.RolloutFiles] = []
            for (plan, partial) in planned {
                if let shardSpec {
                    folders.append(
                        .init(
                            rollout: plan.rollout,
                            files: try Sharding.shardFiles(for: plan, shard: shardSpec, formats: formats)))
                } else if partial {
                    // Some cities of the rollout: replace their files only; the rollout's summary stays as it was.
                    folders.append(
                        .init(
                            rollout: plan.rollout, files: PlanOutput.cityFiles(for: plan, formats: formats),
                            keepOtherFiles: true))
                } else {
                    folders.append(.init(rollout: plan.rollout, files: PlanOutput.files(for: plan, formats: formats)))
                }
            }
            _ = try PlanSetWriter.write(folders, into: outputRoot)
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
        try report(planned.map(\.plan), output: output, partial: planned.contains { $0.partial }, shard: shardSpec)
    }

    /// The closing line: plans, rollouts and findings; exit 1 when any finding is an error.
    private func report(
        _ plans: [RolloutPlan], output: String, partial: Bool, shard shardSpec: Sharding.Shard?
    )
        throws
    {
        let cities = plans.reduce(0) { $0 + $1.cities.count }
        let errors = plans.flatMap { $0.cities.flatMap(\.findings) }.filter { $0.severity == .error }.count
        let warnings = plans.flatMap { $0.cities.flatMap(\.findings) }.filter { $0.severity == .warning }.count
        print(
            "planned \(counted(cities, "city plan")) in \(counted(plans.count, "rollout")) into \(output)/ "
                + "(\(counted(errors, "error finding")), \(counted(warnings, "warning")))"
                + (partial ? "; rollout summaries not updated (plan the whole rollout to refresh them)" : "")
                + (shardSpec.map { "; shard \($0): join the shards with `chargeplan merge`" } ?? ""))
        if errors > 0 { throw ExitCode(1) }
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write an HTML report with SVG charts per rollout (reports/<rollout>/_report.html).",
        discussion: """
            The report alone: `plan --format html` writes the same _report.html beside the YAML plans. Exit codes as for plan.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(
        help: "Rollout ids or city ids (default: every rollout).", completion: ProjectCompletion.rolloutsAndCities)
    var targets: [String] = []

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "reports"

    func run() throws {
        let plan = try PlanCommand.parse(
            ["--root", project.root, "--output", output, "--format", "html", "--report-only"] + targets
        )
        try plan.run()
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the folders written by `plan --shard I/N` into the plans a single run writes, byte for byte.",
        discussion: "Exit codes: 0 merged; 2 a shard missing, twice, or from other inputs (nothing written)."
    )

    @Argument(help: "The shard folders (each the --output of one `plan --shard I/N` or `sweep --shard I/N`).")
    var shards: [String]

    @Option(name: .shortAndLong, help: "Output folder (default: plans, or sweeps for the shards of a sweep).")
    var output: String?

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("name the shard folders to merge") }
    }

    func run() throws {
        let sweepFolders = shards.filter { !SweepSharding.shardFiles(in: $0).isEmpty }
        if !sweepFolders.isEmpty {
            if let other = shards.first(where: { !sweepFolders.contains($0) }) {
                throw DiagnosticPrinter.fail(
                    message: "\(other) holds no sweep shard files, \(sweepFolders[0]) does: "
                        + "merge the shards of one sweep (plan shards apart)")
            }
            try mergeSweeps()
            return
        }
        let output = self.output ?? "plans"
        do {
            let rollouts = try Sharding.merge(folders: shards)
            _ = try PlanSetWriter.write(rollouts.map { .init(rollout: $0.rollout, files: $0.files) }, into: output)
            print(
                "merged \(counted(shards.count, "shard folder")) into \(counted(rollouts.count, "rollout")) "
                    + "in \(output)/")
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
    }

    /// The shards of sweeps: each sweep's files, as one `sweep` run writes them, into <output>[/scenarios/<ID>]/.
    func mergeSweeps() throws {
        let output = self.output ?? "sweeps"
        let sweeps: [SweepSharding.Merged]
        do { sweeps = try SweepSharding.merge(folders: shards) } catch { throw DiagnosticPrinter.fail(error) }
        let scenarios = Set(sweeps.map { $0.scenario ?? Scenario.baseline })
        guard scenarios.count == 1, let scenario = sweeps.first?.scenario ?? Optional(Scenario.baseline) else {
            throw DiagnosticPrinter.fail(
                message: "the shards are of sweeps of several scenarios ("
                    + scenarios.sorted().joined(separator: ", ") + "): merge one at a time")
        }
        let folder = scenario == Scenario.baseline ? output : output + "/\(Workspace.scenarioPlansFolder)/\(scenario)"
        do {
            _ = try PlanSetWriter.write(sweeps.map { .init(rollout: $0.rollout, files: $0.files) }, into: folder)
        } catch {
            throw DiagnosticPrinter.fail(message: String(describing: error))
        }
        print("merged \(counted(shards.count, "shard folder")) into \(counted(sweeps.count, "sweep")) in \(folder)/")
    }
}

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
        let loaded = try project.load()
        let (workspace, overlay): (Workspace, Scenario?)
        do { (workspace, overlay) = try loaded.overlaid(scenario: scenario) } catch {
            throw DiagnosticPrinter.fail(error)
        }
        guard let profile = workspace.city(city) else {
            throw DiagnosticPrinter.fail(message: "no city named '\(city)'")
        }
        let candidates = workspace.rollouts.filter { r in
            r.members.contains { $0.city.value == city } && (rollout == nil || r.id.value == rollout)
        }
        guard let chosen = candidates.first, let member = chosen.members.first(where: { $0.city.value == city }),
            let ruleSet = workspace.ruleSet(chosen.ruleSet.value)
        else {
            throw DiagnosticPrinter.fail(
                message: "no rollout" + (rollout.map { " named '\($0)'" } ?? "") + " includes '\(city)'")
        }
        do {
            let compiled = try CompiledRuleSet.compile(ruleSet)
            let planner = CityPlanner(rules: compiled, city: profile, rollout: chosen, joins: member.joins)
            let explanation = try planner.explain(zone: zone, year: year, unit: unit, fact: fact, scenario: overlay)
            print(
                format == .json ? ExplanationWriter.json(explanation) : ExplanationWriter.text(explanation),
                terminator: "")
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Validate Cities/ and Rules/: schema, references, CEL types, cycles, unused parameters, impossible conditions.",
        discussion: "Exit codes: 0 clean; 1 findings; 2 unreadable input (YAML syntax, unreadable file)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, github, json
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output: text (file:line:col: severity: message), github (Actions annotations) or json.")
    var format: Format = .text

    func run() throws {
        var diagnostics: [Diagnostic] = []
        var deprecations: [Diagnostic] = []
        var unreadable = false
        do {
            let workspace = try Workspace.load(root: project.root)
            for ruleSet in workspace.ruleSets {
                do { _ = try CompiledRuleSet.compile(ruleSet) } catch { diagnostics += error.diagnostics }
            }
            diagnostics += StaticChecks.run(workspace)
            deprecations = workspace.deprecations
        } catch {
            diagnostics = error.diagnostics
            unreadable = error.diagnostics.contains { Self.isUnreadable($0) }
        }
        // Deprecated spellings are listed with the rest but fail nothing: the old files still load.
        let findings = diagnostics
        diagnostics = (diagnostics + deprecations).sorted(by: Diagnostic.sortKey)
        switch format {
        case .text:
            DiagnosticPrinter.print(diagnostics)
            if findings.isEmpty { print("check: no findings") }
        case .github: print(DiagnosticFormat.github(diagnostics), terminator: "")
        case .json: print(DiagnosticFormat.json(diagnostics), terminator: "")
        }
        if unreadable { throw ExitCode(2) }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    /// Input that could not be read at all, as opposed to input that was read and found wrong.
    static func isUnreadable(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.position == nil || diagnostic.id.isUnreadable
    }
}
