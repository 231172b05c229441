/// How much the answer moves: every number declared uncertain (`uncertain:` of the rule set and of the scenario)
/// is drawn for each of N samples by Latin hypercube with a seeded generator, every sample is planned in process —
/// the rule set compiled once, the loaded profiles reused, nothing written per sample — and the P10, P50 and P90 of
/// each city's installed, new and unmet units and capex are reported per year and unit, with a sensitivity ranking
/// (Spearman's rank correlation of each uncertain number with each rollout total).
///
/// A sample is planned up to its units: siting, the facts that read units and the requirements are not part of what
/// a sweep reports, and no add or cap rule can read them, so they are skipped. The draws are made before any
/// planning and each sample's numbers are kept at its index, so the result is the same for a seed whatever the
/// number of threads.
public enum Sweep {
    public enum Metric: String, Sendable, CaseIterable {
        case installed, new, unmet, capex
    }

    public struct Quantiles: Sendable, Equatable {
        public var p10: Double
        public var p50: Double
        public var p90: Double
    }

    /// The quantiles of one city's (or, `city` nil, the rollout's) units of one type in one year, by `Metric`.
    public struct Row: Sendable, Equatable {
        public var city: String?
        public var year: Int
        public var unit: String
        /// In `Metric.allCases` order.
        public var quantiles: [Quantiles]
    }

    /// A rollout total, sample by sample: `installed.<unit>` and `unmet.<unit>` in the last year, `new.<unit>` and
    /// `capex_<currency>` summed over the horizon.
    public struct Total: Sendable, Equatable {
        public var name: String
        public var values: [Double]
    }

    /// Spearman's ρ of one uncertain number with a total; nil when either is the same in every sample.
    public struct Correlation: Sendable, Equatable {
        public var input: String
        public var rho: Double?
    }

    /// The uncertain numbers ordered by |ρ| with one total, largest first (ties and nil last, by path).
    public struct Sensitivity: Sendable, Equatable {
        public var total: String
        public var ranking: [Correlation]
    }

    /// An uncertain number as the outputs (and a shard) describe it: its path, distribution and bounds.
    public struct Number: Sendable, Equatable, Codable {
        public var path: String
        public var distribution: Distribution
        public var use: UncertainUse
        /// Infinite where nothing bounds the draw.
        public var lower: Double
        public var upper: Double

        init(_ entry: UncertainEntry) {
            path = entry.path.value
            distribution = entry.distribution
            use = entry.use
            lower = entry.lower
            upper = entry.upper
        }
    }

    public struct Result: Sendable {
        public var rollout: String
        public var ruleSet: String
        public var currency: String
        /// Nil for the baseline.
        public var scenario: String?
        public var samples: Int
        public var seed: UInt64
        public var firstYear: Int
        public var lastYear: Int
        /// Content hashes of the files swept, as a plan lists them.
        public var inputs: [InputHash]
        public var uncertain: [Number]
        /// `draws[sample][entry]`: the number each entry had in each sample.
        public var draws: [[Double]]
        /// The cities (by id), then the rollout's totals (`city` nil); each by year, then unit.
        public var rows: [Row]
        public var totals: [Total]
        public var sensitivity: [Sensitivity]
    }

    public static let maximumSamples = 100_000

