/// Turns a city profile's YAML into a `CityProfile`, reporting every problem with its position.
/// Beyond the engine's own fields, a profile holds the inputs `catalogue` declares (see `InputLoader`).
enum CityLoader {
    static func load(
        _ root: YAMLNode, file: String, hash: String, catalogue: InputCatalogue,
        bag: inout DiagnosticBag
    ) -> CityProfile? {
        guard var map = MappingReader(root, what: "a city profile", bag: &bag) else { return nil }
        let errorsBefore = bag.diagnostics.count
        let id = map.identifier("id", what: "city id", bag: &bag)
        let name = map.string("name", bag: &bag)
        let province = map.string("province", bag: &bag)
        let baseYear = map.int("base_year", range: 1900...2200, bag: &bag)
        let inputs = InputLoader.read(&map, catalogue.city, bag: &bag)
        let existing = map.value("existing_chargers").flatMap { loadCounts($0, what: "existing chargers", bag: &bag) }
        var targets: [SalesTarget] = []
        for node in map.sequence("targets", required: false, bag: &bag) ?? [] {
            guard var t = MappingReader(node, what: "a target", bag: &bag) else { continue }
            if let year = t.int("year", range: 1900...2200, bag: &bag),
                let share = t.double("ev_sales_share", range: 0...1, bag: &bag)
            {
                targets.append(SalesTarget(year: year, evSalesShare: share))
            }
            t.finish(bag: &bag)
        }
        targets.sort { $0.year < $1.year }
        var zones: [Zone] = []
        for node in map.sequence("zones", bag: &bag) ?? [] {
            if let zone = loadZone(node, catalogue: catalogue, baseYear: baseYear, bag: &bag) { zones.append(zone) }
        }
        var sites: [CandidateSiteInput] = []
        for node in map.sequence("candidate_sites", required: false, bag: &bag) ?? [] {
            guard var s = MappingReader(node, what: "a candidate site", bag: &bag) else { continue }
            let sid = s.string("id", bag: &bag)
            let zone = s.string("zone", bag: &bag)
            let location = s.required("location", bag: &bag).flatMap { loadLocation($0, bag: &bag) }
            let grid = s.double("grid_kw", range: 0...1e7, bag: &bag)
            let ports = s.int("max_ports", range: 1...10_000, bag: &bag)
            let existingSite = s.value("existing").flatMap { ScalarReading.bool($0, bag: &bag) } ?? false
            s.finish(bag: &bag)
            if let sid, let zone, let location, let grid, let ports {
                sites.append(
                    CandidateSiteInput(
                        id: sid, zone: zone, latitude: location.0, longitude: location.1, gridKW: grid, maxPorts: ports,
                        existing: existingSite))
            }
        }
        var points: [DemandPointInput] = []
        for node in map.sequence("demand_points", required: false, bag: &bag) ?? [] {
            guard var d = MappingReader(node, what: "a demand point", bag: &bag) else { continue }
            let did = d.string("id", bag: &bag)
            let zone = d.string("zone", bag: &bag)
            let location = d.required("location", bag: &bag).flatMap { loadLocation($0, bag: &bag) }
            let weight = d.double("weight", range: 0...1e12, bag: &bag)
            d.finish(bag: &bag)
            if let did, let zone, let location, let weight {
                points.append(
                    DemandPointInput(id: did, zone: zone, latitude: location.0, longitude: location.1, weight: weight))
            }
        }
        for node in map.sequence("sources", required: false, bag: &bag) ?? [] { loadSource(node, bag: &bag) }
        let observed =
            map.value("observed").map {
                ObservationLoader.load($0, scope: .city, baseYear: baseYear, bag: &bag)
            } ?? []
        let boundary = map.string("boundary", required: false, bag: &bag).flatMap {
            BoundaryLoader.checkPath($0, bag: &bag) ? $0 : nil
        }
        map.finish(bag: &bag)
        guard bag.diagnostics.count == errorsBefore,
            let id, let name, let province, let baseYear
        else { return nil }
        var profile = CityProfile(
            id: id, file: file, contentHash: hash, name: name.value, province: province.value, baseYear: baseYear,
            inputs: inputs,
            existingChargers: existing?.counts ?? [:], existingChargerKeys: existing?.keys ?? [:], targets: targets,
            zones: zones, candidateSites: sites, demandPoints: points, observed: observed
        )
        profile.boundaryPath = boundary
        checkReferences(&profile, bag: &bag)
        return profile
    }

    private static func checkReferences(_ city: inout CityProfile, bag: inout DiagnosticBag) {
        if city.zones.isEmpty { bag.error("a city needs at least one zone", at: city.id.position) }
        var zoneIDs: [String: SourcePosition] = [:]
        for zone in city.zones {
            if let first = zoneIDs[zone.id.value] {
                bag.error("duplicate zone id '\(zone.id.value)' (first at \(first))", at: zone.id.position)
            }
            zoneIDs[zone.id.value] = zone.id.position
        }
        var siteIDs: Set<String> = []
        for site in city.candidateSites {
            if zoneIDs[site.zone.value] == nil {
                bag.error("unknown zone '\(site.zone.value)'", at: site.zone.position)
            }
            if !siteIDs.insert(site.id.value).inserted {
                bag.error("duplicate candidate site id '\(site.id.value)'", at: site.id.position)
            }
        }
        var pointIDs: Set<String> = []
        for point in city.demandPoints {
            if zoneIDs[point.zone.value] == nil {
                bag.error("unknown zone '\(point.zone.value)'", at: point.zone.position)
            }
            if !pointIDs.insert(point.id.value).inserted {
                bag.error("duplicate demand point id '\(point.id.value)'", at: point.id.position)
            }
        }
        for (index, target) in city.targets.enumerated() where index > 0 && city.targets[index - 1].year == target.year
        {
            bag.error("two targets for \(target.year)", at: city.id.position)
        }
    }

