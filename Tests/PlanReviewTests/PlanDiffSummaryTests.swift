import Foundation
import TestSupport
import XCTest
@testable import PlanReview

@testable import PlanWriters
@testable import PlanningEngine

/// The diff's summary (rollout totals, largest changes, inputs that changed), its byte budget and its JSON.
final class PlanDiffSummaryTests: XCTestCase {
    /// A city plan with one unit type and its access total per year: (year, fast installed, capex).
    private func cityPlan(
        _ city: String, _ years: [(year: Int, fast: Int, capex: String)], evStock: Int = 100
    ) -> String {
        var text =
            "format_version: 1\nrollout: r\ncity: \(city)\nfact_rules: {city.ev_stock: fleet.ev-stock}\ncity_years:\n"
        for y in years {
            text +=
                "  - {year: \(y.year), facts: {ev_stock: \(evStock)}, units: {fast: {installed: \(y.fast), new: 0, "
                + "demand: \(y.fast), unmet: 0, capex_cny: \(y.capex), rules: [mix.fast]}}, "
                + "access: {public: {installed: \(y.fast), new: 0}}}\n"
        }
        return text + "zone_years: []\nstations: []\nfindings: []\n"
    }

    private func summaryPlan(_ years: [(year: Int, fast: Int, capex: String)]) -> String {
        var text = "format_version: 1\nrollout: r\ntotals:\n"
        for y in years {
            text +=
                "  - {year: \(y.year), fast: {installed: \(y.fast), new: 0}, access: {private: {installed: 0, new: 0}, "
                + "public: {installed: \(y.fast), new: 0}}, capex_cny: \(y.capex)}\n"
        }
        return text + "cities: []\n"
    }

    // MARK: Values

    func testJSONNumberGrammarDecidesWhatIsANumber() {
        for text in ["0", "-0.5", "12", "1546.00", "0.1110", "1e5", "2E-3", "-12.5e+10"] {
            XCTAssertEqual(PlanValue(plain: text).kind, .number, text)
        }
        for text in ["", "-", "01", "1.", ".5", "+1", "1e", "1_000", "12a", "0x10", "1.2.3", "--1"] {
            XCTAssertEqual(PlanValue(plain: text).kind, .string, text)
        }
        XCTAssertEqual(PlanValue(plain: "true").kind, .boolean)
        XCTAssertEqual(PlanValue(plain: "True").kind, .string)
        XCTAssertEqual(PlanValue("12", kind: .string).json, "\"12\"")
        XCTAssertEqual(PlanValue(plain: "12").json, "12")
    }

    func testQuotedScalarsStayStrings() throws {
        let old = cityPlan("x", [(2020, 1, "0.00")]) + "note: \"12\"\n"
        let new = cityPlan("x", [(2020, 1, "0.00")]) + "note: \"13\"\n"
        let report = try PlanDiff.compare(old: [("r/x.yaml", old)], new: [("r/x.yaml", new)])
        XCTAssertEqual(report.changes.map(\.after), [PlanValue("13", kind: .string)])
    }

    // MARK: Rollout totals

    func testTotalsComeFromTheSummaryWhenThereIsOne() throws {
        let old = [
            ("r/_summary.yaml", summaryPlan([(2020, 10, "100.00"), (2021, 12, "50.00")])),
            ("r/x.yaml", cityPlan("x", [(2020, 999, "0.00")])),
        ]
        let new = [
            ("r/_summary.yaml", summaryPlan([(2020, 10, "100.00"), (2021, 15, "80.00")])),
            ("r/x.yaml", cityPlan("x", [(2020, 998, "0.00")])),
        ]
        let report = try PlanDiff.compare(old: old, new: new)
        XCTAssertEqual(
            report.totals,
            [
                RolloutTotals(
                    rollout: "r",
                    rows: [
                        TotalRow(
                            total: "access.public.installed", firstYear: nil, lastYear: 2021, before: 12, after: 15,
                            digits: 0),
                        TotalRow(
                            total: "units.fast.installed", firstYear: nil, lastYear: 2021, before: 12, after: 15,
                            digits: 0),
                        TotalRow(
                            total: "capex_cny", firstYear: 2020, lastYear: 2021, before: 150, after: 180, digits: 2),
                    ])
            ], "the last year's counts and the money over every year; access.private is 0 on both sides")
        XCTAssertEqual(report.totals.first?.rows.first?.changePercent ?? 0, 25, accuracy: 1e-9)
    }

