import PlanWriters
import PlanningEngine

/// One finding of a plan, with the rollout and city it belongs to and where its rule is.
public struct ListedFinding: Sendable, Equatable {
    public var rollout: String
    public var city: String
    public var year: Int
    /// `city` or a zone id.
    public var scope: String
    public var severity: Severity
    public var rule: String
    public var message: String
    /// The rule's place in its file, when the rule set has a rule of that id.
    public var position: SourcePosition?

    public init(
        rollout: String, city: String, year: Int, scope: String, severity: Severity, rule: String, message: String,
        position: SourcePosition? = nil
    ) {
        self.rollout = rollout
        self.city = city
        self.year = year
        self.scope = scope
        self.severity = severity
        self.rule = rule
        self.message = message
        self.position = position
    }
}

/// `chargeplan findings`: the findings of written plans (or of plans made now), filtered and listed.
public enum FindingList {
    /// Where a rollout's findings came from.
    public enum Source: Sendable, Equatable {
        /// The city plans written in this folder.
        case written(String)
        /// Planned now, in memory (nothing written): the rollout had no written plans.
        case planned
    }

    /// The findings of the city plans (`*.yaml`, not `_summary.yaml`) in `folder`, by file name; nil when it has none.
    public static func read(folder: String, rollout: String) throws(DiagnosticsError) -> [ListedFinding]? {
        let files = try PlanFiles.folder(folder).filter { !$0.path.contains("/") && !$0.path.hasPrefix("_") }
        guard !files.isEmpty else { return nil }
        var findings: [ListedFinding] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            do {
                let root = try YAMLTreeLoader.parse(file.text, file: folder + "/" + file.path)
                let city = PlanDiff.field(root, "city")?.scalar ?? String(file.path.dropLast(5))
                for item in PlanDiff.items(PlanDiff.field(root, "findings")) {
                    guard let year = PlanDiff.field(item, "year")?.scalar.flatMap({ Int($0) }),
                        let severity = PlanDiff.field(item, "severity")?.scalar.flatMap(Severity.init(rawValue:)),
                        let rule = PlanDiff.field(item, "rule")?.scalar
                    else {
                        diagnostics.append(
                            .error("not a finding {year, scope, severity, rule, message}", at: item.position))
                        continue
                    }
                    findings.append(
                        ListedFinding(
                            rollout: rollout, city: city, year: year,
                            scope: PlanDiff.field(item, "scope")?.scalar ?? "city", severity: severity,
                            rule: rule, message: PlanDiff.field(item, "message")?.scalar ?? ""))
                }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return findings
    }

    /// The findings of a rollout planned now, city by city.
    public static func findings(of plan: RolloutPlan) -> [ListedFinding] {
        plan.cities.flatMap { city in
            city.findings.map {
                ListedFinding(
                    rollout: plan.rollout, city: city.city, year: $0.year, scope: $0.scope, severity: $0.severity,
                    rule: $0.rule, message: $0.message, position: $0.position)
            }
        }
    }

    /// Gives each finding the place of its rule in `ruleSet`, where it has none yet.
    public static func locate(_ findings: [ListedFinding], in ruleSet: RuleSet?) -> [ListedFinding] {
        guard let ruleSet else { return findings }
        return findings.map { finding in
            var finding = finding
            if finding.position == nil {
                finding.position = ruleSet.rules.first { $0.id.value == finding.rule }?.id.position
            }
            return finding
        }
    }

    /// Those of `minimum` severity or worse, of one rule when `rule` is given.
    public static func filter(_ findings: [ListedFinding], minimum: Severity?, rule: String?) -> [ListedFinding] {
        findings.filter { finding in
            (minimum.map { finding.severity >= $0 } ?? true) && (rule.map { finding.rule == $0 } ?? true)
        }
    }

    /// One line per finding, as diagnostics are written (`file:line:col: severity: …`), then the counts.
    public static func text(_ findings: [ListedFinding], sources: [(rollout: String, source: Source)]) -> String {
        var out = ""
        for f in findings {
            out +=
                (f.position.map { "\($0): " } ?? "")
                + "\(f.severity.rawValue): \(f.rollout)/\(f.city) \(f.year) \(f.scope): "
                + "\(f.message) [\(f.rule)]\n"
        }
        let counts = Severity.allCases.reversed().map { severity in
            let count = findings.filter { $0.severity == severity }.count
            return "\(count) \(severity == .info ? "info" : severity.rawValue + (count == 1 ? "" : "s"))"
        }
        out +=
            "\(findings.count) \(findings.count == 1 ? "finding" : "findings") (\(counts.joined(separator: ", "))) in "
            + "\(sources.count) \(sources.count == 1 ? "rollout" : "rollouts")"
        let planned = sources.filter { $0.source == .planned }.map(\.rollout)
        if !planned.isEmpty { out += "; planned now, not written: " + planned.joined(separator: ", ") }
        return out + "\n"
    }

    public static func json(_ findings: [ListedFinding], sources: [(rollout: String, source: Source)]) -> String {
        JSONEmitter.emit(
            .object([
                ("format_version", .number("1")),
                (
                    "sources",
                    .array(
                        sources.map { source in
                            let from: PlanNode =
                                switch source.source {
                                case .written(let folder): .string(folder)
                                case .planned: .null
                                }
                            return .object([("rollout", .string(source.rollout)), ("plans", from)])
                        })
                ),
                (
                    "findings",
                    .array(
                        findings.map { f in
                            .object([
                                ("rollout", .string(f.rollout)), ("city", .string(f.city)),
                                ("year", .number(String(f.year))),
                                ("scope", .string(f.scope)), ("severity", .string(f.severity.rawValue)),
                                ("rule", .string(f.rule)),
                                ("message", .string(f.message)), ("file", f.position.map { .string($0.file) } ?? .null),
                                ("line", f.position.map { .number(String($0.line)) } ?? .null),
                                ("column", f.position.map { .number(String($0.column)) } ?? .null),
                            ])
                        })
                ),
            ]))
    }
}
