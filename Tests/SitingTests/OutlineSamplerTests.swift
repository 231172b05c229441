import XCTest
@testable import Siting

/// `OutlineSampler`: points of a zone with a real outline lie inside it, share its weight equally, come out the same
/// on every call, and a concave outline's stand-in centre is inside it.
final class OutlineSamplerTests: XCTestCase {
    /// A ring of (latitude, longitude) corners, closed.
    func outline(_ corners: [(Double, Double)]) -> Boundary {
        Boundary(polygons: [Boundary.Polygon(outer: Boundary.Ring(corners + [corners[0]]))])
    }

    /// About 22 km × 22 km at 20°N.
    var square: Boundary { outline([(20.0, 110.0), (20.0, 110.2), (20.2, 110.2), (20.2, 110.0)]) }

    /// A U open to the north: two arms joined by a strip along the south, its centroid in the gap between the arms.
    var horseshoe: Boundary {
        outline([
            (20.0, 110.0), (20.0, 110.3), (20.3, 110.3), (20.3, 110.2), (20.05, 110.2), (20.05, 110.1),
            (20.3, 110.1), (20.3, 110.0),
        ])
    }

    func testDemandFillsTheOutlineWithEqualSharesOfTheWeight() throws {
        let points = OutlineSampler.demand(zoneID: "z", inside: square, weight: 12, count: 24)
        XCTAssertEqual(Double(points.count), 24, accuracy: 6, "about the count asked for")
        XCTAssertTrue(points.allSatisfy { square.contains(latitude: $0.latitude, longitude: $0.longitude) })
        XCTAssertEqual(points.reduce(0) { $0 + $1.weight }, 12, accuracy: 1e-9)
        XCTAssertEqual(Set(points.map(\.weight)).count, 1, "nothing says where in the zone people live")
        XCTAssertEqual(points.first?.id, "z-d001")
        XCTAssertEqual(Set(points.map(\.id)).count, points.count)
        // Spread over the whole square, not bunched around its centre: points in each quarter.
        for (north, east) in [(false, false), (false, true), (true, false), (true, true)] {
            XCTAssertTrue(
                points.contains { ($0.latitude > 20.1) == north && ($0.longitude > 110.1) == east },
                "a point in quarter north \(north), east \(east)")
        }
    }

    func testTheSameOutlineGivesTheSamePointsAndAnotherZoneOthers() {
        let a = OutlineSampler.candidates(zoneID: "z", inside: horseshoe, count: 40)
        XCTAssertEqual(a, OutlineSampler.candidates(zoneID: "z", inside: horseshoe, count: 40))
        let other = OutlineSampler.candidates(zoneID: "y", inside: horseshoe, count: 40)
        XCTAssertNotEqual(a.map(\.latitude), other.map(\.latitude), "the jitter is the zone's own")
        XCTAssertTrue(a.allSatisfy { horseshoe.contains(latitude: $0.latitude, longitude: $0.longitude) })
        XCTAssertEqual(a.first?.id, "z-c01")
    }

    func testCandidatesComeNearestTheCentreFirst() throws {
        let sites = OutlineSampler.candidates(zoneID: "z", inside: square, count: 30)
        let centre = try XCTUnwrap(square.interiorPoint)
        let distances = sites.map { greatCircleKM((centre.latitude, centre.longitude), ($0.latitude, $0.longitude)) }
        // Ordered by the lattice cell before jitter (a quarter cell either way), so allow one cell of disorder.
        let spacing = (square.areaKM2 / (30 * 3.0.squareRoot() / 2)).squareRoot()
        for (near, far) in zip(distances, distances.dropFirst()) { XCTAssertLessThanOrEqual(near, far + spacing) }
    }

    func testAConcaveOutlineStandsInsideItself() throws {
        let centroid = horseshoe.polygons[0].outer.centroid
        XCTAssertFalse(horseshoe.contains(latitude: centroid.latitude, longitude: centroid.longitude))
        let centre = try XCTUnwrap(horseshoe.interiorPoint)
        XCTAssertTrue(horseshoe.contains(latitude: centre.latitude, longitude: centre.longitude))
        let inSquare = try XCTUnwrap(square.interiorPoint)
        XCTAssertEqual(inSquare.latitude, 20.1, accuracy: 1e-9, "a convex outline's centre is its centroid")
        XCTAssertEqual(inSquare.longitude, 110.1, accuracy: 1e-9)
    }

    func testDegenerateRequestsAndOutlines() {
        XCTAssertEqual(OutlineSampler.demand(zoneID: "z", inside: square, weight: 1, count: 0), [])
        XCTAssertEqual(OutlineSampler.candidates(zoneID: "z", inside: Boundary(polygons: []), count: 5), [])
        // Two 1 km islands 500 km apart: their box is far too empty to lay a lattice over, so the zone stands on one
        // point, its larger island's centre, rather than on a search through 250,000 km² of sea.
        let islands = Boundary(polygons: [
            Boundary.Polygon(
                outer: Boundary.Ring([(20, 110), (20, 110.01), (20.01, 110.01), (20.01, 110), (20, 110)])),
            Boundary.Polygon(
                outer: Boundary.Ring([(24, 114), (24, 114.02), (24.02, 114.02), (24.02, 114), (24, 114)])),
        ])
        let points = OutlineSampler.demand(zoneID: "z", inside: islands, weight: 3, count: 4)
        XCTAssertEqual(points.count, 1)
        XCTAssertEqual(points.first?.weight, 3)
        XCTAssertEqual(points.first?.latitude ?? 0, 24.01, accuracy: 1e-9)
    }
}
