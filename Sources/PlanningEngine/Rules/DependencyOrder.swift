/// Orders derive rules by what their expressions read — never by file order — and finds cycles.
enum DependencyOrder {
    struct Result {
        var cityFacts: [CompiledRule] = []
        var zoneFacts: [CompiledRule] = []
        var zoneAfterUnits: [CompiledRule] = []
        var cityAfterUnits: [CompiledRule] = []
        var afterUnitPaths: Set<String> = []
        var all: [CompiledRule] = []
    }

    static func isUnitPath(_ path: String) -> Bool {
        for scope in ["city.", "zone."] where path.hasPrefix(scope) {
            let field = path.dropFirst(scope.count).split(separator: ".").first.map(String.init) ?? ""
            if FactSchema.postUnitFields.contains(field) { return true }
        }
        return false
    }

    /// "zone.private_evs.x" → "zone.private_evs"; nil for paths outside city/zone.
    static func factKey(_ path: String) -> String? {
        let parts = path.split(separator: ".")
        guard parts.count >= 2, parts[0] == "city" || parts[0] == "zone" else { return nil }
        return "\(parts[0]).\(parts[1])"
    }

    /// The derive rules by fact key (`zone.private_evs`), what each depends on this year, and which read units.
    struct Graph {
        var derives: [String: CompiledRule] = [:]
        /// The fact keys, sorted: every walk goes in this order.
        var keys: [String] = []
        var edges: [String: [String]] = [:]
        var readsUnits: Set<String> = []

        init(_ rules: [CompiledRule]) {
            for rule in rules {
                if case .derive(let fact, _, _, _, _) = rule.rule.action {
                    derives["\(rule.rule.scope.rawValue).\(fact.value)"] = rule
                }
            }
            keys = derives.keys.sorted()
            for key in keys {
                guard let rule = derives[key] else { continue }
                var deps: Set<String> = []
                for path in rule.reads where !path.hasPrefix("prev.") {
                    if isUnitPath(path) { readsUnits.insert(key) }
                    if let dep = factKey(path), derives[dep] != nil { deps.insert(dep) }
                }
                edges[key] = deps.sorted()
            }
        }
    }

    static func order(_ rules: [CompiledRule], bag: inout DiagnosticBag) -> Result {
        let graph = Graph(rules)
        reportCycles(graph, bag: &bag)
        guard !bag.hasErrors else { return Result() }
        let afterUnits = afterUnitKeys(graph, bag: &bag)
        var result = Result()
        result.afterUnitPaths = afterUnits
        for key in topologicalOrder(graph) {
            guard let rule = graph.derives[key] else { continue }
            switch (key.hasPrefix("city."), afterUnits.contains(key)) {
            case (true, false): result.cityFacts.append(rule)
            case (false, false): result.zoneFacts.append(rule)
            case (false, true): result.zoneAfterUnits.append(rule)
            case (true, true): result.cityAfterUnits.append(rule)
            }
        }
        let derived = result.cityFacts + result.zoneFacts + result.zoneAfterUnits + result.cityAfterUnits
        let others = rules.filter { if case .derive = $0.rule.action { return false } else { return true } }
        result.all = (derived + others).sorted { $0.id < $1.id }
        return result
    }

    /// Cycles: depth-first search, reported once per cycle with every rule in it.
    private static func reportCycles(_ graph: Graph, bag: inout DiagnosticBag) {
        var state: [String: Int] = [:]
        var stack: [String] = []
        var reported: Set<String> = []
        func visit(_ key: String) {
            state[key] = 1
            stack.append(key)
            for dep in graph.edges[key] ?? [] {
                if state[dep] == 1 {
                    let cycle = Array(stack.drop(while: { $0 != dep }))
                    let signature = cycle.sorted().joined(separator: ",")
                    if reported.insert(signature).inserted {
                        let names = (cycle + [dep]).compactMap { graph.derives[$0]?.id }.joined(separator: " → ")
                        for member in cycle {
                            if let rule = graph.derives[member] {
                                bag.error(
                                    "dependency cycle: \(names)", at: rule.rule.id.position,
                                    hint: "read the previous year's value with prev.\(member) to break it")
                            }
                        }
                    }
                } else if state[dep] == nil {
                    visit(dep)
                }
            }
            stack.removeLast()
            state[key] = 2
        }
        for key in graph.keys where state[key] == nil { visit(key) }
    }

    /// The facts computed after the units: those that read units or depend on one that does. A zone fact of that
    /// phase cannot read a city fact of it (the city's come after every zone's).
    private static func afterUnitKeys(_ graph: Graph, bag: inout DiagnosticBag) -> Set<String> {
        var afterUnits: Set<String> = []
        var memo: [String: Bool] = [:]
        func isAfter(_ key: String) -> Bool {
            if let known = memo[key] { return known }
            memo[key] = false
            let value = graph.readsUnits.contains(key) || (graph.edges[key] ?? []).contains { isAfter($0) }
            memo[key] = value
            return value
        }
        for key in graph.keys where isAfter(key) { afterUnits.insert(key) }
        for key in graph.keys where key.hasPrefix("zone.") && afterUnits.contains(key) {
            for dep in graph.edges[key] ?? [] where dep.hasPrefix("city.") && afterUnits.contains(dep) {
                if let rule = graph.derives[key] {
                    bag.error(
                        "zone fact '\(key)' reads \(dep), which is computed after the zones' units",
                        at: rule.rule.id.position)
                }
            }
        }
        return afterUnits
    }

    /// Kahn's algorithm, ties broken by fact name.
    private static func topologicalOrder(_ graph: Graph) -> [String] {
        var remaining = Set(graph.keys)
        var ordered: [String] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { key in
                (graph.edges[key] ?? []).allSatisfy { !remaining.contains($0) || $0 == key }
            }.sorted()
            guard let next = ready.first else { break }
            ordered.append(next)
            remaining.remove(next)
        }
        return ordered
    }

    static func unitOrder(units: [String], rules: [CompiledRule], bag: inout DiagnosticBag) -> [String] {
        var spillsInto: [String: Set<String>] = [:]
        var positions: [String: SourcePosition] = [:]
        for rule in rules {
            if case .cap(let unit, _, _, let spill?, _) = rule.rule.action {
                spillsInto[unit.value, default: []].insert(spill.unit.value)
                positions[unit.value] = rule.rule.id.position
            }
        }
        var remaining = Set(units)
        var ordered: [String] = []
        while !remaining.isEmpty {
            // A unit is ready when no remaining unit spills into it.
            let ready = remaining.filter { unit in
                !remaining.contains { other in other != unit && (spillsInto[other] ?? []).contains(unit) }
            }.sorted()
            guard let next = ready.first else {
                let cycle = remaining.sorted()
                bag.error(
                    "spill cycle between units \(cycle.joined(separator: ", "))",
                    at: cycle.compactMap { positions[$0] }.min())
                return ordered + cycle
            }
            ordered.append(next)
            remaining.remove(next)
        }
        return ordered
    }
}
