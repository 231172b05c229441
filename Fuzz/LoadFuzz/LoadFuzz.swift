// libFuzzer entry point for the YAML loading path: bytes → a city profile and a rule file (plus a fixed
// small rollout) → Workspace.load(files:) → what `check` does (compile every rule set, StaticChecks)
// → when loading succeeds, plan the rollout. Any crash, trap, hang or sanitizer report is a bug.
// Build and run: see docs/FUZZ.md (the target exists only when CHARGEPLAN_FUZZ=1).
//
// Input layout:
//   byte 0      mode: bits 0-3 pick the bundled Rules/china file the fuzzed rule file replaces
//               (values past the last file replace none); bits 4-5 the horizon length (1-4 years);
//               bit 6 skips planning (loading and checks only).
//   the rest    the city profile text, then the separator line `---8<---`, then the rule file text
//               (Rules/china/fuzz.yaml). Without a separator everything is the profile and no
//               bundled rule file is replaced.
// The city's file name and the rollout follow the profile's own `id:` and `base_year:` lines, so
// mutating them does not just trip the file-name and joins checks.

import Foundation
import PlanningEngine
import PlanReview

/// The bundled rule set, read once from the checkout this file belongs to (or CHARGEPLAN_FUZZ_ROOT).
private let bundledRules: [(path: String, text: String)] = {
    let root =
        ProcessInfo.processInfo.environment["CHARGEPLAN_FUZZ_ROOT"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let folder = root + "/Rules/china"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
        .sorted()
    let files = names.compactMap { name -> (path: String, text: String)? in
        guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { return nil }
        return ("Rules/china/" + name, text)
    }
    if files.isEmpty {
        FileHandle.standardError.write(
            Data("load-fuzz: no rule files under \(folder); set CHARGEPLAN_FUZZ_ROOT\n".utf8))
        exit(1)
    }
    return files
}()

private let separator = Array("\n---8<---\n".utf8)

/// CHARGEPLAN_FUZZ_VERBOSE=1 prints what each input came to (for reading a saved input: `load-fuzz FILE`).
private let verbose = ProcessInfo.processInfo.environment["CHARGEPLAN_FUZZ_VERBOSE"] == "1"

private func report(_ text: @autoclosure () -> String) {
    if verbose { FileHandle.standardError.write(Data((text() + "\n").utf8)) }
}

/// The value of the first top-level `key:` line, up to a comment or space.
private func topLevelValue(_ key: String, in text: Substring) -> Substring? {
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix(key + ":") {
        let value = line.dropFirst(key.count + 1).drop { $0 == " " }.prefix { $0 != " " && $0 != "#" }
        return value.isEmpty ? nil : value
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func loadFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let body = bytes.dropFirst()
    var profileBytes = body[...]
    var ruleBytes: Slice<UnsafeBufferPointer<UInt8>>?
    if let cut = body.firstRange(of: separator) {
        profileBytes = body[..<cut.lowerBound]
        ruleBytes = body[cut.upperBound...]
    }
    let profile = String(decoding: profileBytes, as: UTF8.self)

    let rawID = topLevelValue("id", in: profile[...]) ?? "fuzz"
    let id = String(rawID.filter { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }.prefix(64))
    let cityID = id.isEmpty ? "fuzz" : id
    let baseYear =
        topLevelValue("base_year", in: profile[...]).flatMap { Int($0) }.map { min(2200, max(1900, $0)) } ?? 2019
    let lastYear = min(2200, baseYear + Int((mode >> 4) & 3))

    var files: [String: String] = [:]
    let replaced = Int(mode & 15)
    for (index, file) in bundledRules.enumerated() where !(ruleBytes != nil && index == replaced) {
        files[file.path] = file.text
    }
    if let ruleBytes { files["Rules/china/fuzz.yaml"] = String(decoding: ruleBytes, as: UTF8.self) }
    files["Cities/\(cityID).yaml"] = profile
    files["Cities/rollouts/fuzz.yaml"] = """
        id: fuzz
        name: Fuzz rollout
        operator: Fuzz
        rule_set: china
        horizon: {first_year: \(baseYear), last_year: \(lastYear)}
        cities:
          - {city: '\(cityID)', joins: \(baseYear)}

        """

    do {
        let workspace = try Workspace.load(files: files)
        var diagnostics: [Diagnostic] = []
        for ruleSet in workspace.ruleSets {
            do { _ = try CompiledRuleSet.compile(ruleSet) } catch { diagnostics += error.diagnostics }
        }
        diagnostics += StaticChecks.run(workspace)
        let findings = DiagnosticFormat.json(diagnostics.sorted(by: Diagnostic.sortKey))
        report("loaded \(cityID) \(baseYear)...\(lastYear); check: \(diagnostics.count) findings\n\(findings)")
        if mode & 64 == 0, let rollout = workspace.rollout("fuzz") {
            do {
                let plan = try RolloutPlanner.plan(rollout, in: workspace, threads: 1)
                report("planned: \(plan.cities.map { $0.zoneYears.count }) zone-years")
            } catch {
                report("plan failed:\n" + DiagnosticFormat.github(error.diagnostics))
            }
        }
    } catch {
        report("load failed:\n" + DiagnosticFormat.github(error.diagnostics))
    }
    return 0
}

// SwiftPM links an executable target with `--defsym main=<module>_main`, so that symbol is the
// process entry point here; it hands over to libFuzzer's driver, which then calls the function above.
// The driver is declared by symbol name (no C header to import): for three pointer arguments and an
// Int32 result Swift's calling convention passes them as C does on x86_64 and arm64.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("load_fuzz_main")
public func loadFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, loadFuzzTestOneInput)
}
