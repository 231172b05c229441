/// The samples of a sweep one run planned — all of them, or one shard's (`sweep --shard I/N`) — with the sweep's
/// identity and each planned sample's drawn numbers and values, so that shards planned on different machines can be
/// joined into exactly the `Sweep.Result` of a single run: quantiles and rank correlations need every sample.
public struct SweepSamples: Sendable, Equatable {
    /// What makes two shards parts of one sweep: the rollout, scenario, seed, sample count, the inputs' hashes and
    /// the uncertain numbers, and the layout of the values (cities, horizon, unit types).
    public struct Identity: Sendable, Equatable, Codable {
        public var rollout: String
        public var ruleSet: String
        public var currency: String
        public var scenario: String?
        public var samples: Int
        public var seed: UInt64
        public var firstYear: Int
        public var lastYear: Int
        public var inputs: [InputHash]
        public var uncertain: [Sweep.Number]
        public var cities: [String]
        public var units: [String]

        /// How many numbers a sample's values hold (city → year → unit → metric); nil for an identity no sweep
        /// has (read from a damaged file): more than 1…`Sweep.maximumSamples` samples, a horizon that is not
        /// `firstYear…lastYear` of at most 1,000 years, or more values than an Int holds.
        public var valuesPerSample: Int? {
            guard (1...Sweep.maximumSamples).contains(samples), firstYear <= lastYear else { return nil }
            let (span, overflow) = lastYear.subtractingReportingOverflow(firstYear)
            guard !overflow, span < 1000 else { return nil }
            var count = span + 1
            for factor in [cities.count, units.count, Sweep.Metric.allCases.count] {
                let (product, overflow) = count.multipliedReportingOverflow(by: factor)
                guard !overflow else { return nil }
                count = product
            }
            return count
        }
    }

    /// Shard `index` of `count` (1-based): the samples whose 0-based index is `index - 1` modulo `count`, so every
    /// shard gets an equal share of a sweep whatever its size.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public let index: Int
        public let count: Int

        public static let whole = Shard(uncheckedIndex: 1, count: 1)

        /// Nil unless 1 ≤ index ≤ count ≤ `Sweep.maximumSamples`.
        public init?(index: Int, count: Int) {
            guard (1...Sweep.maximumSamples).contains(count), (1...count).contains(index) else { return nil }
            self.init(uncheckedIndex: index, count: count)
        }

        private init(uncheckedIndex index: Int, count: Int) {
            self.index = index
            self.count = count
        }

        public var description: String { "\(index)/\(count)" }

        /// The 0-based sample indices this shard plans, ascending.
        public func indices(samples: Int) -> [Int] {
            Array(stride(from: index - 1, to: max(samples, 0), by: count))
        }
    }

    public var identity: Identity
    /// The 0-based indices of the samples planned, ascending.
    public var indices: [Int]
    /// `draws[k][entry]`: the numbers of sample `indices[k]`.
    public var draws: [[Double]]
    /// `values[k]`: what sample `indices[k]` planned, `identity.valuesPerSample` numbers.
    public var values: [[Double]]

    public init(identity: Identity, indices: [Int], draws: [[Double]], values: [[Double]]) {
        self.identity = identity
        self.indices = indices
        self.draws = draws
        self.values = values
    }

    /// The sweep's result; only when every sample 0..<samples is here, in order (a single run, or joined shards).
    public func result() throws(DiagnosticsError) -> Sweep.Result {
        guard let perSample = identity.valuesPerSample, indices == Array(0..<identity.samples),
            draws.count == indices.count, values.count == indices.count,
            draws.allSatisfy({ $0.count == identity.uncertain.count }),
            values.allSatisfy({ $0.count == perSample })
        else {
            throw DiagnosticsError([
                .error(
                    "the sweep of '\(identity.rollout)' holds \(indices.count) of its \(identity.samples) samples",
                    at: nil)
            ])
        }
        return Sweep.result(of: identity, draws: draws, values: values)
    }

    /// The parts of one sweep, sample by sample in index order. The parts must share one identity and hold every
    /// sample exactly once (the caller names what is missing or doubled: it knows the files).
    public static func joined(_ parts: [SweepSamples]) -> SweepSamples? {
        guard let first = parts.first, first.identity.valuesPerSample != nil,
            parts.allSatisfy({ $0.identity == first.identity })
        else { return nil }
        var draws = [[Double]?](repeating: nil, count: first.identity.samples)
        var values = [[Double]?](repeating: nil, count: first.identity.samples)
        for part in parts {
            guard part.draws.count == part.indices.count, part.values.count == part.indices.count else { return nil }
            for (k, index) in part.indices.enumerated() {
                guard draws.indices.contains(index), draws[index] == nil else { return nil }
                draws[index] = part.draws[k]
                values[index] = part.values[k]
            }
        }
        let allDraws = draws.compactMap { $0 }
        let allValues = values.compactMap { $0 }
        guard allDraws.count == first.identity.samples else { return nil }
        return SweepSamples(
            identity: first.identity, indices: Array(0..<first.identity.samples), draws: allDraws, values: allValues)
    }
}
