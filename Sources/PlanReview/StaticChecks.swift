import Foundation
import PlanningEngine

/// Checks `check` adds on top of loading and compiling: things that are legal but almost
/// certainly mistakes. All are warnings; positions point at the offending spot.
///
/// - a literal `matches` pattern outside the accepted regular-expression dialect (an error: every
///   evaluation of the call fails);
/// - a parameter that no expression reads;
/// - a comparison of `zone.kind` with a string that is not a zone kind (always false, so a
///   `when:` built on it never holds).
public enum StaticChecks {
    /// Extra findings for every rule set of `workspace` that compiles (compile errors are `check`'s own).
    public static func run(_ workspace: Workspace) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for set in workspace.ruleSets {
            guard let compiled = try? CompiledRuleSet.compile(set) else { continue }
            diagnostics += invalidPatterns(compiled)
            diagnostics += unusedParameters(compiled)
            diagnostics += impossibleZoneKinds(compiled)
        }
        return diagnostics.sorted(by: Diagnostic.sortKey)
    }

    static func invalidPatterns(_ compiled: CompiledRuleSet) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for rule in compiled.allRules {
            let expressions = rule.action.expressions + (rule.when.map { [$0] } ?? [])
            for expression in expressions {
                diagnostics += expression.program.literalPatternErrors.map { expression.diagnostic(for: $0) }
            }
        }
        return diagnostics
    }

    static func unusedParameters(_ compiled: CompiledRuleSet) -> [Diagnostic] {
        var read: Set<String> = []
        for rule in compiled.allRules {
            for path in rule.reads where path.hasPrefix("params.") {
                if let name = path.split(separator: ".").dropFirst().first { read.insert(String(name)) }
            }
        }
        return compiled.ruleSet.params.filter { !read.contains($0.name.value) }.map { param in
            Diagnostic(
                .warning, "parameter '\(param.name.value)' is never read by any expression", at: param.name.position,
                hint: "remove it, or use it in a rule")
        }
    }

    static func impossibleZoneKinds(_ compiled: CompiledRuleSet) -> [Diagnostic] {
        let kinds = compiled.ruleSet.zoneKinds.map(\.value)
        var diagnostics: [Diagnostic] = []
        // Without `zone_kinds:` any kind is allowed, so no literal is impossible.
        guard !kinds.isEmpty else { return diagnostics }
        for rule in compiled.allRules {
            let expressions =
                (rule.when.map { [(isWhen: true, $0)] } ?? []) + rule.action.expressions.map { (false, $0) }
            for (isWhen, expression) in expressions {
                let comparisons = expression.program.literalComparisons
                for comparison in comparisons
                where comparison.name == "zone.kind" && !kinds.contains(comparison.literal) {
                    let literal = comparison.literal
                    let hint =
                        ScalarReading.closest(to: literal, in: kinds).map { "did you mean '\($0)'?" }
                        ?? "zone kinds: " + kinds.joined(separator: ", ")
                    let consequence = isWhen ? "; this rule never applies" : ""
                    let message =
                        "rule '\(rule.id)': zone.kind is never '\(literal)', so this comparison is always false"
                    let at = expression.expression.filePosition(line: comparison.line, column: comparison.column)
                    diagnostics.append(Diagnostic(.warning, message + consequence, at: at, hint: hint))
                }
            }
        }
        return diagnostics
    }
}
