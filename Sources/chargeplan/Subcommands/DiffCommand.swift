import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Semantic diff of two plan sets: files, folders, or the plans of a git revision.",
        discussion: """
            OLD and NEW are plan files or folders (e.g. plans/ of two checkouts). With --git REV, the plans
            that REV's inputs produce are compared with the plans of the working tree's inputs (both computed
            in memory; plans/ is not read). First a summary: rollout totals before → after, the largest changes,
            and the inputs that changed (for --git, REV's input files against the working tree's, key by key with
            file:line:col; for OLD NEW, from the input hashes the plans record). Then the details, file → city/zone →
            year, with the rules involved, trimmed to --max-bytes (the summary never is).
            Exit codes: 0 no change; 1 changes; 2 bad input or usage.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @OptionGroup var project: ProjectOptions

    @Argument(help: "Old plan file or folder.")
    var old: String?

    @Argument(help: "New plan file or folder.")
    var new: String?

    @Option(help: "Compare the plans of this git revision's inputs with the working tree's (e.g. origin/main).")
    var git: String?

    @Option(name: .shortAndLong, help: "Output: text, markdown (for PR comments) or json.")
    var format: Format = .text

    @Option(
        help: ArgumentHelp(
            "Byte budget of the text or markdown output: details are trimmed to fit, never the summary "
                + "(default: \(PlanDiffRenderOptions.defaultMarkdownBytes) for markdown, none for text).",
            valueName: "bytes"
        ))
    var maxBytes: Int?

    func validate() throws {
        if git != nil {
            if old != nil || new != nil { throw ValidationError("give either --git REV or OLD and NEW, not both") }
        } else if old == nil || new == nil {
            throw ValidationError("give OLD and NEW plan files or folders, or --git REV")
        }
        if let maxBytes, maxBytes < 1 { throw ValidationError("--max-bytes must be at least 1") }
        if maxBytes != nil, format == .json {
            throw ValidationError("--max-bytes trims text and markdown; json is never trimmed")
        }
    }

    func run() throws {
        let report: PlanDiff.Report
        let command: String
        do {
            if let git {
                report = try withProgress("diff") { progress throws(DiagnosticsError) in
                    try PlanDiff.againstRevision(git, root: project.root, progress: progress)
                }
                command = "chargeplan diff --git \(git)"
            } else if let old, let new {
                report = try PlanDiff.betweenPlans(old: old, new: new, root: project.root)
                command = "chargeplan diff \(old) \(new)"
            } else {
                throw ExitCode(2)
            }
        } catch let error as DiagnosticsError {
            throw DiagnosticPrinter.fail(error)
        }
        let budget = maxBytes ?? (format == .markdown ? PlanDiffRenderOptions.defaultMarkdownBytes : nil)
        let title = git.map { "Plan changes against `\($0)`" } ?? "Plan changes"
        let options = PlanDiffRenderOptions(title: title, maxBytes: budget, fullCommand: command)
        switch format {
        case .markdown: emit(PlanDiff.renderMarkdownDocument(report, options: options), budget: budget)
        case .json: print(PlanDiff.renderJSON(report), terminator: "")
        case .text: emit(PlanDiff.renderTextDocument(report, options: options), budget: budget)
        }
        if !report.isEmpty { throw ExitCode(1) }
    }

    private func emit(_ rendered: RenderedDiff, budget: Int?) {
        print(rendered.text, terminator: "")
        if rendered.summaryOverBudget, let budget {
            let message =
                "the diff's summary alone is \(rendered.text.utf8.count) bytes, over --max-bytes \(budget); "
                + "it is written whole, without details"
            DiagnosticPrinter.print([Diagnostic(.warning, message, at: nil)])
        }
    }
}
