import Foundation
import XCTest

/// The command line's conventions: defaults that work, usage errors that help, nothing lost by an option.
final class ConventionTests: XCTestCase {
    func testSchemaWithoutOptionsWritesEverySchemaIntoSchemas() throws {
        let project = try tinyProject()
        let result = try run(["schema"], in: project)
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = try FileManager.default.contentsOfDirectory(atPath: project.path + "/schemas").sorted()
        XCTAssertEqual(
            written,
            [
                "city.basic.schema.json", "city.schema.json", "compare.schema.json", "diff.schema.json",
                "geojson.schema.json", "plan-summary.schema.json", "plan.schema.json", "rollout.schema.json",
                "rules.schema.json", "scenario.schema.json", "sweep.schema.json",
            ])
        XCTAssertTrue(result.stdout.hasPrefix("wrote 11 schemas into schemas/: "), result.stdout)
        let committed = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("schemas/diff.schema.json"), encoding: .utf8)
        XCTAssertEqual(
            try String(contentsOfFile: project.path + "/schemas/diff.schema.json", encoding: .utf8), committed,
            "the output schemas name no rule set")
        let printed = try run(["schema", "--kind", "plan-summary"], in: project)
        XCTAssertEqual(printed.status, 0)
        XCTAssertEqual(
            printed.stdout,
            try String(contentsOfFile: project.path + "/schemas/plan-summary.schema.json", encoding: .utf8))
        let one = try run(["schema", "--kind", "diff", "--output", "one"], in: project)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: project.path + "/one"), ["diff.schema.json"])
        for bad in [
            ["schema", "--kind", "nonsense"], ["schema", "--rule-set", "basic"],
            ["schema", "--kind", "city", "--rule-set", "x"],
        ] {
            let before = snapshot(of: project)
            let result = try run(bad, in: project)
            XCTAssertEqual(result.status, 2, bad.joined(separator: " "))
            XCTAssertEqual(snapshot(of: project), before, "nothing written")
        }
    }
}

extension ConventionTests {
    private var requirement: String { neverHoldingRequirement(severity: "warning") }

    /// The README's Layout section and docs/ARCHITECTURE.md name every module and test target folder, so a new,
    /// moved or renamed target cannot leave them describing another package.
    func testLayoutDocsNameEveryTarget() throws {
        let root = Self.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let layout = try XCTUnwrap(readme.components(separatedBy: "## Layout").dropFirst().first)
        let architecture = try String(
            contentsOf: root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        func folders(_ path: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(path).path)
                .filter { !$0.hasPrefix(".") && $0 != "Golden" }.sorted()
        }
        let modules = try folders("Sources")
        let tests = try folders("Tests")
        XCTAssertTrue(
            modules.contains("PlanReview") && tests.contains("PlanReviewTests") && tests.contains("TestSupport"))
        for module in modules {
            XCTAssertTrue(layout.contains("`Sources/\(module)`"), "README Layout does not name Sources/\(module)")
            XCTAssertTrue(architecture.contains(module), "docs/ARCHITECTURE.md does not name \(module)")
        }
        for target in tests {
            XCTAssertTrue(layout.contains(target), "README Layout does not name Tests/\(target)")
            XCTAssertTrue(architecture.contains(target), "docs/ARCHITECTURE.md does not name \(target)")
        }
    }

