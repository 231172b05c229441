import Foundation
import PlanningEngine

/// Renders a backtest: every withheld observation beside the model, then one line per quantity, then the verdict.
public enum BacktestWriter {
    public typealias Format = ReportFormat

    public static func render(_ report: Backtest.Report, as format: Format) -> String {
        switch format {
        case .text: text(report)
        case .json: json(report)
        case .markdown: markdown(report)
        }
    }

    // MARK: Text

    static func text(_ report: Backtest.Report) -> String {
        var lines = [
            "backtest: observations after \(report.cutoff) withheld; tolerance ±\(percent(report.tolerance)) %; "
                + "rollouts: " + report.rollouts.joined(separator: ", ")
        ]
        let header = ["quantity", "year", "observed", "model", "error", "error %", ""]
        var place = ""
        var table: [[String]] = []
        func flush() {
            guard !table.isEmpty else { return }
            lines += align([header] + table, rightFrom: 1, noteColumn: true).map { "  " + $0 }
            table = []
        }
        for row in report.rows {
            let here = "\(row.rollout) / \(row.city)" + (row.zone.map { " / \($0)" } ?? "")
            if here != place {
                flush()
                lines.append("")
                lines.append(here)
                place = here
            }
            table.append([
                row.quantity, String(row.year), number(row.observed), number(row.model),
                signed(row.error), share(row.errorShare), row.within(report.tolerance) ? "" : "outside",
            ])
        }
        flush()
        lines.append("")
        lines.append("by quantity")
        var summary: [[String]] = [["place", "quantity", "values", "outside", "worst %", "mean |%|"]]
        for s in report.summaries {
            summary.append([
                "\(s.rollout) / \(s.city)" + (s.zone.map { " / \($0)" } ?? ""), s.quantity, String(s.rows),
                String(s.outside), s.worstShare.map { CanonicalNumber.fixed($0 * 100, digits: 1) } ?? "n/a",
                s.meanAbsoluteShare.map { CanonicalNumber.fixed($0 * 100, digits: 1) } ?? "n/a",
            ])
        }
        lines += align(summary, rightFrom: 2).map { "  " + $0 }
        lines.append("")
        lines.append(verdict(report))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func verdict(_ report: Backtest.Report) -> String {
        let outside = report.outside.count
        var text = "\(report.rows.count) withheld values, \(outside) outside ±\(percent(report.tolerance)) %"
        if report.beyondHorizon > 0 {
            text += "; \(report.beyondHorizon) observed after the rollouts' last years, not compared"
        }
        return text + (report.passed ? " — pass" : " — FAIL")
    }

    /// Columns padded to their widest cell; the first `rightFrom` columns align left, the rest right (but a
    /// trailing note column, which aligns left).
    private static func align(_ rows: [[String]], rightFrom: Int, noteColumn: Bool = false) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c < rightFrom || (noteColumn && c == columns - 1) ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    // MARK: Markdown

    static func markdown(_ report: Backtest.Report) -> String {
        var lines = [
            "### Backtest: observations after \(report.cutoff) withheld (tolerance ±\(percent(report.tolerance)) %)",
            "",
            "| rollout | city | zone | quantity | year | observed | model | error | error % | |",
            "|---|---|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in report.rows {
            lines.append(
                "| \(row.rollout) | \(row.city) | \(row.zone ?? "") | `\(row.quantity)` | \(row.year) | "
                    + "\(number(row.observed)) | \(number(row.model)) | \(signed(row.error)) | "
                    + "\(share(row.errorShare)) | \(row.within(report.tolerance) ? "" : "**outside**") |")
        }
        lines.append("")
        lines.append("**" + verdict(report) + "**")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    static func json(_ report: Backtest.Report) -> String {
        let rows: [PlanNode] = report.rows.map { row in
            .object([
                ("rollout", .string(row.rollout)), ("city", .string(row.city)),
                ("zone", row.zone.map(PlanNode.string) ?? .null), ("quantity", .string(row.quantity)),
                ("year", .number(String(row.year))),
                ("observed", .number(CanonicalNumber.fixed(row.observed, digits: 4))),
                ("model", .number(CanonicalNumber.fixed(row.model, digits: 4))),
                ("error", .number(CanonicalNumber.fixed(row.error, digits: 4))),
                ("error_percent", row.errorShare.map { .number(CanonicalNumber.fixed($0 * 100, digits: 2)) } ?? .null),
                ("within", .bool(row.within(report.tolerance))), ("source", .string(row.position.description)),
            ])
        }
        let summaries: [PlanNode] = report.summaries.map { s in
            .object([
                ("rollout", .string(s.rollout)), ("city", .string(s.city)),
                ("zone", s.zone.map(PlanNode.string) ?? .null),
                ("quantity", .string(s.quantity)), ("values", .number(String(s.rows))),
                ("outside", .number(String(s.outside))),
                ("worst_percent", s.worstShare.map { .number(CanonicalNumber.fixed($0 * 100, digits: 2)) } ?? .null),
                (
                    "mean_abs_percent",
                    s.meanAbsoluteShare.map { .number(CanonicalNumber.fixed($0 * 100, digits: 2)) } ?? .null
                ),
            ])
        }
        return JSONEmitter.emit(
            .object([
                ("format_version", .number("1")), ("cutoff", .number(String(report.cutoff))),
                ("tolerance_percent", .number(CanonicalNumber.fixed(report.tolerance * 100, digits: 2))),
                ("rollouts", .array(report.rollouts.map(PlanNode.string))), ("passed", .bool(report.passed)),
                ("outside", .number(String(report.outside.count))),
                ("beyond_horizon", .number(String(report.beyondHorizon))),
                ("rows", .array(rows)), ("summaries", .array(summaries)),
            ]))
    }

    // MARK: Numbers

    /// Counts grouped by thousands; small values (ratios, shares) with the decimals they need.
    static func number(_ value: Double) -> String {
        let magnitude = abs(value)
        let digits = magnitude >= 100 || value == value.rounded() ? 0 : magnitude >= 1 ? 2 : 4
        let text = CanonicalNumber.fixed(value, digits: digits)
        guard digits == 0 else { return text }
        let negative = text.hasPrefix("-")
        let raw = Array(negative ? text.dropFirst() : Substring(text))
        var grouped = ""
        for (index, character) in raw.enumerated() {
            if index > 0, (raw.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped
    }

    static func signed(_ value: Double) -> String {
        let text = number(value)
        return text.hasPrefix("-") || text == "0" ? text : "+" + text
    }

    static func share(_ share: Double?) -> String {
        guard let share else { return "n/a" }
        let text = CanonicalNumber.fixed(share * 100, digits: 1)
        return (text.hasPrefix("-") || text == "0.0" ? text : "+" + text) + " %"
    }

    static func percent(_ share: Double) -> String {
        let text = CanonicalNumber.fixed(share * 100, digits: 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
