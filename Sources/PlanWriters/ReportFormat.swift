/// How a report that is read (`backtest`, `compare`) is printed: for a terminal, for tools, for a pull request.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown
}
