import XCTest
@testable import CEL

final class LiteralComparisonTests: XCTestCase {
    func testComparisonsAreFoundInTheTreeOnEitherSideAndOnLaterLines() throws {
        let source = "'rural' != zone.kind &&\n  [1].all(x, zone.kind==\"x\") && zone.id == 'z' && zone.kind < 'a'"
        let program = try CELProgram(compiling: source, in: plannerEnvironment())
        let found = program.literalComparisons.map { "\($0.name) \($0.literal) \($0.line):\($0.column)" }
        XCTAssertEqual(found, ["zone.kind rural 1:1", "zone.kind x 2:25", "zone.id z 2:44"])
    }

    func testANameThatOnlyStartsLikeAnotherIsItsOwnName() throws {
        let program = try CELProgram(compiling: "zone.id == 'kind' || 'a' == 'a'", in: plannerEnvironment())
        XCTAssertEqual(program.literalComparisons.map(\.name), ["zone.id"])
    }
}
