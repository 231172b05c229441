// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "chargeplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chargeplan", targets: ["chargeplan"]),
        .executable(name: "cel-conformance", targets: ["cel-conformance"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "Siting", targets: ["Siting"]),
        .library(name: "PlanningEngine", targets: ["PlanningEngine"]),
        .library(name: "PlanWriters", targets: ["PlanWriters"]),
        .library(name: "PlanReview", targets: ["PlanReview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // The CEL language: parser, checker, evaluator. Knows nothing of planning.
        .target(name: "CEL"),
        // Maximal-covering siting of stations. Knows nothing of YAML or rules.
        .target(name: "Siting"),
        // Loading, facts, rules, fleet model and the siting hook.
        .target(
            name: "PlanningEngine",
            dependencies: [
                "CEL", "Siting",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Plan files: YAML, JSON, CSV, Markdown, GeoJSON, HTML; shards, sweeps. Explanations print CEL values.
        .target(name: "PlanWriters", dependencies: ["PlanningEngine", "CEL"]),
        // The review tools: check formatting, rule tests, fmt, input/output schemas, diff (of folders and of git
        // revisions), compare, findings.
        .target(
            name: "PlanReview",
            dependencies: ["PlanningEngine", "PlanWriters", "CEL"]
        ),
        .executableTarget(
            name: "chargeplan",
            dependencies: [
                "PlanningEngine", "PlanWriters", "PlanReview", "Siting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "cel-conformance", dependencies: ["CEL"]),
        .executableTarget(name: "cel-benchmark", dependencies: ["CEL"], path: "Benchmarks/CELBenchmark"),
        // What several test targets share: the repository's fixture workspace, marker-based source positions.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CELTests", dependencies: ["CEL", "TestSupport"]),
        .testTarget(name: "SitingTests", dependencies: ["Siting"]),
        .testTarget(name: "PlanningEngineTests", dependencies: ["PlanningEngine", "TestSupport"]),
        .testTarget(name: "PlanWritersTests", dependencies: ["PlanWriters", "PlanningEngine", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["chargeplan", "TestSupport"]),
        .testTarget(
            name: "PlanReviewTests", dependencies: ["PlanReview", "PlanningEngine", "PlanWriters", "TestSupport"]),
    ]
)

// The loader's libFuzzer target, only with CHARGEPLAN_FUZZ=1 (build and run: docs/FUZZ.md); without it
// the package is exactly the one above. The sanitizer flags come from the command line (-Xswiftc), so
// every module is instrumented; -parse-as-library: no top-level code, the entry point hands over to libFuzzer.
if Context.environment["CHARGEPLAN_FUZZ"] == "1" {
    package.products.append(.executable(name: "load-fuzz", targets: ["load-fuzz"]))
    package.targets.append(
        .executableTarget(
            name: "load-fuzz", dependencies: ["PlanningEngine", "PlanReview"], path: "Fuzz/LoadFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
}
