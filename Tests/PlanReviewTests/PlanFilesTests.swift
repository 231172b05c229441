import Foundation
import XCTest
@testable import PlanReview
@testable import PlanningEngine

final class PlanFilesTests: XCTestCase {
    /// `diff a.yaml b.yaml` with a broken a.yaml used to blame `OLD/b.yaml`.
    func testDiffNamesTheFileThatIsBroken() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chargeplan-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.yaml").path
        let good = folder.appendingPathComponent("good.yaml").path
        try "a: [\n".write(toFile: broken, atomically: true, encoding: .utf8)
        try "a: 1\n".write(toFile: good, atomically: true, encoding: .utf8)
        let (old, new) = try PlanFiles.pair(broken, good)
        XCTAssertThrowsError(
            try PlanDiff.compare(
                old: old, new: new, oldName: PlanFiles.displayName(of: broken), newName: PlanFiles.displayName(of: good)
            )
        ) { error in
            let position = (error as? DiagnosticsError)?.diagnostics.first?.position
            XCTAssertEqual(position?.file, broken)
        }
        XCTAssertEqual(PlanFiles.displayName(of: folder.path)("x/y.yaml"), folder.path + "/x/y.yaml")
    }
}
