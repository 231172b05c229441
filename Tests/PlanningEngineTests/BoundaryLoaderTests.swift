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
}
