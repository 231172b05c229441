/// Reads `Scenarios/<id>.yaml` and the `uncertain:` sections of rule files. Each entry is keyed by its path
/// (`OverlayPaths`) and checked against what the path names: a parameter's bounds, a unit field's range, an
/// input's type and range, with the error at the value.
enum ScenarioLoader {
    static func load(
        _ root: YAMLNode, file: String, hash: String, workspace: Workspace,
        bag: inout DiagnosticBag
    ) -> Scenario? {
        guard var map = MappingReader(root, what: "a scenario", bag: &bag) else { return nil }
        let before = bag.diagnostics.count
        let id = map.identifier("id", what: "scenario id", bag: &bag)
        let name = map.string("name", bag: &bag)
        let doc = map.string("doc", required: false, bag: &bag)
        let ruleSetID = map.identifier("rule_set", what: "rule set id", bag: &bag)
        let overridesNode = map.value("overrides")
        let uncertainNode = map.value("uncertain")
        map.finish(bag: &bag)
        if let id, id.value == Scenario.baseline {
            bag.error(
                "the scenario id '\(Scenario.baseline)' is reserved: it names the model without an overlay",
                at: id.position, hint: "choose another id (and file name)")
        }
        var overrides: [Override] = []
        var uncertain: [UncertainEntry] = []
        if let ruleSetID {
            if let set = workspace.ruleSet(ruleSetID.value) {
                let paths = OverlayPaths(ruleSet: set, members: .init(workspace: workspace, ruleSet: set.id))
                overrides = overridesNode.map { self.overrides($0, paths: paths, bag: &bag) } ?? []
                uncertain = uncertainNode.map { self.uncertain($0, paths: paths, bag: &bag) } ?? []
            } else {
                let known = workspace.ruleSets.map(\.id)
                bag.error(
                    "unknown rule set '\(ruleSetID.value)'", at: ruleSetID.position,
                    hint: ScalarReading.closest(to: ruleSetID.value, in: known).map { "did you mean '\($0)'?" }
                        ?? "rule sets: " + known.joined(separator: ", "))
            }
        }
        guard bag.diagnostics.count == before, let id, let name, let ruleSetID else { return nil }
        return Scenario(
            id: id, file: file, contentHash: hash, name: name.value, doc: doc?.value, ruleSet: ruleSetID,
            overrides: overrides, uncertain: uncertain)
    }

    // MARK: overrides

    /// `overrides: {<path>: {value: … | scale: …, doc: …, source: …}}`.
    static func overrides(_ node: YAMLNode, paths: OverlayPaths, bag: inout DiagnosticBag) -> [Override] {
        entries(
            node, section: "overrides", shape: "{value or scale, doc, source}", what: "an override",
            bag: &bag
        ) { path, entry, bag in
            let before = bag.diagnostics.count
            let valueNode = entry.value("value")
            let scaleNode = entry.value("scale")
            let doc = reason("doc", &entry, bag: &bag)
            let source = reason("source", &entry, bag: &bag)
            entry.finish(bag: &bag)
            let resolved = paths.resolve(path, bag: &bag)
            if valueNode != nil, let scale = scaleNode {
                bag.error("an override has value or scale, not both", at: scale.position)
                return nil
            }
            guard let node = valueNode ?? scaleNode else {
                bag.error("missing required key 'value' (or 'scale')", at: entry.node.position)
                return nil
            }
            guard let resolved, bag.diagnostics.count == before else { return nil }
            let change =
                valueNode != nil
                ? value(node, kind: resolved.kind, bag: &bag)
                : scale(node, kind: resolved.kind, bag: &bag)
            guard let change, let doc, let source else { return nil }
            return Override(
                path: path, target: resolved.target, change: change, valuePosition: node.position,
                doc: doc.value, source: source.value)
        }
    }

    /// The entries of an `overrides:` or `uncertain:` mapping, each path with its reader; `read` makes one entry (nil
    /// when it has an error, already recorded).
    private static func entries<Entry>(
        _ node: YAMLNode, section: String, shape: String, what: String, bag: inout DiagnosticBag,
        read: (Located<String>, inout MappingReader, inout DiagnosticBag) -> Entry?
    ) -> [Entry] {
        guard case .mapping(let pairs) = node.content else {
            bag.error("'\(section)' must map paths to \(shape)", at: node.position)
            return []
        }
        var result: [Entry] = []
        for pair in pairs {
            guard var entry = MappingReader(pair.value, what: "\(what) \(shape)", bag: &bag) else { continue }
            if let made = read(Located(pair.key, at: pair.keyPosition), &entry, &bag) { result.append(made) }
        }
        return result
    }

