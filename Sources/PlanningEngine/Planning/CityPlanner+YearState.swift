import CEL
import Siting

/// A year's state as the planner builds it, and the `prev` objects rules read of it.
extension CityPlanner {
    /// The state of one year: the fields of the city and of each zone, as the CEL objects rules read (declared
    /// layouts; a field not derived yet is null). Writes set one field in place: copy on write keeps every copy of a
    /// state (last year's, a plan's) as it was.
    struct YearState {
        var year: Int
        private(set) var cityObject: CELObject
        private(set) var zoneObjects: [CELObject]
        /// `prev` as the next year's rules see this state, by zone index (-1 for city rules); a write starts a new one.
        private(set) var previousObjects = PreviousObjects()
        /// While a zone's fact rules and units are resolved, its object lives in the one activation they all read
        /// (`lend`), so each fact is set in place and no activation is built per rule; `returnLent` puts it back.
        private(set) var lent: (zone: Int, activation: CELActivation)?
        var factRules: [String: [String]] = [:]
        /// For a sweep's sample: the city's and the zones' objects started as the plan's of the same year (its
        /// invariant facts in place, the drawn inputs set, every other fact derived again).
        var cityFromPlan = false
        var zonesFromPlan = false
        var units: [UnitTable]
        var cityUnits: UnitTable
        var coverage: [[String: Double]]
        /// `rollout` as CEL sees it this year: its declared inputs may be series.
        var rollout: CELValue = .null

        init(year: Int, city: CELObject, zones: [CELObject], unitIDs: [String]) {
            self.year = year
            cityObject = city
            zoneObjects = zones
            units = Array(repeating: UnitTable(ids: unitIDs), count: zones.count)
            cityUnits = UnitTable(ids: unitIDs)
            coverage = Array(repeating: [:], count: zones.count)
        }

        func cityValue(_ name: String) -> CELValue? { cityObject[name] }
        func zoneValue(_ index: Int, _ name: String) -> CELValue? { zoneObject(index)[name] }

        mutating func setCity(_ name: String, _ value: CELValue) {
            guard let field = cityObject.layout.fieldIndex(name) else { return }
            setCity(field: field, value)
        }

        mutating func setZone(_ index: Int, _ name: String, _ value: CELValue) {
            guard let field = zoneObject(index).layout.fieldIndex(name) else { return }
            setZone(index, field: field, value)
        }

        /// `field`: the position in the declared layout (a rule's `factField`).
        mutating func setCity(field: Int, _ value: CELValue) {
            returnLent()
            cityObject.set(field, value)
            forgetPrevious(nil)
        }

        mutating func setZone(_ index: Int, field: Int, _ value: CELValue) {
            if lent?.zone == index {
                lent?.activation.setField(field, of: Self.zoneSlot, to: value)
                return
            }
            zoneObjects[index].set(field, value)
            forgetPrevious(index)
        }

        /// The zone's object, lent or not.
        func zoneObject(_ index: Int) -> CELObject {
            if let lent, lent.zone == index, case .object(let object)? = lent.activation.value(at: Self.zoneSlot) {
                return object
            }
            return zoneObjects[index]
        }

        /// Where `zone` stands in a zone rule's activation.
        static let zoneSlot = FactSchema.zoneSlots.count - 1
        static let placeholder = CELObject(typeName: "Zone", fields: [:])

        /// Lends the zone's object to `activation` (which holds it at `zoneSlot`).
        mutating func lend(_ zone: Int, to activation: CELActivation) {
            returnLent()
            lent = (zone, activation)
            zoneObjects[zone] = Self.placeholder
        }

        mutating func returnLent() {
            guard let lent = lent.take() else { return }
            if case .object(let object)? = lent.activation.value(at: Self.zoneSlot) { zoneObjects[lent.zone] = object }
            forgetPrevious(lent.zone)
        }

        /// Drops the `prev` objects a write makes stale (every one for a city field, the zone's for a zone field), in
        /// a cache of this copy alone: a cache shared with another copy of the state is left to that copy.
        private mutating func forgetPrevious(_ zone: Int?) {
            if !isKnownUniquelyReferenced(&previousObjects) {
                let kept = zone.map { zone in previousObjects.byZone.filter { $0.key != zone } } ?? [:]
                previousObjects = PreviousObjects(keeping: kept)
            } else if let zone {
                previousObjects.byZone[zone] = nil
            } else {
                previousObjects.byZone.removeAll()
            }
        }
    }

    /// Memoised `prev` objects of one state. A class, so the planner can fill it while reading a state it does not
    /// own; never emptied in place (a write to the state replaces it), so copies of a state never see another's.
    final class PreviousObjects: @unchecked Sendable {
        var byZone: [Int: CELValue] = [:]

        init(keeping entries: [Int: CELValue] = [:]) { byZone = entries }
    }
}
