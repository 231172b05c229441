/// A place in an input file, so every message can send its reader to the exact spot.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The path as the user gave it (relative to the workspace root), never an absolute machine path.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// The position of a character inside a YAML string scalar that starts at `self`.
    /// Plain and quoted one-line scalars map 1:1 onto the file; block scalars start on the next line.
    public func advanced(byLines lines: Int, column: Int) -> SourcePosition {
        if lines == 0 { return SourcePosition(file: file, line: line, column: self.column + column) }
        return SourcePosition(file: file, line: line + lines, column: column + 1)
    }
}

/// How bad a finding is; `error` stops a run.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The one message type of the tool: loading, CEL, rule and run-time problems all become these,
/// so one renderer prints them all as `file:line:col: severity: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var severity: Severity
    public var position: SourcePosition?
    public var message: String
    public var hint: String?
    /// An excerpt with a caret, when the source text is at hand.
    public var snippet: String?
    /// The kind of problem, which decides exit codes; the message is for people.
    public var id: DiagnosticID

    public init(
        _ severity: Severity, _ message: String, at position: SourcePosition?, hint: String? = nil,
        snippet: String? = nil, id: DiagnosticID = .modelCheck
    ) {
        self.severity = severity
        self.position = position
        self.message = message
        self.hint = hint
        self.snippet = snippet
        self.id = id
    }

    public static func error(
        _ message: String, at position: SourcePosition?, hint: String? = nil, id: DiagnosticID = .modelCheck
    ) -> Diagnostic {
        Diagnostic(.error, message, at: position, hint: hint, id: id)
    }

    /// `file:line:col: error: message`, then the hint on its own line.
    public var description: String {
        var text = position.map { "\($0): " } ?? "chargeplan: "
        text += "\(severity.rawValue): \(message)"
        if let snippet { text += "\n" + snippet }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    /// Orders diagnostics by place, so reports never depend on discovery order.
    public static func sortKey(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let pa = a.position ?? SourcePosition(file: "", line: 0, column: 0)
        let pb = b.position ?? SourcePosition(file: "", line: 0, column: 0)
        if pa != pb { return pa < pb }
        return a.message < b.message
    }
}

/// A failed step: every problem found, not just the first.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    /// Sorted by place; a problem reached twice (a rule set shared by several rollouts) is kept once.
    public init(_ diagnostics: [Diagnostic]) {
        var seen: Set<Diagnostic> = []
        self.diagnostics = diagnostics.sorted(by: Diagnostic.sortKey).filter { seen.insert($0).inserted }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a loader keeps going, so a run reports all its errors together.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    /// Warnings that fail nothing (deprecated spellings), kept apart so a loader's "no new diagnostics" checks hold.
    public private(set) var warnings: [Diagnostic] = []

    public mutating func warn(_ diagnostic: Diagnostic) { warnings.append(diagnostic) }

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    public mutating func append(contentsOf more: [Diagnostic]) { diagnostics.append(contentsOf: more) }

    public mutating func error(_ message: String, at position: SourcePosition?, hint: String? = nil) {
        diagnostics.append(.error(message, at: position, hint: hint))
    }

    public func throwIfErrors() throws(DiagnosticsError) {
        if hasErrors { throw DiagnosticsError(diagnostics) }
    }
}
