import TestSupport
import Foundation
import XCTest

@testable import PlanWriters
@testable import PlanningEngine

/// The HTML reports, the map and the GeoJSON: stable bytes, one shape per zone of its area, one marker per station.
final class ReportWriterTests: XCTestCase {
    /// Fast chargers sited over two zones, the second one's capped by its grid (unmet demand), and a requirement
    /// that never holds (findings).
    static let rules = """
        units:
          fast: {access: public, power_kw: 100, ports_per_site: 2, capex_cny: 1000, sessions_per_day: 1, combine: max}
        rules:
          - id: evs
            for: zone
            derive: evs
            value: "1000.0 * zone.population_share * double(year - 2019)"
          - id: fast
            for: zone
            add: fast
            count: "zone.evs / 50.0"
          - id: grid
            for: zone
            cap: fast
            max: "zone.grid_headroom_kw / units.fast.power_kw"
          - id: site.fast
            for: city
            site: fast
            radius_km: "3.0"
            weight: "zone.evs"
          - id: req.few
            for: city
            require: "city.units.fast.installed < 5"
            severity: warning
            message: more than four fast chargers

        """

    /// Zone b's grid takes 4 fast chargers (400 kW), fewer than it needs from 2021.
    static func plan() throws -> RolloutPlan {
        let city = TinyProject.city(
            zones: TinyProject.zoneA
                + TinyProject.zoneB.replacingOccurrences(
                    of: "grid_headroom_kw: 3600", with: "grid_headroom_kw: 400"))
        return try TinyProject.plan(rules: rules, city: city)
    }

    func testEveryReportIsTheSameBytesOnEveryRun() throws {
        let formats: [PlanFormat] = [.html, .geojson]
        let first = PlanOutput.files(for: try Self.plan(), formats: formats)
        let second = PlanOutput.files(for: try Self.plan(), formats: formats)
        XCTAssertEqual(first.map(\.path), ["_report.html", "_summary.geojson", "tiny.geojson", "tiny.html"])
        XCTAssertEqual(first.map(\.content), second.map(\.content))
    }

