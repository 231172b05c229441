import CEL
import Foundation

// Compares compiled CEL programs with the same logic written by hand in Swift over typed structs
// (see NativeZone), over 1,000,000 evaluations each: the ratio is what CEL costs over native code.
// Run: swift run -c release --scratch-path .build-cel cel-benchmark

let evaluations = 1_000_000
let distinctActivations = 1_000

var environment = CELEnvironment()
environment.declareObjectType("Site", fields: [("id", .string), ("grid_kw", .double)])
environment.declareObjectType(
    "Zone",
    fields: [
        ("id", .string), ("kind", .string), ("population", .int), ("private_evs", .double),
        ("sites", .list(.object("Site"))),
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
        .object(
            CELObject(
                typeName: "Site",
                fields: ["id": .string("s\(site)"), "grid_kw": .double(Double((site * 37 + index) % 1200))]))
    }
    let zone = CELValue.object(
        CELObject(
            typeName: "Zone",
            fields: [
                "id": .string(index % 3 == 0 ? "hk-\(index)" : "sz-\(index)"),
                "kind": .string(kinds[index % kinds.count]),
                "population": .int(Int64((index * 7919) % 250_000)),
                "private_evs": .double(Double((index * 131) % 9000) + 0.5),
                "sites": .list(sites),
            ]))
    let city = CELValue.object(
        CELObject(
            typeName: "City",
            fields: [
                "id": .string("c\(index % 10)"), "home_parking_share": .double(Double(index % 100) / 100),
            ]))
    zones.append(zone)
    cities.append(city)
    var activation = CELActivation()
    activation.bind("zone", zone)
    activation.bind("city", city)
    activations.append(activation)
}

// The native baseline: the same data as a Swift engineer would hold it — typed struct fields, no
// CELValue boxing, no look-ups by name or position — and each expression written by hand over it.
struct NativeSite {
    let id: String
    let gridKW: Double
}

struct NativeZone {
    let id: String
    let kind: String
    let population: Int64
    let privateEVs: Double
    let sites: [NativeSite]
}

struct NativeCity {
    let id: String
    let homeParkingShare: Double
}

func nativeZone(_ index: Int) -> NativeZone {
    let sites: [NativeSite] = (0..<50).map { site in
        NativeSite(id: "s\(site)", gridKW: Double((site * 37 + index) % 1200))
    }
    let id = index % 3 == 0 ? "hk-\(index)" : "sz-\(index)"
    let population = Int64((index * 7919) % 250_000)
    let privateEVs = Double((index * 131) % 9000) + 0.5
    return NativeZone(
        id: id, kind: kinds[index % kinds.count], population: population, privateEVs: privateEVs,
        sites: sites)
}
let nativeZones: [NativeZone] = (0..<distinctActivations).map(nativeZone)
let nativeCities: [NativeCity] = (0..<distinctActivations).map { index in
    NativeCity(id: "c\(index % 10)", homeParkingShare: Double(index % 100) / 100)
}

/// What a result adds to a loop's checksum, so that neither loop can be optimised away: the same
/// mapping for CEL's values and the native ones (true 1, false 0, a number truncated, a string its length).
@inline(__always) func checksum(_ value: Bool) -> Int { value ? 1 : 0 }
@inline(__always) func checksum(_ value: Double) -> Int { Int(value) }
@inline(__always) func checksum(_ value: Int64) -> Int { Int(truncatingIfNeeded: value) }
@inline(__always) func checksum(_ value: String) -> Int { value.utf8.count }
func checksum(_ value: CELValue) -> Int {
    switch value {
    case .bool(let b): checksum(b)
    case .double(let d): checksum(d)
    case .int(let i): checksum(i)
    case .string(let s): checksum(s)
    default: -1
    }
}

/// One expression: its CEL text and the hand-written Swift for it. `native` sums the checksums of
/// `evaluations` evaluations over the typed arrays (a loop of direct, typed code: nothing boxed per
/// evaluation); `nativeValue` gives one result as a CELValue, only for the agreement check.
struct Case {
    let name: String
    let expression: String
    let native: (_ evaluations: Int) -> Int
    let nativeValue: (_ index: Int) -> CELValue
}

