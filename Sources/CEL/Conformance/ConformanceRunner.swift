import Foundation

/// Runs the cel-spec conformance cases (converted to JSON, see the suite's README) against this
/// implementation. Lives in the library so tests and the `cel-conformance` tool share it.
public struct CELConformanceRunner: Sendable {
    /// Feature tags this implementation supports; cases needing any other tag are skipped.
    public static let supportedFeatures: Set<String> = ["extensions:math", "extensions:bindings"]

    public struct CaseResult: Sendable {
        public enum Outcome: Sendable, Equatable { case passed, failed(String), skipped([String]) }
        public let name: String
        public let isCore: Bool
        public let outcome: Outcome
    }

    public struct FileResult: Sendable {
        public let file: String
        public let cases: [CaseResult]
        public var passed: Int { cases.filter { $0.outcome == .passed }.count }
        public var failed: Int {
            cases.filter { if case .failed = $0.outcome { return true } else { return false } }.count
        }
        public var skipped: Int {
            cases.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
        }
        public var corePassed: Int { cases.filter { $0.isCore && $0.outcome == .passed }.count }
        public var coreTotal: Int { cases.filter(\.isCore).count }
    }

    public struct Report: Sendable {
        public let files: [FileResult]
        public var passed: Int { files.reduce(0) { $0 + $1.passed } }
        public var failed: Int { files.reduce(0) { $0 + $1.failed } }
        public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }
        public var corePassRate: Double {
            let total = files.reduce(0) { $0 + $1.coreTotal }
            return total == 0 ? 1 : Double(files.reduce(0) { $0 + $1.corePassed }) / Double(total)
        }
        /// Passed / (passed + failed) for one file, e.g. "math_ext".
        public func passRate(file: String) -> Double? {
            guard let result = files.first(where: { $0.file == file }) else { return nil }
            let run = result.passed + result.failed
            return run == 0 ? nil : Double(result.passed) / Double(run)
        }
        /// Skipped feature tags with the number of cases each one caused to be skipped.
        public var skippedFeatures: [(tag: String, cases: Int)] {
            var counts: [String: Int] = [:]
            for file in files {
                for result in file.cases {
                    if case .skipped(let tags) = result.outcome {
                        for tag in tags { counts[tag, default: 0] += 1 }
                    }
                }
            }
            return counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
        }
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public init() {}

