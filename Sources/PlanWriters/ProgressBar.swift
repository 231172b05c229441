/// The text of a progress bar, and whether to draw one at all: only on a terminal, never in a pipe, a file or CI,
/// and not when `NO_COLOR` asks for plain output. Pure functions of their inputs, so both are tested as text.
public enum ProgressBar {
    /// The width of the bar between its brackets, in characters.
    public static let barWidth = 24

    /// True only when stderr is a terminal and neither `NO_COLOR` nor `CI` is set (to anything, even empty).
    public static func isWanted(stderrIsTerminal: Bool, environment: [String: String]) -> Bool {
        stderrIsTerminal && environment["NO_COLOR"] == nil && environment["CI"] == nil
    }

    /// `sweep [##########..............]  412/1000  41%  ETA 0:07`: the share done (rounded down, so 100 % only
    /// when all is done), and the time left at the pace so far (`ETA --:--` before the first item is done).
    public static func line(label: String, done: Int, total: Int, elapsedSeconds: Double) -> String {
        let total = max(total, 0)
        let done = min(max(done, 0), total)
        let share = total == 0 ? 1.0 : Double(done) / Double(total)
        let filled = min(barWidth, Int((share * Double(barWidth)).rounded(.down)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        let percent = total == 0 ? 100 : done * 100 / total
        let eta: String
        if done == total {
            eta = clock(0)
        } else if done == 0 || !elapsedSeconds.isFinite || elapsedSeconds < 0 {
            eta = "--:--"
        } else {
            eta = clock(elapsedSeconds / Double(done) * Double(total - done))
        }
        return "\(label) [\(bar)] \(done)/\(total) \(percent)% ETA \(eta)"
    }

    /// `m:ss`, or `h:mm:ss` from an hour; at most 99:59:59.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(min(max(seconds, 0), 359_999).rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}
