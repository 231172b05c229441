import TestSupport
import XCTest
@testable import PlanningEngine

final class CurrencyTests: XCTestCase {
    private func errors(_ files: [String: String]) -> [Diagnostic] {
        Fixture.diagnostics(files).filter { $0.severity == .error }
    }

    func testTheFixtureDeclaresCNY() throws {
        let ruleSet = try XCTUnwrap(try Workspace.load(files: Fixture.files).ruleSet("basic"))
        XCTAssertEqual(ruleSet.currency?.value, "CNY")
        XCTAssertEqual(ruleSet.moneySuffix, "_cny")
        XCTAssertEqual(try Fixture.plan().currency, "CNY")
    }

    func testTheSameCurrencyTwiceIsFineADifferentOneIsAnError() throws {
        var files = Fixture.files
        files["Rules/basic/zz.yaml"] = "currency: CNY\n"
        XCTAssertEqual(errors(files), [])
        files["Rules/basic/zz.yaml"] = "# money\ncurrency: USD\n"
        let d = try XCTUnwrap(errors(files).first)
        XCTAssertEqual(d.message, "currency 'USD' differs from 'CNY' declared at Rules/basic/units.yaml:1:11")
        XCTAssertEqual(d.position?.description, "Rules/basic/zz.yaml:2:11")
    }

    func testACurrencyIsThreeUppercaseLetters() throws {
        for bad in ["cny", "RMB2", "EU"] {
            let units = Fixture.units.replacingOccurrences(of: "currency: CNY", with: "currency: \(bad)")
            let d = try XCTUnwrap(errors(Fixture.files(replacing: "Rules/basic/units.yaml", with: units)).first, bad)
            XCTAssertEqual(d.message, "currency '\(bad)' must be a 3-letter uppercase code")
            XCTAssertEqual(d.position?.description, "Rules/basic/units.yaml:1:11")
        }
    }

    func testARuleSetWithoutACurrencyIsAnError() throws {
        let units = Fixture.units.replacingOccurrences(of: "currency: CNY\n", with: "")
        let found = errors(Fixture.files(replacing: "Rules/basic/units.yaml", with: units))
        XCTAssertEqual(found.map(\.message), ["rule set 'basic' declares no currency"])
    }
}
