import XCTest

@testable import PlanningEngine

/// How a zone-year's installed units are spread over its open stations: the sum is always the installed count.
final class PortAllocationTests: XCTestCase {
    func testStationsFillInOpeningOrderUpToTheirRoom() {
        let allocation = PortAllocation.allocate(previous: [], capacities: [4, 4, 4], installed: 9)
        XCTAssertEqual(allocation.ports, [4, 4, 1])
        XCTAssertEqual(allocation.overflow, 0)
    }

    func testEveryOpenStationGetsAPortBeforeAnyIsFilled() {
        XCTAssertEqual(PortAllocation.allocate(previous: [], capacities: [4, 4, 4], installed: 5).ports, [3, 1, 1])
    }

    func testPortsNeverFallWhileTheInstalledCountGrows() {
        let first = PortAllocation.allocate(previous: [], capacities: [4, 4], installed: 5)
        let second = PortAllocation.allocate(previous: first.ports, capacities: [4, 4, 4], installed: 10)
        XCTAssertEqual(first.ports, [4, 1])
        XCTAssertEqual(second.ports, [4, 4, 2])
        XCTAssertTrue(zip(first.ports, second.ports).allSatisfy { $0 <= $1 })
    }

    func testWhatNoSiteHasRoomForIsSpreadEvenlyAndCounted() {
        let allocation = PortAllocation.allocate(previous: [], capacities: [2, 2], installed: 9)
        XCTAssertEqual(allocation.ports, [5, 4])
        XCTAssertEqual(allocation.overflow, 5)
    }

    func testAFallingCountTakesPortsFromTheLastOpenedFirst() {
        let allocation = PortAllocation.allocate(previous: [4, 4, 2], capacities: [4, 4, 4], installed: 5)
        XCTAssertEqual(allocation.ports, [4, 1, 0])
        XCTAssertEqual(allocation.ports.reduce(0, +), 5)
    }

    func testWithoutStationsTheUnitsAreUnplaced() {
        XCTAssertEqual(
            PortAllocation.allocate(previous: [], capacities: [], installed: 3),
            PortAllocation(ports: [], overflow: 0, unplaced: 3))
        XCTAssertEqual(PortAllocation.allocate(previous: [], capacities: [3], installed: -2).ports, [0])
    }
}
