import Dispatch
import Foundation

/// Plans every city of a rollout, concurrently; results are put back in member order,
/// so the output never depends on which thread finished first.
public enum RolloutPlanner {
    /// `progress` hears of each city planned.
    public static func plan(
        _ rollout: Rollout, in workspace: Workspace, threads: Int? = nil, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> RolloutPlan {
        try plan(rollout, in: workspace, threads: threads, progress: progress) { city throws(DiagnosticsError) in city }
    }

    /// Plans every city and hands each plan to `each` on the thread that made it (in no particular order), keeping
    /// only what `each` returns — e.g. its `summaryOnly` after writing its files — so memory holds one city per
    /// thread, not the whole rollout. The result is in member order; errors of every city are reported together.
    /// `progress` hears of each city planned.
    public static func plan(
        _ rollout: Rollout, in workspace: Workspace, threads: Int? = nil, progress: (any ProgressSink)? = nil,
        each: @Sendable (CityPlan) throws(DiagnosticsError) -> CityPlan
    ) throws(DiagnosticsError) -> RolloutPlan {
        guard let ruleSet = workspace.ruleSet(rollout.ruleSet.value) else {
            throw DiagnosticsError([.error("unknown rule set '\(rollout.ruleSet.value)'", at: rollout.ruleSet.position)]
            )
        }
        let compiled = try CompiledRuleSet.compile(ruleSet)
        let members = rollout.members.sorted { $0.city.value < $1.city.value }
        var planners: [CityPlanner] = []
        var bag = DiagnosticBag()
        for member in members {
            guard let city = workspace.city(member.city.value) else {
                bag.error("unknown city '\(member.city.value)'", at: member.city.position)
                continue
            }
            planners.append(CityPlanner(rules: compiled, city: city, rollout: rollout, joins: member.joins))
        }
        try bag.throwIfErrors()
        progress?.expect(planners.count)
        let plans = try ParallelMap.mapAll(planners, threads: threads) { planner throws(DiagnosticsError) in
            defer { progress?.advance() }
            return try each(try planner.plan())
        }
        var inputs = [InputHash(path: rollout.file, sha256: rollout.contentHash)]
        inputs += ruleSet.fileHashes.map { InputHash(path: $0.file, sha256: $0.hash) }
        inputs += plans.flatMap(\.inputs).filter {
            $0.path.hasPrefix(WorkspaceLayout.cities + "/") && !$0.path.hasPrefix(WorkspaceLayout.rollouts + "/")
        }
        var seen: Set<String> = []
        inputs = inputs.filter { seen.insert($0.path).inserted }.sorted { $0.path < $1.path }
        return RolloutPlan(
            rollout: rollout.id.value, name: rollout.name, operatorName: rollout.operatorName, ruleSet: ruleSet.id,
            currency: ruleSet.currencyCode,
            firstYear: rollout.firstYear, lastYear: rollout.lastYear, inputs: inputs, cities: plans)
    }
}

/// Runs independent work items on all cores and returns results in input order.
public enum ParallelMap {
    /// Each worker takes the next unstarted item when it is free (work stealing from one shared counter), so a few
    /// large items do not leave a core idle; results are stored by index, so their order never depends on timing.
    public static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], threads: Int? = nil, _ body: @Sendable (Input) -> Output
    ) -> [Output] {
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, inputs.count, maximumThreads))
        if workers == 1 { return inputs.map(body) }
        let box = ResultBox<Output>(count: inputs.count)
        onThreads(workers) { _ in
            while let index = box.next() {
                box.set(index, body(inputs[index]))
            }
        }
        return box.values()
    }
}

extension ParallelMap {
    /// `map` of work that may fail: every result in input order, or the diagnostics of every item that failed.
    public static func mapAll<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], threads: Int? = nil, _ body: @Sendable (Input) throws(DiagnosticsError) -> Output
    ) throws(DiagnosticsError) -> [Output] {
        let results = map(inputs, threads: threads) { input in
            Result { () throws(DiagnosticsError) -> Output in try body(input) }
        }
        var outputs: [Output] = []
        var bag = DiagnosticBag()
        for result in results {
            switch result {
            case .success(let output): outputs.append(output)
            case .failure(let error): bag.append(contentsOf: error.diagnostics)
            }
        }
        try bag.throwIfErrors()
        return outputs
    }
}

private final class ResultBox<Output: Sendable>: @unchecked Sendable {
    private var storage: [Output?]
    private var started = 0
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// The index of the next item no worker has taken, or nil when all are taken.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard started < storage.count else { return nil }
        started += 1
        return started - 1
    }

    func set(_ index: Int, _ value: Output) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    func values() -> [Output] { storage.compactMap { $0 } }
}
