import PlanningEngine

/// `sweep.html` (`sweep --format html`): the sweep as charts — a fan (P10–P90 band, P50 line) per year of each
/// rollout total that moves, and a tornado per rollout total ranking the uncertain numbers by |Spearman's ρ| —
/// drawn with the same `SVGChart` as the plan reports. Self-contained and deterministic like the other files.
public enum SweepReportWriter {
    /// Inputs shown per tornado: the ten that move the total most (the full ranking is in the YAML/JSON/CSV).
    public static let tornadoInputs = 10

    public static func html(_ result: Sweep.Result) -> String {
        let escape = HTMLPage.escape
        let scenario = result.scenario.map { "scenario <code>\(escape($0))</code>" } ?? "the baseline"
        var body = "<h1>Sweep of <code>\(escape(result.rollout))</code></h1>\n"
        body +=
            "<p>\(result.samples) \(result.samples == 1 ? "sample" : "samples") (seed \(result.seed)) of "
            + "\(result.uncertain.count) uncertain \(result.uncertain.count == 1 ? "number" : "numbers") of "
            + "\(scenario), rule set <code>\(escape(result.ruleSet))</code>, \(result.firstYear)–\(result.lastYear). "
            + "Latin hypercube draws; quantiles \(escape(SweepWriter.method)).</p>\n"

        body += fans(result) + tornadoes(result) + uncertainTable(result)
        return HTMLPage.page(title: "Sweep of \(result.rollout) — chargeplan", body: body)
    }

    /// A fan per year of each rollout total that moves, metric by metric and unit by unit.
    private static func fans(_ result: Sweep.Result) -> String {
        let escape = HTMLPage.escape
        let years = Array(result.firstYear...max(result.firstYear, result.lastYear))
        let totals = result.rows.filter { $0.city == nil }
        let units = Array(Set(totals.map(\.unit))).sorted()
        let money = SweepWriter.moneyKey(result)
        var body = ""
        body += "<h2>Rollout totals per year: P10–P90 band and P50 line</h2>\n"
        body += SVGChart.legend([("P10–P90", "rgba(0,114,178,0.25)"), ("P50", SVGChart.palette[0])])
        body += "<div class=\"grid\">\n"
        var drawn = 0
        for (metricIndex, metric) in Sweep.Metric.allCases.enumerated() {
            for unit in units {
                let rows = years.map { year in totals.first { $0.year == year && $0.unit == unit } }
                let quantiles = rows.map { $0?.quantiles[metricIndex] }
                let p10 = quantiles.map { $0?.p10 ?? 0 }
                let p50 = quantiles.map { $0?.p50 ?? 0 }
                let p90 = quantiles.map { $0?.p90 ?? 0 }
                // A total that is zero in every sample and year (no unmet demand, a unit never built) has no fan.
                guard (p10 + p50 + p90).contains(where: { $0 != 0 }) else { continue }
                let name = metric == .capex ? "\(money) of \(unit)" : "\(metric.rawValue) \(unit)"
                let valueLabel = metric == .capex ? "capex (\(result.currency))" : "units \(metric.rawValue)"
                body += "<div>\n<h3>\(escape(name))</h3>\n"
                body += SVGChart.fan(
                    title: "\(name), \(result.rollout): P10, P50 and P90 per year", years: years,
                    p10: p10, p50: p50, p90: p90,
                    colour: SVGChart.palette[0], valueLabel: valueLabel)
                body += "</div>\n"
                drawn += 1
            }
        }
        body += "</div>\n"
        if drawn == 0 { body += "<p>Every rollout total is zero in every sample.</p>\n" }

        return body
    }

    /// A tornado per rollout total that moves, capex first; the totals no draw moves named.
    private static func tornadoes(_ result: Sweep.Result) -> String {
        let escape = HTMLPage.escape
        let money = SweepWriter.moneyKey(result)
        var body = ""
        body += "<h2>Sensitivity: what moves each total</h2>\n"
        body +=
            "<p class=\"note\">Spearman’s rank correlation of each uncertain number with the total over the "
            + "samples (installed and unmet: the last year; new and capex: summed over the horizon); the "
            + "\(tornadoInputs) largest |ρ| of each total, largest on top.</p>\n<div class=\"grid\">\n"
        var still: [String] = []
        // Capex first: the total a budget is made of; then the unit totals in the sweep's order.
        let ordered = result.sensitivity.filter { $0.total == money } + result.sensitivity.filter { $0.total != money }
        for sensitivity in ordered {
            // A total no draw moves (the same in every sample) has every ρ undefined: named below, not drawn.
            guard sensitivity.ranking.contains(where: { $0.rho != nil }) else {
                still.append(sensitivity.total)
                continue
            }
            let entries = sensitivity.ranking.prefix(tornadoInputs).map { (label: $0.input, rho: $0.rho) }
            body += "<div>\n<h3>\(escape(sensitivity.total))</h3>\n"
            body += SVGChart.tornado(title: "What moves \(sensitivity.total), \(result.rollout)", entries: entries)
            body += "</div>\n"
        }
        body += "</div>\n"
        if !still.isEmpty {
            body +=
                "<p>The same in every sample (no ρ defined): "
                + still.map { "<code>\(escape($0))</code>" }.joined(separator: ", ") + ".</p>\n"
        }

        return body
    }

    /// The table of the uncertain numbers: path, use, distribution and bounds.
    private static func uncertainTable(_ result: Sweep.Result) -> String {
        let escape = HTMLPage.escape
        var body = ""
        body +=
            "<h2>Uncertain numbers</h2>\n<table>\n<tr><th class=\"text\">path</th><th class=\"text\">as</th>"
            + "<th class=\"text\">distribution</th><th>lower</th><th>upper</th></tr>\n"
        for entry in result.uncertain {
            let distribution = SweepWriter.distribution(entry.distribution).map { key, node in
                "\(key) \(YAMLEmitter.flow(node))"
            }.joined(separator: ", ")
            func bound(_ value: Double) -> String { value.isFinite ? CanonicalNumber.trimmed(value, digits: 9) : "—" }
            body +=
                "<tr><td class=\"text\"><code>\(escape(entry.path))</code></td>"
                + "<td class=\"text\">\(escape(entry.use.rawValue))</td><td class=\"text\">\(escape(distribution))</td>"
                + "<td>\(bound(entry.lower))</td><td>\(bound(entry.upper))</td></tr>\n"
        }
        body += "</table>\n"
        return body
    }
}
