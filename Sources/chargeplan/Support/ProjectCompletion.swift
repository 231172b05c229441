import ArgumentParser
import Foundation
import PlanningEngine

/// Shell completion of the ids a command names — rollouts, cities, zones, scenarios — read from the project on disk
/// when the shell asks, so a planner tabs through `plan hai…` instead of listing Cities/ by hand. A project that
/// cannot be read completes nothing; completion never prints an error.
enum ProjectCompletion {
    static let rollouts = CompletionKind.custom { words, _, prefix in
        matching(prefix, stems(WorkspaceLayout.rollouts, root: root(in: words)))
    }
    static let cities = CompletionKind.custom { words, _, prefix in
        matching(prefix, stems("Cities", root: root(in: words)))
    }
    static let rolloutsAndCities = CompletionKind.custom { words, _, prefix in
        let root = root(in: words)
        return matching(prefix, stems(WorkspaceLayout.rollouts, root: root) + stems(WorkspaceLayout.cities, root: root))
    }
    static let scenarios = CompletionKind.custom { words, _, prefix in
        matching(prefix, [Scenario.baseline] + stems(Workspace.scenarioFolder, root: root(in: words)))
    }
    /// The zones of the city named on the line (the first word that is a city id), or of every city.
    static let zones = CompletionKind.custom { words, _, prefix in
        guard let workspace = try? Workspace.load(root: root(in: words)) else { return [] }
        let named = workspace.cities.filter { words.contains($0.id.value) }
        let cities = named.isEmpty ? workspace.cities : named
        return matching(prefix, cities.flatMap { $0.zones.map(\.id.value) })
    }

    /// The value of `--root` on the line, or the current folder.
    static func root(in words: [String]) -> String {
        if let index = words.firstIndex(of: "--root"), index + 1 < words.count { return words[index + 1] }
        if let word = words.first(where: { $0.hasPrefix("--root=") }) { return String(word.dropFirst(7)) }
        return "."
    }

    /// The names of the YAML files in `folder`, without their extension, sorted.
    static func stems(_ folder: String, root: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func matching(_ prefix: String, _ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }
    }
}
