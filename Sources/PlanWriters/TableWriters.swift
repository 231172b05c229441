import PlanningEngine

/// One row per zone, year and unit type, for spreadsheets.
public enum CSVWriter {
    public static func city(_ plan: CityPlan) -> String {
        let factNames = Array(Set(plan.zoneYears.flatMap { $0.facts.map(\.name) })).sorted()
        let header = ["rollout", "city", "zone", "kind", "year", "unit", "demand", "installed", "new", "unmet",
                      "capex" + plan.moneySuffix, "coverage", "rules"]
        var rows = [header + factNames]
        for zy in plan.zoneYears {
            let facts = Dictionary(zy.facts.map { ($0.name, FactValueRendering(fact: $0).node) }, uniquingKeysWith: { a, _ in a })
            for unit in zy.units {
                let coverage = zy.coverage.first { $0.unit == unit.unit }.map { CanonicalNumber.fixed($0.share, digits: 4) } ?? ""
                var row = [plan.rollout, plan.city, zy.zone, zy.kind, String(zy.year), unit.unit, String(unit.demand), String(unit.installed),
                           String(unit.new), String(unit.unmet), CanonicalNumber.fixed(unit.capex, digits: 2), coverage,
                           unit.rules.map(\.planText).joined(separator: " ")]
                row += factNames.map { name in facts[name].map(YAMLEmitter.flow) ?? "" }
                rows.append(row)
            }
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Tables for a pull-request comment or a quick read.
public enum MarkdownWriter {
    public static func city(_ plan: CityPlan) -> String {
        let units = plan.cityYears.first?.units.map(\.unit) ?? []
        var out = "# \(plan.cityName) — \(plan.rollout)\n\n"
        out += "Province \(plan.province); joins \(plan.joins); rule set `\(plan.ruleSet)`; horizon \(plan.firstYear)–\(plan.lastYear).\n\n"
        out += "| year | " + units.map { "\($0) installed (new)" }.joined(separator: " | ")
            + " | capex \(plan.currency) |\n"
        out += "|---:|" + units.map { _ in "---:|" }.joined() + "---:|\n"
        for year in plan.cityYears {
            let cells = year.units.map { "\($0.installed) (+\($0.new))" }
            let capex = year.units.reduce(0) { $0 + $1.capex }
            out += "| \(year.year) | " + cells.joined(separator: " | ") + " | \(CanonicalNumber.fixed(capex, digits: 0)) |\n"
        }
        if !plan.findings.isEmpty {
            out += "\n## Findings\n\n| year | scope | severity | rule | message |\n|---:|---|---|---|---|\n"
            for f in plan.findings { out += "| \(f.year) | \(f.scope) | \(f.severity.rawValue) | `\(f.rule)` | \(f.message) |\n" }
        }
        if !plan.stations.isEmpty {
            out += "\n## Stations\n\n| id | unit | zone | opens | ports | lat, lon |\n|---|---|---|---:|---:|---|\n"
            for s in plan.stations {
                out += "| \(s.id) | \(s.unit) | \(s.zone) | \(s.openingYear) | \(s.ports) | \(CanonicalNumber.fixed(s.latitude, digits: 4)), \(CanonicalNumber.fixed(s.longitude, digits: 4)) |\n"
            }
        }
        return out
    }

    public static func summary(_ rollout: RolloutPlan) -> String {
        let units = Array(Set(rollout.cities.flatMap { $0.cityYears.flatMap { $0.units.map(\.unit) } })).sorted()
        var out = "# \(rollout.name) (`\(rollout.rollout)`)\n\nOperator: \(rollout.operatorName). Horizon \(rollout.firstYear)–\(rollout.lastYear). \(rollout.cities.count) cities.\n\n"
        out += "| city | joins | " + units.map { "\($0) \(rollout.lastYear)" }.joined(separator: " | ")
            + " | capex \(rollout.currency) | findings |\n"
        out += "|---|---:|" + units.map { _ in "---:|" }.joined() + "---:|---:|\n"
        for city in rollout.cities {
            let last = city.cityYears.last
            let cells = units.map { unit in String(last?.units.first { $0.unit == unit }?.installed ?? 0) }
            let capex = city.cityYears.flatMap(\.units).reduce(0) { $0 + $1.capex }
            out += "| \(city.cityName) | \(city.joins) | " + cells.joined(separator: " | ") + " | \(CanonicalNumber.fixed(capex, digits: 0)) | \(city.findings.count) |\n"
        }
        return out
    }
}

/// Zones and stations as GeoJSON, for any map tool.
public enum GeoJSONWriter {
    public static func city(_ plan: CityPlan) -> String {
        var features: [PlanNode] = []
        for zone in plan.zones {
            features.append(feature(lat: zone.latitude, lon: zone.longitude, properties: [
                ("kind", .string("zone")), ("id", .string(zone.id)), ("zone_kind", .string(zone.kind)),
                ("population", .number(CanonicalNumber.fixed(zone.population, digits: 0))),
                ("area_km2", .number(CanonicalNumber.fixed(zone.areaKM2, digits: 1))),
            ]))
        }
        for s in plan.stations {
            features.append(feature(lat: s.latitude, lon: s.longitude, properties: [
                ("kind", .string("station")), ("id", .string(s.id)), ("unit", .string(s.unit)), ("zone", .string(s.zone)),
                ("ports", .number(String(s.ports))), ("opens", .number(String(s.openingYear))), ("existing", .bool(s.existing)),
            ]))
        }
        return JSONEmitter.emit(.object([("type", .string("FeatureCollection")), ("features", .array(features))]))
    }

    private static func feature(lat: Double, lon: Double, properties: [(String, PlanNode)]) -> PlanNode {
        .object([
            ("type", .string("Feature")),
            ("geometry", .object([("type", .string("Point")), ("coordinates", .array([
                .number(CanonicalNumber.fixed(lon, digits: 5)), .number(CanonicalNumber.fixed(lat, digits: 5)),
            ]))])),
            ("properties", .object(properties)),
        ])
    }
}
