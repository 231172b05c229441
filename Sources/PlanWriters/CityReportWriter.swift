import PlanningEngine

/// `<city>.html`: one city's plan as a page a planner reads at a glance — the map, installed stock and unmet
/// demand over time, coverage, capex and NPV, and the findings — beside the rollout's `_report.html`, which links
/// it. Self-contained and deterministic like every output.
public enum CityReportWriter {
    public static func html(_ plan: CityPlan) -> String {
        let years = plan.cityYears.map(\.year)
        let units = unitIDs(plan.cityYears.map(\.units))
        let name = "\(plan.cityName) — \(plan.rollout)"
        let escape = HTMLPage.escape
        let money = plan.currency
        let capex = plan.cityYears.map { $0.units.reduce(0) { $0 + $1.capex } }
        var body = "<nav><a href=\"_report.html\">← rollout \(escape(plan.rollout))</a></nav>\n"
        body +=
            "<h1>\(escape(plan.cityName)) <small>(<code>\(escape(plan.city))</code>, rollout "
            + "<code>\(escape(plan.rollout))</code>)</small></h1>\n"
        body +=
            "<p>\(escape(plan.province)); joins the rollout in \(plan.joins); rule set "
            + "<code>\(escape(plan.ruleSet))</code>; horizon \(plan.firstYear)–\(plan.lastYear). "
            + "\(counted(plan.zones.count, "zone")), \(counted(plan.stations.count, "sited station")), "
            + "\(counted(plan.findings.count, "finding")). Capex over the horizon: "
            + "\(HTMLPage.grouped(capex.reduce(0, +))) \(escape(money))"
            + (npv(plan).last.map { "; NPV \(plan.lastYear): \(HTMLPage.grouped($0)) \(escape(money))" }
                ?? "")
            + ".</p>\n"

        body += "<h2>Map</h2>\n"
        body += CityMap(plan).svg(title: "Zones and stations of \(plan.cityName)")
        let circles = plan.zones.filter { ZoneShape.name($0) == ZoneShape.circleName }.count
        let drawn =
            circles == plan.zones.count
            ? "Each zone is a circle of its area (km²) at its centre: the profile "
                + "gives no zone boundaries."
            : circles == 0
                ? "Zones are drawn with the profile's boundaries and lines."
                : "Zones are drawn with the profile's boundaries and lines, or as a circle of their area at their "
                    + "centre where it gives none."
        let outline = plan.outline.isEmpty ? "" : " The dashed line is the city's administrative outline."
        body +=
            "<p class=\"note\">\(drawn)\(outline) Equirectangular projection around the middle of the map.</p>\n"

        body += "<h2>Installed stock</h2>\n"
        body += ReportWriter.stockCharts(
            access: plan.cityYears.map(\.access), rows: plan.cityYears.map(\.units), units: units, years: years,
            place: plan.cityName)

        body += "<h2>Unmet demand</h2>\n"
        body += ReportWriter.unmetChart(
            units: units, years: plan.cityYears.map(\.units), yearList: years, place: plan.cityName)

        body += "<h2>Coverage</h2>\n" + coverage(plan, years: years)

        body += "<h2>Capex and NPV</h2>\n<div class=\"grid\">\n<div>\n"
        body += SVGChart.bars(
            title: "Capex per year, \(plan.cityName)", years: years, values: capex, colour: "#555555",
            valueLabel: "capex per year (\(money))")
        body += "</div>\n"
        let npvValues = npv(plan)
        if npvValues.count == years.count {
            body +=
                "<div>\n"
                + SVGChart.lines(
                    title: "NPV, \(plan.cityName)", years: years,
                    series: [.init(name: "npv", colour: SVGChart.palette[2], values: npvValues)],
                    valueLabel: "NPV to date (\(money))") + "</div>\n"
        }
        body += "</div>\n"

        body += "<h2>Per year</h2>\n<table>\n<tr><th>year</th>"
        for unit in units { body += "<th>\(escape(unit)) installed (new, unmet)</th>" }
        body += "<th>capex \(escape(money))</th></tr>\n"
        for (index, year) in plan.cityYears.enumerated() {
            body += "<tr><td>\(year.year)</td>"
            for unit in units {
                let row = year.units.first { $0.unit == unit }
                body += "<td>\(row?.installed ?? 0) (+\(row?.new ?? 0), \(row?.unmet ?? 0))</td>"
            }
            body += "<td>\(HTMLPage.grouped(capex[index]))</td></tr>\n"
        }
        body += "</table>\n"

        body += "<h2>Findings</h2>\n" + findings(plan.findings)
        return HTMLPage.page(title: name + " — chargeplan report", body: body)
    }

