import Foundation
import PlanningEngine

/// The city page's map, drawn offline as SVG (no tiles, no script): each zone its boundary, a corridor its line, or
/// else a circle of its area at its centre, shaded by the share of its demand left unmet in the plan's last year;
/// each sited station a dot coloured by its opening year; a scale bar in km. Coordinates come from an
/// equirectangular projection around the middle of the zones' centres and stations (`LocalProjection`), so
/// distances on the map are true to a fraction of a percent.
public struct CityMap: Sendable {
    public struct ZoneMark: Sendable, Equatable {
        public var id: String
        public var kind: String
        public var xKM: Double
        public var yKM: Double
        /// The circle's radius: the zone is drawn as that circle when `outline` is empty.
        public var radiusKM: Double
        /// The boundary's rings (closed, one per part) or the corridor's line, projected: (x, y) km pairs flattened,
        /// x first; empty for a circle.
        public var outline: [[Double]]
        public var isLine: Bool
        public var areaKM2: Double
        /// Units demanded and left unmet in the last year, over every unit type.
        public var demandUnits: Int
        public var unmetUnits: Int

        public var unmetShare: Double { demandUnits > 0 ? Double(unmetUnits) / Double(demandUnits) : 0 }
    }

    public struct StationMark: Sendable, Equatable {
        public var id: String
        public var unit: String
        public var xKM: Double
        public var yKM: Double
        public var openingYear: Int
        /// Its ports from each year they change, as the plan lists them.
        public var portsByYear: [PortsChange] = []

        /// `7 ports; 14 from 2023`: the tooltip's ports.
        var portsText: String {
            guard let first = portsByYear.first else { return "no ports" }
            let later = portsByYear.dropFirst().map { "; \($0.ports) from \($0.year)" }.joined()
            return "\(first.ports) port\(first.ports == 1 ? "" : "s")" + later
        }
    }

    /// The unmet-share classes of the shading: upper bounds (inclusive) and colours, lightest (none) first.
    public static let unmetClasses: [(upper: Double, label: String, colour: String)] = [
        (0, "none", "#e8eef3"), (0.05, "≤ 5 %", "#fddbc7"), (0.2, "5–20 %", "#f4a582"),
        (0.5, "20–50 %", "#d6604d"), (1, "> 50 %", "#b2182b"),
    ]

    public var projection: LocalProjection
    /// Largest first (so a small zone is drawn over a large one), then by id.
    public var zones: [ZoneMark]
    public var stations: [StationMark]
    /// The city's outline, each outer ring projected as (x, y) km pairs flattened, drawn beneath the zones.
    public var cityOutline: [[Double]]
    public var year: Int
    /// Each zone's id at its centre: off on a rollout's map, where dozens of cities' zones would overprint.
    public var labelsZones = true

    public init(_ plan: CityPlan) {
        let latitudes = plan.zones.map(\.latitude) + plan.stations.map(\.latitude)
        let longitudes = plan.zones.map(\.longitude) + plan.stations.map(\.longitude)
        let middle = { (values: [Double]) in ((values.min() ?? 0) + (values.max() ?? 0)) / 2 }
        let projection = LocalProjection(latitude: middle(latitudes), longitude: middle(longitudes))
        self.projection = projection
        year = plan.lastYear
        let lastRows = plan.zoneYears.filter { $0.year == plan.lastYear }
        zones = plan.zones.map { zone in
            let point = projection.project(latitude: zone.latitude, longitude: zone.longitude)
            let units = lastRows.first { $0.zone == zone.id }?.units ?? []
            var outline: [[Double]] = []
            var isLine = false
            if ZoneShape.name(zone) != ZoneShape.circleName {
                let rings: [[GeoPoint]]
                switch ZoneShape.geometry(zone) {
                case .polygons(let parts): rings = parts
                case .line(let line):
                    rings = [line]
                    isLine = true
                }
                outline = rings.map { ring in
                    ring.flatMap { vertex -> [Double] in
                        let projected = projection.project(latitude: vertex.latitude, longitude: vertex.longitude)
                        return [projected.xKM, projected.yKM]
                    }
                }
            }
            return ZoneMark(
                id: zone.id, kind: zone.kind, xKM: point.xKM, yKM: point.yKM,
                radiusKM: ZoneShape.circleRadiusKM(areaKM2: zone.areaKM2), outline: outline, isLine: isLine,
                areaKM2: zone.areaKM2,
                demandUnits: units.reduce(0) { $0 &+ $1.demand }, unmetUnits: units.reduce(0) { $0 &+ $1.unmet })
        }.sorted { ($0.radiusKM, $1.id) > ($1.radiusKM, $0.id) }
        stations = plan.stations.map { station in
            let point = projection.project(latitude: station.latitude, longitude: station.longitude)
            return StationMark(
                id: station.id, unit: station.unit, xKM: point.xKM, yKM: point.yKM, openingYear: station.openingYear,
                portsByYear: station.portsByYear)
        }
        cityOutline = plan.outline.map { ring in
            ring.flatMap { vertex -> [Double] in
                let projected = projection.project(latitude: vertex.latitude, longitude: vertex.longitude)
                return [projected.xKM, projected.yKM]
            }
        }
    }

