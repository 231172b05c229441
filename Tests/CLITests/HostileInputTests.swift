import Foundation
import XCTest

/// Input a hostile or careless user writes: each case must exit with its documented code, point at the
/// offending value (`1️⃣` marks it in the edit) and leave the whole project, plans/ included, as it was.
final class HostileInputTests: XCTestCase {
    static let rollout = "Cities/rollouts/cams-changzhou.yaml"
    static let city = "Cities/changzhou.yaml"

    /// A small workspace (Changzhou, the CAMS rollout, the bundled rules) with its plans already written.
    func plannedWorkspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chargeplan-hostile-\(UUID().uuidString)")
        let work = dir.appendingPathComponent("work")
        let manager = FileManager.default
        try manager.createDirectory(
            at: work.appendingPathComponent("Cities/rollouts"), withIntermediateDirectories: true)
        addTeardownBlock { try? manager.removeItem(at: dir) }
        try manager.copyItem(
            at: Self.packageRoot.appendingPathComponent("Rules"), to: work.appendingPathComponent("Rules"))
        for path in [Self.city, Self.rollout] {
            try manager.copyItem(
                at: Self.packageRoot.appendingPathComponent(path), to: work.appendingPathComponent(path))
        }
        try manager.copyItem(
            at: Self.packageRoot.appendingPathComponent("Cities/geo"), to: work.appendingPathComponent("Cities/geo"))
        let first = try run(["plan"], in: work)
        XCTAssertEqual(first.status, 0, first.stderr)
        return work
    }

    struct Edit {
        var file: String
        var old: String
        /// The replacement; `1️⃣` marks where the diagnostic must point and is removed.
        var new: String
    }

    struct Case {
        var name: String
        var edits: [Edit]
        var arguments = ["plan"]
        var status: Int32 = 2
        var message: String
        /// Whether `check` finds it too (a cost bomb type-checks; it fails only when evaluated).
        var checkFinds = true
        /// Errors found while evaluating point inside the expression: only the marker's line is checked.
        var lineOnly = false
    }

    static let marker = "1️⃣"

    /// Applies the edits; returns `file:line:col` of the marker.
    func apply(_ edits: [Edit], in work: URL) throws -> String? {
        var position: String?
        for edit in edits {
            let url = work.appendingPathComponent(edit.file)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            guard edit.old.isEmpty || text.contains(edit.old) else {
                XCTFail("\(edit.file) does not contain \(edit.old.debugDescription)")
                return nil
            }
            var replaced = edit.old.isEmpty ? text + edit.new : text.replacingOccurrences(of: edit.old, with: edit.new)
            if let range = replaced.range(of: Self.marker) {
                let before = replaced[..<range.lowerBound]
                let line = before.filter { $0 == "\n" }.count + 1
                let column =
                    before.distance(
                        from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex,
                        to: before.endIndex) + 1
                position = "\(edit.file):\(line):\(column)"
                replaced.removeSubrange(range)
            }
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(replaced.utf8).write(to: url)
        }
        return position
    }

    static let idCases: [Case] = {
        var cases: [Case] = []
        for bad in [
            "../Cities", "../../ESCAPED", "/x", "zzz/x", "\"\"", "\".\"", "\"..\"", "\"a\\0b\"", "Cams",
            "cams changzhou",
            "-cams", "cams-", "\"ünï\"", String(repeating: "a", count: 65),
        ] {
            cases.append(
                Case(
                    name: "rollout id \(bad)",
                    edits: [Edit(file: rollout, old: "id: cams-changzhou", new: "id: 1️⃣\(bad)")],
                    message: "invalid rollout id"))
        }
        for bad in ["new city", "ünï", "Changzhou2", "a..b", "../x", "\"\""] {
            cases.append(
                Case(
                    name: "city id \(bad)", edits: [Edit(file: city, old: "\nid: changzhou", new: "\nid: 1️⃣\(bad)")],
                    message: "invalid city id"))
        }
        cases.append(
            Case(
                name: "member city path",
                edits: [Edit(file: rollout, old: "{city: changzhou,", new: "{city: 1️⃣../changzhou,")],
                message: "invalid city id"))
        cases.append(
            Case(
                name: "rule set path", edits: [Edit(file: rollout, old: "rule_set: china", new: "rule_set: 1️⃣../china")],
                message: "invalid rule set id"))
        cases.append(
            Case(
                name: "zone id path", edits: [Edit(file: city, old: "- id: changzhou-core", new: "- id: 1️⃣../core")],
                message: "invalid zone id"))
        return cases
    }()

    static let keyCases: [Case] = [
        Case(
            name: "unknown unit in a zone's existing_chargers",
            edits: [
                Edit(
                    file: city, old: "existing_chargers: {wallbox: 2915,",
                    new: "existing_chargers: {1️⃣bogus: 1, wallbox: 2915,")
            ],
            message: "unknown unit type 'bogus' in zone 'changzhou-core' existing_chargers"),
        Case(
            name: "unknown unit in the city's existing_chargers",
            edits: [
                Edit(file: city, old: "existing_chargers:                #", new: "existing_chargers:\n  1️⃣fastt: 3\n#")
            ],
            message: "unknown unit type 'fastt' in existing_chargers"),
        Case(
            name: "unknown key in a source",
            edits: [Edit(file: city, old: "  - id: S1\n", new: "  - id: S1\n    1️⃣note: x\n")],
            message: "unknown key 'note'"),
        Case(
            name: "source without text", edits: [Edit(file: city, old: "sources:\n", new: "sources:\n  - 1️⃣{id: S0}\n")],
            message: "missing required key 'text'"),
    ]

    static let celCases: [Case] = [
        Case(
            name: "cost bomb: shared nested lists compared with ==",
            edits: [
                Edit(
                    file: "Rules/china/hostile.yaml", old: "",
                    new: """
                        rules:
                          - id: hostile.bomb
                            for: zone
                            require: 1️⃣"cel.bind(a, [1,1,1,1,1,1,1,1,1,1], cel.bind(b, [a,a,a,a,a,a,a,a,a,a], \
                        cel.bind(c, [b,b,b,b,b,b,b,b,b,b], cel.bind(d, [c,c,c,c,c,c,c,c,c,c], cel.bind(e, [d,d,d,d,d,d,d,d,d,d], \
                        cel.bind(f, [e,e,e,e,e,e,e,e,e,e], cel.bind(g, [f,f,f,f,f,f,f,f,f,f], cel.bind(h, [g,g,g,g,g,g,g,g,g,g], \
                        cel.bind(i, [h,h,h,h,h,h,h,h,h,h], i == i)))))))))"
                            severity: info
                            message: never finishes without a cost budget

                        """)
            ],
            message: "cost", checkFinds: false, lineOnly: true),
        Case(
            name: "lookahead in a literal pattern",
            edits: [
                Edit(
                    file: "Rules/china/hostile.yaml", old: "",
                    new: """
                        rules:
                          - id: hostile.lookahead
                            for: zone
                            require: 1️⃣"zone.id.matches('(?=c)changzhou')"
                            severity: info
                            message: RE2 has no lookahead

                        """)
            ],
            message: "unsupported regular expression: lookahead", lineOnly: true),
    ]

    func check(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
        for testCase in cases {
            let work = try plannedWorkspace()
            guard let position = try apply(testCase.edits, in: work) else {
                XCTFail("\(testCase.name): no marker", file: file, line: line)
                continue
            }
            let parent = work.deletingLastPathComponent()
            let before = snapshot(of: parent)
            let result = try run(testCase.arguments, in: work, timeLimit: 60)
            XCTAssertFalse(result.timedOut, "\(testCase.name): hung", file: file, line: line)
            XCTAssertEqual(result.status, testCase.status, "\(testCase.name): \(result.stderr)", file: file, line: line)
            let place =
                testCase.lineOnly
                ? String(position[..<(position.lastIndex(of: ":") ?? position.endIndex)]) + ":" : position + ": "
            XCTAssertTrue(
                result.stderr.contains(place) && result.stderr.contains("error: "),
                "\(testCase.name): expected a diagnostic at \(position), got:\n\(result.stderr)", file: file, line: line
            )
            XCTAssertTrue(
                result.stderr.contains(testCase.message),
                "\(testCase.name): expected '\(testCase.message)' in:\n\(result.stderr)", file: file, line: line)
            assertUnchanged(before, snapshot(of: parent), testCase.name, file: file, line: line)
            guard testCase.checkFinds else { continue }
            let check = try run(["check"], in: work, timeLimit: 60)
            XCTAssertNotEqual(check.status, 0, "\(testCase.name): check passed", file: file, line: line)
            XCTAssertTrue(
                check.stderr.contains(place) && check.stderr.contains(testCase.message),
                "\(testCase.name): check: \(check.stderr)", file: file, line: line)
        }
    }

    func assertUnchanged(
        _ before: [String: String], _ after: [String: String], _ name: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        XCTAssertEqual(changed, [], "\(name): these entries were written, changed or removed", file: file, line: line)
    }

    func testIdsThatWouldBecomePathsAreRefused() throws { try check(Self.idCases) }

    func testUnknownKeysAreErrorsEverywhere() throws { try check(Self.keyCases) }

    func testCostBombsStopAtTheBudget() throws { try check(Self.celCases) }

    func testACatastrophicRegularExpressionRunsInLinearTime() throws {
        let work = try plannedWorkspace()
        _ = try apply(
            [
                Edit(
                    file: "Rules/china/hostile.yaml", old: "",
                    new: """
                        rules:
                          - id: hostile.redos
                            for: zone
                            require: "!('\(String(repeating: "a", count: 5000))!'.matches('(a+)+$'))"
                            severity: info
                            message: backtracking would take longer than the universe has

                        """)
            ], in: work)
        let result = try run(["plan"], in: work, timeLimit: 60)
        XCTAssertFalse(result.timedOut, "matches backtracked")
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testEachDiagnosticIsPrintedOnce() throws {
        let work = try plannedWorkspace()
        let second = try String(contentsOf: work.appendingPathComponent(Self.rollout), encoding: .utf8)
            .replacingOccurrences(of: "id: cams-changzhou", with: "id: cams-again")
        try Data(second.utf8).write(to: work.appendingPathComponent("Cities/rollouts/cams-again.yaml"))
        let position = try XCTUnwrap(
            try apply(
                [
                    Edit(
                        file: "Rules/china/grid.yaml", old: "value: \"zone.grid_headroom_kw",
                        new: "value: \"zone.1️⃣grid_headroom_kww")
                ], in: work))
        let before = snapshot(of: work)
        let result = try run(["plan"], in: work)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr.components(separatedBy: "\(position): error:").count - 1, 1, result.stderr)
        assertUnchanged(before, snapshot(of: work), "one diagnostic")
    }

    /// Folders that are not a workspace: every command refuses them instead of doing nothing successfully.
    func testMissingOrEmptyWorkspaceIsAnError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chargeplan-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: empty) }
        let commands: [[String]] = [
            ["plan"], ["check"], ["test"], ["fmt"], ["fmt", "--check"], ["render"],
            ["explain", "changzhou", "--zone", "changzhou-core", "--year", "2020"],
        ]
        for arguments in commands {
            for root in [empty.path, "/nonexistent-\(UUID().uuidString)"] {
                let result = try run(arguments + ["--root", root], in: empty)
                XCTAssertEqual(result.status, 2, "\(arguments) --root \(root): \(result.stdout)\(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("chargeplan: error: "), result.stderr)
            }
        }
        let work = try plannedWorkspace()
        let inRules = try run(["plan"], in: work.appendingPathComponent("Rules"))
        XCTAssertEqual(inRules.status, 2, inRules.stdout)
        XCTAssertTrue(inRules.stderr.contains("no Cities/ folder"), inRules.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("Rules").path).sorted(),
            ["china"])
        // Cities/ and Rules/ present but holding nothing.
        try FileManager.default.createDirectory(
            at: empty.appendingPathComponent("Cities"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: empty.appendingPathComponent("Rules"), withIntermediateDirectories: true)
        for arguments in commands {
            let result = try run(arguments, in: empty)
            XCTAssertEqual(
                result.status, 2, "\(arguments) on empty Cities/ and Rules/: \(result.stdout)\(result.stderr)")
        }
    }

    /// Inputs that are not regular files would block (a FIFO) or never end (/dev/zero).
    func testNonRegularInputsAreRefusedWithoutHanging() throws {
        let cases: [(name: String, make: (URL) throws -> Void, message: String)] = [
            (
                "FIFO", { XCTAssertEqual(mkfifo($0.appendingPathComponent("Cities/fifo.yaml").path, 0o644), 0) },
                "Cities/fifo.yaml:1:1: error: cannot read file: it is a FIFO"
            ),
            (
                "/dev/zero",
                {
                    try FileManager.default.createSymbolicLink(
                        atPath: $0.appendingPathComponent("Cities/zero.yaml").path,
                        withDestinationPath: "/dev/zero")
                },
                "Cities/zero.yaml:1:1: error: cannot read file: it is a character device"
            ),
            (
                "a folder named like a profile",
                {
                    try FileManager.default.createDirectory(
                        at: $0.appendingPathComponent("Cities/folder.yaml"), withIntermediateDirectories: false)
                },
                "Cities/folder.yaml:1:1: error: cannot read file: it is a folder"
            ),
            (
                "symlink loop at Cities/rollouts",
                { work in
                    let rollouts = work.appendingPathComponent("Cities/rollouts")
                    try FileManager.default.removeItem(at: rollouts)
                    try FileManager.default.createSymbolicLink(atPath: rollouts.path, withDestinationPath: "rollouts")
                }, "chargeplan: error: cannot list the folder Cities/rollouts/"
            ),
        ]
        for testCase in cases {
            let work = try plannedWorkspace()
            try testCase.make(work)
            let before = snapshot(of: work)
            for arguments in [["plan"], ["check"], ["fmt", "--check"]] {
                let result = try run(arguments, in: work, timeLimit: 30)
                XCTAssertFalse(result.timedOut, "\(testCase.name): \(arguments) hung")
                XCTAssertEqual(result.status, 2, "\(testCase.name): \(arguments): \(result.stderr)")
                XCTAssertTrue(
                    result.stderr.contains(testCase.message), "\(testCase.name): \(arguments): \(result.stderr)")
            }
            assertUnchanged(before, snapshot(of: work), testCase.name)
        }
    }

    /// A valid change with one rollout whose folder cannot be written: exit 2 and no rollout replaced.
    func testAnUnwritableRolloutChangesNothing() throws {
        let work = try plannedWorkspace()
        let second = try String(contentsOf: work.appendingPathComponent(Self.rollout), encoding: .utf8)
            .replacingOccurrences(of: "id: cams-changzhou", with: "id: cams-again")
        try Data(second.utf8).write(to: work.appendingPathComponent("Cities/rollouts/cams-again.yaml"))
        XCTAssertTrue(
            FileManager.default.createFile(
                atPath: work.appendingPathComponent("plans/cams-again").path, contents: Data("x".utf8)))
        _ = try apply(
            [
                Edit(
                    file: "Rules/china/params.yaml", old: "ac_utilisation_hours: {value: ",
                    new: "ac_utilisation_hours: {value: 1")
            ],
            in: work)
        let before = snapshot(of: work)
        let result = try run(["plan"], in: work)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("chargeplan: error: cannot write plans to "), result.stderr)
        assertUnchanged(before, snapshot(of: work), "unwritable rollout")
        let elsewhere = try run(["plan", "--output", "plans/cams-again/below-a-file"], in: work)
        XCTAssertEqual(elsewhere.status, 2, elsewhere.stderr)
        assertUnchanged(before, snapshot(of: work), "output below a file")
    }

    /// SIGKILL at moments spread over the last quarter of a run (and just after it) that rewrites three rollouts: the plans are
    /// always one whole set (old or new), or a committed new set that the next run finishes; after the next run
    /// only rollout folders are left. Each round plans the other parameter value, so old and new alternate.
    func testAKilledPlanNeverLeavesAMixedSet() throws {
        let work = try projectCopy()
        let plans = work.appendingPathComponent("plans")
        let values = ["ac_utilisation_hours: {value: 1.68,", "ac_utilisation_hours: {value: 11.68,"]
        var sets: [[String: Data]] = []
        var runSeconds = 0.0
        for (index, value) in values.enumerated() {
            if index > 0 {
                _ = try apply([Edit(file: "Rules/china/params.yaml", old: values[index - 1], new: value)], in: work)
            }
            let started = Date()
            XCTAssertEqual(try run(["plan"], in: work).status, 0)
            runSeconds = max(runSeconds, Date().timeIntervalSince(started))
            sets.append(try contents(of: plans))
        }
        XCTAssertNotEqual(sets[0], sets[1])
        let binary = try XCTUnwrap(Self.executable)
        var outcomes: [String: Int] = [:]
        for round in 0..<6 {
            // plans/ holds sets[1 - target] now; plan towards sets[target].
            let target = round % 2
            _ = try apply(
                [Edit(file: "Rules/china/params.yaml", old: values[1 - target], new: values[target])], in: work)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["plan"]
            process.currentDirectoryURL = work
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: runSeconds * (0.75 + 0.07 * Double(round)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let visible = try contents(of: plans).filter { !$0.key.hasPrefix("/.") }
            let staging = try FileManager.default.contentsOfDirectory(atPath: plans.path).filter { $0.hasPrefix(".") }
            let committed = staging.contains {
                FileManager.default.fileExists(atPath: plans.path + "/" + $0 + "/COMMITTED")
            }
            let outcome =
                visible == sets[1 - target]
                ? "old" : visible == sets[target] ? "new" : committed ? "committed" : "mixed"
            outcomes[outcome, default: 0] += 1
            XCTAssertNotEqual(outcome, "mixed", "round \(round): a mixed plan set")
            let next = try run(["plan"], in: work)
            XCTAssertEqual(next.status, 0, next.stderr)
            XCTAssertTrue(
                try contents(of: plans) == sets[target], "round \(round): the next run did not write the new set")
            XCTAssertEqual(
                try FileManager.default.contentsOfDirectory(atPath: plans.path).sorted(),
                ["cams-changzhou", "china-backtest", "hainan-2030", "nio-41-cities"])
        }
        print("kill outcomes: \(outcomes.sorted { $0.key < $1.key })")
    }
}
