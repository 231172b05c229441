import Foundation
import PlanningEngine

/// Splits a sweep over machines (`sweep --shard I/N`) and joins the shards (`merge`) into exactly the files a single
/// `sweep` writes. A shard file is JSON lines: a header (the sweep's identity, the shard, the formats to write),
/// then one line per planned sample with its drawn numbers and its values — every sample, because quantiles and
/// rank correlations cannot be combined from per-shard summaries.
public enum SweepSharding {
    public static let formatVersion = 1

    /// The first line of a shard file.
    struct Header: Codable, Equatable {
        var chargeplanSweepShard: Int
        var shard: Int
        var shards: Int
        var formats: [String]
        /// SHA-256 of the identity as written, so that a reader sees at a glance which shards belong together.
        var sweepSha256: String
        var sweep: SweepSamples.Identity
    }

    /// One planned sample (1-based `sample`, as the outputs number them).
    struct Line: Codable {
        var sample: Int
        var draws: [Double]
        var values: [Double]
    }

    /// A shard's file name: `_sweep-shard-<I>-of-<N>.jsonl`.
    public static func fileName(_ shard: SweepSamples.Shard) -> String {
        "_sweep-shard-\(shard.index)-of-\(shard.count).jsonl"
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Bounds are infinite where nothing bounds a draw.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        // Every value here is plain numbers, strings and arrays: encoding cannot fail.
        String(decoding: (try? encoder().encode(value)) ?? Data(), as: UTF8.self)
    }

    /// The shard file of `samples` (planned for `shard`), which `merge` turns into the files of `formats`.
    public static func shardFile(
        _ samples: SweepSamples, shard: SweepSamples.Shard, formats: [SweepWriter.Format]
    ) -> PlanSetWriter.PlanFile {
        let identity = json(samples.identity)
        let header = Header(
            chargeplanSweepShard: formatVersion, shard: shard.index, shards: shard.count,
            formats: formats.map(\.rawValue), sweepSha256: SHA256.hex(Array(identity.utf8)), sweep: samples.identity)
        var text = json(header) + "\n"
        for (k, index) in samples.indices.enumerated() {
            text += json(Line(sample: index + 1, draws: samples.draws[k], values: samples.values[k])) + "\n"
        }
        return (fileName(shard), text)
    }

    /// One read shard file.
    struct Piece {
        var file: String
        var header: Header
        var samples: SweepSamples
    }

