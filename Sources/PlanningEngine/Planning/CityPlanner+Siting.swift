import CEL
import Siting

/// Siting: stations opened year by year (nested) and the coverage they give each zone.
extension CityPlanner {
    // MARK: Siting

    /// The stations of every site rule; `findings` gains the siting's own (sites too small for the installed units,
    /// stations that cover no demand and why).
    func site(
        states: inout [YearState], constants: Constants, findings: inout [Finding]
    ) throws(DiagnosticsError) -> [Station] {
        var stations: [Station] = []
        for rule in rules.siteRules {
            trace?.record(rule: rule.id, when: nil)
            guard case .site(let unitRef, _, _, _) = rule.rule.action, let unit = rules.ruleSet.unit(unitRef.value),
                case .site(let radiusExpression, let spacingExpression, let weightExpression) = rule.action
            else { continue }
            var run = SiteRuleRun(
                planner: self, rule: rule, unit: unit, states: states, radius: radiusExpression,
                spacing: spacingExpression, weight: weightExpression)
            for index in states.indices where states[index].year >= rollout.firstYear {
                try run.siteYear(index, states: &states, constants: constants)
            }
            stations += run.stations()
            findings += run.findings
        }
        return stations.sorted { ($0.unit, $0.openingYear, $0.id) < ($1.unit, $1.openingYear, $1.id) }
    }

    /// One site rule over the years: its candidates and demand points, the stations chosen in each zone so far and
    /// the year each station opened.
    struct SiteRuleRun {
        let planner: CityPlanner
        let rule: CompiledRule
        let unit: UnitType
        let radiusExpression: CompiledExpression
        let spacingExpression: CompiledExpression?
        let weightExpression: CompiledExpression
        let candidates: [SitingInputs.Candidate]
        let demandPoints: [SitingInputs.Point]
        /// Grouped by zone once: scanning every candidate and point for every zone and year is quadratic in the zones.
        var candidatesByZone: [[SitingInputs.Candidate]]
        var pointsByZone: [[Int]]
        var chosenByZone: [[Int]]
        /// A zone's instance changes from year to year only in weights and stations: its coverage lists are kept.
        var coverageByZone: [SitingCoverageCache]
        var opened: [Int: (year: Int, weight: Double)] = [:]
        /// Each zone's open stations in opening order (existing ones first): the order ports are filled in.
        var openOrder: [[Int]]
        /// Each open station's ports this year, and the years they changed.
        var portsNow: [Int: Int] = [:]
        var portsHistory: [Int: [PortsChange]] = [:]
        /// The stations opened in the current year with no demand weight of their own, to explain.
        var openedEmpty: [Int] = []
        var findings: [Finding] = []
        /// Zones already told their sites cannot hold the installed units (told once, in the first such year).
        var toldTooSmall: Set<Int> = []
        /// Candidates within the radius of each demand point, recomputed only when the radius changes.
        var reach: (radius: Double, reach: SitingReach)?

        init(
            planner: CityPlanner, rule: CompiledRule, unit: UnitType, states: [YearState],
            radius: CompiledExpression, spacing: CompiledExpression?, weight: CompiledExpression
        ) {
            self.planner = planner
            self.rule = rule
            self.unit = unit
            radiusExpression = radius
            spacingExpression = spacing
            weightExpression = weight
            let city = planner.city
            let maxStations = city.zones.indices.map { z in
                states.map { s in
                    ((s.units[z][unit.id.value]?.installed ?? 0) + unit.portsPerSite - 1) / unit.portsPerSite
                }.max() ?? 0
            }
            candidates = SitingInputs.candidates(city: city, unit: unit, stationsPerZone: maxStations)
            demandPoints = SitingInputs.demandPoints(city: city)
            candidatesByZone = Array(repeating: [], count: city.zones.count)
            for candidate in candidates { candidatesByZone[candidate.zoneIndex].append(candidate) }
            pointsByZone = Array(repeating: [], count: city.zones.count)
            for (pointIndex, point) in demandPoints.enumerated() { pointsByZone[point.zoneIndex].append(pointIndex) }
            chosenByZone = Array(repeating: [], count: city.zones.count)
            openOrder = Array(repeating: [], count: city.zones.count)
            coverageByZone = Array(repeating: SitingCoverageCache(), count: city.zones.count)
        }

