/// One year of a rollout, its cities summed: the totals every rollout-wide file writes (the summary's `totals`,
/// `_summary.csv`'s rollout rows, the report's charts), computed once so no two of them can disagree.
public struct RolloutYearTotal: Sendable, Equatable {
    public var year: Int
    /// One entry per unit type of the rollout (`RolloutPlan.unitIDs`, zeros where no city has it this year): its
    /// counts and capex summed over the cities, `rules` empty.
    public var units: [UnitYear]
    /// The units by access, every access in `UnitAccess` order.
    public var access: [AccessTotal]
    /// Capex of every unit of every city this year, summed city by city in plan order.
    public var capex: Double
}

extension RolloutPlan {
    /// Every unit type any city plans in any year, sorted.
    public var unitIDs: [String] {
        Array(Set(cities.flatMap { $0.cityYears.flatMap { $0.units.map(\.unit) } })).sorted()
    }

    /// The years of the horizon, first to last (the first alone when the horizon is empty).
    public var years: [Int] { Array(firstYear...max(firstYear, lastYear)) }

    /// The rollout's totals, one per year of `years`.
    public var totals: [RolloutYearTotal] {
        let ids = unitIDs
        return years.map { year in
            let units = cities.flatMap { $0.cityYears.first { $0.year == year }?.units ?? [] }
            let summed = ids.map { id in
                let members = units.filter { $0.unit == id }
                return UnitYear(
                    unit: id, demand: members.reduce(0) { $0 &+ $1.demand },
                    installed: members.reduce(0) { $0 &+ $1.installed }, new: members.reduce(0) { $0 &+ $1.new },
                    unmet: members.reduce(0) { $0 &+ $1.unmet }, capex: members.reduce(0) { $0 + $1.capex }, rules: [])
            }
            return RolloutYearTotal(
                year: year, units: summed, access: accessTotals(year: year), capex: units.reduce(0) { $0 + $1.capex })
        }
    }
}

extension CityPlan {
    /// Capex of the city over the horizon: every unit of every year, in plan order.
    public var horizonCapex: Double { cityYears.flatMap(\.units).reduce(0) { $0 + $1.capex } }
}
