import XCTest
@testable import Siting

/// Seeded generator for test instances (independent of the library's own).
private struct TestRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9e37_79b9_7f4a_7c15 &+ 1 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
    mutating func int(_ upper: Int) -> Int { Int(next() % UInt64(upper)) }
}

/// Random instance in a box of `sideKM` around (lat, lon), demand clustered around 3 centres.
private func randomProblem(
    seed: UInt64, demand n: Int, candidates m: Int, radiusKM: Double, p: Int, sideKM: Double = 30,
    minSpacingKM: Double? = nil, fixed: [Int] = [], lat: Double = 31.8, lon: Double = 119.9
) -> SitingProblem {
    var rng = TestRNG(seed)
    let kmLat = 111.195
    let kmLon = 111.195 * cos(lat * Double.pi / 180)
    let centres = (0..<3).map { _ in (rng.uniform(-sideKM / 3, sideKM / 3), rng.uniform(-sideKM / 3, sideKM / 3)) }
    var demand: [DemandPoint] = []
    for i in 0..<n {
        let (cx, cy) = centres[rng.int(3)]
        let x = cx + rng.uniform(-sideKM / 4, sideKM / 4)
        let y = cy + rng.uniform(-sideKM / 4, sideKM / 4)
        demand.append(
            DemandPoint(
                id: "d\(i)", latitude: lat + y / kmLat, longitude: lon + x / kmLon,
                weight: Double(1 + rng.int(20))))
    }
    var candidates: [CandidateSite] = []
    for j in 0..<m {
        let x = rng.uniform(-sideKM / 2, sideKM / 2)
        let y = rng.uniform(-sideKM / 2, sideKM / 2)
        candidates.append(CandidateSite(id: "c\(j)", latitude: lat + y / kmLat, longitude: lon + x / kmLon))
    }
    return SitingProblem(
        demand: demand, candidates: candidates, radiusKM: radiusKM, stationCount: p,
        minSpacingKM: minSpacingKM, fixed: fixed)
}

private func ll(_ d: DemandPoint) -> (Double, Double) { (d.latitude, d.longitude) }
private func ll(_ c: CandidateSite) -> (Double, Double) { (c.latitude, c.longitude) }

/// Coverage of a set by the definition (O(n·|set|) haversine), summed in demand order.
private func coverage(_ problem: SitingProblem, _ set: [Int]) -> Double {
    var s = 0.0
    for d in problem.demand
    where set.contains(where: { greatCircleKM(ll(d), ll(problem.candidates[$0])) <= problem.radiusKM }) {
        s += d.weight
    }
    return s
}

private func spacingOK(_ problem: SitingProblem, _ set: [Int]) -> Bool {
    guard let s = problem.minSpacingKM else { return true }
    for a in set.indices {
        for b in set.indices where b > a {
            // Fixed stations may stand closer to each other; everything else keeps the spacing.
            if problem.fixed.contains(set[a]) && problem.fixed.contains(set[b]) { continue }
            if greatCircleKM(ll(problem.candidates[set[a]]), ll(problem.candidates[set[b]])) < s { return false }
        }
    }
    return true
}

/// Best coverage over all feasible sets (fixed ∪ up to p − |fixed| others), by enumeration.
private func bruteForce(_ problem: SitingProblem) -> Double {
    let free = problem.candidates.indices.filter { !problem.fixed.contains($0) }
    let k = problem.stationCount - problem.fixed.count
    var best = coverage(problem, problem.fixed)
    func rec(_ start: Int, _ set: [Int], _ left: Int) {
        if left == 0 || start == free.count { return }
        for q in start..<free.count {
            let next = set + [free[q]]
            guard spacingOK(problem, next) else { continue }
            best = max(best, coverage(problem, next))
            rec(q + 1, next, left - 1)
        }
    }
    rec(0, problem.fixed, k)
    return best
}

