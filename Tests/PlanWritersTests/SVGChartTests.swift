import XCTest

@testable import PlanWriters
@testable import PlanningEngine

/// The chart primitives the plan and sweep reports share: nice axes, one data mark per point, stable bytes.
final class SVGChartTests: XCTestCase {
    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testTheValueAxisHasNiceStepsThatHoldZeroAndEveryValue() {
        let small = SVGChart.Axis(values: [0, 7300])
        XCTAssertEqual([small.lower, small.upper, small.step], [0, 8000, 2000])
        XCTAssertEqual(small.ticks.map(small.label), ["0", "2000", "4000", "6000", "8000"])
        let large = SVGChart.Axis(values: [12, 35000])
        XCTAssertEqual([large.lower, large.upper, large.step], [0, 40000, 10000])
        XCTAssertEqual(large.ticks.map(large.label), ["0", "10k", "20k", "30k", "40k"])
        let money = SVGChart.Axis(values: [-1.4e8, 2e7])
        XCTAssertEqual([money.lower, money.upper, money.step], [-1.5e8, 5e7, 5e7])
        XCTAssertEqual(money.ticks.map(money.label), ["-150M", "-100M", "-50M", "0", "50M"])
        let share = SVGChart.Axis(values: [0.3, 0.9])
        XCTAssertEqual(share.ticks.map(share.label), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let flat = SVGChart.Axis(values: [0, 0])
        XCTAssertEqual([flat.lower, flat.upper], [0, 1], "no span: 0 to 1, never a division by zero")
        let exact = SVGChart.Axis(values: [0, 5])
        XCTAssertEqual(exact.upper, 5, "a maximum on a step is the top")
    }

    func testLinesDrawAPathPerSeriesAndADotPerYear() {
        let svg = SVGChart.lines(
            title: "t", years: [2020, 2021, 2022],
            series: [
                .init(name: "a", colour: "#000", values: [1, 2, 3]),
                .init(name: "b", colour: "#111", values: [0, 0, 5]),
            ],
            valueLabel: "units")
        XCTAssertEqual(count("<path class=\"series\"", in: svg), 2)
        XCTAssertEqual(count("<circle ", in: svg), 6)
        XCTAssertTrue(svg.contains("viewBox=\"0 0 640.0 260.0\""))
        XCTAssertTrue(svg.contains(">units</text>"), "the value axis names its unit")
        XCTAssertTrue(svg.contains("<title>b 2022: 5</title>"))
        XCTAssertTrue(svg.contains(">2021</text>"))
        XCTAssertEqual(
            svg,
            SVGChart.lines(
                title: "t", years: [2020, 2021, 2022],
                series: [
                    .init(name: "a", colour: "#000", values: [1, 2, 3]),
                    .init(name: "b", colour: "#111", values: [0, 0, 5]),
                ],
                valueLabel: "units"))
    }

    func testBarsStandOnZeroAndNegativeOnesHangBelowIt() {
        let svg = SVGChart.bars(title: "t", years: [2020, 2021], values: [10, -10], colour: "#555", valueLabel: "CNY")
        XCTAssertEqual(count("<rect ", in: svg), 2)
        let heights = svg.components(separatedBy: "height=\"").dropFirst().compactMap {
            Double($0.prefix { $0 != "\"" })
        }
        XCTAssertEqual(heights.count, 2)
        XCTAssertEqual(heights[0], heights[1], accuracy: 0.1, "10 and -10 are bars of one length")
    }

    func testAFanHasItsBandItsMedianLineAndADotPerYear() {
        let svg = SVGChart.fan(
            title: "t", years: [2020, 2021, 2022], p10: [1, 2, 3], p50: [2, 3, 4], p90: [3, 4, 5], colour: "#00f",
            valueLabel: "units")
        XCTAssertEqual(count("<path class=\"band\"", in: svg), 1)
        XCTAssertEqual(count("<path class=\"series\"", in: svg), 1)
        XCTAssertEqual(count("<circle ", in: svg), 3)
        XCTAssertTrue(svg.contains("<title>2021: P10 2, P50 3, P90 4</title>"))
    }

    func testATornadoDrawsABarPerDefinedRhoAndNamesTheUndefinedOnes() {
        let svg = SVGChart.tornado(title: "t", entries: [("params.a", 0.9), ("params.b", -0.5), ("params.c", nil)])
        XCTAssertEqual(count("<rect ", in: svg), 2)
        XCTAssertTrue(svg.contains(">params.c</text>"))
        XCTAssertTrue(svg.contains("ρ undefined"))
        XCTAssertTrue(svg.contains("<title>params.b: ρ = -0.5000</title>"))
    }

    func testTheSweepReportHasAFanPerMovingTotalAndATornadoPerMovingRanking() {
        let q = { (a: Double, b: Double, c: Double) in Sweep.Quantiles(p10: a, p50: b, p90: c) }
        let zero = q(0, 0, 0)
        let rows = [2020, 2021].flatMap { year in
            [
                Sweep.Row(city: "x", year: year, unit: "fast", quantiles: [q(1, 2, 3), zero, zero, zero]),
                Sweep.Row(city: nil, year: year, unit: "fast", quantiles: [q(1, 2, 3), q(0, 1, 1), zero, q(5, 6, 7)]),
            ]
        }
        let result = Sweep.Result(
            rollout: "r", ruleSet: "s", currency: "CNY", scenario: nil, samples: 10, seed: 1, firstYear: 2020,
            lastYear: 2021, inputs: [], uncertain: [], draws: [], rows: rows, totals: [],
            sensitivity: [
                .init(total: "installed.fast", ranking: [.init(input: "params.a", rho: 0.8)]),
                .init(total: "unmet.fast", ranking: [.init(input: "params.a", rho: nil)]),
                .init(total: "capex_cny", ranking: [.init(input: "params.a", rho: -0.3)]),
            ])
        let html = SweepReportWriter.html(result)
        XCTAssertEqual(count("<path class=\"band\"", in: html), 3, "installed, new and capex move; unmet is all zero")
        XCTAssertTrue(html.contains("<h3>installed fast</h3>"))
        XCTAssertFalse(html.contains("<h3>unmet fast</h3>"))
        XCTAssertTrue(html.contains("<h3>capex_cny of fast</h3>"))
        XCTAssertEqual(count("Spearman’s ρ with the total", in: html), 2, "a tornado per ranking with a defined ρ")
        XCTAssertLessThan(
            html.range(of: "<h3>capex_cny</h3>")?.lowerBound ?? html.endIndex,
            html.range(of: "<h3>installed.fast</h3>")?.lowerBound ?? html.startIndex, "capex's tornado first")
        XCTAssertTrue(html.contains("The same in every sample (no ρ defined): <code>unmet.fast</code>."))
        XCTAssertEqual(SweepWriter.files(result, formats: [.html]).map(\.path), ["sweep.html"])
        XCTAssertEqual(SweepWriter.files(result, formats: [.html]).first?.content, html)
    }
}
