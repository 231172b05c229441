import Siting

/// Siting, continued: the ports of each station year by year (a zone's stations hold exactly its installed units),
/// and the findings that say where that or the coverage falls short.
extension CityPlanner.SiteRuleRun {
    /// A covered weight below this is written as 0.00: such a station covers no demand as a plan shows it.
    static let zeroWeight = 0.005

    /// Spreads zone `zoneIndex`'s installed units over its open stations (see `PortAllocation`) and records the
    /// stations whose ports change; the first year the sites cannot hold them gets a finding.
    mutating func placePorts(_ zoneIndex: Int, year: Int, installed: Int) {
        let order = openOrder[zoneIndex]
        let capacities = order.map { candidates[$0].ports }
        let allocation = PortAllocation.allocate(
            previous: order.map { portsNow[$0] ?? 0 }, capacities: capacities, installed: installed)
        for (station, ports) in zip(order, allocation.ports) where portsNow[station] != ports {
            portsNow[station] = ports
            portsHistory[station, default: []].append(PortsChange(year: year, ports: ports))
        }
        guard allocation.overflow > 0 || allocation.unplaced > 0, !toldTooSmall.contains(zoneIndex) else { return }
        toldTooSmall.insert(zoneIndex)
        let unitName = unit.id.value
        let message: String
        if allocation.unplaced > 0 {
            message =
                "\(installed) \(unitName) units are installed but no candidate site of the zone can hold one "
                + "(grid_kw below the unit's power_kw): they have no station"
        } else {
            let stations = order.count == 1 ? "zone's 1 station has" : "zone's \(order.count) stations have"
            message =
                "\(installed) \(unitName) units are installed but the \(stations) room for "
                + "\(capacities.reduce(0, +)) ports: \(allocation.overflow) are written on them beyond that room ("
                + tooSmallReason(zoneIndex, stations: order.count, installed: installed) + ")"
        }
        findings.append(finding(.warning, message, zoneIndex: zoneIndex, year: year))
    }

    /// Why a zone's open stations lack room: too few stations for spacing, too few candidates, or small sites.
    private func tooSmallReason(_ zoneIndex: Int, stations: Int, installed: Int) -> String {
        let needed = (installed + unit.portsPerSite - 1) / unit.portsPerSite
        let candidateCount = candidatesByZone[zoneIndex].count
        if stations < min(needed, candidateCount) {
            return "min_spacing_km lets only \(stations) of the \(needed) stations of \(unit.portsPerSite) ports they "
                + "need stand among its \(candidateCount) candidate sites"
        }
        if candidateCount < needed {
            return "they need \(needed) stations of \(unit.portsPerSite) ports and the zone has \(candidateCount) "
                + "candidate sites (listed candidate_sites, or at most \(SitingInputs.maxGeneratedCandidates) generated)"
        }
        return "its sites' max_ports or grid_kw allow fewer than ports_per_site \(unit.portsPerSite) each"
    }

    /// One finding per zone for the stations opened this year that cover no demand weight of their own: either
    /// every demand point they reach is reached by an earlier station already (they are there for the zone's
    /// installed units, not for coverage), or they reach no demand point with weight at all.
    mutating func explainEmptyStations(year: Int, demand: [DemandPoint], zoneWeights: [Double], radius: Double) {
        guard !openedEmpty.isEmpty, let reach = reach?.reach else { return }
        var reachesDemand = Set<Int>()
        for pointIndex in demand.indices where demand[pointIndex].weight > 0 {
            reachesDemand.formUnion(reach.candidates(reaching: pointIndex))
        }
        var byZone: [Int: [Int]] = [:]
        for station in openedEmpty { byZone[candidates[station].zoneIndex, default: []].append(station) }
        let km = ScalarReading.format(radius)
        for zoneIndex in byZone.keys.sorted() {
            let stations = byZone[zoneIndex] ?? []
            let overlapping = stations.filter { reachesDemand.contains($0) }
            let alone = stations.filter { !reachesDemand.contains($0) }
            if !overlapping.isEmpty {
                findings.append(
                    finding(
                        .info,
                        "\(names(overlapping)) \(overlapping.count == 1 ? "covers" : "cover") no demand that "
                            + "an earlier station does not already reach within \(km) km: "
                            + "\(overlapping.count == 1 ? "it holds" : "they hold") some of the zone's installed "
                            + "\(unit.id.value) units, not more coverage",
                        zoneIndex: zoneIndex, year: year))
            }
            if !alone.isEmpty {
                let why =
                    zoneWeights[zoneIndex] > 0
                    ? "no demand point with weight lies within \(km) km of \(alone.count == 1 ? "it" : "them")"
                    : "the zone's demand weight (the site rule's weight:) is 0 in \(year)"
                findings.append(
                    finding(
                        .info,
                        "\(names(alone)) \(alone.count == 1 ? "covers" : "cover") no demand within \(km) km: "
                            + why,
                        zoneIndex: zoneIndex, year: year))
            }
        }
    }

    /// `station a`, or `stations a, b, c and 4 more`.
    private static func names(_ ids: [String]) -> String {
        let shown = ids.prefix(3).joined(separator: ", ")
        let more = ids.count > 3 ? " and \(ids.count - 3) more" : ""
        return ids.count == 1 ? "station \(shown)" : "\(ids.count) stations (\(shown)\(more))"
    }

    private func names(_ stations: [Int]) -> String { Self.names(stations.map { candidates[$0].id }) }

    private func finding(_ severity: Severity, _ message: String, zoneIndex: Int, year: Int) -> Finding {
        Finding(
            severity: severity, rule: rule.id, message: message, scope: planner.city.zones[zoneIndex].id.value,
            year: year, position: rule.rule.id.position)
    }
}
