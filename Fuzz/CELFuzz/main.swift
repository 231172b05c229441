// libFuzzer entry point for the CEL module: parses, checks and evaluates arbitrary input.
// Any crash, trap, hang or sanitizer report is a bug. Build and run: see docs/CEL.md.

@_cdecl("LLVMFuzzerTestOneInput")
public func celFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
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
    activation.bind("zone", .object(CELObject(typeName: "Zone", fields: ["id": .string("hk-1"), "population": .int(10), "share": .double(0.5)])))
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