final class SitingTests: XCTestCase {
    func testGreatCircle() {
        XCTAssertEqual(greatCircleKM((0, 0), (0, 0)), 0)
        XCTAssertEqual(greatCircleKM((0, 0), (0, 1)), 6371.0088 * Double.pi / 180, accuracy: 1e-9)
        XCTAssertEqual(greatCircleKM((90, 0), (-90, 0)), 6371.0088 * Double.pi, accuracy: 1e-6)
        // Shanghai – Beijing ≈ 1067 km.
        XCTAssertEqual(greatCircleKM((31.2304, 121.4737), (39.9042, 116.4074)), 1067, accuracy: 3)
        XCTAssertEqual(greatCircleKM((10, 179.9), (10, -179.9)), greatCircleKM((10, -179.9), (10, 179.9)))
    }

    /// The grid-built coverage lists equal the O(n·m) definition, also at the poles and across
    /// the antimeridian.
    func testCoverageIndexMatchesDefinition() {
        for (seed, lat, lon, radius) in [
            (1, 31.8, 119.9, 3.0), (2, 89.95, 0.0, 4.0), (3, -10.0, 179.97, 5.0),
            (4, 0.0, 0.0, 0.01), (5, 45.0, 10.0, 1_000.0),
        ] {
            let p = randomProblem(
                seed: UInt64(seed), demand: 300, candidates: 40, radiusKM: radius, p: 3,
                sideKM: 20, lat: lat, lon: lon)
            // Clamp generated coordinates into range for the polar/antimeridian cases.
            var problem = p
            problem.demand = p.demand.map {
                var d = $0
                d.latitude = min(90, d.latitude)
                d.longitude = d.longitude > 180 ? d.longitude - 360 : d.longitude
                return d
            }
            problem.candidates = p.candidates.map {
                var c = $0
                c.latitude = min(90, c.latitude)
                c.longitude = c.longitude > 180 ? c.longitude - 360 : c.longitude
                return c
            }
            let index = CoverageIndex(
                demand: problem.demand, candidates: problem.candidates,
                radiusKM: problem.radiusKM, minSpacingKM: 2)
            for j in problem.candidates.indices {
                let expected = problem.demand.indices.filter {
                    greatCircleKM(ll(problem.demand[$0]), ll(problem.candidates[j])) <= problem.radiusKM
                }
                let got = index.candDemand[index.candStart[j]..<index.candStart[j + 1]].map { Int($0) }
                XCTAssertEqual(got, expected, "seed \(seed) candidate \(j)")
                let conflicts = problem.candidates.indices.filter {
                    $0 != j && greatCircleKM(ll(problem.candidates[$0]), ll(problem.candidates[j])) < 2
                }
                let gotConflicts = index.conflict[index.conflictStart[j]..<index.conflictStart[j + 1]].map { Int($0) }
                XCTAssertEqual(gotConflicts, conflicts, "seed \(seed) candidate \(j) conflicts")
            }
        }
    }

    func testMatchesBruteForceOnSmallInstances() throws {
        var checked = 0
        for seed in 1...24 {
            let s = UInt64(seed)
            let m = 8 + seed % 7
            let p = 1 + seed % 5
            let spacing: Double? = seed % 3 == 0 ? 4 : nil
            let fixed: [Int] = seed % 4 == 0 ? [seed % m] : []
            let problem = randomProblem(
                seed: s, demand: 60, candidates: m, radiusKM: 3 + Double(seed % 4),
                p: max(p, fixed.count), minSpacingKM: spacing, fixed: fixed)
            let solution = try SitingSolver.solve(problem)
            let optimum = bruteForce(problem)
            XCTAssertEqual(solution.coveredWeight, optimum, accuracy: 1e-9, "seed \(seed)")
            XCTAssertTrue(solution.provedOptimal, "seed \(seed)")
            XCTAssertEqual(try XCTUnwrap(solution.upperBound), optimum, accuracy: 1e-6, "seed \(seed)")
            XCTAssertEqual(coverage(problem, solution.chosen), solution.coveredWeight, accuracy: 1e-9)
            XCTAssertTrue(spacingOK(problem, solution.chosen), "seed \(seed)")
            XCTAssertEqual(Array(solution.chosen.prefix(fixed.count)), fixed)
            XCTAssertEqual(Set(solution.chosen).count, solution.chosen.count)
            XCTAssertLessThanOrEqual(solution.chosen.count, problem.stationCount)
            XCTAssertEqual(solution.chosen.count + solution.shortfall, problem.stationCount)
            checked += 1
        }
        XCTAssertEqual(checked, 24)
    }

