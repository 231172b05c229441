import Foundation

/// The one home of the reports' chart drawing (plan reports and the sweep report): line, bar, fan and tornado
/// charts as inline SVG with axes, ticks, a unit on the value axis and a tooltip per data point. Each chart scales
/// to the page (a `viewBox`, width 100 %), needs no script and gives the same bytes for the same numbers.
///
/// Data marks are `<path>`, `<rect>` and `<circle>` elements; axes and grid lines are `<line>` and `<text>`, so a
/// chart with no data draws no data marks (the browser test counts them).
public enum SVGChart {
    /// One line of a line chart, or one band of a fan chart's legend.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var colour: String
        public var values: [Double]

        public init(name: String, colour: String, values: [Double]) {
            self.name = name
            self.colour = colour
            self.values = values
        }
    }

    /// A colour-blind-safe qualitative palette (Okabe and Ito 2008), for unit types and accesses.
    public static let palette = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
    ]

    static let width = 640.0
    static let height = 260.0
    static let left = 72.0
    static let right = 16.0
    static let top = 14.0
    static let bottom = 40.0

    /// The value axis: a nice step (1, 2 or 5 × 10ⁿ), bounds that are multiples of it and hold zero, and labels in
    /// k, M or bn.
    struct Axis {
        var lower: Double
        var upper: Double
        var step: Double

        init(values: [Double]) {
            let finite = values.filter(\.isFinite)
            let low = min(0, finite.min() ?? 0)
            let high = max(0, finite.max() ?? 0)
            let span = high - low
            guard span > 0, span.isFinite else {
                (lower, upper, step) = (0, 1, 0.25)
                return
            }
            let raw = span / 5
            let magnitude = pow(10, (log10(raw)).rounded(.down))
            let nice = [1.0, 2.0, 5.0, 10.0].first { $0 * magnitude >= raw } ?? 10
            step = nice * magnitude
            lower = (low / step).rounded(.down) * step
            upper = (high / step).rounded(.up) * step
            if upper <= lower { upper = lower + step }
        }

        var ticks: [Double] {
            let count = Int(((upper - lower) / step).rounded())
            return (0...max(0, min(count, 20))).map { lower + Double($0) * step }
        }

        /// `12k`, `1.5M`, `3bn`, `0.25`: as many decimals as the step needs.
        func label(_ value: Double) -> String {
            guard value != 0 else { return "0" }
            let largest = max(abs(lower), abs(upper))
            let (divisor, suffix): (Double, String) =
                largest >= 1e9 ? (1e9, "bn") : largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "")
            let scaledStep = step / divisor
            let digits = scaledStep >= 1 ? 0 : min(3, Int((-log10(scaledStep)).rounded(.up)))
            return CanonicalNumber.fixed(value / divisor, digits: digits) + suffix
        }

        /// The y coordinate of `value` in a plot from `top` to `top + plotHeight`.
        func y(_ value: Double, plotHeight: Double) -> Double {
            let share = (value - lower) / (upper - lower)
            return SVGChart.top + plotHeight * (1 - min(1, max(0, share.isFinite ? share : 0)))
        }
    }

    // MARK: Charts

    /// Lines over the years, one per series, with a dot and tooltip per year.
    public static func lines(title: String, years: [Int], series: [Series], valueLabel: String) -> String {
        let axis = Axis(values: series.flatMap(\.values))
        var svg = frame(title: title, years: years, axis: axis, valueLabel: valueLabel)
        for line in series {
            let points = line.values.prefix(years.count).enumerated().map { index, value in
                (x: x(index, count: years.count), y: axis.y(value, plotHeight: plotHeight), value: value)
            }
            guard !points.isEmpty else { continue }
            let path = points.enumerated().map {
                ($0.offset == 0 ? "M" : "L") + f($0.element.x) + "," + f($0.element.y)
            }
            svg +=
                "<path class=\"series\" d=\"\(path.joined(separator: " "))\" fill=\"none\" "
                + "stroke=\"\(line.colour)\" stroke-width=\"2\"/>\n"
            for (index, point) in points.enumerated() {
                svg +=
                    "<circle cx=\"\(f(point.x))\" cy=\"\(f(point.y))\" r=\"2.5\" fill=\"\(line.colour)\">"
                    + "<title>\(HTMLPage.escape(line.name)) \(years[index]): \(number(point.value))</title></circle>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// The series' legend, then their lines.
    public static func linesWithLegend(title: String, years: [Int], series: [Series], valueLabel: String) -> String {
        legend(series.map { ($0.name, $0.colour) })
            + lines(title: title, years: years, series: series, valueLabel: valueLabel)
    }

    /// A bar per year from zero (below the axis for negative values).
    public static func bars(
        title: String, years: [Int], values: [Double], colour: String, valueLabel: String
    )
        -> String
    {
        let axis = Axis(values: values)
        var svg = frame(title: title, years: years, axis: axis, valueLabel: valueLabel)
        let band = (width - left - right) / Double(max(1, years.count))
        let zero = axis.y(0, plotHeight: plotHeight)
        for (index, value) in values.prefix(years.count).enumerated() {
            let end = axis.y(value, plotHeight: plotHeight)
            svg +=
                "<rect x=\"\(f(x(index, count: years.count) - band * 0.35))\" y=\"\(f(min(zero, end)))\" "
                + "width=\"\(f(band * 0.7))\" height=\"\(f(abs(zero - end)))\" fill=\"\(colour)\">"
                + "<title>\(years[index]): \(number(value))</title></rect>\n"
        }
        return svg + "</svg>\n"
    }

    /// A fan: the P10–P90 band shaded, the P50 line over it, a dot and tooltip per year.
    public static func fan(
        title: String, years: [Int], p10: [Double], p50: [Double], p90: [Double], colour: String,
        valueLabel: String
    ) -> String {
        let axis = Axis(values: p10 + p50 + p90)
        var svg = frame(title: title, years: years, axis: axis, valueLabel: valueLabel)
        let count = min(years.count, p10.count, p50.count, p90.count)
        guard count > 0 else { return svg + "</svg>\n" }
        let upper = (0..<count).map { "\(f(x($0, count: years.count))),\(f(axis.y(p90[$0], plotHeight: plotHeight)))" }
        let lower = (0..<count).reversed().map {
            "\(f(x($0, count: years.count))),\(f(axis.y(p10[$0], plotHeight: plotHeight)))"
        }
        svg +=
            "<path class=\"band\" d=\"M" + (upper + lower).joined(separator: " L") + " Z\" fill=\"\(colour)\" "
            + "fill-opacity=\"0.25\" stroke=\"none\"/>\n"
        let middle = (0..<count).map { "\(f(x($0, count: years.count))),\(f(axis.y(p50[$0], plotHeight: plotHeight)))" }
        svg +=
            "<path class=\"series\" d=\"M" + middle.joined(separator: " L") + "\" fill=\"none\" "
            + "stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
        for index in 0..<count {
            let y = axis.y(p50[index], plotHeight: plotHeight)
            svg +=
                "<circle cx=\"\(f(x(index, count: years.count)))\" cy=\"\(f(y))\" r=\"2.5\" fill=\"\(colour)\">"
                + "<title>\(years[index]): P10 \(number(p10[index])), "
                + "P50 \(number(p50[index])), P90 \(number(p90[index]))</title></circle>\n"
        }
        return svg + "</svg>\n"
    }

    /// A tornado: one horizontal bar per input, from 0 to its ρ on a −1…1 axis, largest |ρ| on top (the order given).
    /// An input whose ρ is undefined (nil: it or the total never moved) is listed with "ρ undefined" and no bar.
    public static func tornado(title: String, entries: [(label: String, rho: Double?)]) -> String {
        let rowHeight = 22.0
        let labelWidth = 250.0
        let chartHeight = top + rowHeight * Double(max(1, entries.count)) + bottom
        // Room for a ρ label beside a bar that reaches −1 or 1.
        let plotLeft = labelWidth + 34
        let plotWidth = width - plotLeft - right - 34
        func xOf(_ rho: Double) -> Double { plotLeft + plotWidth * (min(1, max(-1, rho)) + 1) / 2 }
        var svg =
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(f(width)) \(f(chartHeight))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">\n"
            + "<title>\(HTMLPage.escape(title))</title>\n"
        let axisY = top + rowHeight * Double(max(1, entries.count))
        for tick in [-1.0, -0.5, 0, 0.5, 1] {
            let x = xOf(tick)
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(axisY))\" "
                + "stroke=\"\(tick == 0 ? "#444" : "#ddd")\"/>"
                + "<text x=\"\(f(x))\" y=\"\(f(axisY + 14))\" font-size=\"11\" text-anchor=\"middle\">"
                + "\(CanonicalNumber.trimmed(tick, digits: 1))</text>\n"
        }
        svg +=
            "<text x=\"\(f(xOf(0)))\" y=\"\(f(axisY + 32))\" font-size=\"12\" text-anchor=\"middle\">"
            + "Spearman’s ρ with the total (−1 … 1)</text>\n"
        for (index, entry) in entries.enumerated() {
            let y = top + rowHeight * Double(index)
            svg +=
                "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + rowHeight * 0.65))\" font-size=\"11\" "
                + "text-anchor=\"end\">\(HTMLPage.escape(entry.label))</text>\n"
            guard let rho = entry.rho else {
                svg +=
                    "<text x=\"\(f(xOf(0) + 4))\" y=\"\(f(y + rowHeight * 0.65))\" font-size=\"11\" fill=\"#777\">"
                    + "ρ undefined</text>\n"
                continue
            }
            let start = min(xOf(0), xOf(rho))
            let colour = rho >= 0 ? palette[0] : palette[5]
            svg +=
                "<rect x=\"\(f(start))\" y=\"\(f(y + 3))\" width=\"\(f(max(0.5, abs(xOf(rho) - xOf(0)))))\" "
                + "height=\"\(f(rowHeight - 6))\" fill=\"\(colour)\"><title>\(HTMLPage.escape(entry.label)): ρ = "
                + "\(CanonicalNumber.fixed(rho, digits: 4))</title></rect>"
                + "<text x=\"\(f(rho >= 0 ? xOf(rho) + 4 : xOf(rho) - 4))\" y=\"\(f(y + rowHeight * 0.65))\" "
                + "font-size=\"10\" text-anchor=\"\(rho >= 0 ? "start" : "end")\">"
                + "\(CanonicalNumber.fixed(rho, digits: 2))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// An HTML legend: a swatch and a name per series.
    public static func legend(_ entries: [(name: String, colour: String)]) -> String {
        "<p class=\"legend\">"
            + entries.map { "<span><i style=\"background:\($0.colour)\"></i>\(HTMLPage.escape($0.name))</span>" }
            .joined(separator: " ") + "</p>\n"
    }

    // MARK: Frame

    static var plotHeight: Double { height - top - bottom }

    /// The centre of the `index`-th of `count` year bands.
    static func x(_ index: Int, count: Int) -> Double {
        left + (width - left - right) * (Double(index) + 0.5) / Double(max(1, count))
    }

    /// The opening tag, grid lines with value labels, the value axis's label and the years under the plot.
    static func frame(title: String, years: [Int], axis: Axis, valueLabel: String) -> String {
        var svg =
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">\n<title>\(HTMLPage.escape(title))</title>\n"
        for tick in axis.ticks {
            let y = axis.y(tick, plotHeight: plotHeight)
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" "
                + "stroke=\"\(tick == 0 ? "#444" : "#e3e3e3")\"/>"
                + "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\">"
                + "\(axis.label(tick))</text>\n"
        }
        svg +=
            "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" "
            + "stroke=\"#444\"/>\n"
        let middle = top + plotHeight / 2
        svg +=
            "<text x=\"14\" y=\"\(f(middle))\" font-size=\"12\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 14 \(f(middle)))\">\(HTMLPage.escape(valueLabel))</text>\n"
        let every = max(1, (years.count + 11) / 12)
        for (index, year) in years.enumerated() where index % every == 0 {
            let x = x(index, count: years.count)
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x))\" "
                + "y2=\"\(f(top + plotHeight + 4))\" stroke=\"#444\"/><text x=\"\(f(x))\" "
                + "y=\"\(f(top + plotHeight + 17))\" font-size=\"11\" "
                + "text-anchor=\"middle\">\(year)</text>\n"
        }
        svg +=
            "<text x=\"\(f(left + (width - left - right) / 2))\" y=\"\(f(height - 4))\" font-size=\"12\" "
            + "text-anchor=\"middle\">year</text>\n"
        return svg
    }

    /// A coordinate: one decimal.
    static func f(_ value: Double) -> String { CanonicalNumber.fixed(value, digits: 1) }

    /// A value in a tooltip: whole numbers as they are, others with two decimals.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? CanonicalNumber.fixed(value, digits: 0) : CanonicalNumber.fixed(value, digits: 2)
    }
}
