import PlanningEngine

/// `_report.html`: a rollout at a glance — a map of its cities' zones shaded by unmet demand, installed stock and
/// unmet demand over time, new units and capex per year, and a table of its cities linking their pages
/// (`<city>.html`, `CityReportWriter`). It reads only the city totals, findings and the zones' last year, which a
/// shard's manifest keeps, so `merge` writes the same report as one run.
public enum ReportWriter {
    public static func html(_ rollout: RolloutPlan) -> String {
        let escape = HTMLPage.escape
        let totals = rollout.totals
        let years = totals.map(\.year)
        let rows = totals.map(\.units)
        let units = rollout.unitIDs
        let capex = totals.map(\.capex)
        let cities = CityReportWriter.counted(rollout.cities.count, "city", plural: "cities")
        var body = "<h1>\(escape(rollout.name)) <small>(<code>\(escape(rollout.rollout))</code>)</small></h1>\n"
        body +=
            "<p>Operator: \(escape(rollout.operatorName)). Rule set <code>\(escape(rollout.ruleSet))</code>. "
            + "\(cities), \(rollout.firstYear)–\(rollout.lastYear). Capex over the horizon: "
            + "\(HTMLPage.grouped(capex.reduce(0, +))) \(escape(rollout.currency)).</p>\n"

        if var area = rollout.cities.first {
            // Every member city's zones on one map, shaded by their unmet demand; the city pages place the stations.
            area.zones = rollout.cities.flatMap(\.zones)
            area.zoneYears = rollout.cities.flatMap { city in city.zoneYears.filter { $0.year == city.lastYear } }
            area.stations = []
            var map = CityMap(area)
            map.labelsZones = false
            body += "<h2>Map, \(rollout.lastYear)</h2>\n" + map.svg(title: "Zones of the cities of \(rollout.name)")
        }

        body += "<h2>Installed stock, all cities</h2>\n"
        body += stockCharts(
            access: totals.map(\.access), rows: rows, units: units, years: years,
            place: rollout.name)

        body += "<h2>New units per year, all cities</h2>\n"
        body += SVGChart.linesWithLegend(
            title: "New units per year by unit type, \(rollout.name)", years: years,
            series: CityReportWriter.series(units, rows, \.new), valueLabel: "units added")

        body += "<h2>Unmet demand, all cities</h2>\n"
        body += unmetChart(units: units, years: rows, yearList: years, place: rollout.name)

        body += "<h2>Capex per year, all cities</h2>\n"
        body += SVGChart.bars(
            title: "Capex per year, \(rollout.name)", years: years, values: capex, colour: "#555555",
            valueLabel: "capex per year (\(rollout.currency))")

        body += "<h2>Cities</h2>\n<table>\n<tr><th class=\"text\">city</th><th>joins</th>"
        for unit in units { body += "<th>\(escape(unit)) \(rollout.lastYear)</th>" }
        body +=
            "<th>unmet \(rollout.lastYear)</th><th>capex \(escape(rollout.currency))</th><th>errors</th>"
            + "<th>warnings</th></tr>\n"
        for city in rollout.cities {
            let last = city.cityYears.last?.units ?? []
            body +=
                "<tr><td class=\"text\"><a href=\"\(escape(city.city)).html\">\(escape(city.cityName))</a></td>"
                + "<td>\(city.joins)</td>"
            for unit in units { body += "<td>\(last.filter { $0.unit == unit }.reduce(0) { $0 &+ $1.installed })</td>" }
            body +=
                "<td>\(last.reduce(0) { $0 &+ $1.unmet })</td><td>\(HTMLPage.grouped(city.horizonCapex))</td>"
                + "<td>\(city.findings.filter { $0.severity == .error }.count)</td>"
                + "<td>\(city.findings.filter { $0.severity == .warning }.count)</td></tr>\n"
        }
        body += "</table>\n"
        return HTMLPage.page(title: "\(rollout.name) — chargeplan report", body: body)
    }

    /// Installed units by access and by unit type, side by side: the stock charts of both pages.
    static func stockCharts(
        access: [[AccessTotal]], rows: [[UnitYear]], units: [String], years: [Int], place: String
    )
        -> String
    {
        "<div class=\"grid\">\n<div>\n<h3>By access</h3>\n"
            + SVGChart.linesWithLegend(
                title: "Installed units by access, \(place)", years: years, series: accessSeries(access),
                valueLabel: "units installed")
            + "</div>\n<div>\n<h3>By unit type</h3>\n"
            + SVGChart.linesWithLegend(
                title: "Installed units by unit type, \(place)", years: years,
                series: CityReportWriter.series(units, rows, \.installed), valueLabel: "units installed")
            + "</div>\n</div>\n"
    }

    /// One line per access that has any units (all of them when none has), in `UnitAccess` order.
    static func accessSeries(_ years: [[AccessTotal]]) -> [SVGChart.Series] {
        let all = UnitAccess.allCases.enumerated().map { index, access in
            SVGChart.Series(
                name: access.rawValue, colour: SVGChart.palette[index % SVGChart.palette.count],
                values: years.map { Double($0.first { $0.access == access }?.installed ?? 0) })
        }
        let used = all.filter { $0.values.contains { $0 != 0 } }
        return used.isEmpty ? all : used
    }

    /// Unmet units by unit type over the years, or a sentence when no year leaves any demand unmet.
    static func unmetChart(units: [String], years rows: [[UnitYear]], yearList: [Int], place: String) -> String {
        let unmet = CityReportWriter.series(units, rows, \.unmet).filter { $0.values.contains { $0 != 0 } }
        guard !unmet.isEmpty else { return "<p>No unmet demand in any year.</p>\n" }
        return SVGChart.linesWithLegend(
            title: "Unmet demand by unit type, \(place)", years: yearList, series: unmet, valueLabel: "units unmet")
    }
}