    func testMarginalWeightsAddUp() throws {
        let problem = randomProblem(seed: 77, demand: 2000, candidates: 150, radiusKM: 2.5, p: 15, fixed: [3, 9])
        let s = try SitingSolver.solve(problem)
        XCTAssertEqual(s.chosen.count, 15)
        XCTAssertEqual(s.coveredWeightByChosen.count, 15)
        XCTAssertEqual(s.coveredWeightByChosen.reduce(0, +), s.coveredWeight, accuracy: 1e-6)
        XCTAssertEqual(coverage(problem, s.chosen), s.coveredWeight, accuracy: 1e-9)
        // Added stations come in greedy order: non-increasing marginal weight.
        let added = s.coveredWeightByChosen.dropFirst(2)
        XCTAssertEqual(Array(added), added.sorted(by: >))
        let ub = try XCTUnwrap(s.upperBound)
        XCTAssertGreaterThanOrEqual(ub, s.coveredWeight)
        XCTAssertLessThanOrEqual(ub, s.totalWeight + 1e-9)
        XCTAssertGreaterThanOrEqual(s.coveredWeight, (1 - 1 / M_E) * ub)
    }

    func testFixedStationsAreKeptAndCountTowardsP() throws {
        let problem = randomProblem(seed: 5, demand: 500, candidates: 60, radiusKM: 3, p: 6, fixed: [42, 7, 19])
        let s = try SitingSolver.solve(problem)
        XCTAssertEqual(Array(s.chosen.prefix(3)), [42, 7, 19])
        XCTAssertEqual(s.chosen.count, 6)
        // p equal to the fixed count: exactly the fixed stations, trivially optimal.
        var exact = problem
        exact.stationCount = 3
        let t = try SitingSolver.solve(exact)
        XCTAssertEqual(t.chosen, [42, 7, 19])
        XCTAssertTrue(t.provedOptimal)
    }

    func testSpacingIsHonouredAndShortfallReported() throws {
        let problem = randomProblem(
            seed: 11, demand: 800, candidates: 200, radiusKM: 2, p: 30, sideKM: 20,
            minSpacingKM: 3)
        let s = try SitingSolver.solve(problem)
        XCTAssertTrue(spacingOK(problem, s.chosen))
        // Far more stations than 8 km spacing allows in a 20 km box: as many as feasible.
        var crowded = problem
        crowded.minSpacingKM = 8
        crowded.stationCount = 100
        let c = try SitingSolver.solve(crowded)
        XCTAssertTrue(spacingOK(crowded, c.chosen))
        XCTAssertLessThan(c.chosen.count, 100)
        XCTAssertEqual(c.shortfall, 100 - c.chosen.count)
        // Maximal: no further candidate could be added.
        for j in crowded.candidates.indices where !c.chosen.contains(j) {
            XCTAssertFalse(spacingOK(crowded, c.chosen + [j]), "candidate \(j) could still be added")
        }
    }

    func testMoreStationsThanCandidates() throws {
        let problem = randomProblem(seed: 3, demand: 100, candidates: 5, radiusKM: 2, p: 9)
        let s = try SitingSolver.solve(problem)
        XCTAssertEqual(s.chosen.count, 5)
        XCTAssertEqual(s.shortfall, 4)
        XCTAssertTrue(s.provedOptimal)
    }

    /// Year by year, each year's choice is fixed in the next: the sets nest.
    func testYearsNest() throws {
        var previous: [Int] = []
        for (year, p) in [4, 9, 15, 22].enumerated() {
            let problem = randomProblem(
                seed: 21, demand: 3000, candidates: 300, radiusKM: 2, p: p,
                minSpacingKM: year % 2 == 0 ? 1 : nil, fixed: previous)
            let s = try SitingSolver.solve(problem)
            XCTAssertEqual(Array(s.chosen.prefix(previous.count)), previous)
            XCTAssertTrue(Set(previous).isSubset(of: Set(s.chosen)))
            XCTAssertEqual(s.chosen.count, p)
            previous = s.chosen
        }
    }

