import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// Options every command that reads the project shares.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project root holding Cities/ and Rules/.")
    var root: String = "."

    /// The workspace, or exit 2 with its diagnostics.
    func load() throws -> Workspace {
        do { return try Workspace.load(root: root) } catch { throw DiagnosticPrinter.fail(error) }
    }

    /// Rules/ only, or exit 2 with its diagnostics.
    func loadRules() throws -> Workspace {
        do { return try Workspace.loadRules(root: root) } catch { throw DiagnosticPrinter.fail(error) }
    }
}