    func testTotalsAreSummedOverCityPlansWithoutASummary() throws {
        let old = [
            ("r/a.yaml", cityPlan("a", [(2020, 3, "10.00"), (2021, 4, "5.00")])),
            ("r/b.yaml", cityPlan("b", [(2021, 6, "1.50")])),
        ]
        let new = [
            ("r/a.yaml", cityPlan("a", [(2020, 3, "10.00"), (2021, 5, "5.00")])),
            ("r/b.yaml", cityPlan("b", [(2021, 6, "1.50")])),
        ]
        let report = try PlanDiff.compare(old: old, new: new)
        XCTAssertEqual(
            report.totals.first?.rows,
            [
                TotalRow(
                    total: "access.public.installed", firstYear: nil, lastYear: 2021, before: 10, after: 11, digits: 0),
                TotalRow(
                    total: "units.fast.installed", firstYear: nil, lastYear: 2021, before: 10, after: 11, digits: 0),
                TotalRow(total: "capex_cny", firstYear: 2020, lastYear: 2021, before: 16.5, after: 16.5, digits: 2),
            ], "an unchanged city (b) counts in its rollout's totals")
    }

    func testFoldersWithoutChangesGetNoTotals() throws {
        let same = [("s/a.yaml", cityPlan("a", [(2020, 3, "0.00")]))]
        let old = same + [("r/a.yaml", cityPlan("a", [(2020, 3, "0.00")]))]
        let new = same + [("r/a.yaml", cityPlan("a", [(2020, 4, "0.00")]))]
        XCTAssertEqual(try PlanDiff.compare(old: old, new: new).totals.map(\.rollout), ["r"])
    }

    func testAUnitTypeOnOneSideOnlyHasNoValueOnTheOther() {
        let old = [PlanDiffSummary.YearTotals(year: 2020, units: [("fast", 2)])]
        let new = [PlanDiffSummary.YearTotals(year: 2020, units: [("fast", 2), ("swap", 1)])]
        XCTAssertEqual(
            PlanDiffSummary.compare(old, new).map(\.total), ["units.fast.installed", "units.swap.installed"])
        XCTAssertEqual(
            PlanDiffSummary.compare(old, new).last?.before, 0, "a side that has the year counts a missing unit as 0")
        XCTAssertEqual(PlanDiffSummary.compare([], new).last?.before, nil, "a side without any year has no value")
        XCTAssertNil(TotalRow(total: "t", lastYear: 2020, before: 0, after: 3, digits: 0).changePercent)
    }

    // MARK: Largest changes

    private func change(
        _ file: String, _ item: String, _ year: Int, _ before: String, _ after: String,
        scope: String = "city"
    ) -> PlanDiff.Change {
        PlanDiff.Change(
            file: file, scope: scope, year: year, item: item, before: PlanValue(plain: before),
            after: PlanValue(plain: after), rules: ["r.\(item)"])
    }

    func testLargestChangesRankUnitCountsBySizeThenOtherNumbersByShare() {
        let changes = [
            change("a.yaml", "fact ev_stock", 2020, "100", "300"),  // +200 %, not a unit count
            change("a.yaml", "fast.capex_cny", 2020, "1000.00", "900000.00"),  // money: ranked by share, after counts
            change("a.yaml", "fast.installed", 2020, "10", "13"),  // +3
            change("b.yaml", "mobile.demand", 2020, "50", "40"),  // -10
            change("b.yaml", "access.public.installed", 2020, "1", "900"),  // access totals repeat the units: left out
            change("b.yaml", "fast.installed", 2020, "1", "9", scope: "b-core"),  // zone level: left out
            change("b.yaml", "fact flag", 2020, "true", "false"),  // not a number: left out
            change("c.yaml", "fact share", 2020, "0", "0.5"),  // from zero: above any share
        ]
        let largest = PlanDiffSummary.largest(changes, limit: 10)
        XCTAssertEqual(
            largest.map { "\($0.change.file) \($0.change.item)" },
            [
                "b.yaml mobile.demand", "a.yaml fast.installed", "c.yaml fact share", "a.yaml fast.capex_cny",
                "a.yaml fact ev_stock",
            ])
        XCTAssertEqual(largest.first?.delta, -10)
        XCTAssertEqual(largest.first?.percent ?? 0, -20, accuracy: 1e-9)
        XCTAssertNil(largest[2].percent)
    }

