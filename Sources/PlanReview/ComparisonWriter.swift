import PlanWriters
import PlanningEngine

/// The text, Markdown and JSON of `chargeplan compare`.
public enum ComparisonWriter {
    public typealias Format = ReportFormat

    public static func render(_ report: ScenarioComparison.Report, as format: Format) -> String {
        switch format {
        case .text: text(report)
        case .markdown: markdown(report)
        case .json: json(report)
        }
    }

    static func headline(_ report: ScenarioComparison.Report) -> String {
        let differing = Set(report.changes.map { $0.file + "/" + $0.scope }).count
        let scope = report.ruleSet.map { " (rule set \($0))" } ?? ""
        if report.isEmpty {
            return "compare \(report.a) → \(report.b)\(scope): no differences in \(report.cities.count) cities"
        }
        return "compare \(report.a) → \(report.b)\(scope): \(report.changes.count) values differ in \(differing) of "
            + "\(report.cities.count) cities"
    }

    /// `b − a` when both are numbers, as `diff` writes a change (`+15, +12.5 %`; in a table `+15 (+12.5 %)`).
    static func delta(_ change: PlanDiff.Change, inText: Bool = true) -> String? {
        guard let x = change.before?.number, let y = change.after?.number else { return nil }
        let digits = max(PlanDiffSummary.decimals(change.before?.text), PlanDiffSummary.decimals(change.after?.text))
        return PlanDiff.changeText(
            y - x, percent: PlanDiffSummary.percent(before: x, after: y), digits: digits,
            inText: inText)
    }

    // MARK: text

    public static func text(_ report: ScenarioComparison.Report) -> String {
        var out = headline(report) + "\n"
        for cause in report.causes {
            out += "cause: \(cause.path): \(cause.a) in \(report.a), \(cause.b) in \(report.b)\n"
        }
        if !report.isEmpty {
            out += "\n"
            var seen: Set<String> = []
            for rollout in report.changes.map(\.file) where seen.insert(rollout).inserted {
                out +=
                    "\(rollout)\n"
                    + PlanDiff.textRows(report.changes.filter { $0.file == rollout }) { change in
                        "\(PlanDiff.show(change.before)) → \(PlanDiff.show(change.after))"
                            + (delta(change).map { " (\($0))" } ?? "")
                    }.joined()
            }
        }
        out +=
            "\nside by side: installed and unmet in the last year, \(report.moneyKey) over the horizon"
            + (report.isEmpty ? "" : " (cities that differ first)") + "\n"
        var rollout: String?
        for city in report.cities {
            if city.rollout != rollout {
                out += "\(city.rollout)\n"
                rollout = city.rollout
            }
            if city.a == city.b {
                out += "  \(city.city)\n    both: \(line(city.a, report))\n"
            } else {
                out +=
                    "  \(city.city)\n    \(report.a): \(line(city.a, report))\n"
                    + "    \(report.b): \(line(city.b, report))\n"
            }
        }
        return out
    }

    private static func line(_ totals: ScenarioComparison.Totals, _ report: ScenarioComparison.Report) -> String {
        var parts = [
            "installed " + totals.installed.map { "\($0.unit) \($0.count)" }.joined(separator: ", "),
            "by access " + totals.access.map { "\($0.access.rawValue) \($0.installed)" }.joined(separator: ", "),
            "unmet " + totals.unmet.map { "\($0.unit) \($0.count)" }.joined(separator: ", "),
            "\(report.moneyKey) \(ScenarioComparison.money(totals.capex))",
            "findings \(totals.errors) errors, \(totals.warnings) warnings",
        ]
        if let npv = totals.npv { parts.append("npv_\(report.currency.lowercased()) \(ScenarioComparison.money(npv))") }
        return parts.joined(separator: "; ")
    }

    // MARK: markdown

