import Foundation
import XCTest

/// `chargeplan --help` and every `chargeplan <command> --help`, character for character, against the snapshots in
/// `Tests/Golden/help/` (`chargeplan.txt` for the root, `<command>.txt` for each command): a changed option, default,
/// value list or description shows in review as a diff of those files. Regenerate with
/// `CHARGEPLAN_REGENERATE_HELP=1 swift test --filter HelpSnapshotTests`.
final class HelpSnapshotTests: XCTestCase {
    static let regenerateVariable = "CHARGEPLAN_REGENERATE_HELP"

    var snapshotFolder: URL { Self.packageRoot.appendingPathComponent("Tests/Golden/help") }

    /// Help is wrapped at the terminal's width; a pipe has none, and COLUMNS is pinned so the run is the same anywhere.
    private func help(_ arguments: [String], in project: URL) throws -> String {
        let result = try run(arguments + ["--help"], in: project, environment: ["COLUMNS": "80"])
        XCTAssertEqual(result.status, 0, arguments.joined(separator: " ") + ": " + result.stderr)
        XCTAssertEqual(result.stderr, "", arguments.joined(separator: " "))
        return result.stdout
    }

    /// The commands the root's help lists under SUBCOMMANDS (without `help`, which has no options of its own).
    static func subcommands(inRootHelp text: String) -> [String] {
        guard let section = text.components(separatedBy: "SUBCOMMANDS:\n").last else { return [] }
        return section.split(separator: "\n", omittingEmptySubsequences: false).prefix {
            !$0.isEmpty && $0.hasPrefix("  ")
        }
        .compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        .filter { $0 != "help" }
    }

    func testHelpMatchesTheSnapshots() throws {
        let project = try tinyProject()
        let root = try help([], in: project)
        let commands = Self.subcommands(inRootHelp: root)
        XCTAssertTrue(commands.contains("plan") && commands.contains("site"), "the root lists the commands:\n\(root)")
        var texts = ["chargeplan": root]
        for command in commands { texts[command] = try help([command], in: project) }

        if ProcessInfo.processInfo.environment[Self.regenerateVariable] == "1" {
            try? FileManager.default.removeItem(at: snapshotFolder)
            try FileManager.default.createDirectory(at: snapshotFolder, withIntermediateDirectories: true)
            for (name, text) in texts {
                try Data(text.utf8).write(to: snapshotFolder.appendingPathComponent(name + ".txt"))
            }
            return
        }

        let hint = "regenerate: \(Self.regenerateVariable)=1 swift test --filter HelpSnapshotTests"
        let stored = try FileManager.default.contentsOfDirectory(atPath: snapshotFolder.path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
        XCTAssertEqual(stored, texts.keys.sorted(), "a snapshot for each command and none other; \(hint)")
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            let url = snapshotFolder.appendingPathComponent(name + ".txt")
            guard let snapshot = FileManager.default.contents(atPath: url.path) else { continue }
            if snapshot != Data(text.utf8) {
                XCTFail(
                    "\(name) --help differs from \(url.lastPathComponent); \(hint)\n"
                        + GoldenPlanTests.firstDifference(snapshot, Data(text.utf8)))
            }
        }
    }

    func testTheCommandListIsReadFromTheRootHelp() {
        let text = """
            OPTIONS:
              --version               Show the version.

            SUBCOMMANDS:
              plan                    Write plans for rollouts or cities (default: every
                                      rollout in Cities/rollouts).
              merge                   Join the folders.
              help                    Show subcommand help information.

              See 'chargeplan help <subcommand>' for detailed help.
            """
        XCTAssertEqual(Self.subcommands(inRootHelp: text), ["plan", "merge"])
    }
}
