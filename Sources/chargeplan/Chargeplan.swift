import ArgumentParser
import Foundation
import PlanningEngine
import PlanWriters
import PlanReview

/// The `chargeplan` command: parses arguments and hands the work to the library modules.
@main
struct Chargeplan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargeplan",
        abstract: "Plan EV-charging rollouts city by city and year by year, from YAML rules.",
        discussion: """
            Exit codes: 0 success; 1 findings or differences; 2 bad input or usage.
            Errors are printed as file:line:col: error: message.
            """,
        version: ChargeplanVersion.current,
        subcommands: [
            PlanCommand.self, MergeCommand.self, RenderCommand.self, CheckCommand.self, ExplainCommand.self,
            FindingsCommand.self, SiteCommand.self, SchemaCommand.self, FmtCommand.self, DiffCommand.self,
            TestCommand.self, BacktestCommand.self, CompareCommand.self, SweepCommand.self,
        ]
    )

    /// ArgumentParser exits 64 on a usage error; the tool's contract is 2 for bad input or usage. A usage error found
    /// while a command runs is shown with that command's usage, as one found while parsing is.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, message: fullMessage(for: error))
        }
        do {
            try command.run()
        } catch {
            let usage = usageString(for: type(of: command))
            let name = type(of: command).configuration.commandName.map { "chargeplan \($0)" } ?? "chargeplan"
            fail(
                error,
                message: "Error: \(message(for: error))\nUsage: \(usage)\n"
                    + "  See '\(name) --help' for more information.")
        }
    }

    private static func fail(_ error: Error, message: String) -> Never {
        if exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
        exit(withError: error)
    }
}
