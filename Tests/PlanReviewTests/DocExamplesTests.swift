import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanningEngine

/// Every ```yaml example of README.md and docs/*.md loads as the kind of file it says it is, or fails with the
/// message it documents. The kind is an HTML comment on the line before the fence (invisible when rendered):
///
/// - `<!-- example: city -->` — a profile, loaded as `Cities/<its id>.yaml` with the bundled inputs (it
///   replaces the bundled file of that id);
/// - `<!-- example: rollout -->` — loaded as `Cities/rollouts/<its id>.yaml` the same way;
/// - `<!-- example: scenario -->` — loaded as `Scenarios/<its id>.yaml` the same way (checked against the bundled
///   rule sets, cities and rollouts, and applied once);
/// - `<!-- example: rules -->` — a rule file, loaded as the one file of a rule set of its own (with
///   `currency: CNY` beside it when it declares no currency);
/// - `<!-- example: rules in china -->` — one more file of the bundled `china` rule set (its names must be new);
///   the tests it holds must pass;
/// - `<!-- example: plan -->`, `<!-- example: fragment -->` — output, or part of a file: must be valid YAML;
/// - `<!-- example: error KIND: MESSAGE -->` — loading it as KIND fails with a diagnostic containing MESSAGE.
///
/// An unmarked ```yaml block fails the test. Loading means what `plan` and `check` do before compiling:
/// keys, types, ranges, references; expressions are not compiled (examples show rules out of their rule set).
final class DocExamplesTests: XCTestCase {
    struct Example {
        var file: String
        var line: Int
        var kind: String
        var text: String

        var place: String { "\(file):\(line)" }
    }

    static let documents =
        ["README.md"]
        + ((try? FileManager.default.contentsOfDirectory(atPath: FixtureWorkspace.rootPath + "/docs")) ?? [])
        .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }

    /// The yaml examples of one markdown file, with their marker (empty when unmarked).
    static func examples(in file: String, text: String) -> [Example] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "```yaml" else {
                index += 1
                continue
            }
            var kind = ""
            if index > 0 {
                let marker = lines[index - 1].trimmingCharacters(in: .whitespaces)
                if marker.hasPrefix("<!-- example: "), marker.hasSuffix(" -->") {
                    kind = String(marker.dropFirst("<!-- example: ".count).dropLast(" -->".count))
                }
            }
            var body: [String] = []
            var end = index + 1
            while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(lines[end])
                end += 1
            }
            examples.append(Example(file: file, line: index + 1, kind: kind, text: body.joined(separator: "\n") + "\n"))
            index = end + 1
        }
        return examples
    }

    /// The diagnostics of loading `text` as a file of `kind`; empty when it loads.
    static func load(_ text: String, as kind: String) throws -> [Diagnostic] {
        func diagnostics(_ files: [String: String]) -> [Diagnostic] {
            do { _ = try Workspace.load(files: files) } catch { return error.diagnostics }
            return []
        }
        func id() -> String {
            let root = try? YAMLTreeLoader.parse(text, file: "example.yaml")
            if case .mapping(let pairs)? = root?.content,
                let id = pairs.first(where: { $0.key == "id" })?.value.scalar
            {
                return id
            }
            return "example"
        }
        switch kind {
        case "city", "rollout", "scenario":
            var files = try FixtureWorkspace.inputs()
            let folder = ["city": "Cities/", "rollout": "Cities/rollouts/", "scenario": "Scenarios/"][kind] ?? ""
            files[folder + id() + ".yaml"] = text
            return diagnostics(files)
        case "rules":
            var files = ["Rules/example/example.yaml": text]
            let root = try? YAMLTreeLoader.parse(text, file: "example.yaml")
            if case .mapping(let pairs)? = root?.content, pairs.contains(where: { $0.key == "currency" }) {
            } else {
                files["Rules/example/currency.yaml"] = "currency: CNY\n"
            }
            return diagnostics(files)
        case "rules in china":
            var files = try FixtureWorkspace.inputs()
            files["Rules/china/zz-example.yaml"] = text
            let loading = diagnostics(files)
            guard loading.isEmpty else { return loading }
            let reports = try RuleTestRunner.run(Workspace.load(files: files), ruleSetID: "china")
            return reports.flatMap(\.results)
                .filter { $0.position.file == "Rules/china/zz-example.yaml" && $0.status == .fail }
                .map { .error("test \($0.name) fails: " + $0.problems.joined(separator: "; "), at: $0.position) }
        case "plan", "fragment":
            do { _ = try YAMLTreeLoader.parse(text, file: "example.yaml") } catch {
                // A block of comments only (the schema lines) is an empty document: valid YAML.
                return error.diagnostics.filter { $0.message != "file is empty" }
            }
            return []
        default:
            return [
                .error(
                    "unknown example kind '\(kind)'", at: nil,
                    hint: "city, rollout, scenario, rules, rules in china, plan, fragment or "
                        + "error KIND: MESSAGE")
            ]
        }
    }

    func testEveryYAMLExampleOfTheDocsLoadsAsItsKind() throws {
        var count = 0
        for document in Self.documents {
            for example in Self.examples(in: document, text: try FixtureWorkspace.read(document)) {
                count += 1
                XCTAssertFalse(
                    example.kind.isEmpty,
                    "\(example.place): a ```yaml example needs <!-- example: KIND --> before it")
                if example.kind.hasPrefix("error ") {
                    let spec = example.kind.dropFirst("error ".count)
                    guard let colon = spec.firstIndex(of: ":") else {
                        XCTFail("\(example.place): write <!-- example: error KIND: MESSAGE -->")
                        continue
                    }
                    let message = spec[spec.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    let diagnostics = try Self.load(example.text, as: String(spec[..<colon]))
                    XCTAssertTrue(
                        diagnostics.contains { $0.message.contains(message) },
                        "\(example.place): expected '\(message)', got \(diagnostics)")
                } else if !example.kind.isEmpty {
                    let diagnostics = try Self.load(example.text, as: example.kind)
                    XCTAssertEqual(diagnostics, [], "\(example.place) (\(example.kind))")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(count, 14)
    }

    /// The harness itself: an unmarked block is found, a wrong example fails, an error example needs its error.
    func testTheHarnessCatchesWrongExamples() throws {
        let markdown = """
            <!-- example: rollout -->
            ```yaml
            id: x
            ```
            text
            ```yaml
            a: 1
            ```
            """
        let examples = Self.examples(in: "x.md", text: markdown)
        XCTAssertEqual(examples.map(\.kind), ["rollout", ""])
        XCTAssertEqual(examples.map(\.line), [2, 6])
        XCTAssertFalse(try Self.load(examples[0].text, as: "rollout").isEmpty)
        XCTAssertEqual(try Self.load("units: {}\n", as: "rules"), [])
        XCTAssertEqual(try Self.load("unit: {}\n", as: "rules").map(\.message), ["unknown key 'unit'"])
        XCTAssertFalse(try Self.load("a: [1\n", as: "fragment").isEmpty)
    }
}
