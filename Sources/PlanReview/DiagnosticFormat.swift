import Foundation
import PlanningEngine

/// The machine formats of `check --format`: GitHub workflow annotations and JSON.
public enum DiagnosticFormat {
    /// `::error file=…,line=…,col=…::message` (warning → `::warning`, info → `::notice`).
    public static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let command =
                switch d.severity {
                case .error: "error"
                case .warning: "warning"
                case .info: "notice"
                }
            var properties: [String] = []
            if let p = d.position {
                properties = ["file=\(escapeProperty(p.file))", "line=\(p.line)", "col=\(p.column)"]
            }
            let message = d.message + (d.hint.map { "\n  hint: \($0)" } ?? "")
            return "::\(command)" + (properties.isEmpty ? "" : " " + properties.joined(separator: ",")) + "::"
                + escapeData(message)
        }.map { $0 + "\n" }.joined()
    }

    /// `{"diagnostics": [{"severity", "id", "file", "line", "column", "message", "hint"}]}`.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "{\"diagnostics\": []}\n" }
        let rows = diagnostics.map { d in
            "  {\"severity\": \(JSONString.quote(d.severity.rawValue)), \"id\": \(JSONString.quote(d.id.description)), \"file\": \(d.position.map { JSONString.quote($0.file) } ?? "null"), "
                + "\"line\": \(d.position.map { String($0.line) } ?? "null"), \"column\": \(d.position.map { String($0.column) } ?? "null"), "
                + "\"message\": \(JSONString.quote(d.message)), \"hint\": \(d.hint.map(JSONString.quote) ?? "null")}"
        }
        return "{\"diagnostics\": [\n" + rows.joined(separator: ",\n") + "\n]}\n"
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
