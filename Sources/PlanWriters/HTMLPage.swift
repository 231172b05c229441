/// The frame every HTML report shares (plan reports and the sweep report): one self-contained page with its CSS
/// inline, no scripts, no external assets and no timestamps, whose charts scale with the window.
public enum HTMLPage {
    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 1rem 2rem;
          max-width: 1100px; color: #222; background: #fff; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
        h3 { font-size: 1rem; margin-bottom: 0.2rem; }
        p.note { color: #555; font-size: 0.9rem; }
        table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; display: block; max-width: 100%;
          overflow-x: auto; }
        th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
        th:first-child, td:first-child, td.text, th.text { text-align: left; }
        .legend span { display: inline-block; margin-right: 1rem; font-size: 0.85rem; }
        .legend i { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem;
          vertical-align: middle; }
        svg.chart, svg.map { width: 100%; height: auto; display: block; }
        svg.chart { max-width: 760px; }
        svg.map { max-width: 900px; border: 1px solid #ddd; background: #fbfbf8; }
        svg text { font-family: inherit; fill: #222; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 0 1.5rem; }
        .severity-error { color: #b2182b; font-weight: 600; } .severity-warning { color: #b35806; }
        nav a { margin-right: 1rem; }
        """

    /// A whole page: `title` in the head and as the first heading's text is the caller's business.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// A whole number with thousands separated by commas: `1,304,575,000`.
    static func grouped(_ value: Double) -> String {
        let text = CanonicalNumber.fixed(value, digits: 0)
        let negative = text.hasPrefix("-")
        var digits = Array(negative ? text.dropFirst() : Substring(text))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return (negative ? "-" : "") + String(digits)
    }

    /// Text for HTML and SVG: `&`, `<`, `>` and `"` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
