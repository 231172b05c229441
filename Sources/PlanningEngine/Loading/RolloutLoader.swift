/// Turns a rollout file into a `Rollout`.
enum RolloutLoader {
    /// `declarations`: the rollout inputs of its rule set; nil when the rule set is unknown (reported elsewhere),
    /// then `inputs:` is not read.
    static func load(
        _ root: YAMLNode, file: String, hash: String, declarations: (String) -> [InputDeclaration]?,
        bag: inout DiagnosticBag
    ) -> Rollout? {
        guard var map = MappingReader(root, what: "a rollout", bag: &bag) else { return nil }
        let before = bag.diagnostics.count
        let id = map.identifier("id", what: "rollout id", bag: &bag)
        let name = map.string("name", bag: &bag)
        let op = map.string("operator", bag: &bag)
        let ruleSet = map.identifier("rule_set", what: "rule set id", bag: &bag)
        let note = map.string("note", required: false, bag: &bag)
        var first: Int?
        var last: Int?
        var firstPosition: SourcePosition?
        if let horizon = map.required("horizon", bag: &bag),
            var h = MappingReader(horizon, what: "a horizon", bag: &bag)
        {
            firstPosition = h.position(of: "first_year")
            first = h.int("first_year", range: 1900...2200, bag: &bag)
            last = h.int("last_year", range: 1900...2200, bag: &bag)
            h.finish(bag: &bag)
            if let f = first, let l = last, l < f {
                bag.error("last_year \(l) is before first_year \(f)", at: horizon.position)
            } else if let f = first, let l = last, l - f > 100 {
                bag.error("a horizon of more than 100 years", at: horizon.position)
            }
        }
        var inputs = InputValues()
        let inputsNode = map.value("inputs")
        if let ruleSet, let declared = declarations(ruleSet.value) {
            let node = inputsNode ?? YAMLNode(content: .mapping([]), position: root.position)
            if var reader = MappingReader(node, what: "the rollout's inputs", bag: &bag) {
                inputs = InputLoader.read(&reader, declared, bag: &bag)
                reader.finish(bag: &bag)
            }
        }
        let observed = map.value("observed").map {
            ObservationLoader.load($0, scope: .city, baseYear: nil, bag: &bag)
        }
        var members: [RolloutMember] = []
        var seen: [String: SourcePosition] = [:]
        for node in map.sequence("cities", bag: &bag) ?? [] {
            guard var m = MappingReader(node, what: "a member city", bag: &bag) else { continue }
            let city = m.identifier("city", what: "city id", bag: &bag)
            let joins = m.int("joins", range: 1900...2200, bag: &bag)
            m.finish(bag: &bag)
            guard let city, let joins else { continue }
            if let earlier = seen[city.value] {
                bag.error("city '\(city.value)' is listed twice (first at \(earlier))", at: city.position)
            }
            seen[city.value] = city.position
            if let first, let last, first <= last, !(first...last).contains(joins) {
                bag.error("joins \(joins) lies outside the horizon \(first)–\(last)", at: node.position)
            }
            members.append(RolloutMember(city: city, joins: joins))
        }
        map.finish(bag: &bag)
        guard bag.diagnostics.count == before, let id, let name, let op, let ruleSet, let first, let last else {
            return nil
        }
        var rollout = Rollout(
            id: id, file: file, contentHash: hash, name: name.value, operatorName: op.value, ruleSet: ruleSet,
            firstYear: first, lastYear: last, note: note?.value, members: members, inputs: inputs,
            firstYearPosition: firstPosition)
        rollout.observed = observed ?? []
        return rollout
    }
}
