import XCTest

@testable import Siting

/// `SitingReach`, the coverage a planner reads: the same lists as an all-pairs comparison by `greatCircleKM`.
final class SitingReachTests: XCTestCase {
    /// The reach (the solver's coverage index) finds exactly the candidates a comparison with every candidate
    /// finds, also at the poles, across the antimeridian and for radii of zero and of the whole globe.
    func testReachEqualsAllPairsComparison() {
        var generator = SplitMix(seed: 7)
        func coordinate() -> (Double, Double) {
            let lat = generator.next(in: -90...90)
            return (generator.next(in: 0...1) < 0.2 ? (lat < 0 ? -89.99 : 89.99) : lat, generator.next(in: -180...180))
        }
        let candidates = (0..<300).map { j -> CandidateSite in
            let c = coordinate()
            return CandidateSite(id: "c\(j)", latitude: c.0, longitude: c.1)
        }
        let points = (0..<200).map { i -> DemandPoint in
            let p = coordinate()
            return DemandPoint(id: "p\(i)", latitude: p.0, longitude: p.1, weight: 1)
        }
        for radius in [0.0, 1, 50, 500, 3000, 20_100, 1e300] {
            let reach = SitingReach(demand: points, candidates: candidates, radiusKM: radius)
            let fast = points.indices.map { reach.candidates(reaching: $0) }
            let slow = points.map { p in
                candidates.indices.filter {
                    greatCircleKM((p.latitude, p.longitude), (candidates[$0].latitude, candidates[$0].longitude))
                        <= radius
                }
            }
            XCTAssertEqual(fast, slow, "radius \(radius)")
        }
    }

    /// A radius that is not a number, or a coordinate that is not finite, reaches nothing (and does not trap).
    func testNothingReachesPastANonNumber() {
        let point = DemandPoint(id: "d", latitude: 31, longitude: 120, weight: 1)
        let site = CandidateSite(id: "s", latitude: 31, longitude: 120)
        XCTAssertEqual(SitingReach(demand: [point], candidates: [site], radiusKM: 1).candidates(reaching: 0), [0])
        XCTAssertEqual(SitingReach(demand: [point], candidates: [site], radiusKM: .nan).candidates(reaching: 0), [])
        let lost = CandidateSite(id: "s", latitude: .nan, longitude: 120)
        XCTAssertEqual(SitingReach(demand: [point], candidates: [lost], radiusKM: 1).candidates(reaching: 0), [])
        XCTAssertFalse(
            SitingReach(demand: [point], candidates: [site], radiusKM: .nan).isCovered(0, byAnyOf: { _ in true }))
        XCTAssertTrue(
            SitingReach(demand: [point], candidates: [site], radiusKM: 0).isCovered(0, byAnyOf: { _ in true }))
        XCTAssertFalse(
            SitingReach(demand: [point], candidates: [site], radiusKM: 0).isCovered(0, byAnyOf: { _ in false }))
    }
}

/// A small deterministic generator for test coordinates.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(in range: ClosedRange<Double>) -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Double(z >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
    }
}