    func testALargestChangeIsItsBiggestYearAndCountsItsYears() {
        let changes = [
            change("a.yaml", "fast.installed", 2020, "10", "12"),
            change("a.yaml", "fast.installed", 2021, "10", "15"),
            change("a.yaml", "fast.installed", 2022, "10", "5"),  // -5 ties +5: the earlier year stays
            change("a.yaml", "fast.new", 2021, "0", "1"),
        ]
        let largest = PlanDiffSummary.largest(changes, limit: 10)
        XCTAssertEqual(largest.map(\.change.year), [2021, 2021])
        XCTAssertEqual(largest.map(\.yearsChanged), [3, 1])
    }

    func testLargestChangesStopAtTheLimit() {
        let changes = (0..<15).map { change("c\($0).yaml", "fast.installed", 2020, "0", String($0 + 1)) }
        let largest = PlanDiffSummary.largest(changes, limit: PlanDiffSummary.largestLimit)
        XCTAssertEqual(largest.count, 10)
        XCTAssertEqual(largest.first?.change.file, "c14.yaml")
        XCTAssertEqual(largest.last?.change.file, "c5.yaml")
        XCTAssertEqual(PlanDiffSummary.largest(changes, limit: 0).count, 0)
    }

    // MARK: Input keys

    private static let paramsHeader = """
        params:
          kwh_per_km: {value: 0.151, unit: kWh/km} # source
          shift_hours: {values: [8, 10], unit: h}
        rules:

        """
    private static let firstRule = "  - id: a.first\n    for: zone\n    derive: x\n    value: \"1\"\n"
    private static let secondRule = "  - id: b.second\n    for: zone\n    derive: y\n    value: \"2\"\n"
    private let params = paramsHeader + firstRule + secondRule + "\n"

    func testAChangedParameterIsNamedWithItsFileLineAndColumn() {
        let new = params.replacingOccurrences(of: "0.151", with: "0.16")
        let change = InputChanges.changedFile("Rules/china/params.yaml", old: params, new: new)
        XCTAssertTrue(change.compared)
        XCTAssertEqual(
            change.keys,
            [
                InputKeyChange(
                    key: "params.kwh_per_km.value", before: "0.151", after: "0.16",
                    position: SourcePosition(file: "Rules/china/params.yaml", line: 2, column: 23))
            ])
    }

    func testRulesAreMatchedByIdNotByPlace() {
        // The two rules swap places and the second one's value changes: one key, named by its rule id.
        let reordered =
            Self.paramsHeader + Self.secondRule.replacingOccurrences(of: "\"2\"", with: "\"3\"")
            + Self.firstRule + "\n"
        let keys = InputChanges.changedFile("r.yaml", old: params, new: reordered).keys
        XCTAssertEqual(keys.map(\.key), ["rules[b.second].value"])
        XCTAssertEqual(keys.first?.position.line, 8)
    }

    func testListsOfNumbersCompareAsOneValueAndRemovedKeysPointIntoTheOldFile() {
        let new = params.replacingOccurrences(of: "[8, 10]", with: "[8, 12]")
            .replacingOccurrences(of: "  kwh_per_km: {value: 0.151, unit: kWh/km} # source\n", with: "")
        let keys = InputChanges.changedFile("r.yaml", old: params, new: new).keys
        XCTAssertEqual(keys.map(\.key), ["params.shift_hours.values", "params.kwh_per_km"])
        XCTAssertEqual(keys.first?.before?.text, "[8, 10]")
        XCTAssertEqual(keys.first?.after?.text, "[8, 12]")
        XCTAssertNil(keys.last?.after)
        XCTAssertEqual(keys.last?.position.line, 2, "where it was in the old file")
    }

    func testAddedRecordsAreOneKeyAndCommentsAloneNone() {
        let added = params + "  - {id: c.third, for: zone, derive: z, value: \"4\"}\n"
        XCTAssertEqual(InputChanges.changedFile("r.yaml", old: params, new: added).keys.map(\.key), ["rules[c.third]"])
        let comment = InputChanges.changedFile(
            "r.yaml", old: params, new: params.replacingOccurrences(of: "# source", with: "# other"))
        XCTAssertTrue(comment.compared)
        XCTAssertEqual(comment.keys, [])
        let broken = InputChanges.changedFile("r.yaml", old: params, new: "params: [\n")
        XCTAssertFalse(broken.compared, "a version that does not parse is named, not compared")
    }

