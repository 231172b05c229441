import TestSupport
import XCTest
@testable import PlanningEngine

/// `sweep`: seeded Latin hypercube draws, every sample planned in process, quantiles and a sensitivity ranking.
final class SweepTests: XCTestCase {
    static let uncertainty = """
        uncertain:
          params.fast_per_ev:
            {dist: triangular, min: 0.005, mode: 0.01, max: 0.03, doc: "fast chargers per EV", source: test}
          zone.*.grid_headroom_kw:
            {dist: uniform, min: 0.5, max: 1.5, as: scale, doc: "headroom estimates", source: test}
          city.*.home_parking_share:
            {dist: normal, mean: 0.5, sd: 0.1, min: 0.3, max: 0.7, doc: "surveys", source: test}

        """

    static var files: [String: String] {
        var files = Fixture.files
        files["Rules/basic/uncertainty.yaml"] = uncertainty
        return files
    }

    static func sweep(
        _ files: [String: String] = files, samples: Int, seed: UInt64 = 7, threads: Int = 1,
        scenario: String = "baseline", reusing: Bool = true
    ) throws -> Sweep.Result {
        try Sweep.run(
            Workspace.load(files: files), rollout: "test-rollout", scenario: scenario, samples: samples,
            seed: seed, threads: threads, reusingInvariants: reusing)
    }

    // MARK: the generator and the design

