import Foundation
import Siting

/// Everything under one project root: Cities/, Cities/rollouts/ and Rules/, loaded and cross-checked.
/// All problems of all files are gathered before anything fails, so one run shows them all.
public struct Workspace: Sendable {
    public var cities: [CityProfile]
    public var rollouts: [Rollout]
    public var ruleSets: [RuleSet]
    /// `Scenarios/<id>.yaml`, sorted by id: overlays `plan --scenario`, `compare` and `sweep` apply (see
    /// `overlaid(scenario:)`); plain `plan` never does.
    public var scenarios: [Scenario] = []

    public func city(_ id: String) -> CityProfile? { cities.first { $0.id.value == id } }
    public func rollout(_ id: String) -> Rollout? { rollouts.first { $0.id.value == id } }
    public func ruleSet(_ id: String) -> RuleSet? { ruleSets.first { $0.id == id } }

    /// The rule sets' deprecation warnings, by place.
    public var deprecations: [Diagnostic] { ruleSets.flatMap(\.deprecations).sorted(by: Diagnostic.sortKey) }

    /// A file the loader read: its path relative to the root and its text.
    public struct SourceFile: Sendable {
        public var path: String
        public var text: String
    }

    /// Reads every input under `root`. Paths in diagnostics are relative to `root`.
    /// A root that is missing, unreadable or holds no Cities/ or Rules/ is an error: planning the wrong
    /// folder must never succeed with nothing.
    public static func load(root: String) throws(DiagnosticsError) -> Workspace {
        let listing = try list(root: root)
        return try load(
            reading: { path throws(DiagnosticsError) in try InputFile.read(root: root, path: path) },
            cityFiles: listing.cityFiles, rolloutFiles: listing.rolloutFiles, ruleFolders: listing.ruleFolders,
            scenarioFiles: listing.scenarioFiles
        )
    }

    /// Reads Rules/ only — the rule sets with their test fixtures — for `chargeplan test`: rule tests plan
    /// their own fixtures, so Cities/ is neither needed nor read. The result has no cities and no rollouts.
    public static func loadRules(root: String) throws(DiagnosticsError) -> Workspace {
        let listing = try list(root: root, rulesOnly: true)
        return try load(
            reading: { path throws(DiagnosticsError) in try InputFile.read(root: root, path: path) },
            cityFiles: [], rolloutFiles: [], ruleFolders: listing.ruleFolders, scenarioFiles: []
        )
    }

    /// Loads from in-memory files (tests, `diff --git`): keys are root-relative paths.
    public static func load(files: [String: String]) throws(DiagnosticsError) -> Workspace {
        let paths = files.keys.sorted()
        let roles = paths.map { (path: $0, role: WorkspaceLayout.role(of: $0)) }
        let cityFiles = roles.filter { $0.role == .city }.map(\.path)
        let rolloutFiles = roles.filter { $0.role == .rollout }.map(\.path)
        let scenarioFiles = roles.filter { $0.role == .scenario }.map(\.path)
        var folders: [String: [String]] = [:]
        var fixtures: [String: [String]] = [:]
        for (path, role) in roles {
            switch role {
            case .ruleFile(let id): folders[id, default: []].append(path)
            case .fixture(let id):
                fixtures[id, default: []].append(path)
                if folders[id] == nil { folders[id] = [] }
            default: continue
            }
        }
        let ruleFolders = folders.keys.sorted().map {
            RuleFolder(id: $0, files: folders[$0] ?? [], fixtures: fixtures[$0] ?? [])
        }
        let reading = { (path: String) throws(DiagnosticsError) -> String in
            guard let text = files[path] else {
                let at = SourcePosition(file: path, line: 1, column: 1)
                throw DiagnosticsError([.error("cannot read file: no such file", at: at, id: .unreadableFile)])
            }
            return text
        }
        return try load(
            reading: reading, cityFiles: cityFiles, rolloutFiles: rolloutFiles,
            ruleFolders: ruleFolders, scenarioFiles: scenarioFiles)
    }

    /// The folder of the scenario files, beside Cities/ and Rules/; optional.
    public static let scenarioFolder = WorkspaceLayout.scenarios

    private static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    /// One `Rules/<id>/` folder: its rule files and its test fixtures (`tests/fixtures/*.yaml`).
    struct RuleFolder {
        var id: String
        var files: [String]
        var fixtures: [String]
    }

    /// A file read and parsed: its text, its content hash and its YAML tree.
    typealias ParsedFile = (text: String, hash: String, root: YAMLNode)

