/// A hindcast: plan every city as it was known at the end of a cutoff year (later observations withheld)
/// and set the model beside each withheld observation. A model that cannot reproduce the history it was not
/// shown has no business planning the future.
public enum Backtest {
    /// One withheld observation against the model.
    public struct Row: Sendable, Equatable, Codable {
        /// The `city` of a rollout's own observation: the sum over its member cities.
        public static let allCities = "(all cities)"

        public var rollout: String
        public var city: String
        /// Nil for a city-wide quantity.
        public var zone: String?
        /// As the profile writes it: `city.ev_stock`, `city.access.public.installed`.
        public var quantity: String
        public var year: Int
        public var observed: Double
        public var model: Double
        public var position: SourcePosition

        public var error: Double { model - observed }
        /// The error as a share of the observation; nil when the observation is 0 and the model is not.
        public var errorShare: Double? {
            if observed != 0 { return error / abs(observed) }
            return model == 0 ? 0 : nil
        }

        public func within(_ tolerance: Double) -> Bool {
            guard let share = errorShare else { return false }
            return abs(share) <= tolerance
        }
    }

    /// Every row of one quantity of one city (or zone) of one rollout.
    public struct Summary: Sendable, Equatable {
        public var rollout: String
        public var city: String
        public var zone: String?
        public var quantity: String
        public var rows: Int
        public var outside: Int
        /// The largest absolute error share; nil when some observation is 0 and its model value is not.
        public var worstShare: Double?
        public var meanAbsoluteShare: Double?
    }

    public struct Report: Sendable {
        public var cutoff: Int
        /// As a share: 0.15 for 15 %.
        public var tolerance: Double
        public var rollouts: [String]
        /// By rollout, city, zone (city-wide first), quantity, year.
        public var rows: [Row]
        /// Withheld observations in years no plan of the rollout reaches (after its last year).
        public var beyondHorizon: Int

        public var outside: [Row] { rows.filter { !$0.within(tolerance) } }
        public var passed: Bool { outside.isEmpty }

        public var summaries: [Summary] {
            var result: [Summary] = []
            var start = 0
            while start < rows.count {
                let first = rows[start]
                var end = start
                while end < rows.count, rows[end].rollout == first.rollout, rows[end].city == first.city,
                    rows[end].zone == first.zone, rows[end].quantity == first.quantity
                { end += 1 }
                let group = rows[start..<end]
                let shares = group.map(\.errorShare)
                let known = shares.compactMap { $0 }.map(abs)
                let complete = known.count == group.count
                result.append(
                    Summary(
                        rollout: first.rollout, city: first.city, zone: first.zone, quantity: first.quantity,
                        rows: group.count, outside: group.filter { !$0.within(tolerance) }.count,
                        worstShare: complete ? known.max() : nil,
                        meanAbsoluteShare: complete ? known.reduce(0, +) / Double(known.count) : nil))
                start = end
            }
            return result
        }
    }

    /// `rolloutIDs` empty: every rollout that observes something after `cutoff`, itself or in a member city.
    public static func run(
        _ workspace: Workspace, cutoff: Int, rolloutIDs: [String] = [], tolerance: Double,
        threads: Int? = nil, progress: (any ProgressSink)? = nil
    )
        throws(DiagnosticsError) -> Report
    {
        let rollouts = try chosenRollouts(workspace, cutoff: cutoff, ids: rolloutIDs)
        var bag = DiagnosticBag()
        var jobs: [(planner: CityPlanner, withheld: CityProfile)] = []
        let sorted = rollouts.sorted(by: { $0.id.value < $1.id.value })
        for rollout in sorted {
            guard let set = workspace.ruleSet(rollout.ruleSet.value) else {
                bag.error("unknown rule set '\(rollout.ruleSet.value)'", at: rollout.ruleSet.position)
                continue
            }
            let compiled = try CompiledRuleSet.compile(set)
            // A rollout's own observations are sums over every member city, so then every city is planned.
            let whole = !rollout.observed.after(cutoff).isEmpty
            for member in rollout.members.sorted(by: { $0.city.value < $1.city.value }) {
                guard let city = workspace.city(member.city.value), whole || city.observes(after: cutoff) else {
                    continue
                }
                let planner = CityPlanner(
                    rules: compiled, city: city.withholding(after: cutoff), rollout: rollout,
                    joins: member.joins)
                jobs.append((planner, city))
            }
        }
        try bag.throwIfErrors()
        progress?.expect(jobs.count)
        let results = ParallelMap.map(jobs.map(\.planner), threads: threads) { planner in
            defer { progress?.advance() }
            return Result { () throws(DiagnosticsError) -> CityPlanner.Simulation in try planner.simulate() }
        }
        var rows: [Row] = []
        var beyond = 0
        var planned: [(planner: CityPlanner, simulation: CityPlanner.Simulation)] = []
        for (job, result) in zip(jobs, results) {
            switch result {
            case .failure(let error): bag.append(contentsOf: error.diagnostics)
            case .success(let simulation):
                let compared = compare(job.withheld, cutoff: cutoff, planner: job.planner, simulation: simulation)
                rows += compared.rows
                beyond += compared.beyond
                planned.append((job.planner, simulation))
            }
        }
        try bag.throwIfErrors()
        for rollout in sorted {
            let cities = planned.filter { $0.planner.rollout.id.value == rollout.id.value }
            let compared = compareTotals(rollout, cutoff: cutoff, cities: cities)
            // After the rollout's cities, as its last rows.
            let end = rows.lastIndex { $0.rollout == rollout.id.value }.map { $0 + 1 } ?? rows.count
            rows.insert(contentsOf: compared.rows, at: end)
            beyond += compared.beyond
        }
        return Report(
            cutoff: cutoff, tolerance: tolerance, rollouts: rollouts.map(\.id.value).sorted(), rows: rows,
            beyondHorizon: beyond)
    }