    private static func loadZone(
        _ node: YAMLNode, catalogue: InputCatalogue, baseYear: Int?,
        bag: inout DiagnosticBag
    ) -> Zone? {
        guard var z = MappingReader(node, what: "a zone", bag: &bag) else { return nil }
        let id = z.identifier("id", what: "zone id", bag: &bag)
        let kindText = z.string("kind", bag: &bag)
        let population = z.double("population", range: 0...2e9, bag: &bag)
        let boundaryNode = z.value("boundary")
        // `boundary: geo/<file>.geojson` is the zone's real outline: its area and centre come from the file.
        let outlineText = boundaryNode.flatMap { node in node.scalar.map { Located($0, at: node.position) } }
        let outlinePath = outlineText.flatMap { BoundaryLoader.checkPath($0, bag: &bag) ? $0 : nil }
        for key in ["area_km2", "centre"] where outlineText != nil {
            if z.value(key) != nil, let position = z.position(of: key) {
                bag.error(
                    "a zone with a boundary file takes its \(key) from the file", at: position,
                    hint: "remove '\(key)' or the boundary file")
            }
        }
        let area = outlineText != nil ? 0 : z.double("area_km2", range: 0...1e7, bag: &bag)
        let centre =
            outlineText != nil ? (0, 0) : z.required("centre", bag: &bag).flatMap { loadLocation($0, bag: &bag) }
        let existing = z.value("existing_chargers").flatMap { loadCounts($0, what: "existing chargers", bag: &bag) }
        var boundary =
            outlineText != nil
            ? [] : boundaryNode.flatMap { loadPoints($0, minimum: 3, what: "boundary", bag: &bag) } ?? []
        // A ring written closed (its last point its first) is the same outline.
        if boundary.count > 3, boundary.first == boundary.last { boundary.removeLast() }
        let line = z.value("line").flatMap { loadPoints($0, minimum: 2, what: "line", bag: &bag) } ?? []
        let before = bag.diagnostics.count
        let inputs = InputLoader.read(&z, catalogue.zone, bag: &bag)
        let observed = z.value("observed").map {
            ObservationLoader.load($0, scope: .zone, baseYear: baseYear, bag: &bag)
        }
        let inputsRead = bag.diagnostics.count == before
        z.finish(bag: &bag)
        var kind: String?
        if let kindText {
            kind = kindText.value
            if let kinds = catalogue.zoneKinds, !kinds.contains(kindText.value) {
                kind = nil
                let suggestion = ScalarReading.closest(to: kindText.value, in: kinds)
                bag.error(
                    "unknown zone kind '\(kindText.value)'", at: kindText.position,
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "one of " + kinds.joined(separator: ", "))
            }
        }
        guard let id, let kind, let population, let area, let centre, inputsRead else { return nil }
        var zone = Zone(
            id: id, kind: kind, population: population, areaKM2: area, latitude: centre.0, longitude: centre.1,
            inputs: inputs, existingChargers: existing?.counts ?? [:],
            existingChargerKeys: existing?.keys ?? [:], observed: observed ?? [], boundary: boundary,
            line: line)
        zone.outlinePath = outlinePath
        return zone
    }

    /// Most vertices a boundary or line may have.
    static let maximumPoints = 10_000

    /// A list of `[lat, lon]`: a zone's `boundary:` (a ring) or `line:` (a corridor), `minimum` points or more.
    static func loadPoints(_ node: YAMLNode, minimum: Int, what: String, bag: inout DiagnosticBag) -> [GeoPoint]? {
        guard case .sequence(let items) = node.content, (minimum...maximumPoints).contains(items.count) else {
            bag.error(
                "expected the \(what) as a list of \(minimum) to \(maximumPoints) [lat, lon] points", at: node.position)
            return nil
        }
        var points: [GeoPoint] = []
        for item in items {
            guard let (latitude, longitude) = loadLocation(item, bag: &bag) else { return nil }
            points.append(GeoPoint(latitude: latitude, longitude: longitude))
        }
        return points
    }

    static func loadLocation(_ node: YAMLNode, bag: inout DiagnosticBag) -> (Double, Double)? {
        guard case .sequence(let items) = node.content, items.count == 2 else {
            bag.error("expected [lat, lon]", at: node.position)
            return nil
        }
        guard let lat = ScalarReading.double(items[0], range: -90...90, bag: &bag),
            let lon = ScalarReading.double(items[1], range: -180...180, bag: &bag)
        else { return nil }
        return (lat, lon)
    }

    /// Counts by unit id, with where each unit id was written (unknown ids are reported there).
    static func loadCounts(
        _ node: YAMLNode, what: String, bag: inout DiagnosticBag
    )
        -> (counts: [String: Double], keys: [String: SourcePosition])?
    {
        guard case .mapping(let pairs) = node.content else {
            bag.error("expected \(what) as a mapping of unit type to count", at: node.position)
            return nil
        }
        var counts: [String: Double] = [:]
        var keys: [String: SourcePosition] = [:]
        for pair in pairs {
            keys[pair.key] = pair.keyPosition
            if let value = ScalarReading.double(pair.value, range: 0...1e9, bag: &bag) { counts[pair.key] = value }
        }
        return (counts, keys)
    }

    /// One entry of a `sources:` list: `{id, text}`, optionally `url`.
    static func loadSource(_ node: YAMLNode, bag: inout DiagnosticBag) {
        guard var s = MappingReader(node, what: "a source", bag: &bag) else { return }
        _ = s.string("id", bag: &bag)
        _ = s.string("text", bag: &bag)
        _ = s.string("url", required: false, bag: &bag)
        s.finish(bag: &bag)
    }
}