    private static func load(
        reading: (String) throws(DiagnosticsError) -> String,
        cityFiles: [String], rolloutFiles: [String], ruleFolders: [RuleFolder], scenarioFiles: [String]
    ) throws(DiagnosticsError) -> Workspace {
        var bag = DiagnosticBag()
        let ruleSets = ruleFolders.map { loadRuleSet($0, reading: reading, bag: &bag) }
        var rollouts: [Rollout] = []
        let rolloutInputs = { (id: String) in ruleSets.first { $0.id == id }?.inputs(.rollout) }
        for path in rolloutFiles {
            guard let file = parse(path, reading: reading, bag: &bag),
                let rollout = RolloutLoader.load(
                    file.root, file: path, hash: file.hash, declarations: rolloutInputs,
                    bag: &bag)
            else { continue }
            rollouts.append(rollout)
        }
        // A profile is read against the union of the inputs declared by the rule sets whose rollouts
        // include it (by its file name, which must equal its id), or of all rule sets when none does.
        func catalogue(forCity id: String) -> InputCatalogue {
            let used = Set(rollouts.filter { $0.members.contains { $0.city.value == id } }.map(\.ruleSet.value))
            let sets = ruleSets.filter { used.contains($0.id) }
            return InputCatalogue(ruleSets: sets.isEmpty ? ruleSets : sets)
        }
        var cities: [CityProfile] = []
        var unreadableCities: Set<String> = []
        for path in cityFiles {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard
                let city = loadCity(path, stem: stem, catalogue: catalogue(forCity: stem), reading: reading, bag: &bag)
            else {
                unreadableCities.insert(stem)
                continue
            }
            cities.append(city)
        }
        var workspace = Workspace(
            cities: cities.sorted { $0.id.value < $1.id.value },
            rollouts: rollouts.sorted { $0.id.value < $1.id.value },
            ruleSets: ruleSets.sorted { $0.id < $1.id }
        )
        workspace.checkReferences(unreadableCities: unreadableCities, bag: &bag)
        var scenarioInputs: [(path: String, parsed: ParsedFile)] = []
        for path in scenarioFiles {
            if let parsed = parse(path, reading: reading, bag: &bag) { scenarioInputs.append((path, parsed)) }
        }
        workspace.scenarios = loadScenarios(scenarioInputs, in: workspace, bag: &bag)
        try bag.throwIfErrors()
        return workspace
    }