    /// The shard files under `folder`: `<rollout>/_sweep-shard-*.jsonl`, and the same under `scenarios/<id>/`.
    public static func shardFiles(in folder: String) -> [String] {
        let manager = FileManager.default
        func children(_ path: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
        func shards(under root: String) -> [String] {
            children(root).flatMap { rollout in
                children(root + "/" + rollout).filter { $0.hasPrefix("_sweep-shard-") && $0.hasSuffix(".jsonl") }
                    .map { root + "/" + rollout + "/" + $0 }
            }
        }
        let scenarios = folder + "/" + Workspace.scenarioPlansFolder
        return shards(under: folder) + children(scenarios).flatMap { shards(under: scenarios + "/" + $0) }
    }

    static func read(_ file: String) throws(DiagnosticsError) -> Piece {
        func failure(_ message: String, line: Int) -> DiagnosticsError {
            DiagnosticsError([.error(message, at: SourcePosition(file: file, line: line, column: 1))])
        }
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw failure("cannot read the shard file", line: 1)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first,
            let header = try? decoder().decode(Header.self, from: Data(first.utf8))
        else { throw failure("not a sweep shard file (its first line is not a shard header)", line: 1) }
        guard header.chargeplanSweepShard == formatVersion else {
            throw failure("unknown sweep shard version \(header.chargeplanSweepShard)", line: 1)
        }
        guard header.sweepSha256 == SHA256.hex(Array(json(header.sweep).utf8)),
            let perSample = header.sweep.valuesPerSample,
            let shard = SweepSamples.Shard(index: header.shard, count: header.shards),
            header.formats.allSatisfy({ SweepWriter.Format(rawValue: $0) != nil })
        else { throw failure("the shard header is inconsistent (edited or damaged)", line: 1) }
        let expected = shard.indices(samples: header.sweep.samples)
        guard lines.count - 1 == expected.count else {
            throw failure(
                "shard \(shard) of \(header.sweep.samples) samples holds \(expected.count) samples, "
                    + "not \(lines.count - 1) (an interrupted or damaged file)", line: lines.count)
        }
        var draws: [[Double]] = []
        var values: [[Double]] = []
        for (k, index) in expected.enumerated() {
            guard let line = try? decoder().decode(Line.self, from: Data(lines[k + 1].utf8)),
                line.sample == index + 1, line.draws.count == header.sweep.uncertain.count,
                line.values.count == perSample, line.draws.allSatisfy(\.isFinite),
                line.values.allSatisfy(\.isFinite)
            else { throw failure("not sample \(index + 1) of shard \(shard)", line: k + 2) }
            draws.append(line.draws)
            values.append(line.values)
        }
        return Piece(
            file: file, header: header,
            samples: SweepSamples(identity: header.sweep, indices: expected, draws: draws, values: values))
    }

    /// One merged sweep: where its folder goes (`<rollout>`, or `scenarios/<id>/<rollout>`) and its files.
    public struct Merged: Sendable {
        public var scenario: String?
        public var rollout: String
        public var files: [PlanSetWriter.PlanFile]
    }

    /// Reads every shard file under `folders` and joins the shards of each sweep into the files a single run
    /// writes. Errors (nothing merged): a folder without shards, a shard missing or given twice, shards of
    /// different sweeps (seed, sample count, inputs, numbers) or formats of one rollout, a damaged file.
    public static func merge(folders: [String]) throws(DiagnosticsError) -> [Merged] {
        var pieces: [Piece] = []
        for folder in folders {
            let files = shardFiles(in: folder)
            guard !files.isEmpty else {
                throw DiagnosticsError([
                    .error("\(folder): no sweep shard files (write them with `sweep --shard I/N`)", at: nil)
                ])
            }
            for file in files { pieces.append(try read(file)) }
        }
        var groups: [String: [Piece]] = [:]
        for piece in pieces {
            let key =
                (piece.header.sweep.scenario.map { Workspace.scenarioPlansFolder + "/" + $0 + "/" } ?? "")
                + piece.header.sweep.rollout
            groups[key, default: []].append(piece)
        }
        var merged: [Merged] = []
        for key in groups.keys.sorted() {
            let parts = (groups[key] ?? []).sorted { ($0.header.shard, $0.file) < ($1.header.shard, $1.file) }
            guard let first = parts.first else { continue }
            for part in parts.dropFirst() {
                guard part.header.shards == first.header.shards, part.header.sweep == first.header.sweep,
                    part.header.formats == first.header.formats
                else {
                    throw DiagnosticsError([
                        .error(
                            "shard \(part.header.shard)/\(part.header.shards) is of another sweep than "
                                + "\(first.file) (shard \(first.header.shard)/\(first.header.shards)): "
                                + difference(first.header, part.header),
                            at: SourcePosition(file: part.file, line: 1, column: 1))
                    ])
                }
            }
            let have = parts.map(\.header.shard)
            if let doubled = have.indices.dropFirst().first(where: { have[$0] == have[$0 - 1] }) {
                throw DiagnosticsError([
                    .error(
                        "shard \(have[doubled])/\(first.header.shards) of \(key) is given twice "
                            + "(also \(parts[doubled - 1].file))",
                        at: SourcePosition(file: parts[doubled].file, line: 1, column: 1))
                ])
            }
            let missing = (1...first.header.shards).filter { !have.contains($0) }
            guard missing.isEmpty else {
                throw DiagnosticsError([
                    .error(
                        "sweep \(key): shard" + (missing.count == 1 ? " " : "s ")
                            + missing.map { "\($0)/\(first.header.shards)" }.joined(separator: ", ")
                            + " missing (have " + have.map { "\($0)/\(first.header.shards)" }.joined(separator: ", ")
                            + ")", at: nil)
                ])
            }
            guard let joined = SweepSamples.joined(parts.map(\.samples)) else {
                throw DiagnosticsError([.error("sweep \(key): the shards do not hold every sample once", at: nil)])
            }
            let formats = first.header.formats.compactMap(SweepWriter.Format.init(rawValue:))
            merged.append(
                Merged(
                    scenario: first.header.sweep.scenario, rollout: first.header.sweep.rollout,
                    files: SweepWriter.files(try joined.result(), formats: formats)))
        }
        return merged
    }

    /// What two shard headers disagree on, for the message.
    static func difference(_ a: Header, _ b: Header) -> String {
        var differences: [String] = []
        if a.shards != b.shards { differences.append("shard count \(a.shards) and \(b.shards)") }
        if a.sweep.seed != b.sweep.seed { differences.append("seed \(a.sweep.seed) and \(b.sweep.seed)") }
        if a.sweep.samples != b.sweep.samples {
            differences.append("samples \(a.sweep.samples) and \(b.sweep.samples)")
        }
        if a.sweep.inputs != b.sweep.inputs {
            let changed = Set(a.sweep.inputs.map(\.path) + b.sweep.inputs.map(\.path)).sorted().filter { path in
                a.sweep.inputs.first { $0.path == path } != b.sweep.inputs.first { $0.path == path }
            }
            differences.append("inputs " + changed.joined(separator: ", "))
        }
        if a.sweep.uncertain != b.sweep.uncertain { differences.append("the uncertain numbers") }
        if a.formats != b.formats {
            differences.append(
                "formats " + a.formats.joined(separator: "+") + " and " + b.formats.joined(separator: "+"))
        }
        return differences.isEmpty ? "the layout of the values" : differences.joined(separator: "; ")
    }
}
