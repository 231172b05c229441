import Foundation
import XCTest
@testable import PlanningEngine

/// The bundled zones drawn on real districts (`boundary: geo/<zone>.geojson`): their demand points and stations lie
/// inside their own outlines, and their census populations add up to the city's.
final class ZoneOutlineTests: XCTestCase {
    func bundledWorkspace() throws -> Workspace {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        return try Workspace.load(root: root)
    }

    func testHaikouIsItsFourDistricts() throws {
        let haikou = try XCTUnwrap(try bundledWorkspace().city("haikou"))
        let districts = haikou.zones.filter { $0.outline != nil }
        XCTAssertEqual(
            districts.map(\.id.value), ["haikou-longhua", "haikou-meilan", "haikou-xiuying", "haikou-qiongshan"])
        XCTAssertEqual(districts.reduce(0) { $0 + $1.population }, 2_873_358, "the 2020 census total")
        // The districts tile the city's own outline (the same source, simplified apart): within 1 % of its area.
        let cityArea = try XCTUnwrap(haikou.boundary?.areaKM2)
        XCTAssertEqual(districts.reduce(0) { $0 + $1.areaKM2 }, cityArea, accuracy: cityArea * 0.01)
    }

    func testShanghaiIsItsThreeCensusAreas() throws {
        let shanghai = try XCTUnwrap(try bundledWorkspace().city("shanghai"))
        let areas = shanghai.zones.filter { $0.outline != nil }
        XCTAssertEqual(areas.map(\.id.value), ["shanghai-central", "shanghai-pudong", "shanghai-suburbs"])
        XCTAssertEqual(areas.map(\.population), [6_683_712, 5_681_512, 12_505_671])
        XCTAssertEqual(areas.reduce(0) { $0 + $1.population }, 24_870_895, "the 2020 census total")
        XCTAssertEqual(areas.map { $0.outline?.polygons.count ?? 0 }, [7, 3, 11], "districts side by side")
    }

    /// Wherever a city's zones are drawn on districts, those zones hold all its residents (the 2020 census's figure
    /// of the city), and the rest of its zones are corridors, where nobody lives.
    func testOutlinedZonesHoldTheWholeCensusPopulation() throws {
        var outlined: [String] = []
        for city in try bundledWorkspace().cities where city.zones.contains(where: { $0.outline != nil }) {
            outlined.append(city.id.value)
            let districts = city.zones.filter { $0.outline != nil }
            let population = try XCTUnwrap(city.inputs["population"]?.number, city.id.value)
            XCTAssertEqual(districts.reduce(0) { $0 + $1.population }, population, city.id.value)
            XCTAssertTrue(
                city.zones.allSatisfy { $0.outline != nil || $0.kind == "highway" },
                "\(city.id.value): only corridors left")
        }
        let expected = [
            "beijing", "chengdu", "foshan", "guangzhou", "haikou", "hangzhou", "ningbo", "qingdao", "shanghai",
            "tianjin",
        ]
        XCTAssertEqual(outlined, expected)
    }

    func testEveryDemandPointAndStationOfAnOutlinedZoneLiesInsideIt() throws {
        let workspace = try bundledWorkspace()
        var checked = 0
        for city in workspace.cities {
            let points = SitingInputs.demandPoints(city: city)
            for (index, zone) in city.zones.enumerated() {
                guard let outline = zone.outline else { continue }
                XCTAssertTrue(outline.contains(latitude: zone.latitude, longitude: zone.longitude), zone.id.value)
                let own = points.filter { $0.zoneIndex == index }
                XCTAssertFalse(own.isEmpty, zone.id.value)
                for point in own {
                    XCTAssertTrue(outline.contains(latitude: point.latitude, longitude: point.longitude), point.id)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 15)
        let rollout = try XCTUnwrap(workspace.rollout("hainan-2030"))
        let haikou = try XCTUnwrap(workspace.city("haikou"))
        let plan = try XCTUnwrap(
            try RolloutPlanner.plan(rollout, in: workspace, threads: 1).cities.first { $0.city == "haikou" })
        var stations = 0
        for station in plan.stations {
            guard let outline = haikou.zones.first(where: { $0.id.value == station.zone })?.outline else { continue }
            XCTAssertTrue(outline.contains(latitude: station.latitude, longitude: station.longitude), station.id)
            stations += 1
        }
        XCTAssertGreaterThan(stations, 0)
    }
}
