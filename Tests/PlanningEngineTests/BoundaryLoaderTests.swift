import TestSupport
import XCTest
@testable import PlanningEngine

/// `boundary:` in a profile: the path's rules, the GeoJSON's checks, and what the planner does with the outline.
final class BoundaryLoaderTests: XCTestCase {
    /// Land west of 120.1°E around Testville's core (30.0°N, 120.0°E); its rural zone is moved 300 km away, outside.
    static let outline = """
        {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":\
        [[[[119.0,29.0],[120.1,29.0],[120.1,31.0],[119.0,31.0],[119.0,29.0]]]]}}
        """

    func files(boundary: String = "geo/testville.geojson", file: String? = outline) -> [String: String] {
        let city = Fixture.city.replacingOccurrences(
            of: "area_km2: 1000\n", with: "area_km2: 1000\nboundary: \(boundary)\n"
        )
        .replacingOccurrences(of: "centre: [30.2, 120.3]", with: "centre: [32.5, 122.5]")
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        if let file { files["Cities/geo/testville.geojson"] = file }
        return files
    }

    func error(_ files: [String: String]) throws -> Diagnostic {
        try XCTUnwrap(Fixture.diagnostics(files).first { $0.severity == .error }, "expected an error")
    }

    func testTheOutlineIsReadAndItsFileHashedIntoThePlansInputs() throws {
        let workspace = try Workspace.load(files: files())
        let city = try XCTUnwrap(workspace.city("testville"))
        XCTAssertEqual(city.boundary?.polygons.count, 1)
        XCTAssertTrue(city.boundary?.contains(latitude: 30, longitude: 120) ?? false)
        let plan = try Fixture.plan(files())
        let inputs = plan.cities.first?.inputs.map(\.path) ?? []
        XCTAssertTrue(inputs.contains("Cities/geo/testville.geojson"), "\(inputs)")
        XCTAssertEqual(plan.inputs.filter { $0.path == "Cities/geo/testville.geojson" }.count, 1)
        let outline = try XCTUnwrap(plan.cities.first?.outline)
        XCTAssertEqual(outline.count, 1, "one outer ring, carried for the maps")
        XCTAssertEqual(outline.first?.first, GeoPoint(latitude: 29.0, longitude: 119.0))
        XCTAssertEqual(outline.first?.count, 5)
        XCTAssertEqual(try Fixture.plan(Fixture.files).cities.first?.outline, [], "no boundary, no outline")
    }

    func testPathsThatLeaveCitiesGeoAreRefusedAtTheValue() throws {
        for path in [
            "../Rules/x.geojson", "geo/../x.geojson", "/etc/x.geojson", "geo/x.json", "geo/.geojson",
            "geo/sub/x.geojson", "geo/X.geojson",
        ] {
            let d = try error(files(boundary: path))
            XCTAssertTrue(d.message.hasPrefix("boundary must name a file geo/<name>.geojson"), "\(path): \(d.message)")
            XCTAssertEqual(d.position?.description, "Cities/testville.yaml:7:11", path)
        }
    }

    func testAMissingFileIsAnErrorAtTheKey() throws {
        let d = try error(files(file: nil))
        XCTAssertEqual(d.message, "cannot read the boundary file 'Cities/geo/testville.geojson'")
        XCTAssertEqual(d.position?.description, "Cities/testville.yaml:7:11")
    }

