import TestSupport
import XCTest
@testable import PlanReview
@testable import PlanWriters
@testable import PlanningEngine

final class InputSchemasTests: XCTestCase {
    private func kind(of path: String) -> InputSchemas.Kind {
        if path.hasPrefix("Cities/rollouts/") { return .rollout }
        if path.hasPrefix("Rules/"), !path.contains("/tests/fixtures/") { return .rules }
        if path.hasPrefix("Scenarios/") { return .scenario }
        return .city
    }

    /// The schema a bundled file is validated against: a fixture's is its rule set's own city schema.
    private func schema(for path: String) throws -> SchemaValue {
        let parts = path.split(separator: "/").map(String.init)
        if parts.count == 5, parts[2] == "tests" {
            let set = try XCTUnwrap(try Workspace.load(files: FixtureWorkspace.inputs()).ruleSet(parts[1]))
            return InputSchemas.citySchema(of: set)
        }
        return try schema(kind(of: path))
    }

    /// The schemas of the bundled project: the city schema's inputs come from its rule sets.
    private func schema(_ kind: InputSchemas.Kind) throws -> SchemaValue {
        InputSchemas.schema(kind, ruleSets: try Workspace.load(files: FixtureWorkspace.inputs()).ruleSets)
    }

    private func text(_ kind: InputSchemas.Kind) throws -> String {
        InputSchemas.text(kind, ruleSets: try Workspace.load(files: FixtureWorkspace.inputs()).ruleSets)
    }

    func testEveryBundledFileMatchesItsSchema() throws {
        let files = FixtureWorkspace.inputFiles()
        XCTAssertGreaterThan(files.count, 60)
        for path in files {
            let text = try FixtureWorkspace.read(path)
            let node = try YAMLTreeLoader.parse(text, file: path)
            let errors = SchemaValidator(root: try schema(for: path)).validate(node)
            XCTAssertEqual(errors, [], path)
        }
    }

    func testBundledFilesPointAtTheirSchema() throws {
        for path in FixtureWorkspace.inputFiles() {
            let first = try FixtureWorkspace.read(path).split(separator: "\n").first.map(String.init)
            XCTAssertEqual(first, YAMLFormatter.schemaLine(forPath: path), path)
            if let line = first, let range = line.range(of: "$schema=") {
                let target = URL(fileURLWithPath: FixtureWorkspace.rootPath + "/" + path).deletingLastPathComponent()
                    .appendingPathComponent(String(line[range.upperBound...])).standardizedFileURL.path
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(path): \(target)")
            }
        }
    }

    /// schemas/*.json are generated: `swift run chargeplan schema`; no file there is left over.
    func testCommittedSchemasAreUpToDate() throws {
        let files = SchemaFiles.all(ruleSets: try Workspace.load(files: FixtureWorkspace.inputs()).ruleSets)
        XCTAssertEqual(
            files.map(\.fileName),
            [
                "city.schema.json", "rollout.schema.json", "rules.schema.json", "scenario.schema.json",
                "city.china.schema.json", "plan.schema.json", "plan-summary.schema.json", "diff.schema.json",
                "compare.schema.json", "sweep.schema.json", "geojson.schema.json",
            ])
        for file in files {
            let committed = try FixtureWorkspace.read("schemas/" + file.fileName)
            XCTAssertEqual(
                committed, file.text,
                "schemas/\(file.fileName) is stale; run: swift run chargeplan schema")
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: FixtureWorkspace.rootPath + "/schemas")
            .sorted()
        XCTAssertEqual(present, files.map(\.fileName).sorted(), "schemas/ holds a file the command does not write")
    }

    func testSchemasAreValidJSON() throws {
        for file in SchemaFiles.all(ruleSets: try Workspace.load(files: FixtureWorkspace.inputs()).ruleSets) {
            let object = try JSONSerialization.jsonObject(with: Data(file.text.utf8))
            XCTAssertNotNil(object as? [String: Any], file.fileName)
        }
    }

