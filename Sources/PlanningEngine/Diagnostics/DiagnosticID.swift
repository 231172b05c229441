/// What kind of problem a diagnostic reports, apart from its wording (as swift-syntax's `MessageID`): exit codes
/// and tests decide by it, so rewording a message never changes what a command returns.
public struct DiagnosticID: Sendable, Hashable, CustomStringConvertible {
    /// The stage that raised it: `input` (reading files), `yaml` (their syntax), `model` (what they say).
    public let domain: String
    public let name: String
    /// The input could not be read at all (as opposed to read and found wrong): commands exit 2.
    public let isUnreadable: Bool

    public init(domain: String, name: String, isUnreadable: Bool = false) {
        self.domain = domain
        self.name = name
        self.isUnreadable = isUnreadable
    }

    /// `domain.name`, as written in `--format json`.
    public var description: String { "\(domain).\(name)" }

    /// Read, and found wrong or doubtful by what the model says: schema, references, types, rules, static checks.
    public static let modelCheck = DiagnosticID(domain: "model", name: "check")
    /// Missing, unreadable, not a regular file, or not UTF-8.
    public static let unreadableFile = DiagnosticID(domain: "input", name: "unreadable-file", isUnreadable: true)
    public static let emptyFile = DiagnosticID(domain: "input", name: "empty-file", isUnreadable: true)
    /// Over the size, depth or node limits that keep a hostile file from exhausting memory.
    public static let inputLimit = DiagnosticID(domain: "input", name: "limit-exceeded", isUnreadable: true)
    /// libyaml could not scan, parse or compose the text.
    public static let yamlSyntax = DiagnosticID(domain: "yaml", name: "syntax", isUnreadable: true)
    /// A boundary file (`Cities/geo/*.geojson`) that is not JSON.
    public static let geoJSONSyntax = DiagnosticID(domain: "geojson", name: "syntax", isUnreadable: true)
}