    func testBrokenGeoJSONIsReportedInItsFile() throws {
        let cases: [(String, String)] = [
            ("{not json", "invalid GeoJSON: not JSON"),
            ("{\"type\":\"Point\",\"coordinates\":[120,30]}", "invalid GeoJSON: a Point is not an outline"),
            (
                "{\"type\":\"Polygon\",\"coordinates\":[[[119,29],[120,29],[120,30],[119,29.5]]]}",
                "invalid GeoJSON: polygon 0, ring 0 is not closed"
            ),
            (
                "{\"type\":\"Polygon\",\"coordinates\":[[[119,29],[120,29],[119,29]]]}",
                "invalid GeoJSON: polygon 0, ring 0: a ring needs 4 or more positions"
            ),
            (
                "{\"type\":\"Polygon\",\"coordinates\":[[[119,29],[120,95],[120,30],[119,29]]]}",
                "invalid GeoJSON: polygon 0, ring 0, position 1: [120.0, 95.0] is not a longitude and latitude"
            ),
            (
                "{\"type\":\"Polygon\",\"coordinates\":[[[119,29],[\"a\",29],[120,30],[119,29]]]}",
                "invalid GeoJSON: polygon 0, ring 0, position 1: expected [longitude, latitude]"
            ),
            (
                "{\"type\":\"FeatureCollection\",\"features\":[]}",
                "invalid GeoJSON: a FeatureCollection must hold exactly one Feature"
            ),
        ]
        for (text, message) in cases {
            let d = try error(files(file: text))
            XCTAssertTrue(d.message.hasPrefix(message), "\(text): \(d.message)")
            XCTAssertEqual(d.position?.description, "Cities/geo/testville.geojson:1:1", text)
        }
        XCTAssertEqual(try error(files(file: "{not json")).id, .geoJSONSyntax)
        XCTAssertEqual(try error(files(file: "{\"type\":\"Point\"}")).id, .modelCheck)
    }

    func testGeneratedPointsStayInsideAndAZoneOutsideKeepsItsDisc() throws {
        let workspace = try Workspace.load(files: files())
        let city = try XCTUnwrap(workspace.city("testville"))
        let outline = try XCTUnwrap(city.boundary)
        let points = SitingInputs.demandPoints(city: city)
        let core = points.filter { $0.zoneIndex == 0 }
        XCTAssertEqual(core.count, SitingInputs.generatedDemandPointsPerZone)
        XCTAssertTrue(core.allSatisfy { outline.contains(latitude: $0.latitude, longitude: $0.longitude) })
        // The rural zone's whole disc lies east of the outline: it keeps its points rather than losing its demand.
        let rural = points.filter { $0.zoneIndex == 1 }
        XCTAssertEqual(rural.count, SitingInputs.generatedDemandPointsPerZone)
        XCTAssertFalse(rural.contains { outline.contains(latitude: $0.latitude, longitude: $0.longitude) })
    }

    // MARK: - a zone's own outline

    /// A zone outline 0.2° × 0.2° around Testville's core (about 21 km × 22 km at 30°N).
    static let coreOutline = """
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":\
        [[[119.9,29.9],[120.1,29.9],[120.1,30.1],[119.9,30.1],[119.9,29.9]]]}}
        """

    /// Testville with its core drawn on `coreOutline` (area and centre taken from it); `extra` is added to the zone.
    func zoneFiles(extra: String = "", file: String? = coreOutline) -> [String: String] {
        let city = Fixture.city.replacingOccurrences(
            of: "    area_km2: 100\n    centre: [30.0, 120.0]\n",
            with: "    boundary: geo/testville-core.geojson\n" + extra)
        var files = Fixture.files(replacing: "Cities/testville.yaml", with: city)
        if let file { files["Cities/geo/testville-core.geojson"] = file }
        return files
    }