    /// `ring` with at most `maxVertices` vertices, every k-th kept and the closing vertex always: a rollout's map
    /// draws dozens of outlines, where the full detail would only add bytes.
    public static func thinned(_ ring: [GeoPoint], maxVertices: Int) -> [GeoPoint] {
        guard maxVertices >= 4, ring.count > maxVertices else { return ring }
        let step = (ring.count + maxVertices - 2) / (maxVertices - 1)
        var kept = stride(from: 0, to: ring.count - 1, by: step).map { ring[$0] }
        kept.append(ring[ring.count - 1])
        return kept
    }

    /// The class colour of an unmet share.
    public static func unmetColour(_ share: Double) -> String {
        (unmetClasses.first { share <= $0.upper } ?? unmetClasses[unmetClasses.count - 1]).colour
    }

    /// A colour per opening year, dark blue (first) to yellow (last) along viridis.
    public static func yearColour(_ year: Int, first: Int, last: Int) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let share = last > first ? Double(year - first) / Double(last - first) : 0
        let position = min(1, max(0, share)) * Double(stops.count - 1)
        let low = min(stops.count - 2, Int(position.rounded(.down)))
        let t = position - Double(low)
        let (a, b) = (stops[low], stops[low + 1])
        func hex(_ x: Double, _ y: Double) -> String {
            let value = Int((x + (y - x) * t).rounded())
            let digits = Array("0123456789abcdef")
            return String(digits[(value / 16) % 16]) + String(digits[value % 16])
        }
        return "#" + hex(a.0, b.0) + hex(a.1, b.1) + hex(a.2, b.2)
    }

    /// A round length for the scale bar, near a fifth of the map's width.
    static func scaleBarKM(widthKM: Double) -> Double {
        let target = max(0.001, widthKM / 5)
        let magnitude = pow(10, log10(target).rounded(.down))
        return ([5.0, 2.0, 1.0].first { $0 * magnitude <= target } ?? 1) * magnitude
    }

    // MARK: Drawing

    /// Where the map's kilometres land on its 800-pixel-wide canvas: the zones' and stations' extent, fitted inside
    /// the margin and centred, the map's height following its aspect within 320…760 px.
    struct Frame {
        let width = 800.0
        let margin = 24.0
        let minX: Double
        let maxY: Double
        let mapHeight: Double
        /// Pixels per kilometre.
        let scale: Double
        let offsetX: Double
        let offsetY: Double

        init(zones: [ZoneMark], stations: [StationMark], outline: [[Double]]) {
            var minX = Double.infinity
            var maxX = -Double.infinity
            var minY = Double.infinity
            var maxY = -Double.infinity
            func include(_ x: Double, _ y: Double) {
                (minX, maxX, minY, maxY) = (min(minX, x), max(maxX, x), min(minY, y), max(maxY, y))
            }
            /// (x, y) pairs flattened, x first.
            func include(_ flat: [Double]) {
                for index in stride(from: 0, to: flat.count - 1, by: 2) { include(flat[index], flat[index + 1]) }
            }
            outline.forEach(include)
            for zone in zones {
                if zone.outline.isEmpty {
                    include(zone.xKM - zone.radiusKM, zone.yKM - zone.radiusKM)
                    include(zone.xKM + zone.radiusKM, zone.yKM + zone.radiusKM)
                }
                zone.outline.forEach(include)
            }
            for station in stations { include(station.xKM, station.yKM) }
            if !minX.isFinite { (minX, maxX, minY, maxY) = (-1, 1, -1, 1) }
            let spanX = max(0.5, maxX - minX)
            let spanY = max(0.5, maxY - minY)
            let (width, margin) = (800.0, 24.0)
            mapHeight = min(760, max(320, (width - 2 * margin) * spanY / spanX + 2 * margin))
            scale = min((width - 2 * margin) / spanX, (mapHeight - 2 * margin) / spanY)
            offsetX = margin + ((width - 2 * margin) - spanX * scale) / 2
            offsetY = margin + ((mapHeight - 2 * margin) - spanY * scale) / 2
            self.minX = minX
            self.maxY = maxY
        }

        func px(_ xKM: Double) -> Double { offsetX + (xKM - minX) * scale }
        func py(_ yKM: Double) -> Double { offsetY + (maxY - yKM) * scale }

        /// SVG path commands through a projected ring or line ((x, y) km pairs flattened), not closed.
        func path(_ flat: [Double]) -> String {
            stride(from: 0, to: flat.count - 1, by: 2).map { index in
                (index == 0 ? "M" : "L") + SVGChart.f(px(flat[index])) + "," + SVGChart.f(py(flat[index + 1]))
            }.joined(separator: " ")
        }
    }

    /// The map as one `<svg class="map">`, with its legends (unmet shading, opening years, scale bar) inside it.
    public func svg(title: String) -> String {
        let frame = Frame(zones: zones, stations: stations, outline: cityOutline)
        let years = Array(Set(stations.map(\.openingYear))).sorted()
        let yearRows = (years.count + 9) / 10
        let legendHeight = 58.0 + 20 * Double(yearRows)
        let f = SVGChart.f
        let escape = HTMLPage.escape
        return "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(frame.width)) "
            + "\(f(frame.mapHeight + legendHeight))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
            + "<title>\(escape(title))</title>\n"
            + outlinePath(frame) + zoneShapes(frame) + stationDots(frame, years: years) + zoneLabels(frame)
            + scaleBarAndNorth(frame)
            + legends(frame, years: years) + "</svg>\n"
    }

    /// The city's outline as one path of all its rings (even-odd, so an enclave stays a hole), beneath the zones.
    private func outlinePath(_ frame: Frame) -> String {
        let rings = cityOutline.filter { $0.count >= 6 }
        guard !rings.isEmpty else { return "" }
        let d = rings.map { frame.path($0) + " Z" }.joined(separator: " ")
        return "<path class=\"city-outline\" d=\"\(d)\" fill=\"#f7f7f2\" fill-rule=\"evenodd\" stroke=\"#888\" "
            + "stroke-width=\"1.2\" stroke-dasharray=\"4 3\"><title>city outline</title></path>\n"
    }

    /// Each zone a circle, its boundary or its corridor, shaded by its unmet share, with a tooltip.
    private func zoneShapes(_ frame: Frame) -> String {
        let f = SVGChart.f
        let escape = HTMLPage.escape
        var svg = ""
        for zone in zones {
            let share = CanonicalNumber.fixed(zone.unmetShare * 100, digits: 1)
            let colour = Self.unmetColour(zone.unmetShare)
            let tooltip =
                "<title>\(escape(zone.id)) (\(escape(zone.kind))): "
                + "\(CanonicalNumber.fixed(zone.areaKM2, digits: 1)) km², \(year) unmet \(zone.unmetUnits) of "
                + "\(zone.demandUnits) units demanded (\(share) %)</title>"
            let data = "class=\"zone\" data-zone=\"\(escape(zone.id))\""
            if zone.outline.isEmpty {
                svg +=
                    "<circle \(data) cx=\"\(f(frame.px(zone.xKM)))\" cy=\"\(f(frame.py(zone.yKM)))\" "
                    + "r=\"\(CanonicalNumber.fixed(zone.radiusKM * frame.scale, digits: 2))\" fill=\"\(colour)\" "
                    + "fill-opacity=\"0.8\" stroke=\"#555\" stroke-width=\"1\">\(tooltip)</circle>\n"
                continue
            }
            let paths = zone.outline.map(frame.path)
            let d = paths.joined(separator: " ")
            if zone.isLine {
                // A corridor: its course, a dark casing under a line in the zone's shade.
                svg +=
                    "<path d=\"\(d)\" fill=\"none\" stroke=\"#555\" stroke-width=\"8\" stroke-linecap=\"round\"/>"
                    + "<path \(data) d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"6\" "
                    + "stroke-linecap=\"round\">\(tooltip)</path>\n"
            } else {
                svg +=
                    "<path \(data) d=\"\(paths.map { $0 + " Z" }.joined(separator: " "))\" fill=\"\(colour)\" "
                    + "fill-opacity=\"0.8\" stroke=\"#555\" stroke-width=\"1\">\(tooltip)</path>\n"
            }
        }
        return svg
    }

    /// Each station a dot coloured by its opening year among `years`.
    private func stationDots(_ frame: Frame, years: [Int]) -> String {
        let f = SVGChart.f
        let escape = HTMLPage.escape
        var svg = ""
        for station in stations {
            let colour = Self.yearColour(station.openingYear, first: years.first ?? 0, last: years.last ?? 0)
            svg +=
                "<circle class=\"station\" cx=\"\(f(frame.px(station.xKM)))\" cy=\"\(f(frame.py(station.yKM)))\" "
                + "r=\"3\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"0.6\"><title>\(escape(station.id)) "
                + "(\(escape(station.unit))), opens \(station.openingYear), \(station.portsText)</title></circle>\n"
        }
        return svg
    }

    /// The zones' ids when `labelsZones`: a corridor on its line (at its middle vertex), any other zone at its centre.
    private func zoneLabels(_ frame: Frame) -> String {
        let f = SVGChart.f
        var svg = ""
        for zone in zones where labelsZones {
            var (labelX, labelY) = (zone.xKM, zone.yKM)
            if zone.isLine, let line = zone.outline.first, line.count >= 4 {
                let middle = (line.count / 2) / 2 * 2
                (labelX, labelY) = (line[middle], line[middle + 1])
            }
            svg +=
                "<text x=\"\(f(frame.px(labelX)))\" y=\"\(f(frame.py(labelY) + 4))\" font-size=\"12\" "
                + "text-anchor=\"middle\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">"
                + "\(HTMLPage.escape(zone.id))</text>\n"
        }
        return svg
    }

    /// Scale bar and north, bottom left and top right of the map.
    private func scaleBarAndNorth(_ frame: Frame) -> String {
        let f = SVGChart.f
        let (width, margin, scale) = (frame.width, frame.margin, frame.scale)
        let barKM = Self.scaleBarKM(widthKM: (width - 2 * margin) / scale)
        let barY = frame.mapHeight - 10
        let barLabel = CanonicalNumber.trimmed(barKM, digits: 3) + " km"
        return "<line x1=\"\(f(margin))\" y1=\"\(f(barY))\" x2=\"\(f(margin + barKM * scale))\" y2=\"\(f(barY))\" "
            + "stroke=\"#222\" stroke-width=\"3\"/><text x=\"\(f(margin + barKM * scale + 6))\" y=\"\(f(barY + 4))\" "
            + "font-size=\"12\">\(barLabel)</text>\n"
            + "<text x=\"\(f(width - margin))\" y=\"\(f(margin))\" font-size=\"13\" text-anchor=\"end\">N ↑</text>\n"
    }

    /// Legends under the map: the unmet shading, then the stations' opening years.
    private func legends(_ frame: Frame, years: [Int]) -> String {
        let f = SVGChart.f
        let (width, margin, mapHeight) = (frame.width, frame.margin, frame.mapHeight)
        var y = mapHeight + 18
        var svg = "<line x1=\"0\" y1=\"\(f(mapHeight))\" x2=\"\(f(width))\" y2=\"\(f(mapHeight))\" stroke=\"#ddd\"/>\n"
        svg +=
            "<text x=\"\(f(margin))\" y=\"\(f(y))\" font-size=\"12\">Zone fill: share of the \(year) demand left "
            + "unmet (all unit types)\(cityOutline.isEmpty ? "" : "; dashed: the city's outline")</text>\n"
        y += 10
        for (index, entry) in Self.unmetClasses.enumerated() {
            let x = margin + Double(index) * 110
            svg +=
                "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"14\" height=\"14\" fill=\"\(entry.colour)\" "
                + "stroke=\"#555\"/><text x=\"\(f(x + 20))\" y=\"\(f(y + 11))\" font-size=\"12\">"
                + "\(entry.label)</text>\n"
        }
        y += 34
        if years.isEmpty {
            svg += "<text x=\"\(f(margin))\" y=\"\(f(y))\" font-size=\"12\">No sited stations.</text>\n"
        } else {
            svg += "<text x=\"\(f(margin))\" y=\"\(f(y))\" font-size=\"12\">Stations by opening year:</text>\n"
            for (index, opening) in years.enumerated() {
                let x = margin + 175 + Double(index % 10) * 58
                let rowY = y + 20 * Double(index / 10) - 4
                let colour = Self.yearColour(opening, first: years.first ?? 0, last: years.last ?? 0)
                svg +=
                    "<circle cx=\"\(f(x))\" cy=\"\(f(rowY))\" r=\"5\" fill=\"\(colour)\"/><text "
                    + "x=\"\(f(x + 9))\" y=\"\(f(rowY + 4))\" font-size=\"12\">\(opening)</text>\n"
            }
        }
        return svg
    }
}
