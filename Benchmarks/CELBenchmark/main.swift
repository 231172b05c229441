import CEL
import Foundation

// Compares compiled CEL programs with the same logic written as plain Swift closures over the
// same data (the very CELValue objects the activations hold), over 1,000,000 activations each.
// Run: swift run -c release --scratch-path .build-cel cel-benchmark

let evaluations = 1_000_000
let distinctActivations = 1_000

var environment = CELEnvironment()
environment.declareObjectType("Site", fields: [("id", .string), ("grid_kw", .double)])
environment.declareObjectType("Zone", fields: [
    ("id", .string), ("kind", .string), ("population", .int), ("private_evs", .double), ("sites", .list(.object("Site"))),
])
environment.declareObjectType("City", fields: [("id", .string), ("home_parking_share", .double)])
environment.declareVariable("zone", type: .object("Zone"))
environment.declareVariable("city", type: .object("City"))

let kinds = ["urban_core", "suburban", "rural", "highway"]
var zones: [CELValue] = []
var cities: [CELValue] = []
var activations: [CELActivation] = []
for index in 0..<distinctActivations {
    let sites: [CELValue] = (0..<50).map { site in
        .object(CELObject(typeName: "Site", fields: ["id": .string("s\(site)"), "grid_kw": .double(Double((site * 37 + index) % 1200))]))
    }
    let zone = CELValue.object(CELObject(typeName: "Zone", fields: [
        "id": .string(index % 3 == 0 ? "hk-\(index)" : "sz-\(index)"),
        "kind": .string(kinds[index % kinds.count]),
        "population": .int(Int64((index * 7919) % 250_000)),
        "private_evs": .double(Double((index * 131) % 9000) + 0.5),
        "sites": .list(sites),
    ]))
    let city = CELValue.object(CELObject(typeName: "City", fields: [
        "id": .string("c\(index % 10)"), "home_parking_share": .double(Double(index % 100) / 100),
    ]))
    zones.append(zone)
    cities.append(city)
    var activation = CELActivation()
    activation.bind("zone", zone)
    activation.bind("city", city)
    activations.append(activation)
}

// Field positions for the native closures, as the planner would hold them.
func fieldIndex(_ type: String, _ field: String, in environment: CELEnvironment) -> Int {
    environment.objectLayout(named: type)?.fieldNames.firstIndex(of: field) ?? 0
}
let zoneKind = fieldIndex("Zone", "kind", in: environment), zoneID = fieldIndex("Zone", "id", in: environment), zonePopulation = fieldIndex("Zone", "population", in: environment)
let zoneEVs = fieldIndex("Zone", "private_evs", in: environment), zoneSites = fieldIndex("Zone", "sites", in: environment)
let cityShare = fieldIndex("City", "home_parking_share", in: environment), siteGrid = fieldIndex("Site", "grid_kw", in: environment)

struct NativeError: Error {}
@inline(__always) func object(_ value: CELValue) throws -> CELObject {
    guard case .object(let o) = value else { throw NativeError() }
    return o
}
@inline(__always) func double(_ value: CELValue) throws -> Double {
    guard case .double(let d) = value else { throw NativeError() }
    return d
}
@inline(__always) func string(_ value: CELValue) throws -> String {
    guard case .string(let s) = value else { throw NativeError() }
    return s
}
@inline(__always) func int(_ value: CELValue) throws -> Int64 {
    guard case .int(let i) = value else { throw NativeError() }
    return i
}

struct Case {
    let name: String
    let expression: String
    let native: (CELValue, CELValue) throws -> CELValue
}

var cases: [Case] = [
    Case(name: "kind && share", expression: "zone.kind == 'urban_core' && city.home_parking_share > 0.3") { zone, city in
        .bool(try string(try object(zone).values[zoneKind]) == "urban_core" && (try double(try object(city).values[cityShare])) > 0.3)
    },
    Case(name: "math.ceil", expression: "math.ceil(zone.private_evs * city.home_parking_share)") { zone, city in
        .double((try double(try object(zone).values[zoneEVs]) * (try double(try object(city).values[cityShare]))).rounded(.up))
    },
    Case(name: "nested ternary", expression: "zone.population > 100000 ? 'large' : zone.population > 20000 ? 'medium' : zone.population > 5000 ? 'small' : 'tiny'") { zone, _ in
        let population = try int(try object(zone).values[zonePopulation])
        return .string(population > 100000 ? "large" : population > 20000 ? "medium" : population > 5000 ? "small" : "tiny")
    },
    Case(name: "filter size", expression: "zone.sites.filter(s, s.grid_kw >= 600.0).size()") { zone, _ in
        guard case .list(let sites) = try object(zone).values[zoneSites] else { throw NativeError() }
        var kept: [CELValue] = []
        for site in sites where try double(try object(site).values[siteGrid]) >= 600.0 { kept.append(site) }
        return .int(Int64(kept.count))
    },
    Case(name: "startsWith", expression: "zone.id.startsWith('hk-')") { zone, _ in
        .bool(try string(try object(zone).values[zoneID]).hasPrefix("hk-"))
    },
]

if CommandLine.arguments.contains("--overhead") {
    cases.append(Case(name: "overhead: true", expression: "true") { _, _ in .bool(true) })
    cases.append(Case(name: "overhead: field", expression: "zone.kind") { zone, _ in try object(zone).values[zoneKind] })
}

// `--only NAME` (repeatable) restricts the run to cases whose name contains NAME (for profiling).
let onlyNames: [String] = CommandLine.arguments.indices.compactMap { position in
    position > 0 && CommandLine.arguments[position - 1] == "--only" ? CommandLine.arguments[position] : nil
}
if !onlyNames.isEmpty {
    cases = cases.filter { benchmark in onlyNames.contains { benchmark.name.contains($0) } }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("CEL vs native Swift closures, \(evaluations) evaluations each (\(distinctActivations) distinct activations)")
print("case                 CEL ns/eval  native ns/eval  ratio")
for benchmark in cases {
    do {
        let program = try CELProgram(compiling: benchmark.expression, in: environment)
        // Agreement check before timing.
        for index in 0..<distinctActivations {
            let celValue = try program.evaluate(activations[index])
            let nativeValue = try benchmark.native(zones[index], cities[index])
            guard celValue == nativeValue else {
                print("MISMATCH in \(benchmark.name) at \(index): CEL \(celValue) native \(nativeValue)")
                exit(1)
            }
        }
        var celChecksum = 0
        let celTime = try seconds {
            for iteration in 0..<evaluations {
                if case .bool(true) = try program.evaluate(activations[iteration % distinctActivations]) { celChecksum += 1 }
            }
        }
        var nativeChecksum = 0
        let nativeTime = try seconds {
            for iteration in 0..<evaluations {
                let index = iteration % distinctActivations
                if case .bool(true) = try benchmark.native(zones[index], cities[index]) { nativeChecksum += 1 }
            }
        }
        let name = benchmark.name.padding(toLength: 20, withPad: " ", startingAt: 0)
        print(String(format: "%@ %11.1f %15.1f %6.2fx", name, celTime * 1e9 / Double(evaluations), nativeTime * 1e9 / Double(evaluations), celTime / nativeTime)
            + (celChecksum == nativeChecksum ? "" : "  (checksum differs!)"))
    } catch {
        print("\(benchmark.name): \(error)")
        exit(1)
    }
}
