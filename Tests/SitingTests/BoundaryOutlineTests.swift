import XCTest
@testable import Siting

/// `Boundary`: containment exactly at edges and vertices, holes, area, and generation that stays inside.
final class BoundaryOutlineTests: XCTestCase {
    /// The square 0–1° latitude × 0–1° longitude, with an optional hole.
    func square(hole: Boundary.Ring? = nil) -> Boundary {
        let outer = Boundary.Ring([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)])
        return Boundary(polygons: [Boundary.Polygon(outer: outer, holes: hole.map { [$0] } ?? [])])
    }

    func testEdgesAndVerticesAreInsideAndAHairOutsideIsNot() {
        let outline = square()
        XCTAssertTrue(outline.contains(latitude: 0.5, longitude: 0.5))
        XCTAssertTrue(outline.contains(latitude: 0, longitude: 0.5), "a point on the bottom edge")
        XCTAssertTrue(outline.contains(latitude: 0.5, longitude: 1), "a point on the right edge")
        XCTAssertTrue(outline.contains(latitude: 1, longitude: 1), "a vertex")
        XCTAssertFalse(outline.contains(latitude: -1e-12, longitude: 0.5))
        XCTAssertFalse(outline.contains(latitude: 0.5, longitude: 1 + 1e-12))
        XCTAssertFalse(outline.contains(latitude: 2, longitude: 2))
    }

    func testAHoleIsOutsideAndItsEdgeToo() {
        let hole = Boundary.Ring([(0.4, 0.4), (0.4, 0.6), (0.6, 0.6), (0.6, 0.4), (0.4, 0.4)])
        let outline = square(hole: hole)
        XCTAssertFalse(outline.contains(latitude: 0.5, longitude: 0.5))
        XCTAssertFalse(outline.contains(latitude: 0.4, longitude: 0.5), "the hole's edge belongs to the hole")
        XCTAssertTrue(outline.contains(latitude: 0.3, longitude: 0.5))
        XCTAssertEqual(
            outline.areaKM2, square().areaKM2 - Boundary(polygons: [.init(outer: hole)]).areaKM2,
            accuracy: 1e-6)
    }

    func testAreaIsTheSphericalAreaWhicheverWayTheRingTurns() {
        // R² · Δλ · (sin φ₂ − sin φ₁) for a 1° × 1° cell at the equator.
        let exact = earthRadiusKM * earthRadiusKM * (Double.pi / 180) * sin(Double.pi / 180)
        XCTAssertEqual(square().areaKM2, exact, accuracy: exact * 1e-9)
        let reversed = Boundary.Ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
        XCTAssertEqual(Boundary(polygons: [.init(outer: reversed)]).areaKM2, exact, accuracy: exact * 1e-9)
    }

    func testGeneratedPointsStayInsideAndKeepTheirCount() {
        // The eastern half of a zone's disc is sea: its outline is the land west of 120.0°E.
        let land = Boundary(polygons: [
            .init(
                outer: Boundary.Ring([
                    (29, 119), (31, 119), (31, 120), (29, 120), (29, 119),
                ]))
        ])
        let demand = SiteGenerator.demand(
            zoneID: "z", centre: (30, 120), areaKM2: 400, weight: 10, count: 24,
            within: land)
        XCTAssertEqual(demand.count, 24)
        XCTAssertTrue(demand.allSatisfy { land.contains(latitude: $0.latitude, longitude: $0.longitude) })
        XCTAssertEqual(demand.reduce(0) { $0 + $1.weight }, 10, accuracy: 1e-9)
        let candidates = SiteGenerator.candidates(
            zoneID: "z", centre: (30, 120), areaKM2: 400, count: 40,
            within: land)
        XCTAssertEqual(candidates.count, 40)
        XCTAssertTrue(candidates.allSatisfy { land.contains(latitude: $0.latitude, longitude: $0.longitude) })
        let again = SiteGenerator.candidates(zoneID: "z", centre: (30, 120), areaKM2: 400, count: 40, within: land)
        XCTAssertEqual(candidates.map(\.latitude), again.map(\.latitude))
        // Without an outline, half of the same lattice lies east of 120°E.
        let open = SiteGenerator.candidates(zoneID: "z", centre: (30, 120), areaKM2: 400, count: 40)
        XCTAssertTrue(open.contains { $0.longitude > 120 })
    }

    func testAnOutlineThatHoldsEveryPointChangesNothing() {
        let everywhere = Boundary(polygons: [
            .init(
                outer: Boundary.Ring([
                    (-89, -179), (89, -179), (89, 179), (-89, 179), (-89, -179),
                ]))
        ])
        let open = SiteGenerator.demand(zoneID: "z", centre: (30, 120), areaKM2: 400, weight: 1, count: 24)
        let clipped = SiteGenerator.demand(
            zoneID: "z", centre: (30, 120), areaKM2: 400, weight: 1, count: 24,
            within: everywhere)
        XCTAssertEqual(open.map(\.id), clipped.map(\.id))
        XCTAssertEqual(open.map(\.latitude), clipped.map(\.latitude))
        XCTAssertEqual(open.map(\.weight), clipped.map(\.weight))
    }
}