    func testVersionPrintsTheDocumentedConstant() throws {
        let source = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Sources/PlanningEngine/ChargeplanVersion.swift"),
            encoding: .utf8)
        let range = try XCTUnwrap(
            source.range(of: #"(?<=current = ")[0-9]+\.[0-9]+\.[0-9]+(?=")"#, options: .regularExpression))
        let result = try run(["--version"], in: try tinyProject())
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, source[range] + "\n")
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("chargeplan --version"))
    }

    /// A usage error names the command that was run, whether the parser or the command's run found it.
    func testUsageErrorsPrintTheUsageOfTheirCommand() throws {
        let project = try tinyProject()
        let cases: [[String]] = [
            ["plan", "--format", "pdf"], ["plan", "--threads", "0"], ["plan", "--shard", "3/2"],
            ["plan", "town", "--shard", "1/2"],
            ["merge"], ["test", "--min-coverage", "101"], ["diff", "a", "b", "--max-bytes", "0"],
            ["schema", "--rule-set", "x"],
            ["findings", "--severity", "fatal"], ["explain", "town"], ["backtest", "--cutoff", "1800"],
        ]
        for arguments in cases {
            let before = snapshot(of: project)
            let result = try run(arguments, in: project)
            let command = arguments[0]
            XCTAssertEqual(result.status, 2, arguments.joined(separator: " ") + "\n" + result.stderr)
            XCTAssertTrue(
                result.stderr.contains("\nUsage: chargeplan \(command) "),
                arguments.joined(separator: " ") + "\n" + result.stderr)
            XCTAssertTrue(result.stderr.contains("See 'chargeplan \(command) --help'"), result.stderr)
            XCTAssertFalse(result.stderr.contains("chargeplan <subcommand>"), result.stderr)
            XCTAssertEqual(snapshot(of: project), before, "nothing written: " + arguments.joined(separator: " "))
        }
        let shard = try run(["plan", "town", "--shard", "1/2"], in: project)
        XCTAssertTrue(
            shard.stderr.hasPrefix("Error: --shard splits whole rollouts; name rollouts, not cities ('town')\n"),
            shard.stderr)
    }

    func testOtherFormatsAreWrittenBesideTheYAMLPlans() throws {
        let project = try tinyProject()
        let plans = project.appendingPathComponent("plans/town-plan")
        let first = try run(["plan"], in: project)
        XCTAssertEqual(first.stdout, "planned 1 city plan in 1 rollout into plans/ (0 error findings, 0 warnings)\n")
        let yaml = try contents(of: plans)
        XCTAssertEqual(yaml.keys.sorted(), ["/_summary.yaml", "/town.yaml"])
        XCTAssertEqual(try run(["plan", "--format", "json", "--format", "csv"], in: project).status, 0)
        let both = try contents(of: plans)
        XCTAssertEqual(
            both.keys.sorted(),
            [
                "/_stations.csv", "/_summary.csv", "/_summary.json", "/_summary.yaml", "/town.csv",
                "/town.json", "/town.yaml",
            ])
        XCTAssertEqual(both["/town.yaml"], yaml["/town.yaml"], "the YAML plans are kept, byte for byte")
        XCTAssertEqual(try run(["plan", "--format", "yaml", "--format", "yaml"], in: project).status, 0)
        XCTAssertEqual(try contents(of: plans), yaml, "yaml named (twice) is the default")
        XCTAssertEqual(try run(["render"], in: project).status, 0)
        XCTAssertEqual(
            try contents(of: project.appendingPathComponent("reports")).keys.sorted(),
            ["/town-plan/_report.html", "/town-plan/town.html"],
            "render writes the reports alone")
        for index in 1...2 {
            XCTAssertEqual(
                try run(["plan", "--shard", "\(index)/2", "--output", "shard\(index)"], in: project).status, 0)
        }
        let merged = try run(["merge", "shard1", "shard2", "--output", "merged"], in: project)
        XCTAssertEqual(merged.stdout, "merged 2 shard folders into 1 rollout in merged/\n", merged.stderr)
    }

    func testFindingsOfTheWrittenPlansAndOfPlansMadeNow() throws {
        let project = try tinyProject(rulesExtra: requirement)
        let rules = try String(contentsOf: project.appendingPathComponent("Rules/basic/rules.yaml"), encoding: .utf8)
        let line = try XCTUnwrap(rules.components(separatedBy: "\n").firstIndex { $0.contains("id: req.never") }) + 1
        let planned = try run(["findings"], in: project)
        XCTAssertEqual(planned.status, 1, planned.stderr)
        let place = "Rules/basic/rules.yaml:\(line):9"
        XCTAssertEqual(
            planned.stdout.components(separatedBy: "\n").first,
            "\(place): warning: town-plan/town 2020 city: the EV stock is never negative [req.never]")
        XCTAssertTrue(
            planned.stdout.hasSuffix(
                "\n5 findings (0 errors, 5 warnings, 0 info) in 1 rollout; planned now, "
                    + "not written: town-plan\n"), planned.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/plans"), "findings writes nothing")
        XCTAssertEqual(try run(["plan"], in: project).status, 0)
        let written = try run(["findings", "town-plan"], in: project)
        XCTAssertEqual(written.status, 1)
        XCTAssertTrue(
            written.stdout.hasSuffix("\n5 findings (0 errors, 5 warnings, 0 info) in 1 rollout\n"), written.stdout)
        XCTAssertEqual(
            written.stdout.components(separatedBy: "\n").first, planned.stdout.components(separatedBy: "\n").first)
        for (arguments, count) in [
            (["--severity", "warning"], 5), (["--severity", "info"], 5), (["--severity", "error"], 0),
            (["--rule", "req.never"], 5), (["--rule", "req.other"], 0),
        ] {
            let result = try run(["findings"] + arguments, in: project)
            XCTAssertEqual(result.status, count == 0 ? 0 : 1, arguments.joined(separator: " "))
            XCTAssertTrue(result.stdout.hasPrefix(count == 0 ? "0 findings" : place), result.stdout)
        }
        let json = try run(["findings", "--format", "json"], in: project)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try XCTUnwrap(root["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 5)
        XCTAssertEqual(findings.first?["line"] as? Int, line)
        XCTAssertEqual((root["sources"] as? [[String: Any]])?.first?["plans"] as? String, "plans/town-plan")
        XCTAssertEqual(try run(["findings", "atlantis"], in: project).status, 2)
        let plan = project.appendingPathComponent("plans/town-plan/town.yaml")
        try "findings: [\n".write(to: plan, atomically: true, encoding: .utf8)
        let broken = try run(["findings"], in: project)
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.contains("plans/town-plan/town.yaml:"), broken.stderr)
    }

    /// `on:` still loads as `limits:` does, with a warning at the key; both together are an error.
    func testTheDeprecatedCapKeyStillLoadsWithAWarning() throws {
        func project(_ key: String) throws -> URL {
            try tinyProject(
                rulesExtra: """
                      - id: caps.build-rate
                        for: zone
                        cap: wallbox
                        \(key)
                        max: "100.0"

                    """)
        }
        let modern = try project("limits: new")
        let old = try project("on: new")
        XCTAssertEqual(try run(["plan"], in: modern).stderr, "")
        let planned = try run(["plan"], in: old)
        XCTAssertEqual(planned.status, 0, planned.stderr)
        XCTAssertEqual(planned.stderr, "", "plan does not repeat it")
        let tested = try run(["test"], in: old)
        XCTAssertEqual(tested.status, 0)
        XCTAssertEqual(
            tested.stderr,
            "Rules/basic/rules.yaml:21:5: warning: 'on:' is deprecated (YAML 1.1 reads the key as "
                + "the boolean true); write 'limits: new'\n  hint: rename the key to 'limits'\n")
        func plans(_ project: URL) throws -> [String: String] {
            try contents(of: project.appendingPathComponent("plans")).mapValues { data in
                String(decoding: data, as: UTF8.self).components(separatedBy: "\n").filter { !$0.contains("sha256") }
                    .joined(separator: "\n")
            }
        }
        XCTAssertEqual(try plans(old), try plans(modern), "the same plans, but for the rule file's hash")
        let capped = try String(contentsOf: modern.appendingPathComponent("plans/town-plan/town.yaml"), encoding: .utf8)
        XCTAssertTrue(
            capped.contains("cap:caps.build-rate"), "the build rate binds: 733 wallboxes cannot come in one year")
        let check = try run(["check"], in: old)
        XCTAssertEqual(check.status, 0, "a deprecation fails nothing")
        XCTAssertTrue(check.stderr.contains("warning: 'on:' is deprecated"))
        XCTAssertEqual(check.stdout, "check: no findings\n")
        let github = try run(["check", "--format", "github"], in: old)
        XCTAssertEqual(github.status, 0)
        XCTAssertTrue(
            github.stdout.hasPrefix(
                "::warning file=Rules/basic/rules.yaml,line=21,col=5::'on:' is "
                    + "deprecated"),
            github.stdout)
        let both = try project("limits: new\n    on: new")
        let failed = try run(["plan"], in: both)
        XCTAssertEqual(failed.status, 2)
        XCTAssertTrue(
            failed.stderr.contains(
                "Rules/basic/rules.yaml:22:5: error: give 'limits:' or the deprecated 'on:', not both"),
            failed.stderr)
        let wrong = try run(["plan"], in: try project("limits: sideways"))
        XCTAssertTrue(
            wrong.stderr.contains("Rules/basic/rules.yaml:21:13: error: unknown cap target 'sideways'"), wrong.stderr)
    }

    /// What `swift package generate-manual` reads: every command, the new ones included.
    func testTheManualSourceListsEveryCommand() throws {
        let result = try run(["--experimental-dump-help"], in: try tinyProject())
        XCTAssertEqual(result.status, 0, result.stderr)
        for command in [
            "plan", "merge", "render", "check", "explain", "findings", "site", "schema", "fmt", "diff", "test",
            "backtest", "compare", "sweep",
        ] {
            XCTAssertTrue(result.stdout.contains("\"commandName\" : \"\(command)\""), command)
        }
    }
}
