/// Ids of cities, zones, rollouts and rule sets name files and folders (`plans/<rollout>/<city>.yaml`),
/// so they are held to one pattern when they load: a hostile id such as `../Cities` must never reach a path.
public enum Identifier {
    /// The documented pattern: lowercase ASCII letters, digits and inner hyphens, 1 to 64 characters.
    public static let pattern = "[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?"
    public static let maximumLength = 64

    /// Why `id` is not a valid id, or nil when it is.
    public static func problem(_ id: String) -> String? {
        let scalars = Array(id.unicodeScalars)
        if scalars.isEmpty { return "an id must not be empty" }
        if scalars.count > maximumLength { return "an id has at most \(maximumLength) characters" }
        func allowed(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "-" }
        if let bad = scalars.first(where: { !allowed($0) }) {
            return "'\(printable(bad))' is not allowed in an id"
        }
        if scalars.first == "-" || scalars.last == "-" { return "an id must not start or end with '-'" }
        return nil
    }

    /// Checks `id` and records an error at its position when it does not match the pattern.
    @discardableResult
    static func validate(_ id: Located<String>, what: String, bag: inout DiagnosticBag) -> Bool {
        guard let problem = problem(id.value) else { return true }
        bag.error(
            "invalid \(what) '\(printable(id.value))': \(problem)", at: id.position,
            hint: "ids match \(pattern): lowercase letters, digits and '-', as they name files and folders")
        return false
    }

    /// The id as it can be shown in one line of a message: control characters escaped.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 80 ? out + "…" : out
    }

    static func printable(_ scalar: Unicode.Scalar) -> String { printable(String(scalar)) }
}

/// Every path the tool writes under an output folder is built here, from components that are each
/// one plain name: no separator, no `.` or `..`, no NUL, not hidden (dot names are the writer's own).
public enum SafePath {
    public static func isSafe(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.first != UInt8(ascii: ".") else { return false }
        return !bytes.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }
    }

    /// The message for a name `isSafe` refuses.
    public static func refusal(_ component: String) -> String {
        "refusing to write '\(Identifier.printable(component))': not a single safe file or folder name"
    }
}
