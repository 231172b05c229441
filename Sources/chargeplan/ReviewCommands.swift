import ArgumentParser
import Foundation
import PlanningEngine
import PlanWriters
import PlanReview

/// Writes text files, each through a temporary file and a rename, so no file is ever half-written.
enum ReviewFiles {
    static func write(_ files: [(path: String, content: String)]) throws {
        for file in files {
            do {
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: file.path), options: .atomic)
            } catch {
                throw DiagnosticPrinter.fail(message: "cannot write \(file.path): \(error.localizedDescription)")
            }
        }
    }

    static func inputFiles(root: String) throws -> [String] {
        do { return try Workspace.inputPaths(root: root) } catch { throw DiagnosticPrinter.fail(error) }
    }

    static func join(_ root: String, _ path: String) -> String {
        path.hasPrefix("/") || root == "." ? path : root + "/" + path
    }
}

// MARK: schema

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write or print JSON Schemas (draft 2020-12) of the input files and of the JSON chargeplan writes.",
        discussion: """
            Without options, writes every schema into schemas/ under --root: city.schema.json (profiles: the union of
            every rule set's inputs), rollout.schema.json, rules.schema.json, scenario.schema.json,
            city.<rule set>.schema.json for each rule set (its own inputs only: its test fixtures point at it), and the
            schemas of the JSON outputs:
            plan.schema.json (<city>.json), plan-summary.schema.json (_summary.json), diff.schema.json (diff --format
            json), compare.schema.json (compare --format json), sweep.schema.json (sweep.json). --kind K prints
            that one schema (or writes it into --output DIR). Only Rules/ under --root is read.
            The committed copies are regenerated with: swift run chargeplan schema
            Exit codes: 0 written; 2 bad usage, unloadable rule sets or unwritable folder.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case city, rollout, rules, scenario, plan
        case planSummary = "plan-summary"
        case diff, compare, sweep, geojson

        var fileName: String { rawValue + ".schema.json" }
        /// The output schemas describe what chargeplan writes and need no rule set.
        var isOutput: Bool { [.plan, .planSummary, .diff, .compare, .sweep, .geojson].contains(self) }
    }

    @OptionGroup var project: ProjectOptions

    @Option(
        help: ArgumentHelp(
            "Only this kind: city, rollout, rules, scenario (input files), plan, plan-summary, "
                + "diff, compare, sweep or geojson (JSON outputs). Default: all of them, and one city schema per rule set."
        ))
    var kind: Kind?

    @Option(help: "With --kind city: the city schema of this rule set only (city.<rule set>.schema.json).")
    var ruleSet: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the .schema.json files into this folder (default: schemas "
                + "under --root; with --kind and no --output, the schema is printed)."))
    var output: String?

    func validate() throws {
        if ruleSet != nil, kind != .city { throw ValidationError("--rule-set goes with --kind city") }
    }

    func run() throws {
        var ruleSets: [RuleSet] = []
        if kind.map({ !$0.isOutput }) ?? true { ruleSets = try project.loadRules().ruleSets }
        var files = SchemaFiles.all(ruleSets: ruleSets)
        if let ruleSet {
            guard let set = ruleSets.first(where: { $0.id == ruleSet }) else {
                throw DiagnosticPrinter.fail(message: "no rule set named '\(ruleSet)'")
            }
            files = [(InputSchemas.cityFileName(ruleSet: set.id), InputSchemas.citySchema(of: set).rendered())]
        } else if let kind {
            files = files.filter { $0.fileName == kind.fileName }
        }
        if output == nil, kind != nil, let file = files.first {
            print(file.text, terminator: "")
            return
        }
        let folder = output ?? ReviewFiles.join(project.root, "schemas")
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw DiagnosticPrinter.fail(message: "cannot create \(folder): \(error.localizedDescription)")
        }
        try ReviewFiles.write(files.map { (folder + "/" + $0.fileName, $0.text) })
        print(
            "wrote \(files.count) \(files.count == 1 ? "schema" : "schemas") into \(folder)/: "
                + files.map(\.fileName).joined(separator: ", "))
    }
}

// MARK: fmt

struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format Cities/ and Rules/ YAML canonically, keeping comments.",
        discussion: """
            Without FILES, formats every input file under --root. With --check nothing is written:
            the files that would change are listed.
            Exit codes: 0 all canonical (or rewritten); 1 --check found files to format; 2 unreadable files (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "List files that are not canonical and exit 1; write nothing.")
    var check = false

    @Argument(
        help: "Files to format, relative to --root (default: Cities/*.yaml, Cities/rollouts/*.yaml, Rules/*/*.yaml).")
    var files: [String] = []

    func run() throws {
        let paths =
            files.isEmpty
            ? try ReviewFiles.inputFiles(root: project.root)
            : files.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
        var changed: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for path in paths {
            let full = ReviewFiles.join(project.root, path)
            let text: String
            do { text = try InputFile.read(full, shownAs: path) } catch {
                failures += error.diagnostics
                continue
            }
            do {
                let formatted = try YAMLFormatter.format(text, path: path)
                if formatted != text { changed.append((path, formatted)) }
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticPrinter.fail(DiagnosticsError(failures)) }
        if check {
            for file in changed { print(file.path) }
            if !changed.isEmpty {
                let what = "\(changed.count) of \(counted(paths.count, "file")) \(changed.count == 1 ? "is" : "are")"
                FileHandle.standardError.write(Data("\(what) not formatted; run: swift run chargeplan fmt\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        try ReviewFiles.write(changed.map { (ReviewFiles.join(project.root, $0.path), $0.content) })
        for file in changed { print("formatted \(file.path)") }
        if changed.isEmpty { print("\(counted(paths.count, "file")) already formatted") }
    }
}

// MARK: diff

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

// MARK: test

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests kept beside the rules and report rule coverage.",
        discussion: """
            Tests are the `tests:` sections of Rules/<set>/*.yaml (see docs/REVIEW.md). Each plans a city of the rule
            set itself (a fixture, Rules/<set>/tests/fixtures/<id>.yaml, or an inline city:) over base_year…year with
            the `given:` overrides, then compares `expect:` with that year. Only Rules/ is read, never Cities/.
            With --update, the expected values of failing tests are rewritten in place to what the plan gives (each
            change printed as file:line: path: expected → actual); comments and layout stay.
            Exit codes: 0 all pass (or all failures updated) and coverage reached; 1 a test failed (and could not be
            updated) or coverage is below --min-coverage; 2 bad input (nothing written).
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Fail when fewer than this percentage of the rules fire in some test (0-100).")
    var minCoverage: Double?

    @Option(help: "Only this rule set.")
    var ruleSet: String?

    @Flag(help: "Rewrite the expected values of failing tests to the planned values (in place, comments kept).")
    var update = false

    func validate() throws {
        if let minCoverage, !(0...100).contains(minCoverage) {
            throw ValidationError("--min-coverage is a percentage, 0-100")
        }
    }

    func run() throws {
        let workspace = try project.loadRules()
        // The rule author's loop: deprecated spellings are shown here (and by check), failing nothing.
        DiagnosticPrinter.print(workspace.deprecations)
        if let ruleSet, workspace.ruleSet(ruleSet) == nil {
            throw DiagnosticPrinter.fail(message: "no rule set named '\(ruleSet)'")
        }
        let reports: [RuleTestRunner.Report]
        do { reports = try RuleTestRunner.run(workspace, ruleSetID: ruleSet) } catch {
            throw DiagnosticPrinter.fail(error)
        }
        var failed = false
        for report in reports {
            for result in report.results {
                print(
                    "\(result.status.rawValue)  \(result.name)  (\(result.position))"
                        + (result.todo.map { "  todo: \($0)" } ?? ""))
                for problem in result.failures {
                    print("      " + (problem.position.map { "\($0): " } ?? "") + problem.message)
                }
            }
            let percent = String(format: "%.1f", report.coverage)
            print(
                "rule set \(report.ruleSet): \(report.results.filter { $0.status == .pass }.count) passed, \(report.failed) failed, "
                    + "\(report.results.filter { $0.status == .todo }.count) todo; coverage \(percent) % "
                    + "(\(report.fired.count)/\(report.rules.count) rules fired, "
                    + "\(report.whenHeld.count + report.whenFailed.count)/\(2 * report.conditional.count) when outcomes)"
            )
            if !report.uncovered.isEmpty { print("  not fired: " + report.uncovered.joined(separator: ", ")) }
            if !report.uncoveredOutcomes.isEmpty {
                print("  when outcome not reached: " + report.uncoveredOutcomes.joined(separator: ", "))
            }
            let stuck = report.results.filter { $0.status == .fail && !(update && $0.isUpdatable) }
            if !stuck.isEmpty { failed = true }
            if let minCoverage, report.coverage < minCoverage {
                FileHandle.standardError.write(
                    Data(
                        "chargeplan: error: rule set \(report.ruleSet): coverage \(percent) % is below --min-coverage \(minCoverage)\n"
                            .utf8))
                failed = true
            }
        }
        if update { try write(RuleTestUpdater.edits(reports)) }
        if failed { throw ExitCode(1) }
    }

    /// Applies the edits file by file; any file that cannot be updated cleanly stops the run before a byte is written.
    private func write(_ edits: [RuleTestUpdater.Edit]) throws {
        guard !edits.isEmpty else { return }
        var files: [(path: String, content: String)] = []
        var failures: [Diagnostic] = []
        for file in orderedUnique(edits.map(\.position.file)) {
            do {
                let text = try InputFile.read(ReviewFiles.join(project.root, file), shownAs: file)
                let updated = try RuleTestUpdater.apply(edits, to: text, file: file)
                files.append((ReviewFiles.join(project.root, file), updated))
            } catch {
                failures += error.diagnostics
            }
        }
        if !failures.isEmpty { throw DiagnosticPrinter.fail(DiagnosticsError(failures)) }
        for edit in edits {
            let place = "\(edit.position.file):\(edit.position.line)"
            print("update \(place): \(edit.path): \(edit.before) → \(edit.replacement)  (\(edit.test))")
        }
        try ReviewFiles.write(files)
        let tests = orderedUnique(edits.map(\.test)).count
        print(
            "updated \(counted(edits.count, "expected value")) of \(counted(tests, "test")) "
                + "in \(counted(files.count, "file"))")
    }

    private func orderedUnique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