    private static func compare(
        _ city: CityProfile, cutoff: Int, planner: CityPlanner,
        simulation: CityPlanner.Simulation
    ) -> (rows: [Row], beyond: Int) {
        var rows: [Row] = []
        var beyond = 0
        let scopes: [(zoneIndex: Int?, observed: [Observation])] =
            [(nil, city.observed)] + city.zones.indices.map { ($0, city.zones[$0].observed) }
        for (zoneIndex, observed) in scopes {
            for observation in observed.after(cutoff) {
                for point in observation.points {
                    guard let state = simulation.states.first(where: { $0.year == point.year }) else {
                        beyond += 1
                        continue
                    }
                    let model = value(observation.quantity, zoneIndex: zoneIndex, state: state, planner: planner)
                    rows.append(
                        Row(
                            rollout: planner.rollout.id.value, city: city.id.value,
                            zone: zoneIndex.map { city.zones[$0].id.value }, quantity: observation.key,
                            year: point.year, observed: point.value, model: model, position: point.position))
                }
            }
        }
        return (rows, beyond)
    }

    /// The rollouts named (each must observe something after `cutoff`), or every rollout that does.
    private static func chosenRollouts(
        _ workspace: Workspace, cutoff: Int, ids rolloutIDs: [String]
    ) throws(DiagnosticsError) -> [Rollout] {
        func observesLater(_ rollout: Rollout) -> Bool {
            !rollout.observed.after(cutoff).isEmpty
                || rollout.members.contains { workspace.city($0.city.value)?.observes(after: cutoff) ?? false }
        }
        var rollouts: [Rollout] = []
        var bag = DiagnosticBag()
        if rolloutIDs.isEmpty {
            rollouts = workspace.rollouts.filter(observesLater)
            if rollouts.isEmpty {
                bag.error(
                    "no rollout observes anything after \(cutoff)", at: nil,
                    hint: "add observed: to a profile or a rollout (docs/FORMATS.md), or choose an earlier --cutoff")
            }
        }
        for id in rolloutIDs {
            guard let rollout = workspace.rollout(id) else {
                let known = workspace.rollouts.map(\.id.value)
                bag.error(
                    "no rollout named '\(id)'", at: nil,
                    hint: ScalarReading.closest(to: id, in: known).map { "did you mean '\($0)'?" }
                        ?? "rollouts: " + known.joined(separator: ", "))
                continue
            }
            if !observesLater(rollout) {
                bag.error("rollout '\(id)' has no observations after \(cutoff)", at: rollout.id.position)
                continue
            }
            if !rollouts.contains(where: { $0.id.value == id }) { rollouts.append(rollout) }
        }
        try bag.throwIfErrors()
        return rollouts
    }

    /// A rollout's own observations against the sum of its cities' plans in each observed year; a year some city's
    /// plan does not reach counts as beyond the horizon.
    private static func compareTotals(
        _ rollout: Rollout, cutoff: Int, cities: [(planner: CityPlanner, simulation: CityPlanner.Simulation)]
    ) -> (rows: [Row], beyond: Int) {
        var rows: [Row] = []
        var beyond = 0
        for observation in rollout.observed.after(cutoff) {
            for point in observation.points {
                var total = 0.0
                var reached = !cities.isEmpty
                for city in cities {
                    guard let state = city.simulation.states.first(where: { $0.year == point.year }) else {
                        reached = false
                        break
                    }
                    total += value(observation.quantity, zoneIndex: nil, state: state, planner: city.planner)
                }
                guard reached else {
                    beyond += 1
                    continue
                }
                rows.append(
                    Row(
                        rollout: rollout.id.value, city: Row.allCities, zone: nil, quantity: observation.key,
                        year: point.year, observed: point.value, model: total, position: point.position))
            }
        }
        return (rows, beyond)
    }

    private static func value(
        _ quantity: ObservedQuantity, zoneIndex: Int?, state: CityPlanner.YearState,
        planner: CityPlanner
    ) -> Double {
        let units = zoneIndex.map { state.units[$0] } ?? state.cityUnits
        switch quantity {
        case .fact(let name):
            switch zoneIndex.map({ state.zoneValue($0, name) }) ?? state.cityValue(name) {
            case .double(let d)?: return d
            case .int(let i)?: return Double(i)
            case .uint(let u)?: return Double(u)
            case .bool(let b)?: return b ? 1 : 0
            default: return 0
            }
        case .unitInstalled(let unit):
            return Double(units[unit]?.installed ?? 0)
        case .accessInstalled(let access):
            return Double(
                planner.rules.schema.unitIDs.filter { planner.rules.ruleSet.unit($0)?.access == access }
                    .reduce(0) { $0 + (units[$1]?.installed ?? 0) })
        }
    }
}
