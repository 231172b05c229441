import XCTest
@testable import Siting

/// A solve through a `SitingCoverageCache` is a plain solve: the same solution bit for bit, its lists built once
/// while only weights, station counts and fixed stations change, and built again when anything they depend on does.
final class SitingCoverageCacheTests: XCTestCase {
    let demand = SiteGenerator.demand(zoneID: "hk", centre: (20.04, 110.32), areaKM2: 300, weight: 12_000, count: 60)
    let candidates = SiteGenerator.candidates(zoneID: "hk", centre: (20.04, 110.32), areaKM2: 300, count: 30)

    func problem(
        year: Int, radiusKM: Double = 2.5, spacingKM: Double? = 1, candidates: [CandidateSite]? = nil
    )
        -> SitingProblem
    {
        // Weights that change each year, unevenly, as a planner's zone weights do.
        let weighted = demand.enumerated().map { index, point in
            DemandPoint(
                id: point.id, latitude: point.latitude, longitude: point.longitude,
                weight: point.weight * Double(1 + (index * 7 + year * 3) % 11))
        }
        return SitingProblem(
            demand: weighted, candidates: candidates ?? self.candidates, radiusKM: radiusKM,
            stationCount: 2 + year, minSpacingKM: spacingKM, fixed: year > 0 ? [0] : [])
    }

    func testCachedSolvesEqualFreshOnesAndBuildTheListsOnce() throws {
        var cache = SitingCoverageCache()
        for year in 0..<6 {
            let instance = problem(year: year)
            XCTAssertEqual(
                try SitingSolver.solve(instance, cache: &cache), try SitingSolver.solve(instance),
                "year \(year)")
        }
        XCTAssertEqual(cache.builds, 1)
    }

    func testAChangedRadiusSpacingOrCandidateRebuildsTheLists() throws {
        var cache = SitingCoverageCache()
        _ = try SitingSolver.solve(problem(year: 1), cache: &cache)
        let wider = problem(year: 1, radiusKM: 4)
        XCTAssertEqual(try SitingSolver.solve(wider, cache: &cache), try SitingSolver.solve(wider))
        XCTAssertEqual(cache.builds, 2)
        let unspaced = problem(year: 1, radiusKM: 4, spacingKM: nil)
        XCTAssertEqual(try SitingSolver.solve(unspaced, cache: &cache), try SitingSolver.solve(unspaced))
        XCTAssertEqual(cache.builds, 3)
        var moved = candidates
        moved[3].latitude += 0.01
        let elsewhere = problem(year: 1, radiusKM: 4, spacingKM: nil, candidates: moved)
        XCTAssertEqual(try SitingSolver.solve(elsewhere, cache: &cache), try SitingSolver.solve(elsewhere))
        XCTAssertEqual(cache.builds, 4)
        _ = try SitingSolver.solve(problem(year: 2, radiusKM: 4, spacingKM: nil, candidates: moved), cache: &cache)
        XCTAssertEqual(cache.builds, 4, "only the weights changed")
    }

    func testACachedSolveStillValidates() {
        var cache = SitingCoverageCache()
        var bad = problem(year: 0)
        bad.demand[5].latitude = 91
        XCTAssertThrowsError(try SitingSolver.solve(bad, cache: &cache)) { error in
            XCTAssertEqual(
                (error as? SitingError)?.message,
                "demand point 5 (\(demand[5].id)): latitude 91.0 is outside -90...90")
        }
        XCTAssertEqual(cache.builds, 0)
    }
}
