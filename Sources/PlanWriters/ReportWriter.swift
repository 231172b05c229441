import PlanningEngine

/// A self-contained HTML page with inline SVG charts of a rollout: what planners would rather
/// look at than read. Deterministic like every other output (no scripts, no timestamps).
public enum ReportWriter {
    static let palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]

    public static func html(_ rollout: RolloutPlan) -> String {
        let units = Array(Set(rollout.cities.flatMap { $0.cityYears.flatMap { $0.units.map(\.unit) } })).sorted()
        let years = Array(rollout.firstYear...max(rollout.firstYear, rollout.lastYear))
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escape(rollout.name)) — chargeplan report</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
        table { border-collapse: collapse; font-size: 0.85rem; }
        th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        .legend span { display: inline-block; margin-right: 1rem; }
        .legend i { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle; }
        </style>
        </head>
        <body>
        <h1>\(escape(rollout.name)) (<code>\(escape(rollout.rollout))</code>)</h1>
        <p>Operator: \(escape(rollout.operatorName)). Rule set <code>\(escape(rollout.ruleSet))</code>. \
        \(rollout.cities.count) \(rollout.cities.count == 1 ? "city" : "cities"), \(rollout.firstYear)–\(rollout.lastYear).</p>

        """
        out += legend(units)
        for unit in units {
            let series = years.map { year in
                rollout.cities.reduce(0) { total, city in
                    total + (city.cityYears.first { $0.year == year }?.units.first { $0.unit == unit }?.new ?? 0)
                }
            }
            out += "<h2>New \(escape(unit)) units per year, all cities</h2>\n"
            out += barChart(years: years, values: series.map(Double.init), colour: colour(unit, in: units))
        }
        out += "<h2>Capex per year (million \(escape(rollout.currency)))</h2>\n"
        let capex = years.map { year in
            rollout.cities.reduce(0.0) { total, city in
                total + (city.cityYears.first { $0.year == year }?.units.reduce(0) { $0 + $1.capex } ?? 0)
            } / 1_000_000
        }
        out += barChart(years: years, values: capex.map { $0.rounded() }, colour: "#555555")
        out += "<h2>Cities</h2>\n<table>\n<tr><th>city</th><th>joins</th>"
        for unit in units { out += "<th>\(escape(unit)) \(rollout.lastYear)</th><th>\(escape(unit)) by year</th>" }
        out += "<th>findings</th></tr>\n"
        for city in rollout.cities {
            out += "<tr><td>\(escape(city.cityName))</td><td>\(city.joins)</td>"
            for unit in units {
                let installed = years.map { year in city.cityYears.first { $0.year == year }?.units.first { $0.unit == unit }?.installed ?? 0 }
                out += "<td>\(installed.last ?? 0)</td><td>\(sparkline(installed, colour: colour(unit, in: units)))</td>"
            }
            out += "<td>\(city.findings.count)</td></tr>\n"
        }
        out += "</table>\n</body>\n</html>\n"
        return out
    }

    static func colour(_ unit: String, in units: [String]) -> String {
        palette[(units.firstIndex(of: unit) ?? 0) % palette.count]
    }

    static func legend(_ units: [String]) -> String {
        "<p class=\"legend\">" + units.map { "<span><i style=\"background:\(colour($0, in: units))\"></i>\(escape($0))</span>" }.joined() + "</p>\n"
    }

    /// Vertical bars with the year under each and the value (a whole number) above it. Heights are
    /// scaled in floating point: unit counts and capex reach 10^18 and more, where `value * height` overflows Int.
    static func barChart(years: [Int], values: [Double], colour: String) -> String {
        let width = 60 * years.count + 40
        let height = 200
        let top = max(1, values.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + 40)\" role=\"img\">\n"
        for (index, value) in values.enumerated() {
            let scaled = (value * Double(height) / top).rounded(.down)
            let barHeight = scaled.isFinite ? Int(min(Double(height), max(0, scaled))) : 0
            let label = CanonicalNumber.fixed(value, digits: 0)
            let x = 30 + index * 60
            svg += "<rect x=\"\(x)\" y=\"\(height - barHeight + 15)\" width=\"40\" height=\"\(barHeight)\" fill=\"\(colour)\"><title>\(years[index]): \(label)</title></rect>"
            svg += "<text x=\"\(x + 20)\" y=\"\(height - barHeight + 10)\" font-size=\"11\" text-anchor=\"middle\">\(label)</text>"
            svg += "<text x=\"\(x + 20)\" y=\"\(height + 32)\" font-size=\"11\" text-anchor=\"middle\">\(years[index])</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A small line of installed units over the horizon.
    static func sparkline(_ values: [Int], colour: String) -> String {
        let width = 120
        let height = 24
        let top = max(1, values.max() ?? 1)
        let step = values.count > 1 ? Double(width - 4) / Double(values.count - 1) : 0
        let points = values.enumerated().map { index, value in
            "\(CanonicalNumber.fixed(2 + Double(index) * step, digits: 1)),\(CanonicalNumber.fixed(Double(height - 2) - Double(value) * Double(height - 4) / Double(top), digits: 1))"
        }.joined(separator: " ")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\"><polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/></svg>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
