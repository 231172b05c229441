import CEL

/// Observed history in a plan: an observed value replaces what the rules would give in its year, so the plan
/// starts from what exists and projects from the last observation. A city-wide count is shared out over the
/// zones, and an access total over its unit types, in proportion to what the model put there.
extension CityPlanner {
    /// The provenance of every pinned value, in plans (`rules: [observed]`) and in `explain`.
    static let observedMark = "observed"

    /// The observed value of a fact in `year`, typed as the fact is.
    func observedFact(_ name: String, type: FactType, zoneIndex: Int?, year: Int) -> CELValue? {
        if let zoneIndex, city.zones[zoneIndex].observed.isEmpty { return nil }
        if zoneIndex == nil, city.observed.isEmpty { return nil }
        let observations = zoneIndex.map { city.zones[$0].observed } ?? city.observed
        guard let value = observations.value(of: .fact(name), in: year) else { return nil }
        switch type {
        case .int: return .int(Int64(value))
        case .bool: return .bool(value != 0)
        case .number: return .double(value)
        }
    }

    /// Where a fact or unit count was observed, for `explain`.
    func observationPosition(of quantity: ObservedQuantity, zoneIndex: Int?, year: Int) -> SourcePosition? {
        let observations = zoneIndex.map { city.zones[$0].observed } ?? city.observed
        return observations.first { $0.quantity == quantity }?.points.first { $0.year == year }?.position
    }

    /// Applies the year's observed access totals and city-wide unit counts once every zone has its units
    /// (zone-level unit counts were pinned while the zone resolved).
    func pinObservedUnits(_ state: inout YearState, previous: YearState?) throws(DiagnosticsError) {
        guard !city.observed.isEmpty || city.zones.contains(where: { !$0.observed.isEmpty }) else { return }
        let year = state.year
        // (zone, unit) pairs whose count is observed this year and must not be moved by a wider total.
        var fixed: Set<[Int]> = []
        let unitIndex = Dictionary(uniqueKeysWithValues: rules.schema.unitIDs.enumerated().map { ($1, $0) })
        for (zoneIndex, zone) in city.zones.enumerated() {
            for observation in zone.observed where observation.value(in: year) != nil {
                if case .unitInstalled(let unit) = observation.quantity, let u = unitIndex[unit] {
                    fixed.insert([zoneIndex, u])
                }
            }
        }
        // Zone access totals, over the zone's unit types of that access.
        for (zoneIndex, zone) in city.zones.enumerated() {
            for observation in zone.observed {
                guard case .accessInstalled(let access) = observation.quantity,
                    let point = observation.points.first(where: { $0.year == year })
                else { continue }
                let members = unitIDs(of: access)
                let free = members.filter { !fixed.contains([zoneIndex, unitIndex[$0] ?? -1]) }
                let held = members.filter { !free.contains($0) }.reduce(0) { $0 + installed(state, zoneIndex, $1) }
                let shares = try share(
                    Int(point.value) - held, over: free.map { installed(state, zoneIndex, $0) },
                    fallback: free.map { _ in 1 }, observation: observation, point: point,
                    held: held)
                for (unit, count) in zip(free, shares) {
                    setInstalled(&state, zoneIndex: zoneIndex, unit: unit, to: count)
                    fixed.insert([zoneIndex, unitIndex[unit] ?? -1])
                }
            }
        }
        // City unit counts first, then city access totals over the unit types not counted themselves.
        var cityFixed: Set<String> = []
        let unitObservations = city.observed.filter {
            if case .unitInstalled = $0.quantity { return true } else { return false }
        }
        let accessObservations = city.observed.filter {
            if case .accessInstalled = $0.quantity { return true } else { return false }
        }
        for observation in unitObservations {
            guard case .unitInstalled(let unit) = observation.quantity,
                let point = observation.points.first(where: { $0.year == year })
            else { continue }
            try spread(
                Int(point.value), unit: unit, state: &state, fixed: &fixed,
                observation: observation, point: point)
            cityFixed.insert(unit)
        }
        for observation in accessObservations {
            guard case .accessInstalled(let access) = observation.quantity,
                let point = observation.points.first(where: { $0.year == year })
            else { continue }
            let members = unitIDs(of: access)
            let free = members.filter { !cityFixed.contains($0) }
            let held = members.filter { cityFixed.contains($0) }.reduce(0) { $0 + cityInstalled(state, $1) }
            let previousCounts = free.map { unit in Double(previous.map { cityInstalled($0, unit) } ?? 0) }
            let shares = try share(
                Int(point.value) - held, over: free.map { cityInstalled(state, $0) },
                fallback: previousCounts, observation: observation, point: point, held: held)
            for (unit, count) in zip(free, shares) {
                try spread(
                    count, unit: unit, state: &state, fixed: &fixed,
                    observation: observation, point: point)
            }
        }
    }