    /// Runs every `*.json` file in the folder (sorted by name).
    public func run(folder: URL) throws(LoadError) -> Report {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            throw LoadError(description: "cannot read folder \(folder.path): \(error.localizedDescription)")
        }
        var files: [FileResult] = []
        for name in names {
            files.append(try run(file: folder.appendingPathComponent(name)))
        }
        return Report(files: files)
    }

    public func run(file url: URL) throws(LoadError) -> FileResult {
        let cases: [[String: Any]]
        do {
            let data = try Data(contentsOf: url)
            guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
                throw LoadError(description: "\(url.lastPathComponent) is not a JSON array of cases")
            }
            cases = array
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "cannot read \(url.lastPathComponent): \(error.localizedDescription)")
        }
        let fileName = url.deletingPathExtension().lastPathComponent
        return FileResult(file: fileName, cases: cases.map(runCase))
    }

    func runCase(_ testCase: [String: Any]) -> CaseResult {
        let name = [testCase["section"] as? String, testCase["name"] as? String].compactMap { $0 }.joined(
            separator: "/")
        let features = (testCase["features"] as? [String]) ?? []
        let isCore = features.isEmpty
        let unsupported = features.filter { !CELConformanceRunner.supportedFeatures.contains($0) }.sorted()
        if !unsupported.isEmpty {
            return CaseResult(name: name, isCore: isCore, outcome: .skipped(unsupported))
        }
        do {
            let outcome = try evaluateCase(testCase)
            return CaseResult(name: name, isCore: isCore, outcome: outcome)
        } catch {
            return CaseResult(name: name, isCore: isCore, outcome: .failed("harness: \(error)"))
        }
    }

    struct HarnessError: Error, CustomStringConvertible { let description: String }

    private func evaluateCase(_ testCase: [String: Any]) throws -> CaseResult.Outcome {
        guard let expr = testCase["expr"] as? String else { throw HarnessError(description: "case has no expr") }
        var environment = CELEnvironment()
        environment.typeCheckingEnabled = !((testCase["disable_check"] as? Bool) ?? false)
        environment.macrosEnabled = !((testCase["disable_macros"] as? Bool) ?? false)
        environment.container = (testCase["container"] as? String) ?? ""
        for declaration in (testCase["type_env"] as? [[String: Any]]) ?? [] {
            guard let declName = declaration["name"] as? String else { continue }
            if let typeName = declaration["ident"] as? String {
                guard let type = CELType(parsing: typeName) else {
                    throw HarnessError(description: "unknown type \(typeName)")
                }
                environment.declareVariable(declName, type: type)
            } else if declaration["function"] != nil {
                return .failed("custom function declarations (\(declName)) are not supported")
            }
        }
        var activation = CELActivation()
        let bindings = (testCase["bindings"] as? [String: Any]) ?? [:]
        for bindingName in bindings.keys.sorted() {
            guard let typed = bindings[bindingName] else { continue }
            let value = try CELConformanceRunner.value(fromTyped: typed)
            activation.bind(bindingName, value)
            if environment.variableType(bindingName) == nil {
                environment.declareVariable(bindingName, type: .dyn)
            }
        }
        guard let expected = testCase["expected"] as? [String: Any] else {
            throw HarnessError(description: "case has no expected")
        }
        let expectsError = expected["error"] != nil
        let program: CELProgram
        do {
            program = try CELProgram(compiling: expr, in: environment)
        } catch {
            return expectsError ? .passed : .failed("\(error)")
        }
        let result: CELValue
        do {
            result = try program.evaluate(activation)
        } catch {
            return expectsError ? .passed : .failed("\(error)")
        }
        if expectsError { return .failed("expected an error, got \(result)") }
        guard let typedExpected = expected["value"] else {
            return .failed("unsupported expectation \(expected.keys.sorted())")
        }
        let expectedValue = try CELConformanceRunner.value(fromTyped: typedExpected)
        return CELConformanceRunner.sameValue(result, expectedValue)
            ? .passed : .failed("expected \(expectedValue), got \(result)")
    }

    /// Converts a typed JSON value (`{"int": "5"}`, `{"list": [...]}`, …) to a CEL value.
    static func value(fromTyped json: Any) throws -> CELValue {
        guard let object = json as? [String: Any], let (kind, payload) = object.first, object.count == 1 else {
            throw HarnessError(description: "malformed typed value")
        }
        switch kind {
        case "int":
            guard let text = payload as? String, let v = Int64(text) else { throw HarnessError(description: "bad int") }
            return .int(v)
        case "uint":
            guard let text = payload as? String, let v = UInt64(text) else {
                throw HarnessError(description: "bad uint")
            }
            return .uint(v)
        case "double":
            if let number = payload as? NSNumber { return .double(number.doubleValue) }
            switch payload as? String {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default: throw HarnessError(description: "bad double")
            }
        case "string":
            guard let text = payload as? String else { throw HarnessError(description: "bad string") }
            return .string(text)
        case "bytes":
            guard let text = payload as? String, let data = Data(base64Encoded: text) else {
                throw HarnessError(description: "bad bytes")
            }
            return .bytes(Array(data))
        case "bool":
            guard let number = payload as? NSNumber else { throw HarnessError(description: "bad bool") }
            return .bool(number.boolValue)
        case "null":
            return .null
        case "list":
            guard let items = payload as? [Any] else { throw HarnessError(description: "bad list") }
            return .list(try items.map { try value(fromTyped: $0) })
        case "map":
            guard let pairs = payload as? [[Any]] else { throw HarnessError(description: "bad map") }
            var map = CELMap()
            for pair in pairs {
                guard pair.count == 2 else { throw HarnessError(description: "bad map entry") }
                map.insert(try value(fromTyped: pair[0]), try value(fromTyped: pair[1]))
            }
            return .map(map)
        case "type":
            guard let name = payload as? String, let type = CELType(parsing: name) else {
                throw HarnessError(description: "bad type")
            }
            return .type(type)
        default:
            throw HarnessError(description: "unsupported value kind '\(kind)'")
        }
    }

    /// Equality for expectations: kinds must match exactly, NaN matches NaN, map order is ignored.
    static func sameValue(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || x == y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameValue($0.0, $0.1) }
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x.entries {
                guard let match = y.entries.first(where: { sameValue($0.key, key) }), sameValue(value, match.value)
                else { return false }
            }
            return true
        case (.type(let x), .type(let y)): return x.runtimeName == y.runtimeName
        default: return a == b
        }
    }

    /// The text the command-line tool prints.
    public static func format(_ report: Report, verbose: Bool) -> String {
        var lines: [String] = []
        for file in report.files {
            lines.append("\(file.file): \(file.passed) passed, \(file.failed) failed, \(file.skipped) skipped")
            if verbose {
                for result in file.cases {
                    if case .failed(let why) = result.outcome {
                        lines.append("  FAIL \(result.name): \(why)")
                    }
                }
            }
        }
        let skipped = report.skippedFeatures
        if !skipped.isEmpty {
            lines.append("skipped feature tags: " + skipped.map { "\($0.tag) (\($0.cases))" }.joined(separator: ", "))
        }
        lines.append(String(format: "core pass rate: %.1f%%", report.corePassRate * 100))
        lines.append("\(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped")
        return lines.joined(separator: "\n")
    }
}