    /// `reusingInvariants`: false plans every rule of every sample (for tests: the result must be the same).
    public static func run(
        _ workspace: Workspace, rollout id: String, scenario: String = Scenario.baseline,
        samples: Int, seed: UInt64, threads: Int? = nil,
        reusingInvariants: Bool = true, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> Result {
        try plan(
            workspace, rollout: id, scenario: scenario, samples: samples, seed: seed, threads: threads,
            reusingInvariants: reusingInvariants, progress: progress
        ).result()
    }

    /// Plans the samples of `shard` (all of them when nil): the part of a sweep one machine does. Every shard
    /// draws the whole design, so a sample's numbers do not depend on how the samples are split.
    /// `progress` hears of each sample planned.
    public static func plan(
        _ workspace: Workspace, rollout id: String, scenario: String = Scenario.baseline,
        samples: Int, seed: UInt64, shard: SweepSamples.Shard? = nil, threads: Int? = nil,
        reusingInvariants: Bool = true, progress: (any ProgressSink)? = nil
    ) throws(DiagnosticsError) -> SweepSamples {
        guard (1...maximumSamples).contains(samples) else {
            throw DiagnosticsError([.error("--samples must be 1 to \(maximumSamples), not \(samples)", at: nil)])
        }
        let (overlaid, scenarioFile) = try workspace.overlaid(scenario: scenario)
        guard let rolloutIndex = overlaid.rollouts.firstIndex(where: { $0.id.value == id }) else {
            let known = overlaid.rollouts.map(\.id.value)
            throw DiagnosticsError([
                .error(
                    "no rollout named '\(id)'" + (scenarioFile.map { " in scenario '\($0.id.value)'" } ?? ""),
                    at: nil,
                    hint: ScalarReading.closest(to: id, in: known).map { "did you mean '\($0)'?" }
                        ?? "rollouts: " + known.joined(separator: ", "))
            ])
        }
        let rollout = overlaid.rollouts[rolloutIndex]
        guard let setIndex = overlaid.ruleSets.firstIndex(where: { $0.id == rollout.ruleSet.value }),
            let overlay = Overlay(workspace: overlaid, ruleSet: rollout.ruleSet.value)
        else {
            throw DiagnosticsError([.error("unknown rule set '\(rollout.ruleSet.value)'", at: rollout.ruleSet.position)]
            )
        }
        let set = overlaid.ruleSets[setIndex]
        let entries = uncertainEntries(set, scenarioFile)
        guard !entries.isEmpty else {
            throw DiagnosticsError([
                .error(
                    "nothing is uncertain: rule set '\(set.id)'"
                        + (scenarioFile.map { " and scenario '\($0.id.value)'" } ?? "")
                        + (scenarioFile == nil ? " declares" : " declare") + " no uncertain: numbers", at: nil,
                    hint: "declare ranges in an uncertain: section of a rule file or a scenario (docs/FORMATS.md)")
            ])
        }
        let members = rollout.members.sorted { $0.city.value < $1.city.value }
        var cityIndices: [Int] = []
        for member in members {
            guard let index = overlaid.cities.firstIndex(where: { $0.id.value == member.city.value }) else {
                throw DiagnosticsError([.error("unknown city '\(member.city.value)'", at: member.city.position)])
            }
            cityIndices.append(index)
        }
        let points = LatinHypercube.points(samples: samples, dimensions: entries.count, seed: seed)
        let draws = points.map { point in
            zip(entries, point).map { entry, u in entry.distribution.draw(u, lower: entry.lower, upper: entry.upper) }
        }
        let sweep = SweepWorker.Setup(
            workspace: overlaid, overlay: overlay, ruleSetIndex: setIndex, rolloutIndex: rolloutIndex,
            members: members, cityIndices: cityIndices, entries: entries, reusingInvariants: reusingInvariants)
        let units = try CompiledRuleSet.compile(set).schema.unitIDs
        let grid = Grid(cities: members.count, years: Array(rollout.firstYear...rollout.lastYear), units: units)
        let sampleIndices = (shard ?? SweepSamples.Shard.whole).indices(samples: samples)
        progress?.expect(sampleIndices.count)
        // Each thread plans with rules, baselines and inputs of its own: objects shared by threads would have
        // their reference counts fought over by the cores on every read.
        let samplesValues = try ParallelMap.mapAll(
            sampleIndices, threads: threads, worker: { () throws(DiagnosticsError) in try SweepWorker(sweep) }
        ) { (worker: SweepWorker, sample: Int) throws(DiagnosticsError) -> [Double] in
            defer { progress?.advance() }
            return try worker.plan(sample: sample, draws: draws[sample], into: grid)
        }
        var inputs = [InputHash(path: rollout.file, sha256: rollout.contentHash)]
        inputs += set.fileHashes.map { InputHash(path: $0.file, sha256: $0.hash) }
        inputs += cityIndices.map { InputHash(path: overlaid.cities[$0].file, sha256: overlaid.cities[$0].contentHash) }
        inputs += cityIndices.compactMap { overlaid.cities[$0].boundaryFile }
        let identity = SweepSamples.Identity(
            rollout: rollout.id.value, ruleSet: set.id, currency: set.currencyCode, scenario: scenarioFile?.id.value,
            samples: samples, seed: seed, firstYear: rollout.firstYear, lastYear: rollout.lastYear,
            inputs: inputs.sorted { $0.path < $1.path }, uncertain: entries.map(Number.init),
            cities: members.map(\.city.value), units: grid.units)
        return SweepSamples(
            identity: identity, indices: sampleIndices, draws: sampleIndices.map { draws[$0] }, values: samplesValues)
    }

    /// The quantiles, totals and ranking of every sample's values (`values[sample]`, laid out as `Grid` keeps them).
    static func result(of identity: SweepSamples.Identity, draws: [[Double]], values: [[Double]]) -> Result {
        let grid = Grid(
            cities: identity.cities.count, years: Array(identity.firstYear...identity.lastYear),
            units: identity.units)
        let totals = grid.totals(values, currency: identity.currency)
        return Result(
            rollout: identity.rollout, ruleSet: identity.ruleSet, currency: identity.currency,
            scenario: identity.scenario, samples: identity.samples, seed: identity.seed,
            firstYear: identity.firstYear, lastYear: identity.lastYear, inputs: identity.inputs,
            uncertain: identity.uncertain, draws: draws, rows: grid.rows(values, cities: identity.cities),
            totals: totals, sensitivity: sensitivity(entries: identity.uncertain, draws: draws, totals: totals))
    }

    /// The rule set's uncertain numbers, a scenario's replacing those of the same path and adding the others.
    static func uncertainEntries(_ set: RuleSet, _ scenario: Scenario?) -> [UncertainEntry] {
        var entries = set.uncertain
        for entry in scenario?.uncertain ?? [] {
            if let index = entries.firstIndex(where: { $0.path.value == entry.path.value }) {
                entries[index] = entry
            } else {
                entries.append(entry)
            }
        }
        return entries
    }

    /// Where each sample's numbers are kept: one flat array, city → year → unit → metric.
    struct Grid: Sendable {
        let cities: Int
        let years: [Int]
        let units: [String]
        var count: Int { cities * years.count * units.count * Metric.allCases.count }

        func index(city: Int, year: Int, unit: Int, metric: Int) -> Int {
            ((city * years.count + year) * units.count + unit) * Metric.allCases.count + metric
        }

        func record(_ states: [CityPlanner.YearState], city: Int, into values: inout [Double]) {
            for state in states {
                guard let y = years.firstIndex(of: state.year) else { continue }
                for (u, unit) in units.enumerated() {
                    guard let total = state.cityUnits[unit] else { continue }
                    let numbers = [Double(total.installed), Double(total.new), Double(total.unmet), total.capex]
                    for (m, number) in numbers.enumerated() {
                        values[index(city: city, year: y, unit: u, metric: m)] = number
                    }
                }
            }
        }

        /// Every city's rows, then the rollout's (each sample's sum over the cities, in city order).
        func rows(_ samples: [[Double]], cities ids: [String]) -> [Row] {
            var rows: [Row] = []
            for c in 0..<cities {
                for y in years.indices {
                    for u in units.indices {
                        let quantiles = Metric.allCases.indices.map { m in
                            Sweep.quantiles(samples.map { $0[index(city: c, year: y, unit: u, metric: m)] })
                        }
                        rows.append(Row(city: ids[c], year: years[y], unit: units[u], quantiles: quantiles))
                    }
                }
            }
            for y in years.indices {
                for u in units.indices {
                    let quantiles = Metric.allCases.indices.map { m in
                        Sweep.quantiles(
                            samples.map { values in
                                (0..<cities).reduce(0.0) { $0 + values[index(city: $1, year: y, unit: u, metric: m)] }
                            })
                    }
                    rows.append(Row(city: nil, year: years[y], unit: units[u], quantiles: quantiles))
                }
            }
            return rows
        }

        func totals(_ samples: [[Double]], currency: String) -> [Total] {
            guard let last = years.indices.last else { return [] }
            func sum(_ values: [Double], metric: Metric, unit: Int?, years span: [Int]) -> Double {
                let unitRange = unit.map { [$0] } ?? Array(units.indices)
                var total = 0.0
                for c in 0..<cities {
                    for y in span {
                        for u in unitRange {
                            total +=
                                values[
                                    index(
                                        city: c, year: y, unit: u, metric: Metric.allCases.firstIndex(of: metric) ?? 0)]
                        }
                    }
                }
                return total
            }
            var totals: [Total] = []
            for (u, unit) in units.enumerated() {
                totals.append(
                    Total(
                        name: "installed.\(unit)",
                        values: samples.map { sum($0, metric: .installed, unit: u, years: [last]) }))
                totals.append(
                    Total(
                        name: "new.\(unit)",
                        values: samples.map { sum($0, metric: .new, unit: u, years: Array(years.indices)) }))
                totals.append(
                    Total(
                        name: "unmet.\(unit)", values: samples.map { sum($0, metric: .unmet, unit: u, years: [last]) }))
            }
            totals.append(
                Total(
                    name: "capex_" + currency.lowercased(),
                    values: samples.map { sum($0, metric: .capex, unit: nil, years: Array(years.indices)) }))
            return totals
        }
    }

    // MARK: Statistics

    /// P10, P50 and P90 by Hyndman and Fan's type 7 (R's and NumPy's default): for sorted x₁…xₙ and p, with
    /// h = (n − 1)p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋) (0-based). One sample gives that sample three times.
    public static func quantiles(_ values: [Double]) -> Quantiles {
        let sorted = values.sorted()
        return Quantiles(p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9))
    }

