import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// Prints diagnostics on stderr the one way the tool prints them.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        var text = diagnostics.map(\.description).joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func fail(_ error: DiagnosticsError) -> ExitCode {
        print(error.diagnostics)
        return ExitCode(2)
    }

    /// A problem with no place in a file (usage, output folders): `chargeplan: error: …`, exit 2.
    static func fail(message: String) -> ExitCode {
        print([.error(message, at: nil)])
        return ExitCode(2)
    }

    /// A request that cannot start: a usage error is shown with the command's usage (exit 2), the rest as diagnostics.
    static func fail(_ error: PlanRequestError) -> any Error {
        switch error {
        case .usage(let message): ValidationError(message)
        case .diagnostics(let diagnostics): fail(diagnostics)
        }
    }
}
