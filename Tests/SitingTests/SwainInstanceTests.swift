import Foundation
import XCTest

@testable import Siting

/// Swain's 55-node set (Benchmarks/siting/instances/swain55.json, Apache-2.0, see its README there), the published
/// test set of the maximal covering location problem: on it every answer must be the exact optimum and proved so.
/// The optima are HiGHS' (Benchmarks/siting/README.md, "Swain's 55 nodes"); the slowest cases stay in the benchmark.
final class SwainInstanceTests: XCTestCase {
    private static let instancePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Benchmarks/siting/instances/swain55.json").path

    /// (radius, p, optimum covered weight of 640).
    private let optima: [(Double, Int, Double)] = [
        (5, 1, 303), (5, 2, 366), (5, 3, 405), (5, 4, 433), (5, 5, 452), (5, 6, 470), (5, 7, 485), (5, 8, 499),
        (5, 9, 512), (5, 10, 524), (10, 1, 425), (10, 2, 502), (10, 3, 548), (10, 5, 609), (10, 6, 625),
        (15, 2, 593), (15, 3, 625), (15, 5, 640), (20, 1, 573), (20, 2, 631),
    ]

    func testEveryCaseIsTheProvedOptimum() throws {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: Self.instancePath), Self.instancePath)
        let swain = try SitingInstance.parse(json: [UInt8](data))
        XCTAssertEqual(swain.problem.demand.count, 55)
        XCTAssertEqual(swain.problem.candidates.count, 55)
        XCTAssertEqual(swain.problem.demand.reduce(0) { $0 + $1.weight }, 640)
        for (radius, p, optimum) in optima {
            var problem = swain.problem
            problem.radiusKM = radius
            problem.stationCount = p
            let solution = try SitingSolver.solve(problem)
            XCTAssertEqual(solution.coveredWeight, optimum, "radius \(radius), p \(p)")
            XCTAssertTrue(solution.provedOptimal, "radius \(radius), p \(p)")
            XCTAssertEqual(solution.chosen.count, p)
        }
    }
}
