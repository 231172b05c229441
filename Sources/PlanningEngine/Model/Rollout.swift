/// A program over many cities: which rule set, which years, which city joins when.
public struct Rollout: Sendable {
    public var id: Located<String>
    public var file: String
    public var contentHash: String
    public var name: String
    public var operatorName: String
    public var ruleSet: Located<String>
    public var firstYear: Int
    public var lastYear: Int
    public var note: String?
    public var members: [RolloutMember]
    /// The rollout inputs its rule set declares (`inputs: rollout:`), read as `rollout.<name>` in CEL.
    public var inputs = InputValues()
    /// Where `horizon.first_year` is written, for errors about the horizon.
    public var firstYearPosition: SourcePosition?
    /// Totals over the member cities that history recorded (`observed:`, city quantities summed over the cities):
    /// `backtest` compares them with the sum of the cities' plans. A sum cannot be pinned, so `plan` never reads
    /// them: a province's published totals check a programme whose cities have no figures of their own.
    public var observed: [Observation] = []

    package init(
        id: Located<String>, file: String, contentHash: String, name: String, operatorName: String,
        ruleSet: Located<String>, firstYear: Int, lastYear: Int, note: String?, members: [RolloutMember],
        inputs: InputValues = InputValues(), firstYearPosition: SourcePosition? = nil
    ) {
        self.id = id
        self.file = file
        self.contentHash = contentHash
        self.name = name
        self.operatorName = operatorName
        self.ruleSet = ruleSet
        self.firstYear = firstYear
        self.lastYear = lastYear
        self.note = note
        self.members = members
        self.inputs = inputs
        self.firstYearPosition = firstYearPosition
    }
}

public struct RolloutMember: Sendable {
    public var city: Located<String>
    public var joins: Int

    package init(city: Located<String>, joins: Int) {
        self.city = city
        self.joins = joins
    }
}
