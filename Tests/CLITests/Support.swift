import Foundation
import TestSupport
import XCTest

/// What the CLI tests share: the built executable, runs with a time limit, scratch projects and snapshots.
extension XCTestCase {
    static var packageRoot: URL { FixtureWorkspace.root }

    static var executable: URL? {
        var candidates: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("chargeplan") }.first {
            FileManager.default.isExecutableFile(atPath: $0.path)
        }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed by the test's time limit: the tool hung.
        var timedOut = false
    }

    /// Runs `chargeplan`, killing it after `timeLimit` seconds (a hang is a failure, not a stuck suite).
    func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeLimit: Double = 120
    ) throws -> Run {
        let binary = try XCTUnwrap(Self.executable, "chargeplan executable not found next to the test bundle")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = Self.killing(process, after: timeLimit)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), timedOut: killed)
    }

    /// Kills `process` after `timeLimit` seconds unless the returned work item is cancelled first.
    static func killing(_ process: Process, after timeLimit: Double) -> DispatchWorkItem {
        let timer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: timer)
        return timer
    }

    /// A scratch copy of Cities/, Rules/ and Scenarios/.
    func projectCopy() throws -> URL {
        let dir = try FixtureWorkspace.copy(prefix: "chargeplan-cli")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The regular files under `folder` by relative path (hidden ones included).
    func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
            }
        }
        return result
    }

    /// Every entry under `folder` (folders, files, links; hidden ones included) with its type, mode and, for
    /// regular files, its bytes: two equal snapshots mean nothing was written, renamed, deleted or re-moded.
    func snapshot(of folder: URL) -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ path: String, _ relative: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            let mode = String(info.st_mode, radix: 8)
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                result[relative + "/"] = mode
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    walk(path + "/" + name, relative + "/" + name)
                }
            case S_IFREG:
                let data = FileManager.default.contents(atPath: path) ?? Data()
                result[relative] = mode + " " + data.base64EncodedString()
            default:
                result[relative] =
                    mode + " " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "")
            }
        }
        walk(folder.path, "")
        return result
    }
}

/// A requirement rule for `tinyProject(rulesExtra:)` that fails in every year: one finding a year, of `severity`.
func neverHoldingRequirement(severity: String) -> String {
    """
      - id: req.never
        for: city
        require: "city.ev_stock < 0.0"
        severity: \(severity)
        message: the EV stock is never negative

    """
}

extension XCTestCase {
    /// A one-city project whose EV stock grows by a known rule: 1,000 × 1.1 a year from 2020, a wallbox for
    /// every two EVs. `cityExtra` is appended to the profile, `rulesExtra` to the rule list.
    func tinyProject(cityExtra: String = "", rulesExtra: String = "") throws -> URL {
        let files = [
            "Cities/town.yaml": """
            id: town
            name: Town
            province: Test
            base_year: 2020
            evs: 1000
            zones:
              - {id: town-core, kind: urban_core, population: 1000, area_km2: 10, centre: [30.0, 120.0]}

            """ + cityExtra,
            "Cities/rollouts/town-plan.yaml": """
            id: town-plan
            name: Town plan
            operator: Town
            rule_set: basic
            horizon: {first_year: 2020, last_year: 2024}
            cities:
              - {city: town, joins: 2020}

            """,
            "Rules/basic/rules.yaml": """
            currency: CNY
            zone_kinds: [urban_core]
            inputs:
              city:
                evs: {type: number, unit: vehicles, min: 0}
            units:
              wallbox: {access: private, power_kw: 7, ports_per_site: 1, capex_cny: 5000, sessions_per_day: 1, combine: max}
            rules:
              - id: fleet.stock
                for: city
                derive: ev_stock
                initial: "city.evs"
                value: "prev.city.ev_stock * 1.1"
              - id: mix.wallbox
                for: zone
                add: wallbox
                count: "city.ev_stock * 0.5"

            """ + rulesExtra,
        ]
        let dir = try FixtureWorkspace.write(files, prefix: "chargeplan-tiny")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}
