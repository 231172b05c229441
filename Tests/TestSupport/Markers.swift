// Marker-based positions for tests, in the style of swift-syntax's `extractMarkers`: write the
// expected position into the source itself (`zone.population 1️⃣* 2.5`) instead of counting columns
// by hand, so a test says where it expects a diagnostic and stays right when the text is edited.

/// Where a marker stood in a marked text, counted in the text with every marker removed.
public struct MarkerLocation: Equatable, Sendable, CustomStringConvertible {
    /// 1-based line.
    public let line: Int
    /// 1-based column in Unicode scalars (as CEL's `CELError.column` counts).
    public let column: Int
    /// 1-based column in UTF-8 bytes (for tools that count columns in bytes).
    public let utf8Column: Int
    /// 0-based UTF-8 byte offset from the start of the text (as CEL's `CELError.offset` counts).
    public let utf8Offset: Int

    public init(line: Int, column: Int, utf8Column: Int, utf8Offset: Int) {
        self.line = line
        self.column = column
        self.utf8Column = utf8Column
        self.utf8Offset = utf8Offset
    }

    public var description: String { "\(line):\(column) (UTF-8 column \(utf8Column), offset \(utf8Offset))" }
}

/// True for a keycap emoji marker: `0️⃣` … `9️⃣` (a digit, U+FE0F, U+20E3).
public func isMarker(_ character: Character) -> Bool {
    let scalars = Array(character.unicodeScalars)
    return scalars.count == 3 && ("0"..."9").contains(scalars[0]) && scalars[1] == "\u{FE0F}"
        && scalars[2] == "\u{20E3}"
}

/// Removes the keycap markers (`1️⃣`, `2️⃣`, …) from `markedText` and returns the text without them
/// and, for each marker, the position of the character that followed it (a marker at the very end
/// stands just past the last character). A marker written twice keeps its first position.
/// Line breaks are `\n` (a `\r` before one counts as a column, as in the CEL lexer).
public func extractMarkers(_ markedText: String) -> (text: String, markers: [String: MarkerLocation]) {
    var text = ""
    var markers: [String: MarkerLocation] = [:]
    var line = 1
    var column = 1
    var utf8Column = 1
    var utf8Offset = 0
    for character in markedText {
        if isMarker(character) {
            let name = String(character)
            if markers[name] == nil {
                markers[name] = MarkerLocation(
                    line: line, column: column, utf8Column: utf8Column, utf8Offset: utf8Offset)
            }
            continue
        }
        text.append(character)
        for scalar in character.unicodeScalars {
            let width = String(scalar).utf8.count
            utf8Offset += width
            if scalar == "\n" {
                line += 1
                column = 1
                utf8Column = 1
            } else {
                column += 1
                utf8Column += width
            }
        }
    }
    return (text, markers)
}
