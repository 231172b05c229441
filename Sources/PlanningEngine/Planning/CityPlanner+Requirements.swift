import CEL
import Siting

/// Requirements: the findings of a year.
extension CityPlanner {
    func requirements(
        state: YearState, previous: YearState?,
        constants: Constants
    ) throws(DiagnosticsError) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules.requireRules {
            guard case .require(_, let severity, let message) = rule.rule.action,
                case .require(let condition) = rule.action
            else { continue }
            let scopes: [Int?] = rule.rule.scope == .city ? [nil] : city.zones.indices.map { $0 }
            for zoneIndex in scopes {
                let place = context(state, zoneIndex)
                let activation = activation(
                    state: state, zoneIndex: zoneIndex, previous: previous, constants: constants)
                guard try holds(rule, activation, where: place) else { continue }
                let value = try evaluate(condition, activation, rule: rule, where: place)
                if value != .bool(true) {
                    findings.append(
                        Finding(
                            severity: severity, rule: rule.id, message: message,
                            scope: zoneIndex.map { city.zones[$0].id.value } ?? "city",
                            year: state.year, position: rule.rule.id.position))
                }
            }
        }
        return findings
    }
}