/// A case from a typed native function: the timed loop calls it directly, with no boxing.
func nativeCase<Result>(
    _ name: String, _ expression: String, box: @escaping (Result) -> CELValue,
    sum: @escaping (Result) -> Int,
    _ body: @escaping (_ zones: [NativeZone], _ cities: [NativeCity], _ index: Int) -> Result
)
    -> Case
{
    // Captured as locals: main.swift's globals are main-actor isolated, and reading them in the timed loop
    // would time an executor check per access instead of the expression.
    let zones = nativeZones, cities = nativeCities, count = distinctActivations
    return Case(
        name: name, expression: expression,
        native: { evaluations in
            var total = 0
            for iteration in 0..<evaluations {
                let index = iteration % count
                total &+= sum(body(zones, cities, index))
            }
            return total
        }, nativeValue: { index in box(body(zones, cities, index)) })
}

/// The timed CEL loop, over its arguments alone (no main-actor global read per evaluation, as for the native one).
func celChecksum(_ program: CELProgram, _ activations: [CELActivation], evaluations: Int) throws -> Int {
    var total = 0
    for iteration in 0..<evaluations {
        total &+= checksum(try program.evaluate(activations[iteration % activations.count]))
    }
    return total
}

/// The cases, built outside main.swift's top-level code: a closure written there is main-actor isolated, and
/// calling it from the timed loop would add an executor check to every call (to every element of a filter).
func makeCases(overhead: Bool) -> [Case] {
    var cases: [Case] = [
        nativeCase(
            "kind && share", "zone.kind == 'urban_core' && city.home_parking_share > 0.3",
            box: CELValue.bool, sum: checksum
        ) { zones, cities, index in
            zones[index].kind == "urban_core" && cities[index].homeParkingShare > 0.3
        },
        nativeCase(
            "math.ceil", "math.ceil(zone.private_evs * city.home_parking_share)",
            box: CELValue.double, sum: checksum
        ) { zones, cities, index in
            (zones[index].privateEVs * cities[index].homeParkingShare).rounded(.up)
        },
        nativeCase(
            "nested ternary",
            "zone.population > 100000 ? 'large' : zone.population > 20000 ? 'medium' : "
                + "zone.population > 5000 ? 'small' : 'tiny'",
            box: CELValue.string, sum: checksum
        ) { zones, _, index in
            let population = zones[index].population
            return population > 100_000 ? "large" : population > 20000 ? "medium" : population > 5000 ? "small" : "tiny"
        },
        nativeCase(
            "filter size", "zone.sites.filter(s, s.grid_kw >= 600.0).size()",
            box: CELValue.int, sum: checksum
        ) { zones, _, index in
            Int64(zones[index].sites.count { $0.gridKW >= 600.0 })
        },
        nativeCase("startsWith", "zone.id.startsWith('hk-')", box: CELValue.bool, sum: checksum) { zones, _, index in
            zones[index].id.hasPrefix("hk-")
        },
    ]
    if overhead {
        cases.append(nativeCase("overhead: true", "true", box: CELValue.bool, sum: checksum) { _, _, _ in true })
        cases.append(
            nativeCase("overhead: field", "zone.kind", box: CELValue.string, sum: checksum) {
                zones, _, index in zones[index].kind
            })
    }
    return cases
}

var cases = makeCases(overhead: CommandLine.arguments.contains("--overhead"))

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
print("case                 CEL ns/eval  native ns/eval  CEL ÷ native")
for benchmark in cases {
    do {
        let program = try CELProgram(compiling: benchmark.expression, in: environment)
        // Agreement check before timing.
        for index in 0..<distinctActivations {
            let celValue = try program.evaluate(activations[index])
            let nativeValue = benchmark.nativeValue(index)
            guard celValue == nativeValue else {
                print("MISMATCH in \(benchmark.name) at \(index): CEL \(celValue) native \(nativeValue)")
                exit(1)
            }
        }
        var celSum = 0
        let bound = activations
        let celTime = try seconds { celSum = try celChecksum(program, bound, evaluations: evaluations) }
        var nativeChecksum = 0
        let nativeTime = seconds { nativeChecksum = benchmark.native(evaluations) }
        let name = benchmark.name.padding(toLength: 20, withPad: " ", startingAt: 0)
        print(
            String(
                format: "%@ %11.1f %15.1f %6.2fx", name, celTime * 1e9 / Double(evaluations),
                nativeTime * 1e9 / Double(evaluations), celTime / nativeTime)
                + (celSum == nativeChecksum ? "" : "  (checksum differs!)"))
    } catch {
        print("\(benchmark.name): \(error)")
        exit(1)
    }
}