    func testAZoneOutlineGivesTheZoneItsAreaCentreAndPoints() throws {
        let workspace = try Workspace.load(files: zoneFiles())
        let city = try XCTUnwrap(workspace.city("testville"))
        let core = city.zones[0]
        let outline = try XCTUnwrap(core.outline)
        XCTAssertEqual(core.areaKM2, outline.areaKM2)
        XCTAssertEqual(core.areaKM2, 428.3, accuracy: 0.5, "22.2 km × 19.3 km: 0.2° × 0.2° at 30°N")
        XCTAssertEqual(core.latitude, 30.0, accuracy: 1e-9)
        XCTAssertEqual(core.longitude, 120.0, accuracy: 1e-9)
        let points = SitingInputs.demandPoints(city: city).filter { $0.zoneIndex == 0 }
        XCTAssertFalse(points.isEmpty)
        XCTAssertTrue(points.allSatisfy { outline.contains(latitude: $0.latitude, longitude: $0.longitude) })
        XCTAssertEqual(points.reduce(0) { $0 + $1.share }, 1, accuracy: 1e-9)
        let candidates = SitingInputs.candidates(city: city, unit: try unit(workspace), stationsPerZone: [5, 0])
        XCTAssertTrue(
            (7...13).contains(candidates.count), "about twice the 5 stations the zone needs: \(candidates.count)")
        XCTAssertTrue(candidates.allSatisfy { outline.contains(latitude: $0.latitude, longitude: $0.longitude) })
        // The rural zone, without an outline, keeps its disc.
        XCTAssertEqual(city.zones[1].areaKM2, 900)
        XCTAssertNil(city.zones[1].outline)
        let plan = try Fixture.plan(zoneFiles())
        let inputs = plan.cities.first?.inputs.map(\.path) ?? []
        XCTAssertTrue(inputs.contains("Cities/geo/testville-core.geojson"), "\(inputs)")
        let drawn = try XCTUnwrap(plan.cities.first?.zones.first?.parts)
        XCTAssertEqual(drawn.map(\.count), [4], "the outline's outer ring, for the maps")
        XCTAssertNil(plan.cities.first?.zones.first?.boundary)
    }

    func unit(_ workspace: Workspace) throws -> UnitType {
        try XCTUnwrap(workspace.ruleSets.first?.units.first { $0.id.value == "fast" })
    }

    func testAZoneWithAnOutlineFileTakesNeitherAreaNorCentre() throws {
        for (extra, key) in [("    area_km2: 100\n", "area_km2"), ("    centre: [30.0, 120.0]\n", "centre")] {
            let d = try error(zoneFiles(extra: extra))
            XCTAssertEqual(d.message, "a zone with a boundary file takes its \(key) from the file")
            XCTAssertEqual(d.position?.description, "Cities/testville.yaml:24:5", key)
        }
        let missing = try error(zoneFiles(file: nil))
        XCTAssertEqual(missing.message, "cannot read the boundary file 'Cities/geo/testville-core.geojson'")
        XCTAssertEqual(missing.position?.description, "Cities/testville.yaml:23:15")
        let broken = try error(zoneFiles(file: "{\"type\":\"Point\",\"coordinates\":[120,30]}"))
        XCTAssertEqual(broken.position?.description, "Cities/geo/testville-core.geojson:1:1")
    }

    /// A zone's path that leaves Cities/geo/ is refused at the value and never read.
    func testAZoneOutlinePathOutsideCitiesGeoIsRefusedAndNotRead() throws {
        var files = zoneFiles()
        files["Cities/testville.yaml"] = files["Cities/testville.yaml"]?.replacingOccurrences(
            of: "boundary: geo/testville-core.geojson", with: "boundary: geo/../testville-core.geojson")
        files["Cities/testville-core.geojson"] = Self.coreOutline
        let errors = Fixture.diagnostics(files).filter { $0.severity == .error }
        XCTAssertTrue(errors.first?.message.hasPrefix("boundary must name a file geo/<name>.geojson") ?? false)
        XCTAssertEqual(errors.first?.position?.description, "Cities/testville.yaml:23:15")
        XCTAssertFalse(errors.contains { $0.message.hasPrefix("cannot read") }, "\(errors.map(\.message))")
    }

    /// A rule test's fixture is planned without Cities/geo/: its zone cannot take its area from a file.
    func testARuleTestFixtureCannotReadAZoneOutline() throws {
        var files = zoneFiles()
        files["Rules/basic/tests/fixtures/testville.yaml"] = files["Cities/testville.yaml"]
        let d = try error(files)
        XCTAssertEqual(d.message, "a rule test's city cannot read a zone's boundary file")
        XCTAssertEqual(d.position?.description, "Rules/basic/tests/fixtures/testville.yaml:23:15")
    }
}
