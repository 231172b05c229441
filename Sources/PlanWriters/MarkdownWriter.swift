import PlanningEngine

/// Tables for a pull-request comment or a quick read.
public enum MarkdownWriter {
    public static func city(_ plan: CityPlan) -> String {
        let units = plan.cityYears.first?.units.map(\.unit) ?? []
        var out = "# \(plan.cityName) — \(plan.rollout)\n\n"
        out +=
            "Province \(plan.province); joins \(plan.joins); rule set `\(plan.ruleSet)`; horizon \(plan.firstYear)–\(plan.lastYear).\n\n"
        out +=
            "| year | " + units.map { "\($0) installed (new)" }.joined(separator: " | ")
            + " | capex \(plan.currency) |\n"
        out += "|---:|" + units.map { _ in "---:|" }.joined() + "---:|\n"
        for year in plan.cityYears {
            let cells = year.units.map { "\($0.installed) (+\($0.new))" }
            let capex = year.units.reduce(0) { $0 + $1.capex }
            out +=
                "| \(year.year) | " + cells.joined(separator: " | ")
                + " | \(CanonicalNumber.fixed(capex, digits: 0)) |\n"
        }
        if !plan.findings.isEmpty {
            out += "\n## Findings\n\n| year | scope | severity | rule | message |\n|---:|---|---|---|---|\n"
            for f in plan.findings {
                out += "| \(f.year) | \(f.scope) | \(f.severity.rawValue) | `\(f.rule)` | \(f.message) |\n"
            }
        }
        if !plan.stations.isEmpty {
            out += "\n## Stations\n\n| id | unit | zone | opens | ports | lat, lon |\n|---|---|---|---:|---:|---|\n"
            for s in plan.stations {
                out +=
                    "| \(s.id) | \(s.unit) | \(s.zone) | \(s.openingYear) | \(s.ports) | \(CanonicalNumber.fixed(s.latitude, digits: 4)), \(CanonicalNumber.fixed(s.longitude, digits: 4)) |\n"
            }
        }
        return out
    }

    public static func summary(_ rollout: RolloutPlan) -> String {
        let units = rollout.unitIDs
        let cities = "\(rollout.cities.count) \(rollout.cities.count == 1 ? "city" : "cities")"
        var out =
            "# \(rollout.name) (`\(rollout.rollout)`)\n\nOperator: \(rollout.operatorName). "
            + "Horizon \(rollout.firstYear)–\(rollout.lastYear). \(cities).\n\n"
        out +=
            "| city | joins | " + units.map { "\($0) \(rollout.lastYear)" }.joined(separator: " | ")
            + " | capex \(rollout.currency) | findings |\n"
        out += "|---|---:|" + units.map { _ in "---:|" }.joined() + "---:|---:|\n"
        for city in rollout.cities {
            let last = city.cityYears.last
            let cells = units.map { unit in String(last?.units.first { $0.unit == unit }?.installed ?? 0) }
            out +=
                "| \(city.cityName) | \(city.joins) | " + cells.joined(separator: " | ")
                + " | \(CanonicalNumber.fixed(city.horizonCapex, digits: 0)) | \(city.findings.count) |\n"
        }
        return out
    }
}
