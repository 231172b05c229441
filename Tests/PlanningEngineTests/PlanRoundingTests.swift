import XCTest

@testable import PlanningEngine

final class PlanRoundingTests: XCTestCase {
    func testHalvesRoundAwayFromZero() {
        XCTAssertEqual(PlanRounding.rounded(0.125, digits: 2), 0.13)
        XCTAssertEqual(PlanRounding.rounded(-0.125, digits: 2), -0.13)
        XCTAssertEqual(PlanRounding.rounded(2.5, digits: 0), 3)
        XCTAssertEqual(PlanRounding.rounded(-2.5, digits: 0), -3)
        XCTAssertEqual(PlanRounding.scaled(1.23456, digits: 4), 12_346)
    }

    func testDigitsAreClampedToTheDeclarablePrecision() {
        XCTAssertEqual(PlanRounding.scaled(1.5, digits: -3), 2)
        XCTAssertEqual(PlanRounding.scale(12), 1e9)
        XCTAssertEqual(PlanRounding.rounded(0.1234567891234, digits: 12), 0.123456789)
    }
}
