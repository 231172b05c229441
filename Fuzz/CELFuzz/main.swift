// libFuzzer entry point for the CEL module: parses, checks and evaluates arbitrary input.
// Any crash, trap, hang or sanitizer report is a bug. Build and run: see docs/CEL.md.
// First byte: bit 0 unchecked, bit 1 macros off, bit 2 regular-expression mode (the rest is
// "pattern NUL text": the pattern is compiled and searched directly, and the search must stay
// within the linear bound of 2 × program size × (scalars + 1) steps).

@_cdecl("LLVMFuzzerTestOneInput")
public func celFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    if first & 4 != 0 {
        fuzzRegex(bytes.dropFirst())
        return 0
    }
    let source = String(decoding: bytes.dropFirst(), as: UTF8.self)
    var environment = CELEnvironment()
    environment.typeCheckingEnabled = first & 1 == 0
    environment.macrosEnabled = first & 2 == 0
    environment.declareVariable("x", type: .int)
    environment.declareVariable("d", type: .double)
    environment.declareVariable("s", type: .string)
    environment.declareVariable("l", type: .list(.int))
    environment.declareVariable("m", type: .map(.string, .dyn))
    environment.declareObjectType("Zone", fields: [("id", .string), ("population", .int), ("share", .double)])
    environment.declareVariable("zone", type: .object("Zone"))
    var activation = CELActivation()
    activation.bind("x", .int(7))
    activation.bind("d", .double(2.5))
    activation.bind("s", .string("héllo"))
    activation.bind("l", .list([.int(1), .int(2), .int(3)]))
    activation.bind("m", .map(CELMap([(.string("a"), .int(1)), (.string("b"), .list([]))]) ?? CELMap()))
    activation.bind(
        "zone",
        .object(
            CELObject(typeName: "Zone", fields: ["id": .string("hk-1"), "population": .int(10), "share": .double(0.5)]))
    )
    do {
        let program = try CELProgram(compiling: source, in: environment, costLimit: 5_000)
        _ = program.referencedPaths
        _ = try program.evaluate(activation)
    } catch {
        _ = error.snippet(in: source)
        _ = error.description
    }
    return 0
}

func fuzzRegex(_ input: Slice<UnsafeBufferPointer<UInt8>>) {
    let split = input.firstIndex(of: 0) ?? input.endIndex
    let pattern = String(decoding: input[input.startIndex..<split], as: UTF8.self)
    let text = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : ""
    guard let regex = try? CELRegex(pattern) else { return }
    var steps = 0
    let bound = 2 * regex.size * (text.unicodeScalars.count + 1)
    guard bound <= 20_000_000 else { return }  // keep each input fast
    let found = regex.search(text, stepLimit: Int.max, steps: &steps)
    if steps > bound || found == nil { fatalError("regex search of \(steps) steps exceeds the linear bound \(bound)") }
    // The same search through CEL, with a budget: a value or an error, never a trap.
    var environment = CELEnvironment()
    environment.declareVariable("s", type: .string)
    environment.declareVariable("p", type: .string)
    var activation = CELActivation()
    activation.bind("s", .string(text))
    activation.bind("p", .string(pattern))
    if let program = try? CELProgram(
        compiling: "s.matches(p) == s.matches('(?:' + p + ')')", in: environment,
        costLimit: 1_000_000),
        let value = try? program.evaluate(activation), value != .bool(true)
    {
        fatalError("a pattern and the same pattern in a group disagree")
    }
}