    /// Shares a city-wide count of one unit type over the zones whose count is not observed themselves.
    private func spread(
        _ total: Int, unit: String, state: inout YearState, fixed: inout Set<[Int]>, observation: Observation,
        point: ObservedPoint
    ) throws(DiagnosticsError) {
        guard let u = rules.schema.unitIDs.firstIndex(of: unit) else { return }
        let zones = city.zones.indices.filter { !fixed.contains([$0, u]) }
        let held = city.zones.indices.filter { fixed.contains([$0, u]) }.reduce(0) { $0 + installed(state, $1, unit) }
        let shares = try share(
            total - held, over: zones.map { installed(state, $0, unit) },
            fallback: zones.map { city.zones[$0].population }, observation: observation,
            point: point, held: held)
        for (zoneIndex, count) in zip(zones, shares) {
            setInstalled(&state, zoneIndex: zoneIndex, unit: unit, to: count)
            fixed.insert([zoneIndex, u])
        }
    }

    /// `total` in whole parts proportional to `weights` (else `fallback`, else equal), by largest remainder.
    private func share(
        _ total: Int, over weights: [Int], fallback: [Double], observation: Observation,
        point: ObservedPoint, held: Int
    ) throws(DiagnosticsError) -> [Int] {
        guard total >= 0, !(weights.isEmpty && total > 0) else {
            let parts = held == 0 ? "" : " (its observed parts already hold \(held))"
            throw DiagnosticsError([
                .error(
                    "city \(city.id.value): \(observation.key) in \(point.year) cannot be \(ScalarReading.format(point.value))"
                        + parts + (weights.isEmpty ? ": every unit it counts is observed on its own" : ""),
                    at: point.position, hint: "observed totals and their parts must agree")
            ])
        }
        let model = weights.map(Double.init)
        return Self.apportion(total, weights: model.contains { $0 > 0 } ? model : fallback)
    }

    /// Largest-remainder apportionment; ties go to the earlier part, so the result never depends on hashing.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let positive = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        let sum = positive.reduce(0, +)
        let w = sum > 0 ? positive : positive.map { _ in 1.0 }
        let weightSum = sum > 0 ? sum : Double(w.count)
        let quotas = w.map { Double(total) * $0 / weightSum }
        var parts = quotas.map { Int($0.rounded(.down)) }
        var left = total - parts.reduce(0, +)
        let order = quotas.indices.sorted { a, b in
            let ra = quotas[a] - Double(parts[a])
            let rb = quotas[b] - Double(parts[b])
            return ra != rb ? ra > rb : a < b
        }
        var cursor = 0
        while left > 0 {
            parts[order[cursor % order.count]] += 1
            left -= 1
            cursor += 1
        }
        while left < 0, let largest = parts.indices.max(by: { parts[$0] < parts[$1] }), parts[largest] > 0 {
            parts[largest] -= 1
            left += 1
        }
        return parts
    }

    private func unitIDs(of access: UnitAccess) -> [String] {
        rules.schema.unitIDs.filter { rules.ruleSet.unit($0)?.access == access }
    }

    private func installed(_ state: YearState, _ zoneIndex: Int, _ unit: String) -> Int {
        state.units[zoneIndex][unit]?.installed ?? 0
    }

    private func cityInstalled(_ state: YearState, _ unit: String) -> Int {
        state.units.reduce(0) { $0 + ($1[unit]?.installed ?? 0) }
    }

    private func setInstalled(_ state: inout YearState, zoneIndex: Int, unit: String, to count: Int) {
        guard let type = rules.ruleSet.unit(unit) else { return }
        var record =
            state.units[zoneIndex][unit]
            ?? UnitYear(unit: unit, demand: 0, installed: 0, new: 0, unmet: 0, capex: 0, rules: [])
        // A modelled count is last year's plus what was built: what stood before this year.
        let before = record.installed - record.new
        record.installed = count
        record.new = max(0, count - before)
        record.unmet = max(0, record.demand - count)
        record.capex = Double(record.new) * type.capex
        record.rules = [.observed]
        state.units[zoneIndex][unit] = record
    }
}