    func testRevisionInputsGiveStatusesByPath() {
        let inputs = InputChanges.compare(
            old: [("Cities/a.yaml", "id: a\n"), ("Cities/gone.yaml", "id: g\n"), ("Rules/x/p.yaml", params)],
            new: [
                ("Cities/a.yaml", "id: a\n"), ("Cities/new.yaml", "id: n\n"), ("Rules/x/p.yaml", params + "# tail\n"),
            ],
            basis: .revision("HEAD")
        )
        XCTAssertEqual(
            inputs.files.map { "\($0.path) \($0.status.rawValue)" },
            ["Cities/gone.yaml removed", "Cities/new.yaml added", "Rules/x/p.yaml changed"])
    }

    // MARK: Input hashes

    func testInputHashesAreReadFromThePlans() {
        let written =
            "# header\nformat_version: 1\ninputs:\n  - {path: Cities/a.yaml, sha256: aa}\n"
            + "  - {path: Rules/x/p.yaml, sha256: \"01\"}\n"
            + "fact_rules: {}\n"
        let other = "{format_version: 1, inputs: [{path: Cities/a.yaml, sha256: bb}]}\n"  // not as `plan` lays it out
        let hashes = InputChanges.inputHashes(of: [
            ("r/a.yaml", written), ("r/b.yaml", other), ("r/c.csv", "inputs:\n"),
        ])
        XCTAssertEqual(hashes, ["Cities/a.yaml": ["aa", "bb"], "Rules/x/p.yaml": ["01"]])
    }

    func testHashesNameChangedFilesAndTheirKeysWhenBothVersionsAreFound() {
        let new = params.replacingOccurrences(of: "0.151", with: "0.16")
        let texts = [SHA256.hex(params.utf8): params, SHA256.hex(new.utf8): new]
        var asked: [String] = []
        let inputs = InputChanges.compare(
            oldHashes: [
                "Rules/x/p.yaml": [SHA256.hex(params.utf8)], "Cities/a.yaml": ["1"], "Cities/gone.yaml": ["2"],
                "Cities/lost.yaml": ["3"],
            ],
            newHashes: [
                "Rules/x/p.yaml": [SHA256.hex(new.utf8)], "Cities/a.yaml": ["1"], "Cities/new.yaml": ["4"],
                "Cities/lost.yaml": ["5"],
            ],
            text: { path, hash in
                asked.append(path)
                return texts[hash]
            }
        )
        XCTAssertEqual(
            inputs.files.map { "\($0.path) \($0.status.rawValue) \($0.compared)" },
            [
                "Cities/gone.yaml removed false", "Cities/lost.yaml changed false", "Cities/new.yaml added false",
                "Rules/x/p.yaml changed true",
            ])
        XCTAssertEqual(inputs.files.last?.keys.map(\.key), ["params.kwh_per_km.value"])
        XCTAssertEqual(
            asked, ["Cities/lost.yaml", "Rules/x/p.yaml", "Rules/x/p.yaml"],
            "no second look-up once the old one is missing")
    }

    func testHashLookupsStopAtTheirLimit() {
        let limit = InputChanges.maximumLookups
        var old: [String: Set<String>] = [:]
        var new: [String: Set<String>] = [:]
        for index in 0...limit {
            old[String(format: "Cities/c%03d.yaml", index)] = ["o"]
            new[String(format: "Cities/c%03d.yaml", index)] = ["n"]
        }
        var lookups: Set<String> = []
        let inputs = InputChanges.compare(
            oldHashes: old, newHashes: new,
            text: { path, _ in
                lookups.insert(path)
                return "id: x\n"
            })
        XCTAssertEqual(lookups.count, limit, "the first \(limit) changed files are looked up, not one more")
        XCTAssertEqual(inputs.files.filter(\.compared).count, limit)
        XCTAssertFalse(inputs.files.last?.compared ?? true)
    }

