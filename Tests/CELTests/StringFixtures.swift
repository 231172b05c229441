import XCTest
@testable import CEL

// Shared by the string, regex and cost tests.

/// An environment with two string variables, for patterns and inputs built in Swift.
func stringEnvironment() -> CELEnvironment {
    var environment = CELEnvironment()
    environment.declareVariable("s", type: .string)
    environment.declareVariable("p", type: .string)
    return environment
}

func evaluateStrings(_ source: String, s: String = "", p: String = "", costLimit: Int = 100_000) throws -> CELValue {
    var activation = CELActivation()
    activation.bind("s", .string(s))
    activation.bind("p", .string(p))
    return try CELProgram(compiling: source, in: stringEnvironment(), costLimit: costLimit).evaluate(activation)
}

func stringsError(_ source: String, s: String = "", p: String = "", costLimit: Int = 100_000) -> CELError? {
    do {
        _ = try evaluateStrings(source, s: s, p: p, costLimit: costLimit)
        return nil
    } catch let error as CELError {
        return error
    } catch {
        return nil
    }
}