    /// A replacement value, typed and bounded by what it replaces.
    private static func value(_ node: YAMLNode, kind: OverlayPaths.Kind, bag: inout DiagnosticBag) -> OverlayChange? {
        switch kind {
        case .param(let param) where param.values != nil:
            guard case .sequence(let items) = node.content, !items.isEmpty else {
                bag.error(
                    "'\(param.name.value)' is a list parameter: give a non-empty list of numbers",
                    at: node.position)
                return nil
            }
            let numbers = items.compactMap { number($0, low: param.min, high: param.max, bag: &bag) }
            return numbers.count == items.count ? .setList(numbers) : nil
        case .param(let param):
            return number(node, low: param.min, high: param.max, bag: &bag).map { .set(.number($0)) }
        case .unit(_, let field):
            guard let number = number(node, low: field.range.lowerBound, high: field.range.upperBound, bag: &bag)
            else { return nil }
            if field.isWhole, number != number.rounded() {
                bag.error("\(field.rawValue) is a whole number, found \(node.scalar ?? "")", at: node.position)
                return nil
            }
            return .set(.number(number))
        case .input(let declaration):
            return InputLoader.value(node, declaration, bag: &bag).map { .set($0) }
        }
    }

    /// A factor (or, for a number input, a factor per year), at least 0; a parameter's or unit field's result is
    /// checked here, an input's when the overlay is applied to each profile.
    private static func scale(_ node: YAMLNode, kind: OverlayPaths.Kind, bag: inout DiagnosticBag) -> OverlayChange? {
        switch kind {
        case .input(let declaration):
            guard declaration.type == .number else {
                bag.error(
                    "scale applies to number inputs; '\(declaration.name.value)' is \(declaration.type.rawValue)",
                    at: node.position, hint: "give value: instead")
                return nil
            }
            return InputLoader.value(node, factorDeclaration, bag: &bag).map { .scale($0) }
        case .param(let param):
            guard let factor = factor(node, bag: &bag) else { return nil }
            for value in param.values ?? [param.value] {
                let result = value * factor
                guard result.isFinite else {
                    bag.error(
                        "\(ScalarReading.format(value)) × \(node.scalar ?? "") is not a finite number",
                        at: node.position)
                    return nil
                }
                guard
                    ScalarReading.within(
                        result, low: param.min, high: param.max,
                        text: "\(ScalarReading.format(value)) × \(node.scalar ?? "")",
                        at: node.position, bag: &bag)
                else { return nil }
            }
            return .scale(.number(factor))
        case .unit(let unit, let field):
            guard let factor = factor(node, bag: &bag) else { return nil }
            if field.isWhole {
                bag.error("\(field.rawValue) is a whole number: give value:, not scale:", at: node.position)
                return nil
            }
            let value = field.value(of: unit)
            guard
                ScalarReading.within(
                    value * factor, low: field.range.lowerBound, high: field.range.upperBound,
                    text: "\(ScalarReading.format(value)) × \(node.scalar ?? "")", at: node.position, bag: &bag)
            else { return nil }
            return .scale(.number(factor))
        }
    }

    /// A factor on a number: 0 or more, one number or a series by year.
    static let factorDeclaration = InputDeclaration(
        name: Located("scale", at: SourcePosition(file: "", line: 1, column: 1)), scope: .city, type: .number,
        unit: "factor", min: .value(0), max: nil, defaultValue: nil, doc: nil, required: true, between: .linear)

    private static func factor(_ node: YAMLNode, bag: inout DiagnosticBag) -> Double? {
        if case .mapping = node.content {
            bag.error(
                "a parameter or unit field is one number in every year: give one factor, not a series",
                at: node.position)
            return nil
        }
        return number(node, low: 0, high: nil, bag: &bag)
    }

    private static func number(_ node: YAMLNode, low: Double?, high: Double?, bag: inout DiagnosticBag) -> Double? {
        guard let number = ScalarReading.double(node, bag: &bag),
            ScalarReading.within(number, low: low, high: high, text: node.scalar ?? "", at: node.position, bag: &bag)
        else { return nil }
        return number
    }

    /// `doc:` (why this number) or `source:` (where it comes from): required, and not blank.
    private static func reason(
        _ key: String, _ entry: inout MappingReader, bag: inout DiagnosticBag
    ) -> Located<String>? {
        guard let text = entry.string(key, bag: &bag) else { return nil }
        if text.value.allSatisfy(\.isWhitespace) {
            bag.error(
                "'\(key)' is empty", at: text.position,
                hint: key == "doc" ? "say why the number is what it is" : "say where the number comes from")
            return nil
        }
        return text
    }

    // MARK: uncertain

