import TestSupport
import XCTest
@testable import CEL

final class LiteralComparisonTests: XCTestCase {
    func testComparisonsAreFoundInTheTreeOnEitherSideAndOnLaterLines() throws {
        let (source, markers) = extractMarkers(
            "1️⃣'rural' != zone.kind &&\n  [1].all(x, zone.kind==2️⃣\"x\") && zone.id == 3️⃣'z' && zone.kind < 'a'")
        let program = try CELProgram(compiling: source, in: plannerEnvironment())
        let found = program.literalComparisons.map { "\($0.name) \($0.literal) \($0.line):\($0.column)" }
        let at = { (marker: String) in markers[marker].map { "\($0.line):\($0.column)" } ?? "no \(marker)" }
        XCTAssertEqual(found, ["zone.kind rural \(at("1️⃣"))", "zone.kind x \(at("2️⃣"))", "zone.id z \(at("3️⃣"))"])
        XCTAssertEqual(at("2️⃣"), "2:25")
    }

    func testANameThatOnlyStartsLikeAnotherIsItsOwnName() throws {
        let program = try CELProgram(compiling: "zone.id == 'kind' || 'a' == 'a'", in: plannerEnvironment())
        XCTAssertEqual(program.literalComparisons.map(\.name), ["zone.id"])
    }
}
