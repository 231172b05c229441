import Foundation
import PlanningEngine

/// Splits a run over machines (`plan --shard I/N`) and joins the pieces (`merge`) into exactly
/// the bytes a single run writes: each shard plans every N-th city of each rollout and leaves,
/// beside its city files, a manifest with what the rollout's summaries need.
public enum Sharding {
    /// Shard `index` of `count`, 1-based.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public let index: Int
        public let count: Int

        /// Parses "I/N" with 1 ≤ I ≤ N ≤ 100,000.
        public init?(parsing text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
                (1...100_000).contains(count), (1...count).contains(index)
            else { return nil }
            self.index = index
            self.count = count
        }

        public var description: String { "\(index)/\(count)" }

        /// The members this shard plans: every `count`-th city of the rollout, by city id.
        public func members(of rollout: Rollout) -> [RolloutMember] {
            rollout.members.sorted { $0.city.value < $1.city.value }.enumerated()
                .filter { $0.offset % count == index - 1 }.map(\.element)
        }

        var manifestName: String { "_shard-\(index)-of-\(count).json" }
    }

    /// What a shard knows of a rollout: the header, its cities' totals, stations and findings.
    struct Manifest: Codable {
        var formatVersion: Int
        var shard: Int
        var shards: Int
        var formats: [String]
        var plan: RolloutPlan
    }

    public struct MergeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The files of one rollout as a shard writes them: its city files and its manifest.
    public static func shardFiles(
        for plan: RolloutPlan, shard: Shard, formats: [PlanFormat]
    ) throws(MergeError) -> [(path: String, content: String)] {
        var slim = plan
        slim.cities = plan.cities.map { $0.summaryOnly(readBy: formats) }
        let manifest = Manifest(
            formatVersion: 1, shard: shard.index, shards: shard.count, formats: formats.map(\.rawValue), plan: slim)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(manifest) } catch {
            throw MergeError(description: "cannot encode the shard manifest: \(error)")
        }
        return PlanOutput.cityFiles(for: plan, formats: formats) + [
            (shard.manifestName, String(decoding: data, as: UTF8.self))
        ]
    }

    /// One shard's output of one rollout: its manifest, its city files and the folder they are in.
    struct Piece {
        var manifest: Manifest
        var cityFiles: [(path: String, content: String)]
        var folder: String
    }

    /// Joins shard folders (each holding `<rollout>/…` as `plan --shard` wrote it) into the files of
    /// each rollout, summaries included. Every shard 1…N of a rollout must be present exactly once.
    public static func merge(
        folders: [String]
    ) throws(MergeError) -> [(rollout: String, files: [(path: String, content: String)])] {
        var pieces: [String: [Piece]] = [:]
        for folder in folders {
            let found = try readPieces(folder: folder)
            if found.isEmpty {
                throw MergeError(description: "\(folder): no shard manifests (write shards with `plan --shard I/N`)")
            }
            for piece in found { pieces[piece.manifest.plan.rollout, default: []].append(piece) }
        }
        var result: [(rollout: String, files: [(path: String, content: String)])] = []
        for rollout in pieces.keys.sorted() {
            let parts = (pieces[rollout] ?? []).sorted { $0.manifest.shard < $1.manifest.shard }
            guard let files = try join(rollout: rollout, parts: parts) else { continue }
            result.append((rollout, files))
        }
        return result
    }

    /// The pieces in one shard folder, a rollout's folder each; a rollout folder without a manifest is skipped.
    private static func readPieces(folder: String) throws(MergeError) -> [Piece] {
        let manager = FileManager.default
        let rollouts = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
        var pieces: [Piece] = []
        for rollout in rollouts {
            let path = folder + "/" + rollout
            let names = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted()
            guard let manifestName = names.first(where: { $0.hasPrefix("_shard-") && $0.hasSuffix(".json") }) else {
                continue
            }
            if names.filter({ $0.hasPrefix("_shard-") }).count > 1 {
                throw MergeError(description: "\(path): more than one shard manifest")
            }
            let manifest: Manifest
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path + "/" + manifestName))
                manifest = try JSONDecoder().decode(Manifest.self, from: data)
            } catch {
                throw MergeError(
                    description: "\(path)/\(manifestName): not a shard manifest (\(error.localizedDescription))")
            }
            guard manifest.formatVersion == 1 else {
                throw MergeError(
                    description: "\(path)/\(manifestName): unknown manifest version \(manifest.formatVersion)")
            }
            var cityFiles: [(path: String, content: String)] = []
            for name in names where !name.hasPrefix("_") && !name.hasPrefix(".") {
                do {
                    cityFiles.append((name, try String(contentsOfFile: path + "/" + name, encoding: .utf8)))
                } catch {
                    throw MergeError(description: "\(path)/\(name): cannot read (\(error.localizedDescription))")
                }
            }
            pieces.append(Piece(manifest: manifest, cityFiles: cityFiles, folder: path))
        }
        return pieces
    }

    /// One rollout's files from its pieces (sorted by shard): every shard once, all from the same inputs and
    /// formats, no city twice; the summaries written from the joined plan.
    private static func join(
        rollout: String, parts: [Piece]
    ) throws(MergeError) -> [(path: String, content: String)]? {
        guard let first = parts.first else { return nil }
        let count = first.manifest.shards
        guard parts.map(\.manifest.shard) == Array(1...count), parts.allSatisfy({ $0.manifest.shards == count })
        else {
            let have = parts.map { "\($0.manifest.shard)/\($0.manifest.shards)" }.joined(separator: ", ")
            throw MergeError(
                description: "rollout \(rollout): need shards 1…\(count) of \(count) once each, have \(have)")
        }
        let header = first.manifest.plan
        for part in parts {
            let plan = part.manifest.plan
            guard plan.name == header.name, plan.operatorName == header.operatorName,
                plan.ruleSet == header.ruleSet,
                plan.firstYear == header.firstYear, plan.lastYear == header.lastYear,
                part.manifest.formats == first.manifest.formats
            else {
                throw MergeError(
                    description:
                        "rollout \(rollout): \(part.folder) was planned from other inputs or formats than \(first.folder)"
                )
            }
        }
        var formats: [PlanFormat] = []
        for name in first.manifest.formats {
            guard let format = PlanFormat(rawValue: name) else {
                throw MergeError(description: "rollout \(rollout): unknown format '\(name)'")
            }
            formats.append(format)
        }
        var merged = header
        merged.cities = parts.flatMap(\.manifest.plan.cities).sorted { $0.city < $1.city }
        var seenInputs: Set<String> = []
        merged.inputs = parts.flatMap(\.manifest.plan.inputs).filter { seenInputs.insert($0.path).inserted }.sorted {
            $0.path < $1.path
        }
        var files = parts.flatMap(\.cityFiles)
        let names = files.map(\.path)
        if Set(names).count != names.count {
            throw MergeError(description: "rollout \(rollout): a city file appears in more than one shard")
        }
        files += PlanOutput.summaryFiles(for: merged, formats: formats)
        return files.sorted { $0.path < $1.path }
    }
}
