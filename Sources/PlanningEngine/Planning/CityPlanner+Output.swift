import CEL
import Siting

/// Output: a plan's facts, units, coverage and stations from the states of its years.
extension CityPlanner {
    // MARK: Output

    /// The declared facts of one scope-year, read from its object by name (no dictionary of all its fields is
    /// built); `precision[i]` is the declared precision of `declared[i]`.
    private func facts(
        _ object: CELObject, declared: [(name: String, type: FactType)], precision: [Int], key: String,
        state: YearState
    ) -> [FactValue] {
        declared.indices.compactMap { position in
            let name = declared[position].name
            guard let value = object[name], value != .null else { return nil }
            let rulesFor = state.factRules[key + name] ?? []
            switch value {
            case .double(let d):
                return FactValue(name: name, value: .number(d, precision: precision[position]), rules: rulesFor)
            case .int(let i): return FactValue(name: name, value: .int(i), rules: rulesFor)
            case .bool(let b): return FactValue(name: name, value: .bool(b), rules: rulesFor)
            default: return nil
            }
        }
    }

    /// The declared precision of each fact of `declared` (2 when none is declared).
    private func precisions(_ declared: [(name: String, type: FactType)], scope: RuleScope) -> [Int] {
        declared.map { rules.schema.precision["\(scope.rawValue).\($0.name)"] ?? 2 }
    }

    func makePlan(states: [YearState], stations: [Station], findings: [Finding]) -> CityPlan {
        var zoneYears: [ZoneYear] = []
        let zonePrecision = precisions(rules.schema.zoneFacts, scope: .zone)
        let cityPrecision = precisions(rules.schema.cityFacts, scope: .city)
        for (zoneIndex, zone) in city.zones.enumerated() {
            for state in states {
                zoneYears.append(
                    ZoneYear(
                        zone: zone.id.value, kind: zone.kind, year: state.year,
                        facts: facts(
                            state.zoneObject(zoneIndex), declared: rules.schema.zoneFacts,
                            precision: zonePrecision, key: zone.id.value + ".", state: state),
                        units: rules.schema.unitIDs.compactMap { state.units[zoneIndex][$0] },
                        coverage: state.coverage[zoneIndex].keys.sorted().map {
                            UnitShare(unit: $0, share: state.coverage[zoneIndex][$0] ?? 0)
                        }
                    ))
            }
        }
        let cityYears = states.map { state in
            let units = rules.schema.unitIDs.compactMap { state.cityUnits[$0] }
            let facts = facts(
                state.cityObject, declared: rules.schema.cityFacts, precision: cityPrecision,
                key: "city.", state: state)
            return CityYear(
                year: state.year, facts: facts,
                units: units, access: AccessTotal.totals(units) { rules.ruleSet.unit($0)?.access })
        }
        var inputs = [
            InputHash(path: city.file, sha256: city.contentHash),
            InputHash(path: rollout.file, sha256: rollout.contentHash),
        ]
        if let outline = city.boundaryFile { inputs.append(outline) }
        var outlines = Set([city.boundaryFile?.path].compactMap { $0 })
        for hash in city.zones.compactMap(\.outlineFile) where outlines.insert(hash.path).inserted {
            inputs.append(hash)
        }
        inputs += rules.ruleSet.fileHashes.map { InputHash(path: $0.file, sha256: $0.hash) }
        return CityPlan(
            rollout: rollout.id.value, city: city.id.value, cityName: city.name, province: city.province,
            ruleSet: rules.ruleSet.id,
            currency: rules.ruleSet.currencyCode,
            inputs: inputs.sorted { $0.path < $1.path }, firstYear: rollout.firstYear, lastYear: rollout.lastYear,
            joins: joins,
            cityYears: cityYears, zoneYears: zoneYears,
            zones: city.zones.map {
                ZoneSummary(
                    id: $0.id.value, kind: $0.kind, latitude: $0.latitude, longitude: $0.longitude,
                    areaKM2: $0.areaKM2, population: $0.population, boundary: $0.boundary.isEmpty ? nil : $0.boundary,
                    line: $0.line.isEmpty ? nil : $0.line, parts: Self.drawnParts(of: $0))
            },
            stations: stations,
            findings: findings.sorted { ($0.year, $0.scope, $0.rule) < ($1.year, $1.scope, $1.rule) },
            outline: (city.boundary?.polygons ?? []).map { polygon in
                zip(polygon.outer.latitudes, polygon.outer.longitudes).map { GeoPoint(latitude: $0, longitude: $1) }
            }
        )
    }

    /// The rings maps draw a zone with when it has an outline file: the outer ring of each part, not repeating its
    /// first point; nil without one.
    static func drawnParts(of zone: Zone) -> [[GeoPoint]]? {
        guard let outline = zone.outline else { return nil }
        return outline.polygons.map { polygon in
            var ring = zip(polygon.outer.latitudes, polygon.outer.longitudes).map {
                GeoPoint(latitude: $0, longitude: $1)
            }
            if ring.count > 3, ring.first == ring.last { ring.removeLast() }
            return ring
        }
    }
}
