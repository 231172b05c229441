import CEL
import Siting

/// Siting: stations opened year by year (nested) and the coverage they give each zone.
extension CityPlanner {
    // MARK: Siting

    func site(states: inout [YearState], constants: Constants) throws(DiagnosticsError) -> [Station] {
        var stations: [Station] = []
        for rule in rules.siteRules {
            trace?.record(rule: rule.id, when: nil)
            guard case .site(let unitRef, _, _, _) = rule.rule.action, let unit = rules.ruleSet.unit(unitRef.value),
                case .site(let radiusExpression, let spacingExpression, let weightExpression) = rule.action
            else { continue }
            let maxStations = city.zones.indices.map { z in
                states.map { s in
                    ((s.units[z][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1) / unit.portsPerSite
                }.max() ?? 0
            }
            let candidates = SitingInputs.candidates(city: city, unit: unit, stationsPerZone: maxStations)
            let demandPoints = SitingInputs.demandPoints(city: city)
            // Grouped by zone once: scanning every candidate and point for every zone and year is quadratic in the zones.
            var candidatesByZone: [[SitingInputs.Candidate]] = Array(repeating: [], count: city.zones.count)
            for candidate in candidates { candidatesByZone[candidate.zoneIndex].append(candidate) }
            var pointsByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            for (pointIndex, point) in demandPoints.enumerated() { pointsByZone[point.zoneIndex].append(pointIndex) }
            var chosenByZone: [[Int]] = Array(repeating: [], count: city.zones.count)
            // A zone's instance changes from year to year only in weights and stations: its coverage lists are kept.
            var coverageByZone = Array(repeating: SitingCoverageCache(), count: city.zones.count)
            var opened: [Int: (year: Int, weight: Double)] = [:]
            /// Candidates within the radius of each demand point, recomputed only when the radius changes.
            var reach: (radius: Double, lists: [[Int]])?
            for index in states.indices where states[index].year >= rollout.firstYear {
                let state = states[index]
                let previous = index > 0 ? states[index - 1] : nil
                let place = context(state, nil)
                let cityActivation = activation(state: state, zoneIndex: nil, previous: previous, constants: constants)
                let radius = try number(radiusExpression, cityActivation, rule: rule, where: place)
                let spacing = try spacingExpression.map { expression throws(DiagnosticsError) in
                    try number(expression, cityActivation, rule: rule, where: place)
                }
                var zoneWeights: [Double] = []
                for zoneIndex in city.zones.indices {
                    let zoneActivation = activation(
                        state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                    zoneWeights.append(
                        max(
                            0,
                            try number(weightExpression, zoneActivation, rule: rule, where: context(state, zoneIndex))))
                }
                let demand = demandPoints.map { point in
                    DemandPoint(
                        id: point.id, latitude: point.latitude, longitude: point.longitude,
                        weight: point.share * zoneWeights[point.zoneIndex])
                }
                for zoneIndex in city.zones.indices {
                    let zoneCandidates = candidatesByZone[zoneIndex]
                    guard !zoneCandidates.isEmpty else { continue }
                    let needed =
                        ((state.units[zoneIndex][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1)
                        / unit.portsPerSite
                    let existing = zoneCandidates.indices.filter { zoneCandidates[$0].existing }
                    var fixed = chosenByZone[zoneIndex].compactMap { global in
                        zoneCandidates.firstIndex { $0.globalIndex == global }
                    }
                    for e in existing where !fixed.contains(e) { fixed.append(e) }
                    let p = min(zoneCandidates.count, max(needed, fixed.count))
                    // Solve only when stations are added (or existing ones open for the first time): years nest.
                    let unopenedFixed = fixed.contains { opened[zoneCandidates[$0].globalIndex] == nil }
                    guard p > fixed.count || unopenedFixed else { continue }
                    let problem = SitingProblem(
                        demand: demand,
                        candidates: zoneCandidates.map {
                            CandidateSite(id: $0.id, latitude: $0.latitude, longitude: $0.longitude)
                        },
                        radiusKM: radius, stationCount: p, minSpacingKM: spacing, fixed: fixed
                    )
                    let solution: SitingSolution
                    do { solution = try SitingSolver.solve(problem, cache: &coverageByZone[zoneIndex]) } catch {
                        throw DiagnosticsError([
                            .error(
                                "rule '\(rule.id)' (\(place)): siting failed: \(error.message)",
                                at: rule.rule.id.position)
                        ])
                    }
                    for (order, local) in solution.chosen.enumerated() {
                        let global = zoneCandidates[local].globalIndex
                        if opened[global] == nil {
                            let weight =
                                order < solution.coveredWeightByChosen.count ? solution.coveredWeightByChosen[order] : 0
                            opened[global] = (state.year, weight)
                        }
                    }
                    chosenByZone[zoneIndex] = solution.chosen.map { zoneCandidates[$0].globalIndex }
                }
                // Coverage per zone: share of its demand weight within the radius of any open station.
                if reach?.radius != radius {
                    reach = (radius, SitingInputs.reach(points: demandPoints, candidates: candidates, radiusKM: radius))
                }
                let reachable = reach?.lists ?? []
                for zoneIndex in city.zones.indices {
                    var covered = 0.0
                    var total = 0.0
                    for pointIndex in pointsByZone[zoneIndex] {
                        let weight = demand[pointIndex].weight
                        total += weight
                        if pointIndex < reachable.count, reachable[pointIndex].contains(where: { opened[$0] != nil }) {
                            covered += weight
                        }
                    }
                    states[index].coverage[zoneIndex][unit.id.value] = total > 0 ? covered / total : 0
                }
            }
            for global in opened.keys.sorted() {
                guard let info = opened[global] else { continue }
                let candidate = candidates[global]
                stations.append(
                    Station(
                        id: candidate.id, unit: unit.id.value, zone: city.zones[candidate.zoneIndex].id.value,
                        latitude: candidate.latitude, longitude: candidate.longitude, ports: candidate.ports,
                        openingYear: info.year, coveredWeight: info.weight, existing: candidate.existing, rule: rule.id
                    ))
            }
        }
        return stations.sorted { ($0.unit, $0.openingYear, $0.id) < ($1.unit, $1.openingYear, $1.id) }
    }
}
