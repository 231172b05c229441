/// The units of one zone (or the city) in one year, one entry per unit type of the rule set's catalogue in
/// `FactSchema.unitIDs` order. A few unit ids compare faster than they hash, and the planner reads and writes these
/// for every zone-year: an array found by position where a dictionary would hash a string each time.
struct UnitTable: Sendable {
    /// The unit ids, in order: shared by every table of a plan.
    let ids: [String]
    private var entries: [UnitYear?]

    init(ids: [String]) {
        self.ids = ids
        entries = Array(repeating: nil, count: ids.count)
    }

    /// The position of `unit` in `ids`, nil for a unit the catalogue does not have.
    func position(of unit: String) -> Int? { ids.firstIndex(of: unit) }

    subscript(position position: Int) -> UnitYear? {
        get { entries.indices.contains(position) ? entries[position] : nil }
        set { if entries.indices.contains(position) { entries[position] = newValue } }
    }

    subscript(unit: String) -> UnitYear? {
        get { position(of: unit).flatMap { entries[$0] } }
        set { if let position = position(of: unit) { entries[position] = newValue } }
    }
}
