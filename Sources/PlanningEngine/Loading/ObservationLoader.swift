/// Reads a profile's (or a zone's) `observed:` section:
/// `{city.ev_stock: {2019: 3810000}, city.units.fast.installed: {…}, city.access.public.installed: {…}}`.
/// Which facts and units exist is the rule set's business and is checked against it (`ObservationCheck`).
enum ObservationLoader {
    static func load(_ node: YAMLNode, scope: RuleScope, baseYear: Int?, bag: inout DiagnosticBag) -> [Observation] {
        guard case .mapping(let pairs) = node.content else {
            bag.error(
                "'observed' maps quantities (\(scope.rawValue).FACT, \(scope.rawValue).units.UNIT.installed, "
                    + "\(scope.rawValue).access.ACCESS.installed) to years and values", at: node.position)
            return []
        }
        var observations: [Observation] = []
        for pair in pairs {
            guard let quantity = quantity(pair.key, scope: scope, at: pair.keyPosition, bag: &bag),
                let points = points(pair.value, quantity: quantity, baseYear: baseYear, bag: &bag)
            else { continue }
            if observations.contains(where: { $0.quantity == quantity }) {
                bag.error("'\(pair.key)' is observed twice", at: pair.keyPosition)
                continue
            }
            observations.append(
                Observation(scope: scope, quantity: quantity, position: pair.keyPosition, points: points))
        }
        return observations.sorted { $0.quantity < $1.quantity }
    }

    private static func quantity(
        _ key: String, scope: RuleScope, at position: SourcePosition,
        bag: inout DiagnosticBag
    ) -> ObservedQuantity? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == scope.rawValue else {
            let other = scope == .city ? "zone" : "city"
            let hint =
                parts.first == other
                ? "\(other) quantities are observed in the \(other)'s own 'observed:'"
                : "write \(scope.rawValue).FACT, \(scope.rawValue).units.UNIT.installed or \(scope.rawValue).access.ACCESS.installed"
            bag.error(
                "an observed quantity of a \(scope.rawValue) begins with '\(scope.rawValue).', found '\(key)'",
                at: position, hint: hint)
            return nil
        }
        let rest = Array(parts.dropFirst())
        if rest.count == 1, RuleSetLoader.isIdentifier(rest[0]), rest[0] != "units", rest[0] != "access" {
            return .fact(rest[0])
        }
        if rest.count == 3, rest[0] == "units", RuleSetLoader.isIdentifier(rest[1]), rest[2] == "installed" {
            return .unitInstalled(rest[1])
        }
        if rest.count == 3, rest[0] == "access", rest[2] == "installed" {
            if let access = UnitAccess(rawValue: rest[1]) { return .accessInstalled(access) }
            bag.error(
                "unknown access '\(rest[1])'", at: position,
                hint: "one of " + UnitAccess.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        bag.error(
            "'\(key)' is not an observable quantity", at: position,
            hint: "observe a derived fact (\(scope.rawValue).ev_stock), installed units "
                + "(\(scope.rawValue).units.UNIT.installed) or an access total "
                + "(\(scope.rawValue).access.public.installed)")
        return nil
    }

    private static func points(
        _ node: YAMLNode, quantity: ObservedQuantity, baseYear: Int?,
        bag: inout DiagnosticBag
    ) -> [ObservedPoint]? {
        guard case .mapping(let pairs) = node.content, !pairs.isEmpty else {
            bag.error("an observation maps years to values ({2019: 3810000, 2020: 4920000})", at: node.position)
            return nil
        }
        let counts: Bool
        if case .fact = quantity { counts = false } else { counts = true }
        var points: [ObservedPoint] = []
        var ok = true
        for pair in pairs {
            guard pair.key.allSatisfy(\.isNumber), let year = Int(pair.key), InputLoader.years.contains(year) else {
                bag.error(
                    "observations map years \(InputLoader.years.lowerBound)…\(InputLoader.years.upperBound) "
                        + "to values, found '\(pair.key)'", at: pair.keyPosition)
                ok = false
                continue
            }
            if let baseYear, year < baseYear {
                bag.error(
                    "the observed year \(year) is before the profile's base_year \(baseYear)", at: pair.keyPosition,
                    hint: "a plan starts in its base year; move base_year back or drop the earlier years")
                ok = false
                continue
            }
            guard let value = ScalarReading.double(pair.value, range: -1e15...1e15, bag: &bag) else {
                ok = false
                continue
            }
            if counts, value < 0 || value != value.rounded() || value > 1e12 {
                bag.error(
                    "an installed count is a whole number from 0 to 10^12, found \(pair.value.scalar ?? "")",
                    at: pair.value.position)
                ok = false
                continue
            }
            if points.contains(where: { $0.year == year }) {
                bag.error("the year \(year) is observed twice", at: pair.keyPosition)
                ok = false
                continue
            }
            points.append(ObservedPoint(year: year, value: value, position: pair.value.position))
        }
        return ok ? points.sorted { $0.year < $1.year } : nil
    }
}

/// Checks a profile's observations against the rule set that plans it: every observed fact is one its rules
/// derive in that scope, every observed unit one of its catalogue, and every access total has a unit to hold it.
enum ObservationCheck {
    static func check(_ city: CityProfile, against set: RuleSet, bag: inout DiagnosticBag) {
        check(([city.observed] + city.zones.map(\.observed)).flatMap { $0 }, against: set, bag: &bag)
    }

    /// A list of observations (a profile's, a zone's or a rollout's) against the rule set.
    static func check(_ observations: [Observation], against set: RuleSet, bag: inout DiagnosticBag) {
        var derived: [RuleScope: [String]] = [:]
        var types: [String: FactType] = [:]
        for rule in set.rules {
            if case .derive(let fact, let type, _, _, _) = rule.action {
                derived[rule.scope, default: []].append(fact.value)
                types["\(rule.scope.rawValue).\(fact.value)"] = type
            }
        }
        let unitIDs = set.units.map(\.id.value)
        for observation in observations {
            switch observation.quantity {
            case .fact(let name):
                let names = derived[observation.scope] ?? []
                if !names.contains(name) {
                    bag.error(
                        "'\(observation.key)' is not a fact the rules of '\(set.id)' derive for a "
                            + "\(observation.scope.rawValue)", at: observation.position,
                        hint: ScalarReading.closest(to: name, in: names).map { "did you mean '\($0)'?" })
                } else if types[observation.key] == .bool {
                    bag.error("'\(observation.key)' is a bool: only numbers are observed", at: observation.position)
                } else if types[observation.key] == .int,
                    let point = observation.points.first(where: { $0.value != $0.value.rounded() })
                {
                    bag.error(
                        "'\(observation.key)' is an int, found \(ScalarReading.format(point.value))",
                        at: point.position)
                }
            case .unitInstalled(let unit):
                if !unitIDs.contains(unit), !set.unreadableUnits.contains(unit) {
                    bag.error(
                        "unknown unit type '\(unit)' in '\(observation.key)' (rule set '\(set.id)')",
                        at: observation.position,
                        hint: ScalarReading.closest(to: unit, in: unitIDs).map { "did you mean '\($0)'?" }
                            ?? "units: " + unitIDs.joined(separator: ", "))
                }
            case .accessInstalled(let access):
                if !set.units.contains(where: { $0.access == access }) {
                    bag.error(
                        "no unit of rule set '\(set.id)' has access '\(access.rawValue)'",
                        at: observation.position)
                }
            }
        }
    }
}
