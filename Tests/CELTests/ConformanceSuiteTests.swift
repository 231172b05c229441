import XCTest
@testable import CEL

final class ConformanceSuiteTests: XCTestCase {
    func testConformanceSuitePassRates() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/cel-conformance")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("conformance folder \(folder.path) not present")
        }
        let report = try CELConformanceRunner().run(folder: folder)
        // At today's count: every case that runs passes, so one new failure (a planted regression) fails here.
        XCTAssertEqual(report.failed, 0, CELConformanceRunner.format(report, verbose: true))
        XCTAssertGreaterThanOrEqual(report.passed, 1034, "cases that passed before are now skipped")
        XCTAssertEqual(report.corePassRate, 1.0)
    }
}