    /// A declared number may be a series in the schema as in the loader; its values keep their range.
    func testSeriesOfDeclaredNumbers() throws {
        let city = try FixtureWorkspace.read("Cities/changzhou.yaml")
        let validator = SchemaValidator(root: try schema(.city))
        let series = city.replacingOccurrences(
            of: "annual_sales: 72600 ",
            with: "annual_sales: {2019: 72600, 2024: 80000} ")
        XCTAssertNotEqual(series, city)
        XCTAssertEqual(validator.validate(try YAMLTreeLoader.parse(series, file: "Cities/changzhou.yaml")), [])
        var files = try FixtureWorkspace.inputs()
        files["Cities/changzhou.yaml"] = series
        XCTAssertNoThrow(try Workspace.load(files: files))
        let negative = city.replacingOccurrences(of: "annual_sales: 72600 ", with: "annual_sales: {2019: -1} ")
        XCTAssertFalse(validator.validate(try YAMLTreeLoader.parse(negative, file: "Cities/changzhou.yaml")).isEmpty)
        files["Cities/changzhou.yaml"] = negative
        XCTAssertThrowsError(try Workspace.load(files: files))
    }

    /// The schema rejects what the loader rejects, for a sample of mistakes.
    func testSchemaRejectsWhatTheLoaderRejects() throws {
        let city = try FixtureWorkspace.read("Cities/changzhou.yaml")
        let mistakes = [
            city.replacingOccurrences(of: "kind: urban_core", with: "kind: downtown"),
            city.replacingOccurrences(of: "home_parking_share: 0.78", with: "home_parking_share: 1.78"),
            city.replacingOccurrences(of: "province: Jiangsu", with: "province: Jiangsu\nprovnce: x"),
            city.replacingOccurrences(of: "centre: [31.78, 119.97]", with: "centre: [31.78]"),
            city.replacingOccurrences(of: "  scrappage_rate: 0.03", with: "  scrapage_rate: 0.03"),
        ]
        let validator = SchemaValidator(root: try schema(.city))
        for (index, text) in mistakes.enumerated() {
            XCTAssertNotEqual(text, city, "mistake \(index) did not apply")
            let node = try YAMLTreeLoader.parse(text, file: "Cities/changzhou.yaml")
            XCTAssertFalse(validator.validate(node).isEmpty, "mistake \(index)")
            var files = try FixtureWorkspace.inputs()
            files["Cities/changzhou.yaml"] = text
            XCTAssertThrowsError(try Workspace.load(files: files), "mistake \(index)")
        }
        let rule = """
            rules:
              - id: x
                for: zone
                add: fast
                cap: fast
                count: "1"
                max: "2"
            """
        let node = try YAMLTreeLoader.parse(rule, file: "Rules/x/x.yaml")
        XCTAssertFalse(SchemaValidator(root: try schema(.rules)).validate(node).isEmpty)
    }

    /// Each rule set's city schema holds exactly its own inputs (types, ranges, units in the description, defaults,
    /// the series form); the union schema holds every rule set's.
    func testACitySchemaPerRuleSet() throws {
        var files = try FixtureWorkspace.inputs()
        files["Rules/solar/solar.yaml"] = """
            currency: EUR
            zone_kinds: [island]
            inputs:
              zone:
                solar_kw: {type: number, unit: kW, min: 0, max: 5000, default: 0, doc: "rooftop solar"}
            """
        let sets = try Workspace.load(files: files).ruleSets
        let solar = try XCTUnwrap(sets.first { $0.id == "solar" })
        let china = try XCTUnwrap(sets.first { $0.id == "china" })
        XCTAssertEqual(
            InputSchemas.files(ruleSets: sets).map(\.fileName),
            [
                "city.schema.json", "rollout.schema.json", "rules.schema.json", "scenario.schema.json",
                "city.china.schema.json", "city.solar.schema.json",
            ])
        // A zone is one of two shapes (area and centre, or an outline file), each with the rule set's inputs.
        func zoneProperties(_ schema: SchemaValue, shape: Int = 0) -> SchemaValue? {
            let shapes = schema["properties"]?["zones"]?["items"]?["oneOf"]?.arrayValue ?? []
            XCTAssertEqual(shapes.count, 2)
            return shapes.indices.contains(shape) ? shapes[shape]["properties"] : nil
        }
        XCTAssertNotNil(zoneProperties(InputSchemas.citySchema(of: solar), shape: 1)?["solar_kw"])
        let own = try XCTUnwrap(zoneProperties(InputSchemas.citySchema(of: solar))?["solar_kw"])
        XCTAssertEqual(own["description"]?.stringValue, "rooftop solar; in kW; default: 0")
        XCTAssertEqual(own["default"]?.doubleValue, 0)
        let options = try XCTUnwrap(own["oneOf"]?.arrayValue)
        XCTAssertEqual(options.first?["minimum"]?.doubleValue, 0)
        XCTAssertEqual(options.first?["maximum"]?.doubleValue, 5000)
        XCTAssertEqual(options.last?["additionalProperties"]?["maximum"]?.doubleValue, 5000, "a series keeps the range")
        XCTAssertNil(zoneProperties(InputSchemas.citySchema(of: china))?["solar_kw"])
        XCTAssertNil(zoneProperties(InputSchemas.citySchema(of: solar))?["grid_headroom_kw"])
        XCTAssertNotNil(zoneProperties(InputSchemas.schema(.city, ruleSets: sets))?["solar_kw"])
        // The china fixture validates against its own schema, not with another rule set's key.
        let fixture = try FixtureWorkspace.read("Rules/china/tests/fixtures/changzhou.yaml")
        let validator = SchemaValidator(root: InputSchemas.citySchema(of: china))
        XCTAssertEqual(validator.validate(try YAMLTreeLoader.parse(fixture, file: "f.yaml")), [])
        let foreign = fixture.replacingOccurrences(
            of: "    grid_headroom_kw: 101152 ",
            with: "    solar_kw: 1\n    grid_headroom_kw: 101152 ")
        XCTAssertNotEqual(foreign, fixture)
        XCTAssertFalse(validator.validate(try YAMLTreeLoader.parse(foreign, file: "f.yaml")).isEmpty)
    }

