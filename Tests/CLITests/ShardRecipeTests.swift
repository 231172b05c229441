import Foundation
import XCTest

/// The batch recipes (deploy/kubernetes, .github/workflows/plan-shards.yml) run as written: their own command
/// lines, read from the committed files, run locally as N shard processes at once and then the merge, must give
/// exactly the bytes of one `plan`. A recipe whose shard syntax, paths or shard count drift fails here.
final class ShardRecipeTests: XCTestCase {
    /// One recipe: its shard command (to run once per shard), its merge command and the shard count it declares.
    struct Recipe {
        var shardCommand: String
        var mergeCommand: String
        var shards: Int
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The one line of `text` that contains `marker`, trimmed; a recipe with none or two fails.
    static func line(containing marker: String, in text: String, file: String) throws -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") && $0.contains(marker) }
        guard lines.count == 1 else {
            throw RecipeError(description: "\(file): \(lines.count) lines with '\(marker)', expected one")
        }
        return lines[0]
    }

    /// The value of the first `key: value` line after the line `after` (e.g. an env entry's `value:`).
    static func value(of key: String, after anchor: String, in text: String, file: String) throws -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: anchor),
            let found = lines[start...].first(where: { $0.hasPrefix(key + ":") })
        else { throw RecipeError(description: "\(file): no '\(key):' after '\(anchor)'") }
        return found.dropFirst(key.count + 1).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
    }

    /// A YAML list item `- '…'` as the shell sees it: the single-quoted scalar unquoted ('' is one ').
    static func unquoted(_ item: String) -> String {
        var text = item.hasPrefix("- ") ? String(item.dropFirst(2)) : item
        if text.hasPrefix("'"), text.hasSuffix("'"), text.count >= 2 {
            text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return text
    }

    static func kubernetes() throws -> Recipe {
        let planFile = "deploy/kubernetes/plan-shards-job.yaml"
        let mergeFile = "deploy/kubernetes/merge-job.yaml"
        let plan = try text(planFile)
        let completions = try value(of: "completions", after: "spec:", in: plan, file: planFile)
        let shards = try value(of: "value", after: "- name: SHARDS", in: plan, file: planFile)
        guard completions == shards, let count = Int(shards) else {
            throw RecipeError(description: "\(planFile): completions \(completions) and SHARDS \(shards) differ")
        }
        return Recipe(
            shardCommand: unquoted(try line(containing: "chargeplan plan", in: plan, file: planFile)),
            mergeCommand: unquoted(try line(containing: "chargeplan merge", in: try text(mergeFile), file: mergeFile)),
            shards: count)
    }

    static func githubActions() throws -> Recipe {
        let file = ".github/workflows/plan-shards.yml"
        let workflow = try text(file)
        let matrix = try value(of: "shard", after: "matrix:", in: workflow, file: file)
        let shards = try value(of: "SHARDS", after: "env:", in: workflow, file: file)
        guard let count = Int(shards),
            matrix == "[" + (1...max(1, count)).map(String.init).joined(separator: ", ") + "]"
        else { throw RecipeError(description: "\(file): matrix \(matrix) is not shards 1…\(shards)") }
        func run(_ marker: String) throws -> String {
            let line = try Self.line(containing: marker, in: workflow, file: file)
            guard line.hasPrefix("run: ") else {
                throw RecipeError(description: "\(file): '\(line)' is not a run step")
            }
            return String(line.dropFirst(5))
        }
        return Recipe(
            shardCommand: try run("chargeplan plan"), mergeCommand: try run("chargeplan merge"),
            shards: count)
    }

    struct RecipeError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `/bin/sh -c command` in `directory` with `chargeplan` first on PATH; output goes to `log`.
    func start(_ command: String, in directory: URL, environment: [String: String], log: URL) throws -> Process {
        let binary = try XCTUnwrap(Self.executable, "chargeplan executable not found next to the test bundle")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        XCTAssertTrue(FileManager.default.createFile(atPath: log.path, contents: nil), log.path)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the recipe's shards at once, then its merge; returns the merged plans beside one `plan`'s.
    func runRecipe(
        _ recipe: Recipe, environment: (Int) -> [String: String], commandFor: (Int) -> String,
        merged: String, project: URL
    ) throws -> (merged: [String: Data], single: [String: Data]) {
        XCTAssertGreaterThan(recipe.shards, 1, "a recipe of one shard tests nothing")
        let logs = project.appendingPathComponent("logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let processes = try (1...recipe.shards).map { shard in
            try start(
                commandFor(shard), in: project, environment: environment(shard),
                log: logs.appendingPathComponent("shard-\(shard).log"))
        }
        for (offset, process) in processes.enumerated() {
            process.waitUntilExit()
            let log = try String(contentsOf: logs.appendingPathComponent("shard-\(offset + 1).log"), encoding: .utf8)
            XCTAssertTrue([0, 1].contains(process.terminationStatus), "shard \(offset + 1): \(log)")
            XCTAssertTrue(log.contains("shard \(offset + 1)/\(recipe.shards)"), "shard \(offset + 1): \(log)")
        }
        let merge = try start(
            recipe.mergeCommand, in: project, environment: environment(1),
            log: logs.appendingPathComponent("merge.log"))
        merge.waitUntilExit()
        let log = try String(contentsOf: logs.appendingPathComponent("merge.log"), encoding: .utf8)
        XCTAssertEqual(merge.terminationStatus, 0, log)
        let singleFolder = "single-\(UUID().uuidString)"
        let single = try run(["plan", "--output", singleFolder], in: project, timeLimit: 600)
        XCTAssertTrue([0, 1].contains(single.status), single.stderr)
        return (
            try contents(of: project.appendingPathComponent(merged)),
            try contents(of: project.appendingPathComponent(singleFolder))
        )
    }

    func testTheKubernetesIndexedJobAndMergeJobWriteTheBytesOfOneRun() throws {
        let recipe = try Self.kubernetes()
        XCTAssertTrue(recipe.shardCommand.contains("$((JOB_COMPLETION_INDEX + 1))/$SHARDS"), recipe.shardCommand)
        let project = try projectCopy()
        let shardsFolder = project.appendingPathComponent("k8s-shards")
        let result = try runRecipe(
            recipe,
            environment: { shard in
                // What Kubernetes sets per pod (0-based index) and the manifest's env, with the volume's paths here.
                [
                    "JOB_COMPLETION_INDEX": String(shard - 1), "SHARDS": String(recipe.shards),
                    "PROJECT": project.path, "SHARDS_DIR": shardsFolder.path,
                ]
            }, commandFor: { _ in recipe.shardCommand }, merged: "plans", project: project)
        XCTAssertFalse(result.single.isEmpty)
        XCTAssertEqual(result.merged.keys.sorted(), result.single.keys.sorted())
        XCTAssertTrue(result.merged == result.single, "merged plans differ from one run's")
        let folders = try FileManager.default.contentsOfDirectory(atPath: shardsFolder.path).sorted()
        XCTAssertEqual(folders, (1...recipe.shards).map { "shard-\($0)" })
    }

    func testTheGitHubActionsMatrixAndMergeJobWriteTheBytesOfOneRun() throws {
        let recipe = try Self.githubActions()
        XCTAssertTrue(recipe.shardCommand.contains("${{ matrix.shard }}/$SHARDS"), recipe.shardCommand)
        let project = try projectCopy()
        let environment = ["SHARDS": String(recipe.shards)]
        let result = try runRecipe(
            recipe, environment: { _ in environment },
            commandFor: { shard in
                // GitHub substitutes the expression before the shell runs the line.
                recipe.shardCommand.replacingOccurrences(of: "${{ matrix.shard }}", with: String(shard))
            }, merged: "plans", project: project)
        XCTAssertFalse(result.single.isEmpty)
        XCTAssertEqual(result.merged.keys.sorted(), result.single.keys.sorted())
        XCTAssertTrue(result.merged == result.single, "merged plans differ from one run's")
    }

    func testTheRecipesDeclareMatchingShardCounts() throws {
        XCTAssertEqual(try Self.kubernetes().shards, 4)
        XCTAssertEqual(try Self.githubActions().shards, 4)
        XCTAssertEqual(Self.unquoted("- 'a ''b'' c'"), "a 'b' c")
        XCTAssertThrowsError(try Self.line(containing: "x", in: "x 1\nx 2\n", file: "f"))
        XCTAssertEqual(try Self.line(containing: "x", in: "# x\n  x 1\n", file: "f"), "x 1")
    }
}