    func testTheLocatorReturnsOnlyTheVersionWithTheHashAskedFor() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chargeplan-locator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Rules/x"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("Rules/x/p.yaml")
        func git(_ arguments: String...) throws {
            _ = try GitPlans.git(["-C", root.path, "-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments)
        }
        try git("init", "-q")
        try "a: 1\n".write(to: file, atomically: true, encoding: .utf8)
        try git("add", "-A")
        try git("commit", "-qm", "one")
        try "a: 2\n".write(to: file, atomically: true, encoding: .utf8)
        try git("commit", "-qam", "two")
        try "a: 3\n".write(to: file, atomically: true, encoding: .utf8)
        let inTree = InputLocator(folders: [root.path], gitRoot: nil)
        XCTAssertEqual(inTree.text(path: "Rules/x/p.yaml", sha256: SHA256.hex("a: 3\n".utf8)), "a: 3\n")
        XCTAssertNil(
            inTree.text(path: "Rules/x/p.yaml", sha256: SHA256.hex("a: 1\n".utf8)), "the tree holds another version")
        let withHistory = InputLocator(folders: [root.path], gitRoot: root.path)
        XCTAssertEqual(withHistory.text(path: "Rules/x/p.yaml", sha256: SHA256.hex("a: 1\n".utf8)), "a: 1\n")
        XCTAssertNil(withHistory.text(path: "Rules/x/p.yaml", sha256: SHA256.hex("a: 9\n".utf8)))
        let shallow = InputLocator(folders: [], gitRoot: root.path, historyDepth: 1)
        XCTAssertNil(
            shallow.text(path: "Rules/x/p.yaml", sha256: SHA256.hex("a: 1\n".utf8)),
            "only the newest commit is searched")
        XCTAssertNil(
            InputLocator(folders: [], gitRoot: "/nonexistent").text(path: "p.yaml", sha256: "0"),
            "no repository: not found")
    }

    // MARK: The budget

    /// `files` files with `rows` changed values each.
    private func bigReport(files: Int, rows: Int) -> PlanDiff.Report {
        var report = PlanDiff.Report()
        for file in 0..<files {
            for row in 0..<rows {
                report.changes.append(
                    change("r/c\(file).yaml", "fact f\(row)", 2020 + row % 5, "\(row)", "\(row + 1)", scope: "z\(file)")
                )
            }
        }
        report.totals = [
            RolloutTotals(
                rollout: "r",
                rows: [
                    TotalRow(
                        total: "units.fast.installed", lastYear: 2030, before: 10, after: 12,
                        digits: 0)
                ])
        ]
        return report
    }

    private func summary(of text: String, markdown: Bool) -> String {
        let marker = markdown ? "### Details\n\n" : "\ndetails\n"
        return String(text[..<text.range(of: marker)!.upperBound])
    }

    func testADiffExactlyAtTheBudgetIsWholeAndOneByteLessIsTrimmed() {
        for markdown in [true, false] {
            let report = bigReport(files: 5, rows: 30)
            func render(_ budget: Int?) -> RenderedDiff {
                let options = PlanDiffRenderOptions(maxBytes: budget)
                return markdown
                    ? PlanDiff.renderMarkdownDocument(report, options: options)
                    : PlanDiff.renderTextDocument(report, options: options)
            }
            let full = render(nil).text
            let exact = render(full.utf8.count)
            XCTAssertEqual(exact.text, full, "at the budget: nothing trimmed")
            XCTAssertEqual(exact.valuesLeftOut, 0)
            let under = render(full.utf8.count - 1)
            XCTAssertLessThanOrEqual(under.text.utf8.count, full.utf8.count - 1)
            XCTAssertGreaterThan(under.valuesLeftOut, 0)
            XCTAssertTrue(under.text.contains(markdown ? "**Trimmed to " : "[trimmed to "), under.text)
            XCTAssertTrue(under.text.hasPrefix(summary(of: full, markdown: markdown)), "the summary is never trimmed")
        }
    }

    func testNoBudgetIsPassedAndTheNoteCountsWhatIsMissing() {
        let report = bigReport(files: 6, rows: 12)
        let full = PlanDiff.renderMarkdown(report)
        let head = summary(of: full, markdown: true)
        let detailRows = full.split(separator: "\n").filter { $0.hasPrefix("| z") }.count
        XCTAssertEqual(detailRows, 72)
        for budget in stride(from: head.utf8.count + 300, through: full.utf8.count + 10, by: 97) {
            let rendered = PlanDiff.renderMarkdownDocument(report, options: .init(maxBytes: budget))
            XCTAssertLessThanOrEqual(rendered.text.utf8.count, budget, "budget \(budget)")
            XCTAssertTrue(rendered.text.hasPrefix(head))
            XCTAssertFalse(rendered.summaryOverBudget)
            let shown = rendered.text.split(separator: "\n").filter { $0.hasPrefix("| z") }.count
            XCTAssertEqual(
                shown + rendered.valuesLeftOut, detailRows, "budget \(budget): every value is shown or counted")
            if rendered.valuesLeftOut > 0 {
                XCTAssertTrue(
                    rendered.text.contains("\(rendered.valuesLeftOut) values not shown")
                        || rendered.text.contains("1 value not shown"), rendered.text)
            }
        }
    }

    func testASummaryOverTheBudgetIsWrittenWholeWithoutDetails() {
        let report = bigReport(files: 2, rows: 3)
        let rendered = PlanDiff.renderMarkdownDocument(report, options: .init(maxBytes: 50))
        XCTAssertTrue(rendered.summaryOverBudget)
        XCTAssertTrue(rendered.text.hasPrefix(summary(of: PlanDiff.renderMarkdown(report), markdown: true)))
        XCTAssertTrue(
            rendered.text.hasSuffix(
                "the details of 2 files left out, 6 values not shown. "
                    + "Run `chargeplan diff` locally for all of them.\n"),
            rendered.text)
        XCTAssertFalse(rendered.text.contains("<details>"))
    }

    func testEachFileShowsAtMostItsRowsAndSaysHowManyMore() {
        let report = bigReport(files: 1, rows: 45)
        let text = PlanDiff.renderMarkdown(report, options: .init(rowsPerFile: 40))
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("| z") }.count, 40)
        XCTAssertTrue(text.contains("\n… and 5 more values in this file.\n"))
        XCTAssertFalse(
            PlanDiff.renderMarkdown(report, options: .init(rowsPerFile: 45)).contains("more values in this file"))
    }

    // MARK: Layout

    func testMarkdownStartsWithTheTotalsThenLargestThenInputsThenDetails() {
        var report = bigReport(files: 2, rows: 3)
        report.changes.append(change("r/c0.yaml", "fast.installed", 2030, "10", "12"))
        report.inputs = InputChanges(
            basis: .revision("origin/main"),
            files: [
                InputFileChange(
                    path: "Rules/x/params.yaml", status: .changed, compared: true,
                    keys: [
                        InputKeyChange(
                            key: "params.a.value", before: "1", after: "2",
                            position: SourcePosition(file: "Rules/x/params.yaml", line: 4, column: 14))
                    ])
            ])
        let text = PlanDiff.renderMarkdown(report, options: .init(title: "Plan changes against `origin/main`"))
        let order = [
            "## Plan changes against `origin/main`", "### Rollout totals",
            "| `r` | units.fast.installed | 2030 | 10 | 12 | +2 (+20.0 %) |",
            "### Largest changes", "### Inputs that changed",
            "The input files of origin/main against the working tree.",
            "- `Rules/x/params.yaml`: 1 key changed",
            "  - `params.a.value`: 1 → 2 at `Rules/x/params.yaml:4:14`", "### Details", "<details>",
        ]
        let places = order.map { text.range(of: $0)?.lowerBound }
        XCTAssertFalse(places.contains(nil), text)
        XCTAssertEqual(places.compactMap { $0 }, places.compactMap { $0 }.sorted(), text)
        XCTAssertTrue(text.hasPrefix("## Plan changes against `origin/main`\n\n**2** files changed"))
    }

    func testInputsAreShownEvenWhenNoPlanValueChanged() {
        var report = PlanDiff.Report()
        report.inputs = InputChanges(
            basis: .hashes, files: [InputFileChange(path: "Cities/a.yaml", status: .changed, compared: true)])
        XCTAssertEqual(
            PlanDiff.renderText(report),
            """
            no plan changes
            inputs that changed (from the input hashes the plans record)
              Cities/a.yaml: comments or layout only

            """)
        report.inputs?.files = []
        XCTAssertTrue(
            PlanDiff.renderMarkdown(report).hasSuffix(
                "No plan changes.\n\n### Inputs that changed\n\nFrom the input hashes the plans record.\n\nNone.\n"))
        XCTAssertTrue(PlanDiff.renderText(report).hasSuffix("the plans record)\n  none\n"))
        // Only plans that differ with no input changed point at another chargeplan version.
        report.filesAdded = ["x/a.yaml"]
        XCTAssertTrue(PlanDiff.renderMarkdown(report).contains("None: the plans differ though no input did"))
        XCTAssertTrue(PlanDiff.renderText(report).contains("  none: the plans differ though no input did"))
    }

    func testNumbersAreGroupedFromFiveDigitsAndChangesSigned() {
        XCTAssertEqual(PlanDiff.grouped("1546"), "1546")
        XCTAssertEqual(PlanDiff.grouped("2030"), "2030")
        XCTAssertEqual(PlanDiff.grouped("12345"), "12,345")
        XCTAssertEqual(PlanDiff.grouped("-1234567.50"), "-1,234,567.50")
        XCTAssertEqual(PlanDiff.grouped("warning: x"), "warning: x")
        XCTAssertEqual(PlanDiff.changeText(54, percent: 3.4928, digits: 0), "+54 (+3.5 %)")
        XCTAssertEqual(PlanDiff.changeText(-6, percent: -0.0109, digits: 0), "-6 (-0.01 %)")
        XCTAssertEqual(PlanDiff.changeText(-6, percent: -0.001, digits: 0), "-6 (-<0.01 %)")
        XCTAssertEqual(PlanDiff.changeText(5, percent: nil, digits: 0), "+5 (new)")
        XCTAssertEqual(PlanDiff.changeText(0.001, percent: 0.1, digits: 2), "0", "a change below the precision is none")
        XCTAssertEqual(PlanDiff.changeText(-2, percent: -10, digits: 0, inText: true), "-2, -10.0 %")
    }

    // MARK: JSON

    func testJSONWritesNumbersAsNumbersAndKeepsEveryChange() throws {
        var report = bigReport(files: 30, rows: 40)
        report.changes.append(
            PlanDiff.Change(
                file: "r/x.yaml", scope: "city", year: nil, item: "finding req.x", before: nil,
                after: PlanValue("warning: m", kind: .string), rules: ["req.x"]))
        report.changes.append(
            PlanDiff.Change(
                file: "r/x.yaml", scope: "city", year: 2020, item: "fact ok", before: "true", after: "false",
                rules: []))
        let json = PlanDiff.renderJSON(report)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(root["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.count, 30 * 40 + 2, "JSON is never trimmed")
        XCTAssertTrue(changes[0]["before"] is NSNumber && !(changes[0]["before"] is String))
        XCTAssertTrue(changes[changes.count - 2]["before"] is NSNull)
        XCTAssertEqual(changes[changes.count - 2]["after"] as? String, "warning: m")
        XCTAssertEqual(changes.last?["after"] as? Bool, false)
        let totals = try XCTUnwrap(root["totals"] as? [[String: Any]])
        XCTAssertEqual(totals.first?["change"] as? Int, 2)
        XCTAssertEqual(totals.first?["change_percent"] as? Double, 20)
        XCTAssertTrue(totals.first?["first_year"] is NSNull)
        XCTAssertEqual(root["format_version"] as? Int, 1)
    }

    // MARK: CI

    /// The workflow asks for a budget that, with the marker it appends, stays below GitHub's comment limit, and never
    /// cuts the comment itself in the middle of a table.
    func testTheReviewWorkflowPostsTheDiffWithinTheBudget() throws {
        let workflow = try FixtureWorkspace.read(".github/workflows/plan-review.yml")
        let lines = workflow.components(separatedBy: "\n")
        let diff = try XCTUnwrap(lines.firstIndex { $0.contains("chargeplan diff --git") })
        let command = lines[diff] + lines[diff + 1]
        XCTAssertTrue(command.contains("--format markdown"), command)
        let budget = try XCTUnwrap(
            command.range(of: #"--max-bytes [0-9]+"#, options: .regularExpression).map {
                Int(command[$0].dropFirst("--max-bytes ".count))
            } ?? nil, command)
        let marker = "<!-- chargeplan-plan-diff -->\n"
        XCTAssertTrue(workflow.contains("echo \"<!-- chargeplan-plan-diff -->\""))
        XCTAssertLessThanOrEqual(budget + marker.utf8.count, 65_536)
        XCTAssertEqual(budget, PlanDiffRenderOptions.defaultMarkdownBytes)
        XCTAssertFalse(workflow.contains(".slice("), "the comment is never cut by the workflow")
    }
}