    /// Type 7 on values sorted ascending; 0 for none.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        let h = Double(sorted.count - 1) * p
        let low = Int(h.rounded(.down))
        guard low + 1 < sorted.count else { return sorted[sorted.count - 1] }
        let fraction = h - Double(low)
        return low < 0 ? first : sorted[low] + fraction * (sorted[low + 1] - sorted[low])
    }

    /// 1-based ranks, ties given the mean of the ranks they span.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = rank }
            start = end + 1
        }
        return ranks
    }

    /// Spearman's ρ: Pearson's correlation of the ranks; nil when either side is constant (or there are fewer than
    /// two samples).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let rx = ranks(x)
        let ry = ranks(y)
        let mean = Double(x.count + 1) / 2
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for i in rx.indices {
            sxy += (rx[i] - mean) * (ry[i] - mean)
            sxx += (rx[i] - mean) * (rx[i] - mean)
            syy += (ry[i] - mean) * (ry[i] - mean)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
    }

    static func sensitivity(entries: [Number], draws: [[Double]], totals: [Total]) -> [Sensitivity] {
        let columns = entries.indices.map { k in draws.map { $0[k] } }
        return totals.map { total in
            let ranking = entries.indices.map { k in
                Correlation(input: entries[k].path, rho: spearman(columns[k], total.values))
            }.sorted { a, b in
                switch (a.rho, b.rho) {
                case (let x?, let y?): abs(x) != abs(y) ? abs(x) > abs(y) : a.input < b.input
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): a.input < b.input
                }
            }
            return Sensitivity(total: total.name, ranking: ranking)
        }
    }
}