    func testDeterministic() throws {
        let problem = randomProblem(seed: 99, demand: 5000, candidates: 400, radiusKM: 2, p: 40, minSpacingKM: 0.5)
        let a = try SitingSolver.solve(problem)
        let b = try SitingSolver.solve(problem)
        XCTAssertEqual(a, b)
        let instance = SitingInstance(problem: problem)
        XCTAssertEqual(instance.encode(a), instance.encode(b))
        // Two identical candidates: the lower index wins the tie.
        let twin = SitingProblem(
            demand: [DemandPoint(id: "d", latitude: 10, longitude: 10, weight: 1)],
            candidates: [
                CandidateSite(id: "a", latitude: 10, longitude: 10.001),
                CandidateSite(id: "b", latitude: 10, longitude: 10.001),
            ],
            radiusKM: 1, stationCount: 1)
        XCTAssertEqual(try SitingSolver.solve(twin).chosen, [0])
    }

    func testValidationErrors() {
        let base = randomProblem(seed: 1, demand: 10, candidates: 5, radiusKM: 2, p: 2)
        func expectError(_ edit: (inout SitingProblem) -> Void, _ fragment: String, line: UInt = #line) {
            var p = base
            edit(&p)
            XCTAssertThrowsError(try SitingSolver.solve(p), line: line) { error in
                let message = (error as? SitingError)?.message ?? ""
                XCTAssertTrue(message.contains(fragment), "“\(message)” lacks “\(fragment)”", line: line)
            }
        }
        expectError({ $0.fixed = [5] }, "not a candidate index")
        expectError({ $0.fixed = [-1] }, "not a candidate index")
        expectError({ $0.fixed = [1, 1] }, "listed twice")
        expectError(
            {
                $0.fixed = [0, 1, 2]; $0.stationCount = 2
            }, "less than the 3 fixed")
        expectError({ $0.stationCount = -1 }, "less than the 0 fixed")
        expectError({ $0.demand[3].latitude = .nan }, "finite")
        expectError({ $0.candidates[2].longitude = .infinity }, "finite")
        expectError({ $0.demand[0].latitude = 91 }, "latitude 91.0 is outside")
        expectError({ $0.candidates[0].longitude = -180.5 }, "longitude -180.5 is outside")
        expectError({ $0.demand[1].weight = -1 }, "weight")
        expectError({ $0.demand[1].weight = .nan }, "weight")
        expectError({ $0.radiusKM = 0 }, "radius")
        expectError({ $0.radiusKM = -3 }, "radius")
        expectError({ $0.radiusKM = .nan }, "radius")
        expectError({ $0.radiusKM = .infinity }, "radius")
        expectError({ $0.minSpacingKM = -1 }, "spacing")
        expectError({ $0.minSpacingKM = .nan }, "spacing")
    }

    func testEmptyAndDegenerateInputs() throws {
        let none = SitingProblem(demand: [], candidates: [], radiusKM: 1, stationCount: 0)
        let s = try SitingSolver.solve(none)
        XCTAssertEqual(s.chosen, [])
        XCTAssertEqual(s.coverageRatio, 1)
        XCTAssertTrue(s.provedOptimal)
        // All weights zero: still places p stations.
        var zero = randomProblem(seed: 4, demand: 20, candidates: 10, radiusKM: 1, p: 3)
        zero.demand = zero.demand.map {
            var d = $0; d.weight = 0; return d
        }
        let z = try SitingSolver.solve(zero)
        XCTAssertEqual(z.chosen, [0, 1, 2])
        XCTAssertEqual(z.coveredWeight, 0)
    }

