import Foundation
import XCTest

/// `chargeplan diff` as a reviewer meets it: one screen of summary that names the cause, within the comment budget.
final class DiffCLITests: XCTestCase {
    private func git(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.email=tests@example.com", "-c", "user.name=tests"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments.joined(separator: " "))")
    }

    /// Two planned copies of the tiny project, the second with a faster-growing EV stock (`* 1.2` for `* 1.1`).
    private func plannedCheckouts() throws -> (first: URL, second: URL) {
        let first = try tinyProject()
        let second = try tinyProject()
        let rules = second.appendingPathComponent("Rules/basic/rules.yaml")
        try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "* 1.1", with: "* 1.2")
            .write(to: rules, atomically: true, encoding: .utf8)
        for project in [first, second] { XCTAssertEqual(try run(["plan"], in: project).status, 0) }
        return (first, second)
    }

    private func commitAll(_ directory: URL) throws {
        try git(["init", "-q"], in: directory)
        try git(["add", "-A"], in: directory)
        try git(["commit", "-qm", "base"], in: directory)
    }

    /// Changes one parameter's value in place: (its name, its line, the old and new value text).
    private func changeParameter(
        in project: URL
    ) throws -> (name: String, line: Int, column: Int, old: String, new: String) {
        let file = project.appendingPathComponent("Rules/china/params.yaml")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let pattern = try NSRegularExpression(pattern: #"^  ([a-z0-9_]+): \{value: ([0-9.]+)"#)
        let matches = lines.indices.compactMap { index -> (Int, NSTextCheckingResult)? in
            pattern.firstMatch(in: lines[index], range: NSRange(lines[index].startIndex..., in: lines[index])).map {
                (index, $0)
            }
        }
        // The fast chargers' utilisation moves many numbers; any other parameter that exists will do.
        let chosen = try XCTUnwrap(
            matches.first { lines[$0.0].hasPrefix("  fast_utilisation_hours:") } ?? matches.first)
        let line = lines[chosen.0] as NSString
        let name = line.substring(with: chosen.1.range(at: 1))
        let old = line.substring(with: chosen.1.range(at: 2))
        let new = String(format: "%.3f", (Double(old) ?? 1) * 1.25 + 0.001)
        lines[chosen.0] = line.replacingCharacters(in: chosen.1.range(at: 2), with: new)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return (name, chosen.0 + 1, chosen.1.range(at: 2).location + 1, old, new)
    }

    /// The acceptance: one parameter changed in the bundled workspace gives a Markdown diff under GitHub's comment
    /// limit that opens with the rollout totals and names the parameter with its file and line.
    func testOneChangedParameterGivesADiffThatFitsAndNamesIt() throws {
        let project = try projectCopy()
        try commitAll(project)
        XCTAssertLessThanOrEqual(try run(["plan", "--output", "plans-before"], in: project).status, 1)
        let param = try changeParameter(in: project)
        XCTAssertLessThanOrEqual(try run(["plan", "--output", "plans-after"], in: project).status, 1)
        let diff = try run(["diff", "plans-before", "plans-after", "--format", "markdown"], in: project)
        XCTAssertEqual(diff.status, 1, diff.stderr)
        XCTAssertEqual(diff.stderr, "")
        XCTAssertLessThan(diff.stdout.count, 65_536)
        XCTAssertLessThanOrEqual(diff.stdout.utf8.count, 60_000, "the default budget")
        XCTAssertTrue(diff.stdout.hasPrefix("## Plan changes\n\n**"), String(diff.stdout.prefix(300)))
        let sections = diff.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("### ") }
        XCTAssertEqual(
            sections, ["### Rollout totals", "### Largest changes", "### Inputs that changed", "### Details"])
        let named =
            "  - `params.\(param.name).value`: \(param.old) → \(param.new) "
            + "at `Rules/china/params.yaml:\(param.line):\(param.column)`"
        XCTAssertTrue(diff.stdout.contains(named), "\(named)\n" + diff.stdout.prefix(8000))
        XCTAssertTrue(diff.stdout.contains("- `Rules/china/params.yaml`: 1 key changed\n"))
        if diff.stdout.contains("**Trimmed to") {
            XCTAssertTrue(
                diff.stdout.contains("Run `chargeplan diff plans-before plans-after` locally for all of them."))
        }
    }

    /// `diff OLD/plans NEW/plans` of two checkouts finds each side's inputs in the folder above its plans.
    func testTwoCheckoutsNameTheChangedRule() throws {
        let (first, second) = try plannedCheckouts()
        let diff = try run(["diff", first.path + "/plans", second.path + "/plans"], in: second)
        XCTAssertEqual(diff.status, 1, diff.stderr)
        XCTAssertTrue(
            diff.stdout.contains(
                """
                inputs that changed (from the input hashes the plans record)
                  Rules/basic/rules.yaml: 1 key changed
                    rules[fleet.stock].value: prev.city.ev_stock * 1.1 → prev.city.ev_stock * 1.2  \
                (Rules/basic/rules.yaml:13:12)

                """), diff.stdout)
        // Without the first checkout's inputs the file is still named, its keys are not.
        try FileManager.default.removeItem(at: first.appendingPathComponent("Rules"))
        let blind = try run(["diff", first.path + "/plans", second.path + "/plans"], in: second)
        XCTAssertTrue(
            blind.stdout.contains("  Rules/basic/rules.yaml: changed (its two versions are not at hand"), blind.stdout)
    }

    func testGitRevisionDiffComparesTheInputFilesOfBothRevisions() throws {
        let project = try tinyProject()
        try commitAll(project)
        let rules = project.appendingPathComponent("Rules/basic/rules.yaml")
        try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "* 0.5", with: "* 0.6")
            .write(to: rules, atomically: true, encoding: .utf8)
        let before = snapshot(of: project.appendingPathComponent("Rules"))
        let markdown = try run(["diff", "--git", "HEAD", "--format", "markdown"], in: project)
        XCTAssertEqual(markdown.status, 1, markdown.stderr)
        XCTAssertTrue(
            markdown.stdout.hasPrefix("## Plan changes against `HEAD`\n\n**2** files changed"), markdown.stdout)
        XCTAssertTrue(
            markdown.stdout.contains("| `town-plan` | units.wallbox.installed | 2024 | 733 | 879 | +146 (+19.9 %) |"),
            markdown.stdout)
        XCTAssertTrue(
            markdown.stdout.contains(
                "- `Rules/basic/rules.yaml`: 1 key changed\n"
                    + "  - `rules[mix.wallbox].count`: city.ev_stock * 0.5 → city.ev_stock * 0.6 "
                    + "at `Rules/basic/rules.yaml:17:12`\n"), markdown.stdout)
        XCTAssertEqual(snapshot(of: project.appendingPathComponent("Rules")), before, "diff writes nothing")
        let json = try run(["diff", "--git", "HEAD", "--format", "json"], in: project)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["inputs_basis"] as? String, "revision")
        XCTAssertEqual(root["inputs_revision"] as? String, "HEAD")
        let files = try XCTUnwrap(root["input_files"] as? [[String: Any]])
        let keys = try XCTUnwrap(files.first?["keys"] as? [[String: Any]])
        XCTAssertEqual(keys.first?["key"] as? String, "rules[mix.wallbox].count")
        XCTAssertEqual(keys.first?["line"] as? Int, 17)
        XCTAssertEqual(keys.first?["after"] as? String, "city.ev_stock * 0.6")
        let same = try run(
            ["diff", "--git", "HEAD", "--format", "markdown"],
            in: try {
                let clean = try tinyProject()
                try commitAll(clean)
                return clean
            }())
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(
            same.stdout,
            "## Plan changes against `HEAD`\n\nNo plan changes.\n\n### Inputs that changed\n\n"
                + "The input files of HEAD against the working tree.\n\nNone.\n")
    }

    func testEveryDocumentedExitCodeOfDiff() throws {
        let (first, second) = try plannedCheckouts()
        let (a, b) = (first.path + "/plans", second.path + "/plans")
        XCTAssertEqual(try run(["diff", a, a], in: first).status, 0)
        XCTAssertEqual(try run(["diff", a, b, "--format", "markdown", "--max-bytes", "100000"], in: first).status, 1)
        let cases: [([String], String)] = [
            (["diff", a, first.path + "/nowhere"], "no such file or folder"),
            (["diff", a, b, "--max-bytes", "0"], "--max-bytes must be at least 1"),
            (["diff", a, b, "--format", "json", "--max-bytes", "5000"], "json is never trimmed"),
            (["diff", a, b, "--format", "yaml"], "'yaml'"),
            (["diff", a], "give OLD and NEW"),
            (["diff", "--git", "HEAD", a, b], "not both"),
            (["diff", "--git", "no-such-revision"], "error: git"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments, in: first)
            XCTAssertEqual(result.status, 2, arguments.joined(separator: " ") + "\n" + result.stderr)
            XCTAssertTrue(result.stderr.contains(message), arguments.joined(separator: " ") + "\n" + result.stderr)
            XCTAssertEqual(result.stdout, "", arguments.joined(separator: " "))
        }
    }

    func testTheSmallestBudgetStillGivesTheWholeSummaryAndWarns() throws {
        let (first, second) = try plannedCheckouts()
        let tiny = try run(["diff", first.path + "/plans", second.path + "/plans", "--max-bytes", "1"], in: first)
        XCTAssertEqual(tiny.status, 1)
        XCTAssertTrue(tiny.stdout.contains("rollout totals"), tiny.stdout)
        XCTAssertFalse(tiny.stdout.contains("\ndetails\ntown-plan"), tiny.stdout)
        XCTAssertTrue(tiny.stderr.contains("chargeplan: warning: the diff's summary alone is"), tiny.stderr)
    }
}
