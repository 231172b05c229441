import PlanningEngine

/// What `chargeplan plan` (and `render`) is asked to do, and the doing of it: choose the rollouts and cities,
/// apply the scenario, plan, write the files all or nothing. The command line only parses its arguments into
/// this (as swift-format's subcommands hand theirs to its `Frontend`), so every step is a library call.
public struct PlanRequest: Sendable {
    public var root: String
    /// Rollout or city ids; empty: every rollout.
    public var targets: [String]
    /// The output folder as given: relative to `root` unless absolute.
    public var output: String
    /// The formats asked for; the YAML plans are always written unless `reportOnly`.
    public var formats: [PlanFormat]
    public var reportOnly: Bool
    public var threads: Int?
    public var shard: Sharding.Shard?
    /// A scenario id: the plans go into `<output>/scenarios/<id>/`.
    public var scenario: String?

    public init(
        root: String, targets: [String], output: String, formats: [PlanFormat], reportOnly: Bool = false,
        threads: Int? = nil, shard: Sharding.Shard? = nil, scenario: String? = nil
    ) {
        self.root = root
        self.targets = targets
        self.output = output
        self.formats = formats
        self.reportOnly = reportOnly
        self.threads = threads
        self.shard = shard
        self.scenario = scenario
    }

    /// The formats written: YAML first (unless only the report is asked for), then the others, each once.
    public var writtenFormats: [PlanFormat] {
        var written: [PlanFormat] = reportOnly ? [] : [.yaml]
        for format in formats where !written.contains(format) { written.append(format) }
        return written
    }

    /// The folder the plans go into, as messages show it.
    public var shownOutput: String {
        scenario.map { output + "/\(Workspace.scenarioPlansFolder)/\($0)" } ?? output
    }

    /// The folder the plans go into, on disk.
    var outputRoot: String { shownOutput.hasPrefix("/") ? shownOutput : root + "/" + shownOutput }

    /// Plans and writes; nothing is written unless every chosen rollout plans.
    public func run(_ loaded: Workspace, progress: (any ProgressSink)?) throws(PlanRequestError) -> PlanOutcome {
        let (workspace, selection) = try choose(in: loaded)
        if shard == nil, selection.isWholeRollouts {
            // Whole rollouts: planned, written and dropped city by city (memory does not grow with the cities).
            do {
                let plans = try StreamedPlanning.plan(
                    selection.entries.map(\.rollout), in: workspace, threads: threads, formats: writtenFormats,
                    into: outputRoot, progress: progress)
                return PlanOutcome(plans: plans, output: shownOutput, partial: false, shard: nil)
            } catch {
                throw .diagnostics(error)
            }
        }
        let planned = try planSubsets(selection, in: workspace, progress: progress)
        do {
            _ = try PlanSetWriter.write(planned.map(files(for:)), into: outputRoot)
        } catch {
            throw .diagnostics(DiagnosticsError([.error(String(describing: error), at: nil)]))
        }
        return PlanOutcome(
            plans: planned.map(\.plan), output: shownOutput, partial: planned.contains { $0.partial }, shard: shard)
    }

    /// The workspace planned (with the scenario applied) and the rollouts chosen from it.
    func choose(in loaded: Workspace) throws(PlanRequestError) -> (Workspace, PlanSelection) {
        var workspace = loaded
        if let scenario {
            do { workspace = try loaded.overlaid(scenario: scenario).workspace } catch { throw .diagnostics(error) }
            for target in targets where workspace.rollout(target) == nil && loaded.rollout(target) != nil {
                throw .diagnostics(
                    DiagnosticsError([
                        .error(
                            "rollout '\(target)' is not planned with the rule set of scenario '\(scenario)'", at: nil)
                    ]))
            }
        }
        return (workspace, try PlanSelection.select(targets, in: workspace, root: root, sharded: shard != nil))
    }

    /// Each chosen rollout planned in memory: its shard, the cities named, or all of it.
    func planSubsets(
        _ selection: PlanSelection, in workspace: Workspace, progress: (any ProgressSink)?
    ) throws(PlanRequestError) -> [(plan: RolloutPlan, partial: Bool)] {
        var planned: [(plan: RolloutPlan, partial: Bool)] = []
        var failures: [Diagnostic] = []
        for entry in selection.entries {
            var subset = entry.rollout
            if let only = entry.only { subset.members = entry.rollout.members.filter { only.contains($0.city.value) } }
            if let shard { subset.members = shard.members(of: entry.rollout) }
            do throws(DiagnosticsError) {
                let plan = try RolloutPlanner.plan(subset, in: workspace, threads: threads, progress: progress)
                planned.append((plan, entry.only != nil))
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw .diagnostics(DiagnosticsError(failures)) }
        return planned
    }

    /// The files of one planned rollout: a shard's, some cities' (the rollout's summary kept), or all of them.
    func files(for planned: (plan: RolloutPlan, partial: Bool)) throws -> PlanSetWriter.RolloutFiles {
        let (plan, partial) = planned
        if let shard {
            return .init(
                rollout: plan.rollout, files: try Sharding.shardFiles(for: plan, shard: shard, formats: writtenFormats))
        }
        if partial {
            // Some cities of the rollout: replace their files only; the rollout's summary stays as it was.
            return .init(
                rollout: plan.rollout, files: PlanOutput.cityFiles(for: plan, formats: writtenFormats),
                keepOtherFiles: true)
        }
        return .init(rollout: plan.rollout, files: PlanOutput.files(for: plan, formats: writtenFormats))
    }
}
