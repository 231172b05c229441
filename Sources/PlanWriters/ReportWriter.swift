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
            area.outline = rollout.cities.flatMap { city in
                city.outline.map { CityMap.thinned($0, maxVertices: 160) }
            }
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
        body += npvChart(rollout, years: years)
        body += "<h2>Coverage, \(rollout.lastYear)</h2>\n" + coverageTable(rollout)
        body += "<h2>Findings</h2>\n" + findingsTable(rollout)

        body += "<h2>Cities</h2>\n<table>\n<tr><th class=\"text\">city</th><th>joins</th>"
        for unit in units { body += "<th>\(escape(unit)) \(rollout.lastYear)</th>" }
        body +=
            "<th>unmet \(rollout.lastYear)</th><th>capex \(escape(rollout.currency))</th>"
            + "<th>NPV \(rollout.lastYear) \(escape(rollout.currency))</th><th>payback</th><th>errors</th>"
            + "<th>warnings</th></tr>\n"
        for city in rollout.cities {
            let last = city.cityYears.last?.units ?? []
            body +=
                "<tr><td class=\"text\"><a href=\"\(escape(city.city)).html\">\(escape(city.cityName))</a></td>"
                + "<td>\(city.joins)</td>"
            for unit in units { body += "<td>\(last.filter { $0.unit == unit }.reduce(0) { $0 &+ $1.installed })</td>" }
            body +=
                "<td>\(last.reduce(0) { $0 &+ $1.unmet })</td><td>\(HTMLPage.grouped(city.horizonCapex))</td>"
                + "<td>\(CityReportWriter.npv(city).last.map { HTMLPage.grouped($0) } ?? "–")</td>"
                + "<td>\(paybackYear(city).map(String.init) ?? "none")</td>"
                + "<td>\(city.findings.filter { $0.severity == .error }.count)</td>"
                + "<td>\(city.findings.filter { $0.severity == .warning }.count)</td></tr>\n"
        }
        body += "</table>\n"
        return HTMLPage.page(title: "\(rollout.name) — chargeplan report", body: body)
    }

    /// The rollout's NPV to date per year, the sum of its cities' (when every city's plan derives it).
    static func npvChart(_ rollout: RolloutPlan, years: [Int]) -> String {
        let perCity = rollout.cities.map { city in
            years.map { year in
                city.cityYears.firstIndex { $0.year == year }.flatMap { index in
                    let values = CityReportWriter.npv(city)
                    return values.indices.contains(index) ? values[index] : nil
                }
            }
        }
        let totals = years.indices.map { index in perCity.map { $0[index] } }
        guard !rollout.cities.isEmpty, totals.allSatisfy({ $0.allSatisfy { $0 != nil } }) else { return "" }
        let values = totals.map { $0.reduce(0) { $0 + ($1 ?? 0) } }
        let money = HTMLPage.escape(rollout.currency)
        return "<h2>NPV, all cities</h2>\n<p>NPV to date in \(rollout.lastYear): \(HTMLPage.grouped(values.last ?? 0)) "
            + "\(money) (the sum of the cities' <code>npv_\(HTMLPage.escape(rollout.currency.lowercased()))"
            + "</code>).</p>\n"
            + SVGChart.linesWithLegend(
                title: "NPV to date, \(rollout.name)", years: years,
                series: [.init(name: "npv", colour: SVGChart.palette[2], values: values)],
                valueLabel: "NPV to date (\(money))")
    }

    /// Each city's coverage in the last year per sited unit type: the zones' shares of demand within reach of a
    /// station, weighted by the zones' population.
    static func coverageTable(_ rollout: RolloutPlan) -> String {
        let escape = HTMLPage.escape
        let rows = rollout.cities.map { city in
            (city, city.zoneYears.filter { $0.year == city.lastYear })
        }
        let sited = Array(Set(rows.flatMap { $0.1.flatMap { $0.coverage.map(\.unit) } })).sorted()
        guard !sited.isEmpty else { return "<p>No unit type is sited in this rollout: no coverage to show.</p>\n" }
        var out =
            "<p>Share of each city's demand within reach of a station, the mean of its zones' shares weighted "
            + "by their population (the city pages chart every zone and year).</p>\n"
        out += "<table>\n<tr><th class=\"text\">city</th>"
        for unit in sited { out += "<th>\(escape(unit)) stations</th>" }
        out += "</tr>\n"
        for (city, zoneYears) in rows {
            out += "<tr><td class=\"text\"><a href=\"\(escape(city.city)).html\">\(escape(city.cityName))</a></td>"
            for unit in sited {
                var weighted = 0.0
                var weights = 0.0
                for zone in city.zones {
                    guard
                        let share = zoneYears.first(where: { $0.zone == zone.id })?.coverage
                            .first(where: { $0.unit == unit })?.share
                    else { continue }
                    weighted += share * zone.population
                    weights += zone.population
                }
                out += weights > 0 ? "<td>\(String(format: "%.1f", weighted / weights * 100)) %</td>" : "<td>–</td>"
            }
            out += "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// The findings of every city counted by rule and severity, errors first, then the most frequent.
    static func findingsTable(_ rollout: RolloutPlan) -> String {
        let escape = HTMLPage.escape
        struct Key: Hashable {
            let severity: Severity
            let rule: String
        }
        var counts: [Key: (findings: Int, cities: Set<String>, example: String)] = [:]
        for city in rollout.cities {
            for finding in city.findings {
                let key = Key(severity: finding.severity, rule: finding.rule)
                var entry = counts[key] ?? (0, [], finding.message)
                entry.findings += 1
                entry.cities.insert(city.city)
                counts[key] = entry
            }
        }
        guard !counts.isEmpty else { return "<p>No findings: every requirement holds in every city and year.</p>\n" }
        let order: [Severity] = [.error, .warning, .info]
        let keys = counts.keys.sorted { a, b in
            let (ra, rb) = (order.firstIndex(of: a.severity) ?? 3, order.firstIndex(of: b.severity) ?? 3)
            if ra != rb { return ra < rb }
            let (ca, cb) = (counts[a]?.findings ?? 0, counts[b]?.findings ?? 0)
            return ca != cb ? ca > cb : a.rule < b.rule
        }
        var out =
            "<p>Each city's page lists its findings one by one; <code>chargeplan findings \(escape(rollout.rollout))"
            + "</code> prints them with their rule's <code>file:line:col</code>.</p>\n"
        out +=
            "<table>\n<tr><th class=\"text\">severity</th><th class=\"text\">rule</th><th>findings</th>"
            + "<th>cities</th><th class=\"text\">first of them</th></tr>\n"
        for key in keys {
            guard let entry = counts[key] else { continue }
            let severity = key.severity.rawValue
            out +=
                "<tr><td class=\"text severity-\(severity)\">\(severity)</td><td class=\"text\"><code>"
                + "\(escape(key.rule))</code></td><td>\(entry.findings)</td><td>\(entry.cities.count)</td>"
                + "<td class=\"text\">\(escape(entry.example))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// The year a city's plan pays back (its `payback_year` fact in the last year), nil when it never does.
    static func paybackYear(_ city: CityPlan) -> Int? {
        switch city.cityYears.last?.facts.first(where: { $0.name == "payback_year" })?.value {
        case .int(let year): Int(year)
        case .number(let year, _): Int(exactly: year)
        default: nil
        }
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
