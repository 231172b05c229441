import TestSupport
import XCTest
@testable import CEL

// Shared by the CEL tests: compile and run with a small planner-like environment.

func plannerEnvironment() -> CELEnvironment {
    var environment = CELEnvironment()
    environment.declareObjectType("Site", fields: [("id", .string), ("grid_kw", .double)])
    environment.declareObjectType(
        "Zone",
        fields: [
            ("id", .string), ("kind", .string), ("population", .int), ("ev_stock", .double),
            ("sites", .list(.object("Site"))),
        ])
    environment.declareObjectType("City", fields: [("population", .int), ("home_parking_share", .double)])
    environment.declareObjectType("Previous", fields: [("zone", .object("Zone"))])
    environment.declareVariable("zone", type: .object("Zone"))
    environment.declareVariable("city", type: .object("City"))
    environment.declareVariable("prev", type: .object("Previous"))
    environment.declareVariable("year", type: .int)
    environment.declareVariable("x", type: .int)
    environment.declareVariable("d", type: .double)
    environment.declareVariable("any", type: .dyn)
    return environment
}

func sampleZone(id: String = "hk-1", population: Int64 = 12_000) -> CELValue {
    .object(
        CELObject(
            typeName: "Zone",
            fields: [
                "id": .string(id), "kind": .string("urban_core"), "population": .int(population),
                "ev_stock": .double(150.5),
                "sites": .list([
                    .object(CELObject(typeName: "Site", fields: ["id": .string("a"), "grid_kw": .double(800)])),
                    .object(CELObject(typeName: "Site", fields: ["id": .string("b"), "grid_kw": .double(300)])),
                ]),
            ]))
}

func sampleActivation() -> CELActivation {
    var activation = CELActivation()
    activation.bind("zone", sampleZone())
    activation.bind(
        "city",
        .object(
            CELObject(typeName: "City", fields: ["population": .int(2_000_000), "home_parking_share": .double(0.4)])))
    activation.bind("prev", .object(CELObject(typeName: "Previous", fields: ["zone": sampleZone(population: 11_000)])))
    activation.bind("year", .int(2027))
    activation.bind("x", .int(5))
    activation.bind("d", .double(2.5))
    activation.bind("any", .int(3))
    return activation
}

func evaluate(_ source: String, _ environment: CELEnvironment = plannerEnvironment()) throws -> CELValue {
    try CELProgram(compiling: source, in: environment).evaluate(sampleActivation())
}

func error(of source: String, _ environment: CELEnvironment = plannerEnvironment()) -> CELError? {
    do {
        _ = try evaluate(source, environment)
        return nil
    } catch let error as CELError {
        return error
    } catch {
        return nil
    }
}

/// Compiles and evaluates `markedSource` with its markers removed and asserts that it fails where
/// `marker` stands: line, column (Unicode scalars) and UTF-8 offset. Returns the error for further checks.
@discardableResult
func assertFails(
    _ markedSource: String, at marker: String = "1️⃣", _ environment: CELEnvironment = plannerEnvironment(),
    file: StaticString = #filePath, line: UInt = #line
) -> CELError? {
    let (source, markers) = extractMarkers(markedSource)
    guard let expected = markers[marker] else {
        XCTFail("no marker \(marker) in \(markedSource)", file: file, line: line)
        return nil
    }
    guard let failure = error(of: source, environment) else {
        XCTFail("expected an error: \(source)", file: file, line: line)
        return nil
    }
    XCTAssertEqual(failure.line, expected.line, "line of the error in \(source)", file: file, line: line)
    XCTAssertEqual(failure.column, expected.column, "column of the error in \(source)", file: file, line: line)
    XCTAssertEqual(failure.offset, expected.utf8Offset, "offset of the error in \(source)", file: file, line: line)
    return failure
}