    /// Reads and parses one file; nil, with the reason in `bag`, when either fails.
    private static func parse(
        _ path: String, reading: (String) throws(DiagnosticsError) -> String, bag: inout DiagnosticBag
    ) -> ParsedFile? {
        let text: String
        do { text = try reading(path) } catch {
            bag.append(contentsOf: error.diagnostics)
            return nil
        }
        do {
            return (text, SHA256.hex(text.utf8), try YAMLTreeLoader.parse(text, file: path))
        } catch {
            bag.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// One `Rules/<id>/` folder: its rule files, then its fixtures, then its tests checked against them.
    private static func loadRuleSet(
        _ folder: RuleFolder, reading: (String) throws(DiagnosticsError) -> String, bag: inout DiagnosticBag
    ) -> RuleSet {
        Identifier.validate(
            Located(
                folder.id,
                at: SourcePosition(
                    file: folder.files.first ?? WorkspaceLayout.ruleSet(folder.id),
                    line: 1, column: 1)),
            what: "rule set folder name", bag: &bag)
        var inputs: [RuleSetLoader.FileInput] = []
        for path in folder.files {
            if let file = parse(path, reading: reading, bag: &bag) {
                inputs.append(.init(path: path, text: file.text, hash: file.hash, root: file.root))
            }
        }
        var set = RuleSetLoader.load(id: folder.id, files: inputs, bag: &bag)
        var unreadableFixtures: Set<String> = []
        var parsedFixtures: [(path: String, parsed: ParsedFile?)] = []
        for path in folder.fixtures { parsedFixtures.append((path, parse(path, reading: reading, bag: &bag))) }
        set.fixtures = loadFixtures(parsedFixtures, of: set, unreadable: &unreadableFixtures, bag: &bag)
        // A test naming a fixture that failed to load is not reported again.
        for test in set.tests where !unreadableFixtures.contains(test.city.id.value) {
            RuleTestLoader.checkCity(test, in: set, bag: &bag)
        }
        return set
    }

    /// One city profile with its boundary file; nil when the profile cannot be read or parsed.
    private static func loadCity(
        _ path: String, stem: String, catalogue: InputCatalogue,
        reading: (String) throws(DiagnosticsError) -> String, bag: inout DiagnosticBag
    ) -> CityProfile? {
        guard let file = parse(path, reading: reading, bag: &bag),
            var city = CityLoader.load(file.root, file: path, hash: file.hash, catalogue: catalogue, bag: &bag)
        else { return nil }
        if city.id.value != stem {
            bag.error("city id '\(city.id.value)' differs from its file name '\(stem)'", at: city.id.position)
        }
        if let path = city.boundaryPath, let (outline, hash) = readOutline(path, reading: reading, bag: &bag) {
            city.boundary = outline
            city.boundaryFile = hash
        }
        for index in city.zones.indices {
            guard let path = city.zones[index].outlinePath,
                let (outline, hash) = readOutline(path, reading: reading, bag: &bag)
            else { continue }
            city.zones[index].adopt(outline, file: hash)
        }
        return city
    }

    /// The outline a `boundary: geo/<file>.geojson` names, with the file's hash; nil (reported) when the file
    /// cannot be read or is no valid outline.
    private static func readOutline(
        _ path: Located<String>, reading: (String) throws(DiagnosticsError) -> String, bag: inout DiagnosticBag
    ) -> (Boundary, InputHash)? {
        let file = WorkspaceLayout.cities + "/" + path.value
        do {
            let text = try reading(file)
            guard let outline = BoundaryLoader.parse(text, file: file, from: path.position, bag: &bag) else {
                return nil
            }
            return (outline, InputHash(path: file, sha256: SHA256.hex(text.utf8)))
        } catch {
            bag.error(
                "cannot read the boundary file '\(file)'", at: path.position, hint: error.diagnostics.first?.message)
            return nil
        }
    }

    /// The scenarios, each checked against the workspace it overlays, and applied once so that a result outside a
    /// declared bound is an error now, in `check`, not first in `plan --scenario`.
    private static func loadScenarios(
        _ files: [(path: String, parsed: (text: String, hash: String, root: YAMLNode))],
        in workspace: Workspace, bag: inout DiagnosticBag
    ) -> [Scenario] {
        var scenarios: [Scenario] = []
        for (path, file) in files {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard
                let scenario = ScenarioLoader.load(
                    file.root, file: path, hash: file.hash, workspace: workspace,
                    bag: &bag)
            else { continue }
            if scenario.id.value != stem {
                bag.error(
                    "scenario id '\(scenario.id.value)' differs from its file name '\(stem)'",
                    at: scenario.id.position)
                continue
            }
            if let first = scenarios.first(where: { $0.id.value == scenario.id.value }) {
                bag.error(
                    "duplicate scenario id '\(scenario.id.value)' (first at \(first.id.position))",
                    at: scenario.id.position)
                continue
            }
            do { _ = try workspace.applying(scenario) } catch { bag.append(contentsOf: error.diagnostics) }
            scenarios.append(scenario)
        }
        return scenarios.sorted { $0.id.value < $1.id.value }
    }

    /// The test fixtures of a rule set: city profiles read against that rule set's declarations alone, each
    /// named as its file, with unit ids of the rule set. Sorted by id.
    /// `files`: each fixture's path and its parsed text (nil when it could not be read or parsed, already reported).
    private static func loadFixtures(
        _ files: [(path: String, parsed: (text: String, hash: String, root: YAMLNode)?)],
        of set: RuleSet, unreadable: inout Set<String>,
        bag: inout DiagnosticBag
    ) -> [CityProfile] {
        let catalogue = InputCatalogue(ruleSets: [set])
        var fixtures: [CityProfile] = []
        for (path, parsed) in files {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let file = parsed,
                let city = CityLoader.load(file.root, file: path, hash: file.hash, catalogue: catalogue, bag: &bag)
            else {
                unreadable.insert(stem)
                continue
            }
            if city.id.value != stem {
                bag.error("fixture id '\(city.id.value)' differs from its file name '\(stem)'", at: city.id.position)
            }
            BoundaryLoader.refuseZoneFiles(in: city, bag: &bag)
            ObservationCheck.check(city, against: set, bag: &bag)
            checkUnits(of: city, in: set, bag: &bag)
            fixtures.append(city)
        }
        for test in set.tests {
            guard case .inline(let city) = test.city else { continue }
            BoundaryLoader.refuseZoneFiles(in: city, bag: &bag)
            ObservationCheck.check(city, against: set, bag: &bag)
            checkUnits(of: city, in: set, bag: &bag)
        }
        return fixtures.sorted { $0.id.value < $1.id.value }
    }

    /// Unit ids in a city's existing chargers (city-wide and per zone) that the rule set does not declare.
    private static func checkUnits(of city: CityProfile, in set: RuleSet, bag: inout DiagnosticBag) {
        let unitIDs = Set(set.units.map(\.id.value))
        var counts = [(city.existingChargers, city.existingChargerKeys, "existing_chargers")]
        counts += city.zones.map {
            ($0.existingChargers, $0.existingChargerKeys, "zone '\($0.id.value)' existing_chargers")
        }
        for (chargers, keys, place) in counts {
            for unit in chargers.keys.sorted() where !unitIDs.contains(unit) && !set.unreadableUnits.contains(unit) {
                let suggestion = ScalarReading.closest(to: unit, in: unitIDs.sorted())
                bag.error(
                    "unknown unit type '\(unit)' in \(place) (rule set '\(set.id)')",
                    at: keys[unit] ?? city.id.position,
                    hint: suggestion.map { "did you mean '\($0)'?" }
                        ?? "units: " + unitIDs.sorted().joined(separator: ", "))
            }
        }
    }

    /// Cross-file checks; references to a city whose own file failed are not reported again.
    private func checkReferences(unreadableCities: Set<String>, bag: inout DiagnosticBag) {
        var cityIDs: [String: SourcePosition] = [:]
        var zoneOwners: [String: SourcePosition] = [:]
        for city in cities {
            if let first = cityIDs[city.id.value] {
                bag.error("duplicate city id '\(city.id.value)' (first at \(first))", at: city.id.position)
            }
            cityIDs[city.id.value] = city.id.position
            for zone in city.zones {
                if let first = zoneOwners[zone.id.value], first.file != zone.id.position.file {
                    bag.error(
                        "zone id '\(zone.id.value)' is used by another city too (at \(first))", at: zone.id.position)
                }
                zoneOwners[zone.id.value] = zone.id.position
            }
        }
        var rolloutIDs: [String: SourcePosition] = [:]
        for rollout in rollouts {
            if rollout.id.value == Self.scenarioPlansFolder {
                bag.error(
                    "the rollout id '\(rollout.id.value)' is reserved: plans/\(rollout.id.value)/ holds the "
                        + "plans of `plan --scenario`", at: rollout.id.position,
                    hint: "choose another id (and file name)")
            }
            if let first = rolloutIDs[rollout.id.value] {
                bag.error("duplicate rollout id '\(rollout.id.value)' (first at \(first))", at: rollout.id.position)
            }
            rolloutIDs[rollout.id.value] = rollout.id.position
            if ruleSet(rollout.ruleSet.value) == nil {
                bag.error(
                    "unknown rule set '\(rollout.ruleSet.value)'", at: rollout.ruleSet.position,
                    hint: "rule sets: " + ruleSets.map(\.id).joined(separator: ", "))
            }
            for member in rollout.members {
                guard let city = city(member.city.value) else {
                    if unreadableCities.contains(member.city.value) { continue }
                    let suggestion = ScalarReading.closest(to: member.city.value, in: cities.map(\.id.value))
                    bag.error(
                        "unknown city '\(member.city.value)'", at: member.city.position,
                        hint: suggestion.map { "did you mean '\($0)'?" })
                    continue
                }
                if member.joins < city.baseYear {
                    bag.error(
                        "city '\(city.id.value)' joins in \(member.joins), before its base year \(city.baseYear)",
                        at: member.city.position)
                }
                // The planner starts from the base year: years of the horizon before it would silently be missing.
                if rollout.firstYear < city.baseYear {
                    bag.error(
                        "the horizon starts in \(rollout.firstYear), before the base year \(city.baseYear) "
                            + "of member city '\(city.id.value)'",
                        at: rollout.firstYearPosition ?? rollout.id.position,
                        hint: "start the horizon in \(city.baseYear) or later, "
                            + "or give the city an earlier base year")
                }
            }
        }
        for set in ruleSets {
            for city in cities where usesRuleSet(city, set.id) {
                ObservationCheck.check(city, against: set, bag: &bag)
                Self.checkUnits(of: city, in: set, bag: &bag)
            }
            for rollout in rollouts where rollout.ruleSet.value == set.id {
                ObservationCheck.check(rollout.observed, against: set, bag: &bag)
            }
        }
    }

    /// The folder under an output folder that `plan --scenario ID` writes into (`plans/scenarios/<ID>/`).
    public static let scenarioPlansFolder = "scenarios"

    private func usesRuleSet(_ city: CityProfile, _ ruleSetID: String) -> Bool {
        rollouts.contains { $0.ruleSet.value == ruleSetID && $0.members.contains { $0.city.value == city.id.value } }
    }

    /// Every input file under `root`, root-relative and sorted: Cities/*.yaml, Cities/rollouts/*.yaml, Rules/*/*.yaml,
    /// Rules/*/tests/fixtures/*.yaml, Scenarios/*.yaml.
    public static func inputPaths(root: String) throws(DiagnosticsError) -> [String] {
        let listing = try list(root: root)
        return listing.cityFiles + listing.rolloutFiles + listing.ruleFolders.flatMap { $0.files + $0.fixtures }
            + listing.scenarioFiles
    }

    private struct Listing {
        var cityFiles: [String]
        var rolloutFiles: [String]
        var ruleFolders: [RuleFolder]
        var scenarioFiles: [String] = []
    }

    /// The input files of a workspace; every folder that cannot be listed is an error, and so is a root
    /// without Cities/ or Rules/ or without a single input in them. `rulesOnly`: Rules/ alone (for `test`).
    private static func list(root: String, rulesOnly: Bool = false) throws(DiagnosticsError) -> Listing {
        var bag = DiagnosticBag()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([
                .error(
                    "no workspace at '\(root)': not a folder", at: nil,
                    hint: "run in a folder holding Cities/ and Rules/, or pass --root")
            ])
        }
        for folder in rulesOnly ? [WorkspaceLayout.rules] : [WorkspaceLayout.cities, WorkspaceLayout.rules]
        where !isFolder(root + "/" + folder) {
            bag.error(
                "no \(folder)/ folder in '\(root)': not a chargeplan workspace", at: nil,
                hint: "run in a folder holding Cities/ and Rules/, or pass --root")
        }
        try bag.throwIfErrors()
        let cityFiles = rulesOnly ? [] : listYAML(root: root, folder: WorkspaceLayout.cities, bag: &bag)
        let rollouts = WorkspaceLayout.rollouts
        let rolloutFiles =
            !rulesOnly && (isFolder(root + "/" + rollouts) || exists(root + "/" + rollouts))
            ? listYAML(root: root, folder: rollouts, bag: &bag) : []
        var ruleFolders: [RuleFolder] = []
        for folder in listFolders(root: root, folder: WorkspaceLayout.rules, bag: &bag) {
            let fixtures = WorkspaceLayout.fixtures(ofRuleSet: folder)
            ruleFolders.append(
                RuleFolder(
                    id: folder, files: listYAML(root: root, folder: WorkspaceLayout.ruleSet(folder), bag: &bag),
                    fixtures: isFolder(root + "/" + fixtures) ? listYAML(root: root, folder: fixtures, bag: &bag) : []
                ))
        }
        let scenarioFiles =
            !rulesOnly && (isFolder(root + "/" + scenarioFolder) || exists(root + "/" + scenarioFolder))
            ? listYAML(root: root, folder: scenarioFolder, bag: &bag) : []
        try bag.throwIfErrors()
        if cityFiles.isEmpty && rolloutFiles.isEmpty && ruleFolders.allSatisfy(\.files.isEmpty) {
            throw DiagnosticsError([
                .error(
                    "the workspace '\(root)' holds no city profiles, rollouts or rule sets", at: nil,
                    hint: "Cities/*.yaml, Cities/rollouts/*.yaml and Rules/<id>/*.yaml")
            ])
        }
        return Listing(
            cityFiles: cityFiles, rolloutFiles: rolloutFiles, ruleFolders: ruleFolders,
            scenarioFiles: scenarioFiles)
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// True for anything at `path`, a dangling or looping symbolic link included.
    private static func exists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    }

    private static func contents(root: String, folder: String, bag: inout DiagnosticBag) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted()
        } catch {
            bag.error("cannot list the folder \(folder)/: \(InputFile.reason(root + "/" + folder))", at: nil)
            return []
        }
    }

    private static func listYAML(root: String, folder: String, bag: inout DiagnosticBag) -> [String] {
        contents(root: root, folder: folder, bag: &bag).filter { isYAML($0) && !$0.hasPrefix(".") }.map {
            folder + "/" + $0
        }
    }

    private static func listFolders(root: String, folder: String, bag: inout DiagnosticBag) -> [String] {
        contents(root: root, folder: folder, bag: &bag).filter {
            !$0.hasPrefix(".") && isFolder(root + "/" + folder + "/" + $0)
        }
    }
}
