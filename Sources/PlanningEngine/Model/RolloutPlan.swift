/// The plans of one rollout.
public struct RolloutPlan: Sendable, Equatable, Codable {
    public var rollout: String
    public var name: String
    public var operatorName: String
    public var ruleSet: String
    /// The rule set's currency, as in its city plans.
    public var currency: String
    public var firstYear: Int
    public var lastYear: Int
    public var inputs: [InputHash]
    public var cities: [CityPlan]

    /// `_cny` for CNY: the suffix of the money keys of plan files.
    public var moneySuffix: String { RuleSet.moneySuffix(currency) }

    /// The rollout's units by access in one year: the sum of its cities' access totals.
    public func accessTotals(year: Int) -> [AccessTotal] {
        AccessTotal.sum(cities.compactMap { $0.cityYears.first { $0.year == year }?.access })
    }
}