    func testSplitMix64IsTheReferenceGenerator() {
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(
            [generator.next(), generator.next(), generator.next()],
            [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var bounded = SplitMix64(seed: 42)
        let draws = (0..<1000).map { _ in bounded.next(below: 7) }
        XCTAssertEqual(Set(draws), Set(0..<7))
        var unit = SplitMix64(seed: 1)
        XCTAssertTrue((0..<1000).allSatisfy { _ in (0..<1).contains(unit.nextUnit()) })
    }

    func testEachDimensionUsesEveryStratumOnce() {
        for samples in [1, 2, 10, 97] {
            let points = LatinHypercube.points(samples: samples, dimensions: 3, seed: 11)
            XCTAssertEqual(points.count, samples)
            for dimension in 0..<3 {
                let strata = points.map { Int(($0[dimension] * Double(samples)).rounded(.down)) }
                XCTAssertEqual(strata.sorted(), Array(0..<samples), "samples \(samples), dimension \(dimension)")
                XCTAssertTrue(points.allSatisfy { $0[dimension] > 0 && $0[dimension] < 1 })
            }
        }
        XCTAssertEqual(
            LatinHypercube.points(samples: 20, dimensions: 2, seed: 5),
            LatinHypercube.points(samples: 20, dimensions: 2, seed: 5))
        XCTAssertNotEqual(
            LatinHypercube.points(samples: 20, dimensions: 2, seed: 5),
            LatinHypercube.points(samples: 20, dimensions: 2, seed: 6))
        let three = LatinHypercube.points(samples: 20, dimensions: 3, seed: 5)
        XCTAssertEqual(
            three.map { Array($0.prefix(2)) }, LatinHypercube.points(samples: 20, dimensions: 2, seed: 5),
            "a dimension added at the end leaves the others as they were")
    }

    func testDistributions() {
        XCTAssertEqual(Distribution.standardNormalQuantile(0.975), 1.9599639845400536, accuracy: 1e-13)
        XCTAssertEqual(Distribution.standardNormalQuantile(0.5), 0)
        XCTAssertEqual(Distribution.standardNormalQuantile(1e-10), -6.361340902404056, accuracy: 1e-11)
        let cases: [Distribution] = [
            .uniform(min: 2, max: 5), .triangular(min: 0, mode: 1, max: 4),
            .normal(mean: 10, sd: 2), .lognormal(median: 3, sigma: 0.5),
        ]
        for distribution in cases {
            for p in [0.001, 0.1, 0.25, 0.5, 0.9, 0.999] {
                XCTAssertEqual(distribution.cdf(distribution.quantile(p)), p, accuracy: 1e-12, "\(distribution) \(p)")
            }
        }
        // The triangular's mode splits its mass at (mode - min) / (max - min).
        XCTAssertEqual(Distribution.triangular(min: 0, mode: 1, max: 4).quantile(0.25), 1, accuracy: 1e-15)
        XCTAssertEqual(Distribution.triangular(min: 0, mode: 1, max: 4).cdf(1), 0.25)
        XCTAssertEqual(Distribution.lognormal(median: 3, sigma: 0.5).quantile(0.5), 3, accuracy: 1e-15)
        // Truncated: every draw within the bounds, the median of a symmetric truncation at the centre.
        let normal = Distribution.normal(mean: 0.5, sd: 0.3)
        XCTAssertEqual(normal.draw(0.5, lower: 0, upper: 1), 0.5, accuracy: 1e-12)
        for u in [1e-12, 0.001, 0.999, 1 - 1e-12] {
            XCTAssertTrue((0...1).contains(normal.draw(u, lower: 0, upper: 1)))
        }
        XCTAssertEqual(Distribution.uniform(min: 0, max: 10).draw(0.5, lower: 2, upper: 4), 3, accuracy: 1e-12)
    }

    func testQuantilesAreType7() {
        let tenth = Sweep.quantiles((1...10).map(Double.init).reversed())
        XCTAssertEqual(tenth.p10, 1.9, accuracy: 1e-12)
        XCTAssertEqual(tenth.p50, 5.5, accuracy: 1e-12)
        XCTAssertEqual(tenth.p90, 9.1, accuracy: 1e-12)
        XCTAssertEqual(Sweep.quantiles([7]), Sweep.Quantiles(p10: 7, p50: 7, p90: 7))
        XCTAssertEqual(Sweep.quantiles([10, 0]), Sweep.Quantiles(p10: 1, p50: 5, p90: 9))
        XCTAssertEqual(Sweep.quantile([], 0.5), 0)
    }

    func testSpearman() {
        XCTAssertEqual(Sweep.ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
        XCTAssertEqual(Sweep.spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1)
        XCTAssertEqual(Sweep.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1)
        XCTAssertNil(Sweep.spearman([1, 2, 3], [5, 5, 5]), "a constant total has no rank correlation")
        XCTAssertNil(Sweep.spearman([1], [2]))
        XCTAssertEqual(try XCTUnwrap(Sweep.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])), 0.8, accuracy: 1e-12)
    }

    // MARK: sweeping

    func testOneSampleIsThatSamplesPlan() throws {
        let result = try Self.sweep(samples: 1, seed: 3)
        let draws = try XCTUnwrap(result.draws.first)
        // The same numbers as a scenario, planned in full (siting and requirements included) by `plan`.
        let overrides = zip(result.uncertain, draws).map { entry, number in
            "  \(entry.path): {\(entry.use == .scale ? "scale" : "value"): \(number), doc: drawn, source: sweep}"
        }.joined(separator: "\n")
        var files = Self.files
        files["Scenarios/drawn.yaml"] = "id: drawn\nname: Drawn\nrule_set: basic\noverrides:\n" + overrides + "\n"
        let workspace = try Workspace.load(files: files).overlaid(scenario: "drawn").workspace
        let plan = try RolloutPlanner.plan(try XCTUnwrap(workspace.rollout("test-rollout")), in: workspace)
        let city = try XCTUnwrap(plan.cities.first)
        var compared = 0
        for row in result.rows where row.city == "testville" {
            let unit = try XCTUnwrap(city.cityYears.first { $0.year == row.year }?.units.first { $0.unit == row.unit })
            let planned = [Double(unit.installed), Double(unit.new), Double(unit.unmet), unit.capex]
            for (quantiles, value) in zip(row.quantiles, planned) {
                XCTAssertEqual(
                    quantiles, Sweep.Quantiles(p10: value, p50: value, p90: value), "\(row.year) \(row.unit)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 5 * 3 * 4, "every year, unit and metric")
        // The rollout's rows are the sum of its one city's.
        XCTAssertEqual(
            result.rows.filter { $0.city == nil }.map(\.quantiles),
            result.rows.filter { $0.city == "testville" }.map(\.quantiles))
    }

    func testTheSameSeedGivesTheSameResultWhateverTheThreads() throws {
        let one = try Self.sweep(samples: 40, seed: 99, threads: 1)
        let four = try Self.sweep(samples: 40, seed: 99, threads: 4)
        XCTAssertEqual(one.draws, four.draws)
        XCTAssertEqual(one.rows, four.rows)
        XCTAssertEqual(one.totals, four.totals)
        XCTAssertEqual(one.sensitivity, four.sensitivity)
        let other = try Self.sweep(samples: 40, seed: 100, threads: 1)
        XCTAssertNotEqual(one.draws, other.draws)
    }

    func testNumbersNoDrawReachesArePlannedOnceAndGiveTheSame() throws {
        let workspace = try Workspace.load(files: Self.files)
        let compiled = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let invariant = compiled.sampleInvariant(varying: [
            "params.fast_per_ev", "zone.grid_headroom_kw",
            "city.home_parking_share",
        ])
        let named = compiled.allRules.filter { invariant[$0.index] }.map(\.id).sorted()
        XCTAssertEqual(named, ["fleet.share", "fleet.stock", "zone.evs"], "the fleet does not depend on the draws")
        XCTAssertEqual(compiled.allRules.filter { invariant[$0.index] }.count, 3)
        let byStock = compiled.sampleInvariant(varying: ["city.vehicles.annual_sales"])
        XCTAssertEqual(
            compiled.allRules.filter { byStock[$0.index] }.map(\.id).sorted(), ["fleet.share"],
            "the stock reads the sales; the zone's EVs read the stock; the money reads units")
        let reused = try Self.sweep(samples: 25, seed: 4)
        let planned = try Self.sweep(samples: 25, seed: 4, reusing: false)
        XCTAssertEqual(reused.rows, planned.rows)
        XCTAssertEqual(reused.totals, planned.totals)
    }

    func testConditionsAndCountsNoDrawReachesAreTakenFromThePlanWithoutDraws() throws {
        var files = Self.files
        files["Rules/basic/extra.yaml"] = """
            rules:
              - id: mix.core-fast
                for: zone
                when: "zone.kind == 'urban_core'"
                add: fast
                count: "zone.ev_stock * params.fast_per_ev / 2.0"

            """
        files["Rules/basic/uncertainty.yaml"] = """
            uncertain:
              params.fast_per_ev:
                {dist: triangular, min: 0.005, mode: 0.01, max: 0.03, doc: "fast chargers per EV", source: test}

            """
        let workspace = try Workspace.load(files: files)
        let compiled = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let invariance = compiled.sampleInvariance(varying: ["params.fast_per_ev"])
        func ids(_ flags: [Bool]) -> [String] { compiled.allRules.filter { flags[$0.index] }.map(\.id).sorted() }
        XCTAssertEqual(ids(invariance.when), ["caps.grid", "mix.core-fast", "mix.fast", "mix.wallbox"])
        XCTAssertEqual(ids(invariance.value), ["caps.grid", "mix.wallbox"], "the fast counts read the draw")
        XCTAssertFalse(ids(invariance.derive).contains("mix.wallbox"), "add and cap rules derive no fact")
        let byHeadroom = compiled.sampleInvariance(varying: ["zone.grid_headroom_kw"])
        XCTAssertEqual(ids(byHeadroom.value), ["mix.core-fast", "mix.fast", "mix.wallbox"])
        let reused = try Self.sweep(files, samples: 12, seed: 3)
        let planned = try Self.sweep(files, samples: 12, seed: 3, reusing: false)
        XCTAssertEqual(reused.rows, planned.rows)
        XCTAssertEqual(reused.totals, planned.totals)
        XCTAssertTrue(reused.totals.contains { Set($0.values).count > 1 }, "the draw moves the plan")
    }

    func testOnlyTopLevelZoneInputsNoDefaultFollowsArePatched() throws {
        var files = Self.files
        files["Rules/basic/inputs.yaml"] = Fixture.inputs.replacingOccurrences(
            of: "    grid_headroom_kw: {type: number, unit: kW, min: 0, max: 1e9}\n",
            with: """
                    grid_headroom_kw: {type: number, unit: kW, min: 0, max: 1e9}
                    spare_kw: {type: number, unit: kW, min: 0, max: 1e9, default: grid_headroom_kw}
                    site.lots: {type: number, unit: lots, min: 0, max: 1e9, default: 0}

                """)
        let workspace = try Workspace.load(files: files)
        let compiled = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let planner = CityPlanner(
            rules: compiled, city: try XCTUnwrap(workspace.cities.first),
            rollout: try XCTUnwrap(workspace.rollout("test-rollout")), joins: 2025)
        XCTAssertEqual(planner.patchableZoneInputs(["spare_kw"])?.map(\.declaration.name.value), ["spare_kw"])
        XCTAssertEqual(planner.patchableZoneInputs(["spare_kw", "spare_kw"])?.count, 1)
        XCTAssertNil(planner.patchableZoneInputs(["grid_headroom_kw"]), "spare_kw defaults to it")
        XCTAssertNil(planner.patchableZoneInputs(["site.lots"]), "a dotted name")
        XCTAssertNil(planner.patchableZoneInputs(["no_such_input"]))
    }

    func testOnlyTheFactsTheUnitsReadAreDerived() throws {
        var files = Self.files
        // A fact no unit reads, and an add rule that reads last year's units (so they are kept in every sample).
        files["Rules/basic/extra.yaml"] = """
            rules:
              - id: ind.density
                for: zone
                derive: density
                value: "zone.population / zone.area_km2"
              - id: mix.mobile-follow
                for: zone
                add: mobile
                initial: "0.0"
                count: "prev.zone.units.fast.unmet * 0.1 + zone.density * 0.0"

            """
        let workspace = try Workspace.load(files: files)
        let compiled = try CompiledRuleSet.compile(try XCTUnwrap(workspace.ruleSet("basic")))
        let relevant = compiled.unitRelevant()
        XCTAssertEqual(
            compiled.allRules.filter { relevant[$0.index] }.map(\.id).sorted(),
            ["fleet.share", "fleet.stock", "ind.density", "zone.evs"], "money.capex reads units; no unit reads it")
        XCTAssertTrue(compiled.unitsReadBeforeSiting)
        XCTAssertFalse(
            try CompiledRuleSet.compile(try XCTUnwrap(Workspace.load(files: Self.files).ruleSet("basic")))
                .unitsReadBeforeSiting)
        // The sweep's units are the plan's units, with prev.zone.units read in every sample.
        let result = try Self.sweep(files, samples: 1, seed: 12)
        let overrides = zip(result.uncertain, result.draws[0]).map { entry, number in
            "  \(entry.path): {\(entry.use == .scale ? "scale" : "value"): \(number), doc: drawn, source: sweep}"
        }.joined(separator: "\n")
        files["Scenarios/drawn.yaml"] = "id: drawn\nname: Drawn\nrule_set: basic\noverrides:\n" + overrides + "\n"
        let overlaid = try Workspace.load(files: files).overlaid(scenario: "drawn").workspace
        let plan = try RolloutPlanner.plan(try XCTUnwrap(overlaid.rollout("test-rollout")), in: overlaid)
        for row in result.rows where row.city != nil {
            let unit = try XCTUnwrap(
                plan.cities[0].cityYears.first { $0.year == row.year }?.units.first { $0.unit == row.unit })
            XCTAssertEqual(row.quantiles[0].p50, Double(unit.installed), "\(row.year) \(row.unit)")
            XCTAssertEqual(row.quantiles[2].p50, Double(unit.unmet), "\(row.year) \(row.unit)")
        }
    }

    func testTheRankingAndTheOrderOfQuantiles() throws {
        let result = try Self.sweep(samples: 200, seed: 1)
        for row in result.rows {
            for q in row.quantiles { XCTAssertTrue(q.p10 <= q.p50 && q.p50 <= q.p90, "\(row)") }
        }
        XCTAssertEqual(
            result.totals.map(\.name),
            [
                "installed.fast", "new.fast", "unmet.fast", "installed.mobile",
                "new.mobile", "unmet.mobile", "installed.wallbox", "new.wallbox",
                "unmet.wallbox", "capex_cny",
            ])
        let wallboxes = try XCTUnwrap(result.sensitivity.first { $0.total == "installed.wallbox" })
        XCTAssertEqual(wallboxes.ranking.first?.input, "city.*.home_parking_share", "wallboxes follow parking alone")
        XCTAssertEqual(try XCTUnwrap(wallboxes.ranking.first?.rho), 1, accuracy: 0.01)
        let fast = try XCTUnwrap(result.sensitivity.first { $0.total == "unmet.fast" })
        XCTAssertEqual(fast.ranking.map(\.input).sorted(), result.uncertain.map(\.path).sorted())
        XCTAssertTrue(zip(fast.ranking, fast.ranking.dropFirst()).allSatisfy { abs($0.rho ?? 0) >= abs($1.rho ?? 0) })
        for (k, entry) in result.uncertain.enumerated() {
            XCTAssertTrue(result.draws.allSatisfy { $0[k] >= entry.lower && $0[k] <= entry.upper }, entry.path)
        }
    }

    func testAScenarioReplacesTheRuleSetsRangeOfAPath() throws {
        var files = Self.files
        files["Scenarios/dear.yaml"] = """
            id: dear
            name: Dear
            rule_set: basic
            overrides:
              units.fast.capex_cny: {value: 500000, doc: dearer, source: test}
            uncertain:
              params.fast_per_ev: {dist: uniform, min: 0.05, max: 0.06, doc: many, source: test}
              params.radius_km: {dist: uniform, min: 2, max: 8, doc: radius, source: test}

            """
        let result = try Self.sweep(files, samples: 10, scenario: "dear")
        XCTAssertEqual(result.scenario, "dear")
        XCTAssertEqual(
            result.uncertain.map(\.path),
            ["params.fast_per_ev", "zone.*.grid_headroom_kw", "city.*.home_parking_share", "params.radius_km"])
        XCTAssertTrue(result.draws.allSatisfy { (0.05...0.06).contains($0[0]) })
        XCTAssertTrue(result.inputs.contains { $0.path == "Scenarios/dear.yaml" })
        // The override holds in every sample: capex is 500,000 a new fast charger.
        let capex = try XCTUnwrap(result.rows.first { $0.city == "testville" && $0.year == 2021 && $0.unit == "fast" })
        XCTAssertEqual(capex.quantiles[3].p50, capex.quantiles[1].p50 * 500_000, accuracy: 1e-6)
    }

    func testBadSweeps() throws {
        XCTAssertThrowsError(try Self.sweep(Fixture.files, samples: 10)) { error in
            XCTAssertTrue(
                (error as? DiagnosticsError)?.diagnostics.first?.message.hasPrefix("nothing is uncertain") ?? false,
                "\(error)")
        }
        for samples in [0, -1, Sweep.maximumSamples + 1] {
            XCTAssertThrowsError(try Self.sweep(samples: samples), "\(samples)")
        }
        XCTAssertEqual(try Self.sweep(samples: Sweep.maximumSamples > 0 ? 2 : 1).samples, 2)
        XCTAssertThrowsError(
            try Sweep.run(Workspace.load(files: Self.files), rollout: "test-rolout", samples: 2, seed: 1)
        ) {
            XCTAssertEqual(($0 as? DiagnosticsError)?.diagnostics.first?.hint, "did you mean 'test-rollout'?")
        }
        XCTAssertThrowsError(try Self.sweep(samples: 2, scenario: "nope"))
    }
}

/// `sweep --shard I/N`: each shard plans every N-th sample of the one design; joined, the shards give the single
/// run's result exactly.
final class SweepShardTests: XCTestCase {
    func testAShardPlansEveryNthSampleAndTheShardsPartitionTheSamples() throws {
        let shard = try XCTUnwrap(SweepSamples.Shard(index: 2, count: 3))
        XCTAssertEqual(shard.indices(samples: 10), [1, 4, 7])
        XCTAssertEqual(try XCTUnwrap(SweepSamples.Shard(index: 3, count: 3)).indices(samples: 2), [])
        XCTAssertEqual(SweepSamples.Shard.whole.indices(samples: 4), [0, 1, 2, 3])
        for count in [1, 2, 3, 7] {
            let all = (1...count).flatMap { SweepSamples.Shard(index: $0, count: count)?.indices(samples: 20) ?? [] }
            XCTAssertEqual(all.sorted(), Array(0..<20), "\(count) shards")
        }
        XCTAssertNil(SweepSamples.Shard(index: 0, count: 3))
        XCTAssertNil(SweepSamples.Shard(index: 4, count: 3))
        XCTAssertNil(SweepSamples.Shard(index: 1, count: 0))
        XCTAssertNotNil(SweepSamples.Shard(index: 1, count: Sweep.maximumSamples))
        XCTAssertNil(SweepSamples.Shard(index: 1, count: Sweep.maximumSamples + 1))
    }

    func testJoinedShardsAreTheSingleRun() throws {
        let workspace = try Workspace.load(files: SweepTests.files)
        func plan(_ shard: SweepSamples.Shard?) throws -> SweepSamples {
            try Sweep.plan(workspace, rollout: "test-rollout", samples: 11, seed: 5, shard: shard, threads: 2)
        }
        let single = try plan(nil)
        let shards = try (1...3).map { try plan(SweepSamples.Shard(index: $0, count: 3)) }
        XCTAssertEqual(shards.map(\.indices), [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8]])
        XCTAssertEqual(shards[1].draws, [1, 4, 7, 10].map { single.draws[$0] }, "the same design in every shard")
        let joined = try XCTUnwrap(SweepSamples.joined(shards.reversed()))
        XCTAssertEqual(joined, single)
        let result = try joined.result()
        let run = try Sweep.run(workspace, rollout: "test-rollout", samples: 11, seed: 5)
        XCTAssertEqual(result.rows, run.rows)
        XCTAssertEqual(result.sensitivity, run.sensitivity)
        XCTAssertEqual(result.draws, run.draws)
        // A shard alone is no sweep; two shards are not all; a shard twice is not a partition.
        XCTAssertThrowsError(try shards[0].result())
        XCTAssertNil(SweepSamples.joined(Array(shards.prefix(2))))
        XCTAssertNil(SweepSamples.joined(shards + [shards[0]]))
        var other = shards[2]
        other.identity.seed = 6
        XCTAssertNil(SweepSamples.joined([shards[0], shards[1], other]), "shards of another seed")
        XCTAssertNil(SweepSamples.joined([]))
    }

    /// A shard file is untrusted input: an identity no sweep has is refused, never trapped on.
    func testAnIdentityNoSweepHasHoldsNoValues() throws {
        let single = try Sweep.plan(
            Workspace.load(files: SweepTests.files), rollout: "test-rollout", samples: 2, seed: 1)
        XCTAssertEqual(single.identity.valuesPerSample, 1 * 5 * 3 * 4, "testville, 2020-2024, three unit types")
        XCTAssertEqual(single.values.map(\.count), [60, 60])
        func damaged(_ change: (inout SweepSamples.Identity) -> Void) -> SweepSamples {
            var copy = single
            change(&copy.identity)
            return copy
        }
        let bad = [
            damaged { $0.lastYear = $0.firstYear - 1 },
            damaged {
                $0.firstYear = Int.min; $0.lastYear = Int.max
            },
            damaged { $0.lastYear = $0.firstYear + 1000 },
            damaged { $0.samples = 0 },
            damaged { $0.samples = Sweep.maximumSamples + 1 },
        ]
        for samples in bad {
            XCTAssertNil(samples.identity.valuesPerSample, "\(samples.identity)")
            XCTAssertThrowsError(try samples.result())
            XCTAssertNil(SweepSamples.joined([samples]))
        }
        XCTAssertNotNil(damaged { $0.lastYear = $0.firstYear + 999 }.identity.valuesPerSample, "1,000 years")
    }

    func testProgressHearsOfEverySamplePlanned() throws {
        final class Counter: ProgressSink, @unchecked Sendable {
            let lock = NSLock()
            var expected = 0
            var done = 0
            func expect(_ count: Int) { lock.withLock { expected += count } }
            func advance() { lock.withLock { done += 1 } }
        }
        let counter = Counter()
        _ = try Sweep.plan(
            Workspace.load(files: SweepTests.files), rollout: "test-rollout", samples: 10, seed: 1,
            shard: SweepSamples.Shard(index: 1, count: 4), threads: 2, progress: counter)
        XCTAssertEqual(counter.expected, 3)
        XCTAssertEqual(counter.done, 3)
    }
}