    /// `uncertain: {<path>: {dist: …, <its parameters>, as: value | scale, doc: …, source: …}}`.
    static func uncertain(_ node: YAMLNode, paths: OverlayPaths, bag: inout DiagnosticBag) -> [UncertainEntry] {
        entries(
            node, section: "uncertain", shape: "{dist, …, doc, source}", what: "an uncertain number",
            bag: &bag
        ) { path, entry, bag in
            let before = bag.diagnostics.count
            let distText = entry.string("dist", bag: &bag)
            let useText = entry.string("as", required: false, bag: &bag)
            let doc = reason("doc", &entry, bag: &bag)
            let source = reason("source", &entry, bag: &bag)
            var distribution: Distribution?
            var truncation: (low: Double?, high: Double?) = (nil, nil)
            if let distText { (distribution, truncation) = self.distribution(distText, &entry, bag: &bag) }
            entry.finish(bag: &bag)
            var use = UncertainUse.value
            if let useText {
                if let parsed = UncertainUse(rawValue: useText.value) {
                    use = parsed
                } else {
                    bag.error(
                        "unknown use '\(useText.value)'", at: useText.position,
                        hint: "as: value (the draw is the number) or as: scale (a factor on it)")
                }
            }
            let resolved = paths.resolve(path, bag: &bag)
            guard bag.diagnostics.count == before, let resolved, let distribution, let doc, let source else {
                return nil
            }
            guard let bounds = drawBounds(resolved.kind, use: use, at: path.position, bag: &bag) else { return nil }
            let lower = max(bounds.lower, truncation.low ?? -.infinity)
            let upper = min(bounds.upper, truncation.high ?? .infinity)
            let mass = lower > upper ? 0 : distribution.cdf(upper) - distribution.cdf(lower)
            guard mass > 1e-12 else {
                bag.error(
                    "the \(distribution.name) distribution has no probability within the bounds "
                        + "\(ScalarReading.format(lower))…\(ScalarReading.format(upper))", at: entry.node.position,
                    hint: "the draws are truncated at the bounds of what they set")
                return nil
            }
            return UncertainEntry(
                path: path, target: resolved.target, distribution: distribution, use: use,
                lower: lower, upper: upper, doc: doc.value, source: source.value)
        }
    }

    /// The bounds of what a draw sets: the target's declared bounds, or 0… for a factor.
    private static func drawBounds(
        _ kind: OverlayPaths.Kind, use: UncertainUse, at position: SourcePosition,
        bag: inout DiagnosticBag
    ) -> (lower: Double, upper: Double)? {
        switch kind {
        case .param(let param) where param.values != nil && use == .value:
            bag.error("'\(param.name.value)' is a list parameter: it can only be scaled (as: scale)", at: position)
            return nil
        case .unit(_, let field) where field.isWhole:
            bag.error("\(field.rawValue) is a whole number: it cannot be drawn", at: position)
            return nil
        case .input(let declaration) where declaration.type != .number:
            bag.error(
                "only number inputs can be uncertain; '\(declaration.name.value)' is "
                    + declaration.type.rawValue, at: position)
            return nil
        default:
            break
        }
        if use == .scale { return (0, .infinity) }
        switch kind {
        case .param(let param): return param.bounds
        case .unit(_, let field): return (field.range.lowerBound, field.range.upperBound)
        case .input(let declaration):
            let bounds = declaration.constantBounds
            return (bounds.lower ?? -.infinity, bounds.upper ?? .infinity)
        }
    }

    /// The distribution named `dist` with its parameters, and its own truncation (`min`/`max` of a normal or
    /// lognormal; a uniform's and a triangular's are their support).
    private static func distribution(
        _ name: Located<String>, _ entry: inout MappingReader, bag: inout DiagnosticBag
    )
        -> (Distribution?, (low: Double?, high: Double?))
    {
        func number(_ key: String, required: Bool = true) -> Double? {
            entry.double(key, required: required, bag: &bag)
        }
        let at = name.position
        switch name.value {
        case "uniform":
            guard let low = number("min"), let high = number("max") else { return (nil, (nil, nil)) }
            guard low < high else {
                bag.error("a uniform distribution needs min < max", at: at)
                return (nil, (nil, nil))
            }
            return (.uniform(min: low, max: high), (low, high))
        case "triangular":
            guard let low = number("min"), let mode = number("mode"), let high = number("max") else {
                return (nil, (nil, nil))
            }
            guard low < high, low <= mode, mode <= high else {
                bag.error("a triangular distribution needs min ≤ mode ≤ max and min < max", at: at)
                return (nil, (nil, nil))
            }
            return (.triangular(min: low, mode: mode, max: high), (low, high))
        case "normal", "lognormal":
            let isNormal = name.value == "normal"
            let centre = number(isNormal ? "mean" : "median")
            let spread = number(isNormal ? "sd" : "sigma")
            let low = number("min", required: false)
            let high = number("max", required: false)
            guard let centre, let spread else { return (nil, (nil, nil)) }
            guard spread > 0, isNormal || centre > 0 else {
                bag.error(
                    isNormal ? "a normal distribution needs sd > 0" : "a lognormal needs median > 0 and sigma > 0",
                    at: at)
                return (nil, (nil, nil))
            }
            if let low, let high, low >= high {
                bag.error("min \(ScalarReading.format(low)) is not below max \(ScalarReading.format(high))", at: at)
                return (nil, (nil, nil))
            }
            return (
                isNormal ? .normal(mean: centre, sd: spread) : .lognormal(median: centre, sigma: spread), (low, high)
            )
        default:
            let known = ["uniform", "triangular", "normal", "lognormal"]
            bag.error(
                "unknown distribution '\(name.value)'", at: at,
                hint: ScalarReading.closest(to: name.value, in: known).map { "did you mean '\($0)'?" }
                    ?? known.joined(separator: ", "))
            return (nil, (nil, nil))
        }
    }
}