    func testScalesToLargeInstances() throws {
        // 20k × 1k in debug builds must still finish quickly; release is far faster.
        let problem = randomProblem(seed: 8, demand: 20_000, candidates: 1_000, radiusKM: 5, p: 100, sideKM: 100)
        let s = try SitingSolver.solve(problem)
        XCTAssertEqual(s.chosen.count, 100)
        let ub = try XCTUnwrap(s.upperBound)
        XCTAssertGreaterThanOrEqual(s.coveredWeight, 0.9 * ub)
    }
}

final class SitingSearchTests: XCTestCase {
    /// Every λ gives a valid bound: the Lagrangian bound is never below the optimum, and the
    /// k best candidates it reports are distinct free candidates.
    func testLagrangianBoundIsAnUpperBound() throws {
        for seed in 1...12 {
            let m = 9 + seed % 5
            let fixed: [Int] = seed % 3 == 0 ? [seed % m] : []
            let p = 2 + seed % 3 + fixed.count
            let problem = randomProblem(
                seed: UInt64(100 + seed), demand: 80, candidates: m,
                radiusKM: 3 + Double(seed % 3), p: p, fixed: fixed)
            let optimum = bruteForce(problem)
            let index = CoverageIndex(
                demand: problem.demand, candidates: problem.candidates,
                radiusKM: problem.radiusKM, minSpacingKM: nil)
            var state = CoverState(index: index)
            for f in fixed { state.add(f) }
            let fixedState = state
            var isFixed = [Bool](repeating: false, count: m)
            for f in fixed { isFixed[f] = true }
            let k = p - fixed.count
            _ = SitingSolver.lazyGreedy(
                state: &state, pool: (0..<m).filter { !isFixed[$0] }, count: k,
                respectSpacing: false)
            let lag = SitingSolver.lagrangianBound(
                index: index, start: state, fixedState: fixedState, isFixed: isFixed, k: k,
                incumbent: state.coveredWeight(), tolerance: 0)
            XCTAssertGreaterThanOrEqual(lag.bound, optimum - 1e-9, "seed \(seed)")
            XCTAssertLessThanOrEqual(lag.top.count, k)
            XCTAssertEqual(Set(lag.top).count, lag.top.count)
            XCTAssertTrue(lag.top.allSatisfy { !isFixed[$0] })
        }
    }

    /// On instances too large for branch and bound the search (local search, region
    /// re-optimisation, the Lagrangian start, iterated local search) keeps every constraint,
    /// never does worse than the plain greedy, and reports what it covers.
    func testSearchKeepsConstraintsAndBeatsGreedy() throws {
        for (seed, spacing) in [(31, nil), (32, 0.8), (33, nil)] as [(UInt64, Double?)] {
            let fixed = seed == 33 ? [5, 17, 40] : []
            let problem = randomProblem(
                seed: seed, demand: 3000, candidates: 250, radiusKM: 2.5, p: 25,
                minSpacingKM: spacing, fixed: fixed)
            let s = try SitingSolver.solve(problem)
            XCTAssertEqual(Array(s.chosen.prefix(fixed.count)), fixed)
            XCTAssertEqual(Set(s.chosen).count, s.chosen.count)
            XCTAssertEqual(s.chosen.count + s.shortfall, problem.stationCount)
            XCTAssertTrue(spacingOK(problem, s.chosen), "seed \(seed)")
            XCTAssertEqual(coverage(problem, s.chosen), s.coveredWeight, accuracy: 1e-6)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(s.upperBound), s.coveredWeight)
            // Plain greedy (the solver's first step) as the floor.
            let index = CoverageIndex(
                demand: problem.demand, candidates: problem.candidates,
                radiusKM: problem.radiusKM, minSpacingKM: spacing)
            var state = CoverState(index: index)
            for f in fixed { state.add(f) }
            let pool = problem.candidates.indices.filter { !fixed.contains($0) }
            _ = SitingSolver.lazyGreedy(
                state: &state, pool: pool, count: problem.stationCount - fixed.count,
                respectSpacing: true)
            XCTAssertGreaterThanOrEqual(s.coveredWeight, state.coveredWeight(), "seed \(seed)")
        }
    }
}