    public static func markdown(_ report: ScenarioComparison.Report) -> String {
        var out = "## Compare `\(report.a)` → `\(report.b)`\n\n" + headline(report) + ".\n\n"
        if !report.causes.isEmpty {
            out += "| overridden | \(PlanDiff.cell(report.a)) | \(PlanDiff.cell(report.b)) |\n|---|---|---|\n"
            for cause in report.causes {
                out += "| `\(PlanDiff.cell(cause.path))` | \(PlanDiff.cell(cause.a)) | \(PlanDiff.cell(cause.b)) |\n"
            }
            out += "\n"
        }
        let units = report.cities.first?.a.installed.map(\.unit) ?? []
        var rollout: String?
        for city in report.cities {
            if city.rollout != rollout {
                out += (rollout == nil ? "" : "\n") + "### \(city.rollout)\n\n"
                out +=
                    "| city | " + units.map { "\($0) installed" }.joined(separator: " | ")
                    + " | public installed | unmet | \(report.moneyKey) | findings |\n"
                out += "|---|" + String(repeating: "---:|", count: units.count + 3) + "---:|\n"
                rollout = city.rollout
            }
            func cell(_ value: (ScenarioComparison.Totals) -> String) -> String {
                let a = value(city.a)
                let b = value(city.b)
                return a == b ? a : "\(a) → \(b)"
            }
            var cells = [PlanDiff.cell(city.city)]
            for unit in units {
                cells.append(cell { totals in String(totals.installed.first { $0.unit == unit }?.count ?? 0) })
            }
            cells.append(cell { String($0.access.first { $0.access == .public }?.installed ?? 0) })
            cells.append(cell { String($0.unmet.reduce(0) { $0 + $1.count }) })
            cells.append(cell { ScenarioComparison.money($0.capex) })
            cells.append(cell { "\($0.errors + $0.warnings)" })
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if !report.isEmpty {
            out += "\n<details><summary>\(report.changes.count) values differ</summary>\n\n"
            out +=
                "| rollout | city | year | value | \(PlanDiff.cell(report.a)) | \(PlanDiff.cell(report.b)) | change |\n"
            out += "|---|---|---:|---|---:|---:|---:|\n"
            for change in report.changes {
                out +=
                    "| \(change.file) | \(change.scope) | \(change.year.map(String.init) ?? "") | "
                    + "\(PlanDiff.cell(change.item)) | \(PlanDiff.cell(PlanDiff.show(change.before))) | "
                    + "\(PlanDiff.cell(PlanDiff.show(change.after))) | \(delta(change, inText: false) ?? "") |\n"
            }
            out += "\n</details>\n"
        }
        return out
    }

    // MARK: json

    public static func json(_ report: ScenarioComparison.Report) -> String {
        let q = JSONString.quote
        var out = "{\n  \"a\": \(q(report.a)),\n  \"b\": \(q(report.b)),\n"
        out +=
            "  \"rule_set\": \(report.ruleSet.map(q) ?? "null"),\n"
            + "  \"differs\": \(report.isEmpty ? "false" : "true"),\n"
        out +=
            "  \"causes\": ["
            + report.causes.map {
                "{\"path\": \(q($0.path)), \"a\": \(q($0.a)), \"b\": \(q($0.b))}"
            }.joined(separator: ", ") + "],\n"
        out +=
            "  \"changes\": ["
            + (report.changes.isEmpty
                ? ""
                : "\n"
                    + report.changes.map {
                        "    " + JSONEmitter.compact(change($0))
                    }.joined(separator: ",\n") + "\n  ") + "],\n"
        out +=
            "  \"cities\": [\n"
            + report.cities.map { city in
                "    {\"rollout\": \(q(city.rollout)), \"city\": \(q(city.city)), "
                    + "\"differs\": \(city.a == city.b ? "false" : "true"), "
                    + "\"a\": \(totals(city.a, report)), \"b\": \(totals(city.b, report))}"
            }.joined(separator: ",\n") + "\n  ]\n}\n"
        return out
    }

    /// One change as `diff --format json` writes one, its groups named `rollout` and `city`.
    private static func change(_ c: PlanDiff.Change) -> PlanNode {
        return .object([
            ("rollout", .string(c.file)), ("city", .string(c.scope)),
            ("year", c.year.map { .number(String($0)) } ?? .null),
            ("item", .string(c.item)), ("before", PlanDiff.jsonNode(c.before)), ("after", PlanDiff.jsonNode(c.after)),
            ("rules", .array(c.rules.map { .string($0) })),
        ])
    }

    private static func totals(_ totals: ScenarioComparison.Totals, _ report: ScenarioComparison.Report) -> String {
        func counts(_ list: [(unit: String, count: Int)]) -> String {
            "{" + list.map { "\(JSONString.quote($0.unit)): \($0.count)" }.joined(separator: ", ") + "}"
        }
        let access =
            "{" + totals.access.map { "\"\($0.access.rawValue)\": \($0.installed)" }.joined(separator: ", ") + "}"
        let npv = totals.npv.map { ScenarioComparison.money($0) } ?? "null"
        return "{\"installed\": \(counts(totals.installed)), \"access_installed\": \(access), "
            + "\"unmet\": \(counts(totals.unmet)), \"\(report.moneyKey)\": \(ScenarioComparison.money(totals.capex)), "
            + "\"errors\": \(totals.errors), \"warnings\": \(totals.warnings), "
            + "\"npv_\(report.currency.lowercased())\": \(npv)}"
    }
}
