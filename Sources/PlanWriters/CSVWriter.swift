import PlanningEngine

/// Tables for spreadsheets. Every header is unique and a quantity's header ends in its unit (`_units`, `_share`,
/// the money suffix `_cny`); a fact's column is its CEL name (`city.ev_stock`, `zone.capex_cny`), whose unit the
/// rule set spells, so a zone fact `capex_cny` never collides with a unit's `unit_capex_cny`.
public enum CSVWriter {
    /// `<city>.csv`: one row per city-year and unit (`scope` city), then one per zone-year and unit (`scope` zone).
    public static func city(_ plan: CityPlan) -> String {
        let cityFacts = Array(Set(plan.cityYears.flatMap { $0.facts.map(\.name) })).sorted()
        let zoneFacts = Array(Set(plan.zoneYears.flatMap { $0.facts.map(\.name) })).sorted()
        let header =
            [
                "rollout", "city", "scope", "zone", "zone_kind", "year", "unit", "demand_units", "installed_units",
                "new_units", "unmet_units", "unit_capex" + plan.moneySuffix, "coverage_share", "rules",
            ]
            + cityFacts.map { "city." + $0 } + zoneFacts.map { "zone." + $0 }
        var rows = [header]
        func unitCells(_ unit: UnitYear) -> [String] {
            [
                unit.unit, String(unit.demand), String(unit.installed), String(unit.new), String(unit.unmet),
                CanonicalNumber.fixed(unit.capex, digits: 2),
            ]
        }
        for year in plan.cityYears {
            let facts = values(year.facts)
            for unit in year.units {
                rows.append(
                    [plan.rollout, plan.city, "city", "", "", String(year.year)] + unitCells(unit)
                        + ["", unit.rules.map(\.planText).joined(separator: " ")]
                        + cityFacts.map { facts[$0] ?? "" } + zoneFacts.map { _ in "" })
            }
        }
        for zy in plan.zoneYears {
            let facts = values(zy.facts)
            for unit in zy.units {
                let coverage =
                    zy.coverage.first { $0.unit == unit.unit }.map { CanonicalNumber.fixed($0.share, digits: 4) } ?? ""
                rows.append(
                    [plan.rollout, plan.city, "zone", zy.zone, zy.kind, String(zy.year)] + unitCells(unit)
                        + [coverage, unit.rules.map(\.planText).joined(separator: " ")]
                        + cityFacts.map { _ in "" } + zoneFacts.map { facts[$0] ?? "" })
            }
        }
        return table(rows)
    }

    /// `_summary.csv`: one row per year of the rollout's totals (`scope` rollout), then one per city and year
    /// (`scope` city): units installed and new by unit type and by access, and capex.
    public static func summary(_ rollout: RolloutPlan) -> String {
        let unitIDs = rollout.unitIDs
        let header =
            ["rollout", "scope", "city", "year"]
            + unitIDs.flatMap { ["\($0)_installed_units", "\($0)_new_units"] }
            + UnitAccess.allCases.flatMap {
                ["access_\($0.rawValue)_installed_units", "access_\($0.rawValue)_new_units"]
            }
            + ["capex" + rollout.moneySuffix]
        func cells(_ units: [UnitYear], _ access: [AccessTotal], capex: Double) -> [String] {
            unitIDs.flatMap { id -> [String] in
                let members = units.filter { $0.unit == id }
                return [String(members.reduce(0) { $0 + $1.installed }), String(members.reduce(0) { $0 + $1.new })]
            }
                + UnitAccess.allCases.flatMap { kind -> [String] in
                    let total = access.first { $0.access == kind }
                    return [String(total?.installed ?? 0), String(total?.new ?? 0)]
                }
                + [CanonicalNumber.fixed(capex, digits: 2)]
        }
        var rows = [header]
        for total in rollout.totals {
            rows.append(
                [rollout.rollout, "rollout", "", String(total.year)]
                    + cells(total.units, total.access, capex: total.capex))
        }
        for city in rollout.cities {
            for year in city.cityYears {
                rows.append(
                    [rollout.rollout, "city", city.city, String(year.year)]
                        + cells(year.units, year.access, capex: year.units.reduce(0) { $0 + $1.capex }))
            }
        }
        return table(rows)
    }

    /// `_stations.csv`: every sited station of the rollout's cities, by city then as the plan lists them.
    public static func stations(_ rollout: RolloutPlan) -> String {
        var rows = [
            [
                "rollout", "city", "station", "unit", "zone", "latitude_deg", "longitude_deg", "ports", "ports_by_year",
                "opening_year", "covered_weight", "existing", "rule",
            ]
        ]
        for city in rollout.cities {
            for s in city.stations {
                rows.append([
                    rollout.rollout, city.city, s.id, s.unit, s.zone, CanonicalNumber.fixed(s.latitude, digits: 5),
                    CanonicalNumber.fixed(s.longitude, digits: 5), String(s.ports),
                    s.portsByYear.map { "\($0.year):\($0.ports)" }.joined(separator: " "), String(s.openingYear),
                    CanonicalNumber.fixed(s.coveredWeight, digits: 2), s.existing ? "true" : "false", s.rule,
                ])
            }
        }
        return table(rows)
    }

    private static func values(_ facts: [FactValue]) -> [String: String] {
        Dictionary(
            facts.map { ($0.name, YAMLEmitter.flow(FactValueRendering(fact: $0).node)) },
            uniquingKeysWith: { a, _ in a })
    }

    static func table(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
