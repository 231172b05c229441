/// Resolves the paths of `overrides:` and `uncertain:` entries against one rule set and, for a scenario, the
/// cities, zones and rollouts that use it. Every unknown part is an error at the path, with a did-you-mean.
struct OverlayPaths {
    /// What a path names, with what its value is checked against.
    enum Kind {
        case param(Parameter)
        case unit(UnitType, UnitSpecField)
        case input(InputDeclaration)
    }

    /// The ids a scenario may name: the rollouts of its rule set, their member cities and those cities' zones.
    struct Members {
        var rollouts: [String]
        var cities: [String]
        var zones: [String]
        /// Every city and rollout id of the workspace, to tell "of another rule set" from "unknown".
        var allCities: Set<String>
        var allRollouts: Set<String>

        init(workspace: Workspace, ruleSet: String) {
            let rollouts = workspace.rollouts.filter { $0.ruleSet.value == ruleSet }
            self.rollouts = rollouts.map(\.id.value)
            var cities: [String] = []
            for rollout in rollouts {
                for member in rollout.members where !cities.contains(member.city.value) {
                    cities.append(member.city.value)
                }
            }
            self.cities = cities.sorted()
            zones = self.cities.compactMap { workspace.city($0) }.flatMap { $0.zones.map(\.id.value) }
            allCities = Set(workspace.cities.map(\.id.value))
            allRollouts = Set(workspace.rollouts.map(\.id.value))
        }
    }

    static let heads = ["params", "units", "city", "zone", "rollout"]
    static let shapes =
        "params.<name>, units.<unit>.<field>, city.<id>.<input>, zone.<id>.<input> or "
        + "rollout.<id>.<input> (<id> may be *: every one)"

    let ruleSet: RuleSet
    /// Nil in a rule file: a rule set names no city, so only `*` may stand for an id there.
    let members: Members?

    func resolve(_ path: Located<String>, bag: inout DiagnosticBag) -> (target: OverlayTarget, kind: Kind)? {
        let parts = path.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let head = parts.first, Self.heads.contains(head) else {
            let suggestion = parts.first.flatMap { ScalarReading.closest(to: $0, in: Self.heads) }
            bag.error(
                "unknown path '\(path.value)'", at: path.position,
                hint: suggestion.map { "did you mean '\($0)'?" } ?? "a path is " + Self.shapes)
            return nil
        }
        if parts.contains(where: \.isEmpty) {
            bag.error("'\(path.value)' has an empty part", at: path.position, hint: "a path is " + Self.shapes)
            return nil
        }
        switch head {
        case "params": return param(parts, path, bag: &bag)
        case "units": return unit(parts, path, bag: &bag)
        default: return input(InputScope(rawValue: head) ?? .city, parts, path, bag: &bag)
        }
    }

    private func param(
        _ parts: [String], _ path: Located<String>, bag: inout DiagnosticBag
    )
        -> (target: OverlayTarget, kind: Kind)?
    {
        guard parts.count == 2 else {
            bag.error("'\(path.value)': a parameter is params.<name>", at: path.position)
            return nil
        }
        guard let param = ruleSet.params.first(where: { $0.name.value == parts[1] }) else {
            unknown(
                "parameter", parts[1], of: "rule set '\(ruleSet.id)'", known: ruleSet.params.map(\.name.value),
                at: path.position, bag: &bag)
            return nil
        }
        return (.param(param.name.value), .param(param))
    }

    private func unit(
        _ parts: [String], _ path: Located<String>, bag: inout DiagnosticBag
    )
        -> (target: OverlayTarget, kind: Kind)?
    {
        let money = ruleSet.moneySuffix
        let fields = UnitSpecField.allCases.map { $0.key(moneySuffix: money) }
        guard parts.count == 3 else {
            bag.error(
                "'\(path.value)': a unit field is units.<unit>.<field>", at: path.position,
                hint: "fields: " + fields.joined(separator: ", "))
            return nil
        }
        guard let unit = ruleSet.unit(parts[1]) else {
            unknown(
                "unit", parts[1], of: "rule set '\(ruleSet.id)'", known: ruleSet.units.map(\.id.value),
                at: path.position, bag: &bag)
            return nil
        }
        guard let field = UnitSpecField.allCases.first(where: { $0.key(moneySuffix: money) == parts[2] }) else {
            unknown("unit field", parts[2], of: "unit '\(parts[1])'", known: fields, at: path.position, bag: &bag)
            return nil
        }
        return (.unit(parts[1], field), .unit(unit, field))
    }

    private func input(
        _ scope: InputScope, _ parts: [String], _ path: Located<String>, bag: inout DiagnosticBag
    )
        -> (target: OverlayTarget, kind: Kind)?
    {
        let what = scope.rawValue
        guard parts.count >= 3 else {
            bag.error(
                "'\(path.value)': an input of a \(what) is \(what).<id>.<input> (<id> may be *)",
                at: path.position)
            return nil
        }
        let id = parts[1]
        if id != "*" {
            guard let members else {
                bag.error(
                    "a rule set names no \(what): write \(what).*.\(parts[2...].joined(separator: "."))",
                    at: path.position, hint: "a scenario (Scenarios/<id>.yaml) may name one \(what)")
                return nil
            }
            guard validID(id, scope: scope, members: members, at: path.position, bag: &bag) else { return nil }
        }
        let name = parts[2...].joined(separator: ".")
        let declarations = ruleSet.inputs(scope)
        guard let declaration = declarations.first(where: { $0.name.value == name }) else {
            if InputLoader.engineKeys(scope).contains(name) {
                bag.error(
                    "'\(name)' of a \(what) is the engine's own field, not an input an overlay can change",
                    at: path.position,
                    hint: "overlays change the inputs rule set '\(ruleSet.id)' declares (inputs: \(what):)")
            } else {
                unknown(
                    "\(what) input", name, of: "rule set '\(ruleSet.id)'", known: declarations.map(\.name.value),
                    at: path.position, bag: &bag)
            }
            return nil
        }
        return (.input(scope, id: id == "*" ? nil : id, name: name), .input(declaration))
    }

    private func validID(
        _ id: String, scope: InputScope, members: Members, at position: SourcePosition,
        bag: inout DiagnosticBag
    ) -> Bool {
        let (known, all): ([String], Set<String>) =
            switch scope {
            case .city: (members.cities, members.allCities)
            case .zone: (members.zones, Set(members.zones))
            case .rollout: (members.rollouts, members.allRollouts)
            }
        if known.contains(id) { return true }
        if all.contains(id) {
            let place = scope == .city ? "a member of no rollout of" : "not planned with"
            bag.error("\(scope.rawValue) '\(id)' is \(place) rule set '\(ruleSet.id)'", at: position)
        } else {
            unknown(
                scope.rawValue, id, of: "the rollouts of rule set '\(ruleSet.id)'", known: known, at: position,
                bag: &bag)
        }
        return false
    }

    private func unknown(
        _ what: String, _ name: String, of owner: String, known: [String], at position: SourcePosition,
        bag: inout DiagnosticBag
    ) {
        let suggestion = ScalarReading.closest(to: name, in: known)
        let list = known.count <= 12 ? known.joined(separator: ", ") : "\(known.count) of them"
        bag.error(
            "unknown \(what) '\(name)' in \(owner)", at: position,
            hint: suggestion.map { "did you mean '\($0)'?" } ?? (known.isEmpty ? "there are none" : list))
    }
}