    func testTheMapDrawsEachZoneOnceAsACircleOfItsAreaAndEveryStation() throws {
        let plan = try XCTUnwrap(try Self.plan().cities.first)
        XCTAssertFalse(plan.stations.isEmpty, "the fixture sites stations")
        let map = CityMap(plan)
        XCTAssertEqual(map.zones.map(\.id), ["tiny-b", "tiny-a"], "largest first")
        for zone in map.zones {
            XCTAssertEqual(Double.pi * zone.radiusKM * zone.radiusKM, zone.areaKM2, accuracy: 1e-9)
        }
        let svg = map.svg(title: "t")
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"zone\"").count - 1, plan.zones.count)
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"station\"").count - 1, plan.stations.count)
        // Drawn radius = radius in km × the map's scale: the two circles keep their areas' ratio (60 : 40).
        let radii = svg.components(separatedBy: "<circle class=\"zone\"").dropFirst().compactMap { tag in
            tag.components(separatedBy: " r=\"").dropFirst().first?.split(separator: "\"").first.flatMap { Double($0) }
        }
        XCTAssertEqual(radii.count, 2)
        XCTAssertEqual(radii[0] * radii[0] / (radii[1] * radii[1]), 1.5, accuracy: 0.001)
        XCTAssertTrue(svg.contains(" km</text>"), "a scale bar in km")
    }

    func testAStationsTooltipShowsItsPortsAndWhenTheyChange() throws {
        var plan = try XCTUnwrap(try Self.plan().cities.first)
        var station = try XCTUnwrap(plan.stations.first)
        station.portsByYear = [PortsChange(year: 2020, ports: 1), PortsChange(year: 2022, ports: 4)]
        station.ports = 4
        plan.stations = [station]
        let svg = CityMap(plan).svg(title: "t")
        XCTAssertTrue(svg.contains("opens \(station.openingYear), 1 port; 4 from 2022</title>"), svg)
    }

    func testTheCityOutlineIsDrawnBeneathTheZonesAndWidensTheFrame() throws {
        var plan = try XCTUnwrap(try Self.plan().cities.first)
        let bare = CityMap(plan).svg(title: "t")
        XCTAssertFalse(bare.contains("city-outline"), "no outline, no path")
        let (lat, lon) = (plan.zones[0].latitude, plan.zones[0].longitude)
        let square = { (half: Double) in
            [(-half, -half), (-half, half), (half, half), (half, -half), (-half, -half)].map {
                GeoPoint(latitude: lat + $0.0, longitude: lon + $0.1)
            }
        }
        plan.outline = [square(0.5), square(0.01)]
        let map = CityMap(plan)
        XCTAssertEqual(map.cityOutline.count, 2)
        XCTAssertEqual(map.cityOutline[0].count, 10, "(x, y) per vertex")
        let svg = map.svg(title: "t")
        let path = try XCTUnwrap(svg.components(separatedBy: "<path class=\"city-outline\"").dropFirst().first)
        XCTAssertEqual(path.prefix { $0 != ">" }.filter { $0 == "M" }.count, 2, "one path, a move per ring")
        XCTAssertLessThan(
            try XCTUnwrap(svg.range(of: "city-outline")).lowerBound,
            try XCTUnwrap(svg.range(of: "class=\"zone\"")).lowerBound, "drawn first, under the zones")
        XCTAssertTrue(svg.contains("dashed: the city's outline"))
        // The 111 km square is far larger than the zones: it sets the frame, so the zones' circles shrink.
        func firstRadius(_ svg: String) throws -> Double {
            let tag = try XCTUnwrap(svg.components(separatedBy: "<circle class=\"zone\"").dropFirst().first)
            return try XCTUnwrap(
                tag.components(separatedBy: " r=\"").dropFirst().first?.split(separator: "\"").first
                    .flatMap { Double($0) })
        }
        XCTAssertLessThan(try firstRadius(svg), try firstRadius(bare) / 2)
    }

    func testThinningKeepsTheClosingVertexAndAtMostTheLimit() {
        let ring = (0...1000).map { GeoPoint(latitude: Double($0), longitude: 0) }
        let thinned = CityMap.thinned(ring, maxVertices: 160)
        XCTAssertLessThanOrEqual(thinned.count, 160)
        XCTAssertGreaterThan(thinned.count, 140)
        XCTAssertEqual(thinned.first, ring.first)
        XCTAssertEqual(thinned.last, ring.last)
        XCTAssertEqual(CityMap.thinned(Array(ring.prefix(160)), maxVertices: 160).count, 160, "at the limit: untouched")
        XCTAssertEqual(CityMap.thinned(Array(ring.prefix(161)), maxVertices: 160).count, 81)
    }

    func testAZoneIsShadedByTheShareOfItsLastYearsDemandLeftUnmet() throws {
        let plan = try XCTUnwrap(try Self.plan().cities.first)
        let map = CityMap(plan)
        let last = plan.zoneYears.filter { $0.year == plan.lastYear }
        for zone in map.zones {
            let row = try XCTUnwrap(last.first { $0.zone == zone.id })
            XCTAssertEqual(zone.unmetUnits, row.units.reduce(0) { $0 + $1.unmet })
            XCTAssertEqual(zone.demandUnits, row.units.reduce(0) { $0 + $1.demand })
        }
        let b = try XCTUnwrap(map.zones.first { $0.id == "tiny-b" })
        let a = try XCTUnwrap(map.zones.first { $0.id == "tiny-a" })
        XCTAssertGreaterThan(b.unmetUnits, 0, "zone b's grid caps it")
        XCTAssertEqual(a.unmetUnits, 0)
        XCTAssertEqual(CityMap.unmetColour(a.unmetShare), CityMap.unmetClasses[0].colour)
        XCTAssertNotEqual(CityMap.unmetColour(b.unmetShare), CityMap.unmetClasses[0].colour)
        XCTAssertEqual(CityMap.unmetColour(0.05), CityMap.unmetClasses[1].colour, "class bounds are inclusive")
        XCTAssertEqual(CityMap.unmetColour(0.0501), CityMap.unmetClasses[2].colour)
        XCTAssertEqual(CityMap.unmetColour(1), CityMap.unmetClasses[4].colour)
    }

    func testStationColoursRunFromTheFirstOpeningYearToTheLast() {
        XCTAssertEqual(CityMap.yearColour(2020, first: 2020, last: 2030), "#440154")
        XCTAssertEqual(CityMap.yearColour(2030, first: 2020, last: 2030), "#fde725")
        XCTAssertEqual(CityMap.yearColour(2025, first: 2020, last: 2030), "#21918c")
        XCTAssertEqual(CityMap.yearColour(2020, first: 2020, last: 2020), "#440154", "one year: the first colour")
    }

    func testGeoJSONZonesArePolygonsOfTheirAreaWithClosedRingsAndTheLastYearsNumbers() throws {
        let plan = try XCTUnwrap(try Self.plan().cities.first)
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(GeoJSONWriter.city(plan).utf8)) as? [String: Any])
        let features = try XCTUnwrap(object["features"] as? [[String: Any]])
        let zones = features.filter { ($0["properties"] as? [String: Any])?["feature"] as? String == "zone" }
        let stations = features.filter { ($0["properties"] as? [String: Any])?["feature"] as? String == "station" }
        XCTAssertEqual(zones.count, plan.zones.count)
        XCTAssertEqual(stations.count, plan.stations.count)
        for (feature, zone) in zip(zones, plan.zones) {
            let geometry = try XCTUnwrap(feature["geometry"] as? [String: Any])
            let properties = try XCTUnwrap(feature["properties"] as? [String: Any])
            XCTAssertEqual(geometry["type"] as? String, "Polygon")
            let rings = try XCTUnwrap(geometry["coordinates"] as? [[[Double]]])
            let ring = try XCTUnwrap(rings.first)
            XCTAssertEqual(ring.count, ZoneShape.polygonVertices + 1)
            XCTAssertEqual(ring.first, ring.last, "a closed ring")
            // Shoelace area in km² in the zone's own projection; positive = counter-clockwise.
            let projection = LocalProjection(latitude: zone.latitude, longitude: zone.longitude)
            let points = ring.map { projection.project(latitude: $0[1], longitude: $0[0]) }
            let area =
                zip(points, points.dropFirst()).reduce(0.0) {
                    $0 + ($1.0.xKM * $1.1.yKM - $1.1.xKM * $1.0.yKM)
                } / 2
            XCTAssertEqual(area, zone.areaKM2, accuracy: zone.areaKM2 * 0.001, "rounded to 5 decimals (~1 m)")
            XCTAssertEqual(properties["id"] as? String, zone.id)
            XCTAssertEqual(properties["kind"] as? String, zone.kind)
            XCTAssertEqual(properties["year"] as? Int, plan.lastYear)
            let row = plan.zoneYears.first { $0.zone == zone.id && $0.year == plan.lastYear }
            let last = try XCTUnwrap(row?.units.first)
            XCTAssertEqual(properties["fast_installed_units"] as? Int, last.installed)
            XCTAssertEqual(properties["fast_new_units"] as? Int, last.new)
            XCTAssertEqual(properties["fast_unmet_units"] as? Int, last.unmet)
        }
        for (feature, station) in zip(stations, plan.stations) {
            let geometry = try XCTUnwrap(feature["geometry"] as? [String: Any])
            XCTAssertEqual(geometry["type"] as? String, "Point")
            XCTAssertEqual((feature["properties"] as? [String: Any])?["opening_year"] as? Int, station.openingYear)
        }
        XCTAssertNil(GeoJSONWriter.city(plan).range(of: "[0-9][eE][-+]?[0-9]", options: .regularExpression))
    }

    func testTheRolloutGeoJSONHoldsEveryCitysFeaturesAndShardsMergeToTheSameBytes() throws {
        let rollout = try Self.plan()
        let city = try XCTUnwrap(rollout.cities.first)
        let cityFeatures = GeoJSONWriter.city(city).split(separator: "\n").filter { $0.contains("\"Feature\"") }
        let rolloutFeatures = GeoJSONWriter.rollout(rollout).split(separator: "\n").filter {
            $0.contains("\"Feature\"")
        }
        XCTAssertEqual(cityFeatures.count, city.zones.count + city.stations.count)
        XCTAssertEqual(
            rolloutFeatures.map { $0.hasSuffix(",") ? $0.dropLast() : $0 },
            cityFeatures.map { $0.hasSuffix(",") ? $0.dropLast() : $0 })
        // A shard keeps the zones' last year; the merged rollout files equal one run's.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chargeplan-shard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shard = try XCTUnwrap(Sharding.Shard(parsing: "1/1"))
        let files = try Sharding.shardFiles(for: rollout, shard: shard, formats: [.html, .geojson])
        _ = try PlanSetWriter.write([.init(rollout: rollout.rollout, files: files)], into: dir.path)
        let merged = try Sharding.merge(folders: [dir.path])
        let single = PlanOutput.files(for: rollout, formats: [.html, .geojson])
        XCTAssertEqual(merged.first?.files.map(\.path), single.map(\.path))
        XCTAssertEqual(merged.first?.files.map(\.content), single.map(\.content))
    }

    func testTheCityPageHasItsMapChartsFindingsAndALinkBackAndTheRolloutLinksIt() throws {
        let rollout = try Self.plan()
        let plan = try XCTUnwrap(rollout.cities.first)
        let page = CityReportWriter.html(plan)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("<a href=\"_report.html\">"))
        XCTAssertEqual(page.components(separatedBy: "<svg class=\"map\"").count - 1, 1)
        for title in [
            "Installed units by access", "Installed units by unit type", "Unmet demand by unit type",
            "Coverage by fast stations", "Capex per year",
        ] {
            XCTAssertTrue(page.contains("aria-label=\"\(title), Tiny\""), title)
        }
        XCTAssertFalse(plan.findings.isEmpty)
        XCTAssertTrue(page.contains("<code>req.few</code>"))
        XCTAssertTrue(page.contains(">more than four fast chargers<"))
        XCTAssertFalse(page.contains("<script"), "no scripts")
        XCTAssertFalse(page.contains("src=") || page.contains("<link"), "no external assets")
        let report = ReportWriter.html(rollout)
        XCTAssertTrue(report.contains("<a href=\"tiny.html\">Tiny</a>"))
        XCTAssertTrue(report.contains("aria-label=\"Unmet demand by unit type, R\""))
    }

    func testTheRolloutReportShowsNPVCoverageAndFindingsByRuleFromWhatASummaryKeeps() throws {
        let rules =
            Self.rules + """
                  - id: npv
                    for: city
                    derive: npv_cny
                    value: "1000.0 * double(year - 2021)"

                """
        let rollout = try Self.plan(rules: rules)
        let report = ReportWriter.html(rollout)
        XCTAssertTrue(report.contains("NPV to date in 2022: 1,000 CNY"), "the sum of the cities' last NPV")
        XCTAssertTrue(report.contains("aria-label=\"NPV to date, R\""))
        XCTAssertTrue(report.contains("<th>fast stations</th>"))
        let plan = try XCTUnwrap(rollout.cities.first)
        let last = plan.zoneYears.filter { $0.year == 2022 }
        let shares = plan.zones.map { zone in
            (last.first { $0.zone == zone.id }?.coverage.first { $0.unit == "fast" }?.share ?? 0, zone.population)
        }
        let weighted = shares.reduce(0) { $0 + $1.0 * $1.1 } / shares.reduce(0) { $0 + $1.1 }
        XCTAssertTrue(report.contains("<td>\(String(format: "%.1f", weighted * 100)) %</td>"), "population-weighted")
        let findings = plan.findings.filter { $0.rule == "req.few" }.count
        XCTAssertGreaterThan(findings, 1)
        XCTAssertTrue(
            report.contains("<code>req.few</code></td><td>\(findings)</td><td>1</td>"), "counted once per rule")
        XCTAssertTrue(report.contains("<td>1,000</td><td>none</td>"), "NPV 2022 and no payback_year fact")
        var slim = rollout
        slim.cities = rollout.cities.map(\.summaryOnly)
        XCTAssertEqual(ReportWriter.html(slim), report, "a streamed run and merged shards keep what the report reads")
        let withoutMoney = ReportWriter.html(try Self.plan(rules: Self.rules))
        XCTAssertFalse(withoutMoney.contains("NPV, all cities"))
        XCTAssertTrue(withoutMoney.contains("<td>–</td><td>none</td>"))
    }

    static func plan(rules: String) throws -> RolloutPlan {
        let city = TinyProject.city(
            zones: TinyProject.zoneA
                + TinyProject.zoneB.replacingOccurrences(
                    of: "grid_headroom_kw: 3600", with: "grid_headroom_kw: 400"))
        return try TinyProject.plan(rules: rules, city: city)
    }

    func testAPlanWithNoUnmetDemandSaysSoInsteadOfAnEmptyChart() throws {
        let rollout = try TinyProject.plan(rules: Self.rules)
        let page = CityReportWriter.html(try XCTUnwrap(rollout.cities.first))
        XCTAssertTrue(page.contains("<p>No unmet demand in any year.</p>"))
        XCTAssertFalse(page.contains("Unmet demand by unit type"))
    }

    /// Zone a with a boundary written clockwise and closed, zone b a corridor with a line.
    static func drawnPlan() throws -> CityPlan {
        let zoneA = TinyProject.zoneA.replacingOccurrences(
            of: "grid_headroom_kw: 3600}",
            with: "grid_headroom_kw: 3600, boundary: [[30.0, 120.0], [30.05, 120.0], [30.05, 120.05], [30.0, 120.05], "
                + "[30.0, 120.0]]}")
        let zoneB = TinyProject.zoneB.replacingOccurrences(
            of: "grid_headroom_kw: 3600}", with: "grid_headroom_kw: 3600, line: [[30.1, 120.1], [30.2, 120.3]]}")
        let rollout = try TinyProject.plan(rules: rules, city: TinyProject.city(zones: zoneA + zoneB))
        return try XCTUnwrap(rollout.cities.first)
    }

    /// The GeoJSON feature of zone `id` in the plan's city file.
    static func zoneFeature(_ id: String, of plan: CityPlan) throws -> [String: Any] {
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(GeoJSONWriter.city(plan).utf8)) as? [String: Any])
        let features = try XCTUnwrap(object["features"] as? [[String: Any]])
        return try XCTUnwrap(features.first { ($0["properties"] as? [String: Any])?["id"] as? String == id })
    }

    func testABoundaryIsDrawnAsItsRingCounterClockwiseAndACorridorAsItsLine() throws {
        let plan = try Self.drawnPlan()
        XCTAssertEqual(plan.zones[0].boundary?.count, 4, "the closing point is dropped")
        XCTAssertEqual(ZoneShape.name(plan.zones[0]), "boundary")
        XCTAssertEqual(ZoneShape.name(plan.zones[1]), "line")
        let a = try Self.zoneFeature("tiny-a", of: plan)
        let aGeometry = try XCTUnwrap(a["geometry"] as? [String: Any])
        XCTAssertEqual(aGeometry["type"] as? String, "Polygon")
        let ring = try XCTUnwrap((aGeometry["coordinates"] as? [[[Double]]])?.first)
        XCTAssertEqual(
            ring, [[120.05, 30.0], [120.05, 30.05], [120.0, 30.05], [120.0, 30.0], [120.05, 30.0]],
            "reversed to counter-clockwise, closed")
        XCTAssertEqual((a["properties"] as? [String: Any])?["shape"] as? String, "boundary")
        let b = try Self.zoneFeature("tiny-b", of: plan)
        let bGeometry = try XCTUnwrap(b["geometry"] as? [String: Any])
        XCTAssertEqual(bGeometry["type"] as? String, "LineString")
        XCTAssertEqual(bGeometry["coordinates"] as? [[Double]], [[120.1, 30.1], [120.3, 30.2]])
        let svg = CityMap(plan).svg(title: "t")
        XCTAssertEqual(svg.components(separatedBy: "<path class=\"zone\"").count - 1, 2)
        XCTAssertFalse(svg.contains("<circle class=\"zone\""))
        XCTAssertTrue(CityReportWriter.html(plan).contains("Zones are drawn with the profile's boundaries and lines."))
    }

    /// A zone whose outline file has several parts (a census area's districts) is drawn with every part: one
    /// MultiPolygon in GeoJSON, one path of closed subpaths on the map.
    func testAZoneOfSeveralPartsIsDrawnWithEachOfThem() throws {
        var plan = try Self.drawnPlan()
        let west = [(30.0, 120.0), (30.0, 120.04), (30.04, 120.04), (30.04, 120.0)]
        let east = [(30.0, 120.1), (30.04, 120.1), (30.04, 120.14), (30.0, 120.14)]  // clockwise: reversed
        plan.zones[0].boundary = nil
        plan.zones[0].parts = [west, east].map { ring in ring.map { GeoPoint(latitude: $0.0, longitude: $0.1) } }
        XCTAssertEqual(ZoneShape.name(plan.zones[0]), "boundary")
        let geometry = try XCTUnwrap(try Self.zoneFeature("tiny-a", of: plan)["geometry"] as? [String: Any])
        XCTAssertEqual(geometry["type"] as? String, "MultiPolygon")
        let parts = try XCTUnwrap(geometry["coordinates"] as? [[[[Double]]]])
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[0].first?.count, 5, "each part closed")
        XCTAssertEqual(
            parts[1].first, [[120.14, 30.0], [120.14, 30.04], [120.1, 30.04], [120.1, 30.0], [120.14, 30.0]],
            "each part counter-clockwise (the clockwise one reversed)")
        let svg = CityMap(plan).svg(title: "t")
        let path = try XCTUnwrap(
            svg.components(separatedBy: "<path class=\"zone\" data-zone=\"tiny-a\" d=\"").dropFirst().first)
        let d = String(path.prefix { $0 != "\"" })
        XCTAssertEqual(d.components(separatedBy: " Z").count - 1, 2, d)
        XCTAssertEqual(d.components(separatedBy: "M").count - 1, 2, d)
    }

    func testABoundaryOfTwoPointsIsAnErrorAtItsPlace() throws {
        let zone = TinyProject.zoneA.replacingOccurrences(
            of: "grid_headroom_kw: 3600}", with: "grid_headroom_kw: 3600, boundary: [[30.0, 120.0], [30.1, 120.0]]}")
        XCTAssertThrowsError(try TinyProject.plan(rules: Self.rules, city: TinyProject.city(zones: zone))) { error in
            let diagnostic = (error as? DiagnosticsError)?.diagnostics.first
            XCTAssertEqual(
                diagnostic?.message, "expected the boundary as a list of 3 to 10000 [lat, lon] points")
            XCTAssertEqual(diagnostic?.position?.file, "Cities/tiny.yaml")
        }
    }

    func testHTMLTextIsEscapedAndNumbersGrouped() {
        XCTAssertEqual(HTMLPage.escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;")
        XCTAssertEqual(HTMLPage.grouped(1_304_575_000), "1,304,575,000")
        XCTAssertEqual(HTMLPage.grouped(999), "999")
        XCTAssertEqual(HTMLPage.grouped(-1000), "-1,000")
        XCTAssertEqual(HTMLPage.grouped(-0.2), "0")
    }
}
