import ArgumentParser
import Foundation
import PlanningEngine
import PlanWriters

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
        abstract: "Print or write JSON Schemas (draft 2020-12) of the city, rollout and rule files.",
        discussion: """
        The committed copies in schemas/ are regenerated with: swift run chargeplan schema --output schemas
        The city schema's keys beyond the engine's own are the inputs the rule sets under --root declare.
        Exit codes: 0 written; 2 bad usage, unloadable project (for the city schema) or unwritable folder.
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Only this kind: city, rollout or rules (default: all three).")
    var kind: String?

    @Option(name: .shortAndLong, help: "Write <kind>.schema.json files into this folder instead of printing.")
    var output: String?

    func run() throws {
        var kinds = InputSchemas.Kind.allCases
        if let kind {
            guard let parsed = InputSchemas.Kind(rawValue: kind) else {
                throw ValidationError("unknown kind '\(kind)'; use city, rollout or rules")
            }
            kinds = [parsed]
        }
        var ruleSets: [RuleSet] = []
        if kinds.contains(.city) {
            do { ruleSets = try Workspace.load(root: project.root).ruleSets } catch {
                throw DiagnosticPrinter.fail(error)
            }
        }
        guard let output else {
            guard kinds.count == 1, let only = kinds.first else {
                throw ValidationError("give --kind to print one schema, or --output DIR to write all of them")
            }
            print(InputSchemas.text(only, ruleSets: ruleSets), terminator: "")
            return
        }
        do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
            throw DiagnosticPrinter.fail(message: "cannot create \(output): \(error.localizedDescription)")
        }
        try ReviewFiles.write(kinds.map { (output + "/" + $0.fileName, InputSchemas.text($0, ruleSets: ruleSets)) })
        print("wrote " + kinds.map { output + "/" + $0.fileName }.joined(separator: ", "))
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

    @Argument(help: "Files to format, relative to --root (default: Cities/*.yaml, Cities/rollouts/*.yaml, Rules/*/*.yaml).")
    var files: [String] = []

    func run() throws {
        let paths = files.isEmpty ? try ReviewFiles.inputFiles(root: project.root) : files.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
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
                FileHandle.standardError.write(Data("\(changed.count) of \(paths.count) files are not formatted; run: swift run chargeplan fmt\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        try ReviewFiles.write(changed.map { (ReviewFiles.join(project.root, $0.path), $0.content) })
        for file in changed { print("formatted \(file.path)") }
        if changed.isEmpty { print("\(paths.count) files already formatted") }
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
        in memory; plans/ is not read). Changes are grouped file → city/zone → year, with the rules involved.
        Exit codes: 0 no change; 1 changes; 2 bad input or usage.
        """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "Old plan file or folder.")
    var old: String?

    @Argument(help: "New plan file or folder.")
    var new: String?

    @Option(help: "Compare the plans of this git revision's inputs with the working tree's (e.g. origin/main).")
    var git: String?

    @Option(name: .shortAndLong, help: "Output: text, markdown (for PR comments) or json.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "markdown", "json"].contains(format) else { throw ValidationError("unknown format '\(format)'; use text, markdown or json") }
        if git != nil {
            if old != nil || new != nil { throw ValidationError("give either --git REV or OLD and NEW, not both") }
        } else if old == nil || new == nil {
            throw ValidationError("give OLD and NEW plan files or folders, or --git REV")
        }
    }

    func run() throws {
        let report: PlanDiff.Report
        do {
            if let git {
                let before = try GitPlans.plans(at: git, root: project.root)
                let workspace = try Workspace.load(root: project.root)
                report = try PlanDiff.compare(old: before, new: try PlanDiff.planFiles(of: workspace))
            } else if let old, let new {
                let (a, b) = try PlanFiles.pair(old, new)
                report = try PlanDiff.compare(old: a, new: b, oldName: PlanFiles.displayName(of: old), newName: PlanFiles.displayName(of: new))
            } else {
                throw ExitCode(2)
            }
        } catch let error as DiagnosticsError {
            throw DiagnosticPrinter.fail(error)
        }
        switch format {
        case "markdown":
            print(PlanDiff.renderMarkdown(report, title: git.map { "Plan changes against `\($0)`" } ?? "Plan changes"), terminator: "")
        case "json": print(PlanDiff.renderJSON(report), terminator: "")
        default: print(PlanDiff.renderText(report), terminator: "")
        }
        if !report.isEmpty { throw ExitCode(1) }
    }
}

// MARK: test

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests kept beside the rules and report rule coverage.",
        discussion: """
        Tests are the `tests:` sections of Rules/<set>/*.yaml (see docs/REVIEW.md). Each is planned alone:
        its city over base_year…year with the `given:` overrides, then `expect:` is compared with that year.
        Exit codes: 0 all pass and coverage reached; 1 a test failed or coverage is below --min-coverage; 2 bad input.
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Fail when fewer than this percentage of the rules fire in some test (0-100).")
    var minCoverage: Double?

    @Option(help: "Only this rule set.")
    var ruleSet: String?

    func run() throws {
        if let minCoverage, !(0...100).contains(minCoverage) { throw ValidationError("--min-coverage is a percentage, 0-100") }
        let workspace: Workspace
        do { workspace = try Workspace.load(root: project.root) } catch { throw DiagnosticPrinter.fail(error) }
        if let ruleSet, workspace.ruleSet(ruleSet) == nil {
            throw DiagnosticPrinter.fail(message: "no rule set named '\(ruleSet)'")
        }
        let reports: [RuleTestRunner.Report]
        do { reports = try RuleTestRunner.run(workspace, ruleSetID: ruleSet) } catch { throw DiagnosticPrinter.fail(error) }
        var failed = false
        for report in reports {
            for result in report.results {
                print("\(result.status.rawValue)  \(result.name)  (\(result.position))" + (result.todo.map { "  todo: \($0)" } ?? ""))
                for problem in result.problems { print("      \(problem)") }
            }
            let percent = String(format: "%.1f", report.coverage)
            print("rule set \(report.ruleSet): \(report.results.filter { $0.status == .pass }.count) passed, \(report.failed) failed, "
                  + "\(report.results.filter { $0.status == .todo }.count) todo; coverage \(percent) % "
                  + "(\(report.fired.count)/\(report.rules.count) rules fired, "
                  + "\(report.whenHeld.count + report.whenFailed.count)/\(2 * report.conditional.count) when outcomes)")
            if !report.uncovered.isEmpty { print("  not fired: " + report.uncovered.joined(separator: ", ")) }
            if !report.uncoveredOutcomes.isEmpty { print("  when outcome not reached: " + report.uncoveredOutcomes.joined(separator: ", ")) }
            if report.failed > 0 { failed = true }
            if let minCoverage, report.coverage < minCoverage {
                FileHandle.standardError.write(Data("chargeplan: error: rule set \(report.ruleSet): coverage \(percent) % is below --min-coverage \(minCoverage)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