    /// A rule test's city is a fixture id or an inline profile; given values may be lists and bools.
    func testTheRulesSchemaTakesInlineCitiesAndTypedGivens() throws {
        let validator = SchemaValidator(root: try schema(.rules))
        let inline = try YAMLTreeLoader.parse(RuleTestRunnerTests.inlineCity, file: "Rules/china/zz.yaml")
        XCTAssertEqual(validator.validate(inline), [])
        let typed = """
            tests:
              - {name: t, city: changzhou, year: 2019, given: {params.x: [1, 2], zone.sparse: true, city.vehicles.stock: 1}}
            """
        XCTAssertEqual(validator.validate(try YAMLTreeLoader.parse(typed, file: "Rules/china/zz.yaml")), [])
        let bad = RuleTestRunnerTests.inlineCity.replacingOccurrences(
            of: "home_parking_share: 0.5",
            with: "home_parking_shar: 0.5")
        XCTAssertFalse(validator.validate(try YAMLTreeLoader.parse(bad, file: "Rules/china/zz.yaml")).isEmpty)
    }

    /// `inputs: rollout:` becomes the rollout schema's `inputs`: range, default and doc of each input, no other
    /// key; `inputs:` itself is required exactly when an input has no default, as the loader has it.
    func testTheRolloutSchemaHoldsTheDeclaredInputs() throws {
        let declaration = """
            inputs:
              rollout:
                market_share: {type: number, unit: share, min: 0, max: 1, default: 1.0, doc: "the operator's share"}

            """
        var files = Fixture.files
        files["Rules/basic/rollout-inputs.yaml"] = declaration
        let schema = InputSchemas.schema(.rollout, ruleSets: try Workspace.load(files: files).ruleSets)
        let share = try XCTUnwrap(schema["properties"]?["inputs"]?["properties"]?["market_share"])
        XCTAssertEqual(share["default"]?.doubleValue, 1.0)
        XCTAssertEqual(share["description"]?.stringValue, "the operator's share; in share; default: 1")
        let scalar = try XCTUnwrap(share["oneOf"]?.arrayValue?.first)
        XCTAssertEqual(scalar["minimum"]?.doubleValue, 0)
        XCTAssertEqual(scalar["maximum"]?.doubleValue, 1)
        XCTAssertEqual(schema["properties"]?["inputs"]?["additionalProperties"].map { "\($0)" }, "bool(false)")
        XCTAssertFalse(schema["required"]?.arrayValue?.contains { $0.stringValue == "inputs" } ?? true)
        // Without a default the input is required, and so is `inputs:`, as the loader has it.
        files = files.filter { !$0.key.hasPrefix("Cities/rollouts/") }
        files["Rules/basic/rollout-inputs.yaml"] = declaration.replacingOccurrences(of: ", default: 1.0", with: "")
        let strict = InputSchemas.schema(.rollout, ruleSets: try Workspace.load(files: files).ruleSets)
        XCTAssertTrue(strict["required"]?.arrayValue?.contains { $0.stringValue == "inputs" } ?? false)
        XCTAssertEqual(
            strict["properties"]?["inputs"]?["required"]?.arrayValue?.compactMap(\.stringValue),
            ["market_share"])
    }
}