        /// The year of `states[index]`: the radius, spacing and demand weights, the stations each zone adds, then
        /// the coverage of every zone.
        mutating func siteYear(_ index: Int, states: inout [YearState], constants: Constants) throws(DiagnosticsError) {
            let state = states[index]
            let previous = index > 0 ? states[index - 1] : nil
            let place = planner.context(state, nil)
            let cityActivation = planner.activation(
                state: state, zoneIndex: nil, previous: previous, constants: constants)
            let radius = try planner.number(radiusExpression, cityActivation, rule: rule, where: place)
            let spacing = try spacingExpression.map { expression throws(DiagnosticsError) in
                try planner.number(expression, cityActivation, rule: rule, where: place)
            }
            var zoneWeights: [Double] = []
            for zoneIndex in planner.city.zones.indices {
                let zoneActivation = planner.activation(
                    state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                zoneWeights.append(
                    max(
                        0,
                        try planner.number(
                            weightExpression, zoneActivation, rule: rule, where: planner.context(state, zoneIndex))))
            }
            let demand = demandPoints.map { point in
                DemandPoint(
                    id: point.id, latitude: point.latitude, longitude: point.longitude,
                    weight: point.share * zoneWeights[point.zoneIndex])
            }
            // Coverage per zone: share of its demand weight within the radius of any open station.
            if reach?.radius != radius {
                reach = (
                    radius,
                    SitingReach(
                        demand: demand,
                        candidates: candidates.map {
                            CandidateSite(id: $0.id, latitude: $0.latitude, longitude: $0.longitude)
                        }, radiusKM: radius)
                )
            }
            openedEmpty = []
            for zoneIndex in planner.city.zones.indices {
                let installed = state.units[zoneIndex][unit.id.value]?.installed ?? 0
                try siteZone(
                    zoneIndex, year: state.year, installed: installed, demand: demand, radius: radius,
                    spacing: spacing, place: place)
                placePorts(zoneIndex, year: state.year, installed: installed)
            }
            explainEmptyStations(year: state.year, demand: demand, zoneWeights: zoneWeights, radius: radius)
            recordCoverage(in: &states[index], demand: demand)
        }

        /// Solves zone `zoneIndex`'s instance when it adds stations (or existing ones open for the first time): years
        /// nest, so the stations chosen before are fixed.
        mutating func siteZone(
            _ zoneIndex: Int, year: Int, installed: Int, demand: [DemandPoint], radius: Double, spacing: Double?,
            place: Place
        ) throws(DiagnosticsError) {
            let zoneCandidates = candidatesByZone[zoneIndex]
            guard !zoneCandidates.isEmpty else { return }
            let needed = (installed + unit.portsPerSite - 1) / unit.portsPerSite
            let existing = zoneCandidates.indices.filter { zoneCandidates[$0].existing }
            var fixed = chosenByZone[zoneIndex].compactMap { global in
                zoneCandidates.firstIndex { $0.globalIndex == global }
            }
            for e in existing where !fixed.contains(e) { fixed.append(e) }
            let p = min(zoneCandidates.count, max(needed, fixed.count))
            let unopenedFixed = fixed.contains { opened[zoneCandidates[$0].globalIndex] == nil }
            guard p > fixed.count || unopenedFixed else { return }
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
                    opened[global] = (year, weight)
                    openOrder[zoneIndex].append(global)
                    if weight < Self.zeroWeight { openedEmpty.append(global) }
                }
            }
            chosenByZone[zoneIndex] = solution.chosen.map { zoneCandidates[$0].globalIndex }
        }

        /// Each zone's share of its demand weight within the radius of an open station, by the current `reach`.
        func recordCoverage(in state: inout YearState, demand: [DemandPoint]) {
            for zoneIndex in planner.city.zones.indices {
                var covered = 0.0
                var total = 0.0
                for pointIndex in pointsByZone[zoneIndex] {
                    let weight = demand[pointIndex].weight
                    total += weight
                    if reach?.reach.isCovered(pointIndex, byAnyOf: { opened[$0] != nil }) == true {
                        covered += weight
                    }
                }
                state.coverage[zoneIndex][unit.id.value] = total > 0 ? covered / total : 0
            }
        }

        /// The stations opened, by candidate index.
        func stations() -> [Station] {
            opened.keys.sorted().compactMap { global in
                guard let info = opened[global] else { return nil }
                let candidate = candidates[global]
                return Station(
                    id: candidate.id, unit: unit.id.value, zone: planner.city.zones[candidate.zoneIndex].id.value,
                    latitude: candidate.latitude, longitude: candidate.longitude, ports: portsNow[global] ?? 0,
                    openingYear: info.year, coveredWeight: info.weight, existing: candidate.existing, rule: rule.id,
                    portsByYear: portsHistory[global] ?? [])
            }
        }
    }
}