    /// The findings as a table: year, scope, severity, rule, message, in the plan's order.
    static func findings(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "<p>No findings: every requirement held.</p>\n" }
        let escape = HTMLPage.escape
        var out =
            "<table>\n<tr><th>year</th><th class=\"text\">scope</th><th class=\"text\">severity</th>"
            + "<th class=\"text\">rule</th><th class=\"text\">message</th></tr>\n"
        for finding in findings {
            let severity = finding.severity.rawValue
            out +=
                "<tr><td>\(finding.year)</td><td class=\"text\">\(escape(finding.scope))</td>"
                + "<td class=\"text severity-\(severity)\">\(severity)</td><td class=\"text\"><code>"
                + "\(escape(finding.rule))</code></td><td class=\"text\">\(escape(finding.message))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// One line per zone of the share (%) of its demand weight within reach of a station, per sited unit type.
    static func coverage(_ plan: CityPlan, years: [Int]) -> String {
        let sited = Array(Set(plan.zoneYears.flatMap { $0.coverage.map(\.unit) })).sorted()
        guard !sited.isEmpty else { return "<p>No unit type is sited in this plan: no coverage to show.</p>\n" }
        var out = ""
        for unit in sited {
            let lines = plan.zones.enumerated().map { index, zone in
                SVGChart.Series(
                    name: zone.id, colour: SVGChart.palette[index % SVGChart.palette.count],
                    values: years.map { year in
                        let row = plan.zoneYears.first { $0.zone == zone.id && $0.year == year }
                        return (row?.coverage.first { $0.unit == unit }?.share ?? 0) * 100
                    })
            }
            out += "<h3>\(HTMLPage.escape(unit)) stations</h3>\n"
            out += SVGChart.linesWithLegend(
                title: "Coverage by \(unit) stations, \(plan.cityName)", years: years, series: lines,
                valueLabel: "demand covered (%)")
        }
        return out
    }

    /// The `npv_<currency>` city fact per year, when the rule set derives it (empty otherwise).
    static func npv(_ plan: CityPlan) -> [Double] {
        let name = "npv" + plan.moneySuffix
        let values: [Double] = plan.cityYears.compactMap { year in
            switch year.facts.first(where: { $0.name == name })?.value {
            case .number(let value, _): value
            case .int(let value): Double(value)
            default: nil
            }
        }
        return values.count == plan.cityYears.count ? values : []
    }

    /// The unit types of the rows, sorted.
    static func unitIDs(_ rows: [[UnitYear]]) -> [String] {
        Array(Set(rows.flatMap { $0.map(\.unit) })).sorted()
    }

    /// One series per unit type of `key` over the rows (a year each), coloured by the unit's place in `units`.
    static func series(_ units: [String], _ rows: [[UnitYear]], _ key: KeyPath<UnitYear, Int>) -> [SVGChart.Series] {
        units.enumerated().map { index, unit in
            SVGChart.Series(
                name: unit, colour: SVGChart.palette[index % SVGChart.palette.count],
                values: rows.map { year in
                    Double(year.filter { $0.unit == unit }.reduce(0) { $0 &+ $1[keyPath: key] })
                })
        }
    }

    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }
}
