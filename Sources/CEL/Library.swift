import Foundation

/// Implementations receive the frame so that work growing with the operands is spent on the
/// evaluation's cost budget.
typealias UnaryImpl = @Sendable (CELValue, SourcePosition, inout Frame) throws(CELError) -> CELValue
typealias BinaryImpl = @Sendable (CELValue, CELValue, SourcePosition, inout Frame) throws(CELError) -> CELValue
typealias VariadicImpl = @Sendable ([CELValue], SourcePosition, inout Frame) throws(CELError) -> CELValue

/// One typed signature of a function, for the checker.
struct Overload: Sendable {
    let receiver: Bool
    let params: [CELType]
    let result: CELType
}

enum FunctionImpl: Sendable {
    case unary(UnaryImpl)
    case binary(BinaryImpl)
    case variadic(VariadicImpl)
}

/// A library function: its signatures and its run-time implementation (which dispatches on
/// the values, so it also serves unchecked expressions).
struct FunctionDefinition: Sendable {
    let name: String
    let overloads: [Overload]
    let impl: FunctionImpl
}

/// The standard library and the math extension.
enum Library {
    static let functions: [String: FunctionDefinition] = {
        var table: [String: FunctionDefinition] = [:]
        func add(_ name: String, _ overloads: [Overload], _ impl: FunctionImpl) {
            table[name] = FunctionDefinition(name: name, overloads: overloads, impl: impl)
        }
        func global(_ params: [CELType], _ result: CELType) -> Overload {
            Overload(receiver: false, params: params, result: result)
        }
        func member(_ params: [CELType], _ result: CELType) -> Overload {
            Overload(receiver: true, params: params, result: result)
        }

        add(
            "size",
            [
                global([.string], .int), global([.bytes], .int), global([.list(.dyn)], .int),
                global([.map(.dyn, .dyn)], .int),
                member([.string], .int), member([.bytes], .int), member([.list(.dyn)], .int),
                member([.map(.dyn, .dyn)], .int),
            ],
            .unary { value, position, frame throws(CELError) in try Runtime.size(value, position, &frame) })

        func stringPredicate(_ name: String) {
            let test = Library.stringPredicate(name)
            add(
                name, [member([.string, .string], .bool)],
                .binary { lhs, rhs, position, frame throws(CELError) in
                    guard case .string(let a) = lhs, case .string(let b) = rhs else {
                        throw Runtime.noOverload(name, [lhs, rhs], position)
                    }
                    return .bool(try test(a, b, &frame, position))
                })
        }
        stringPredicate("contains")
        stringPredicate("startsWith")
        stringPredicate("endsWith")
        let matchesOverloads = [member([.string, .string], .bool), global([.string, .string], .bool)]
        add(
            "matches", matchesOverloads,
            .binary { lhs, rhs, position, frame throws(CELError) in
                guard case .string(let text) = lhs, case .string(let pattern) = rhs else {
                    throw Runtime.noOverload("matches", [lhs, rhs], position)
                }
                let regex = try Runtime.compileRegex(pattern, position, &frame)
                return .bool(try Runtime.matches(text, regex, &frame, position))
            })

        add(
            "int", [global([.int], .int), global([.uint], .int), global([.double], .int), global([.string], .int)],
            .unary { v, p, frame throws(CELError) in try Runtime.toInt(v, p, &frame) })
        add(
            "uint",
            [global([.uint], .uint), global([.int], .uint), global([.double], .uint), global([.string], .uint)],
            .unary { v, p, frame throws(CELError) in try Runtime.toUInt(v, p, &frame) })
        add(
            "double",
            [
                global([.double], .double), global([.int], .double), global([.uint], .double),
                global([.string], .double),
            ],
            .unary { v, p, frame throws(CELError) in try Runtime.toDouble(v, p, &frame) })
        add(
            "string",
            [
                global([.string], .string), global([.int], .string), global([.uint], .string),
                global([.double], .string),
                global([.bytes], .string), global([.bool], .string),
            ],
            .unary { v, p, frame throws(CELError) in try Runtime.toString(v, p, &frame) })
        add(
            "bytes", [global([.bytes], .bytes), global([.string], .bytes)],
            .unary { v, p, frame throws(CELError) in try Runtime.toBytes(v, p, &frame) })
        add(
            "bool", [global([.bool], .bool), global([.string], .bool)],
            .unary { v, p, frame throws(CELError) in try Runtime.toBool(v, p, &frame) })
        add("type", [global([.dyn], .type)], .unary { v, _, _ in Runtime.typeOf(v) })
        add("dyn", [global([.dyn], .dyn)], .unary { v, _, _ in v })

        // Math extension.
        func doubleFunction(_ name: String, _ op: @escaping @Sendable (Double) -> Double) {
            add(
                name, [global([.double], .double)],
                .unary { value, position, _ throws(CELError) in
                    guard case .double(let d) = value else { throw Runtime.noOverload(name, [value], position) }
                    return .double(op(d))
                })
        }
        doubleFunction("math.ceil") { $0.rounded(.up) }
        doubleFunction("math.floor") { $0.rounded(.down) }
        doubleFunction("math.round") { $0.rounded(.toNearestOrAwayFromZero) }
        doubleFunction("math.trunc") { $0.rounded(.towardZero) }
        func doublePredicate(_ name: String, _ test: @escaping @Sendable (Double) -> Bool) {
            add(
                name, [global([.double], .bool)],
                .unary { value, position, _ throws(CELError) in
                    guard case .double(let d) = value else { throw Runtime.noOverload(name, [value], position) }
                    return .bool(test(d))
                })
        }
        doublePredicate("math.isNaN") { $0.isNaN }
        doublePredicate("math.isInf") { $0.isInfinite }
        doublePredicate("math.isFinite") { $0.isFinite }
        let signed = [global([.int], .int), global([.uint], .uint), global([.double], .double)]
        add(
            "math.abs", signed,
            .unary { value, position, _ throws(CELError) in
                switch value {
                case .int(let i):
                    if i == Int64.min { throw Runtime.overflow(position) }
                    return .int(i < 0 ? -i : i)
                case .uint: return value
                case .double(let d): return .double(abs(d))
                default: throw Runtime.noOverload("math.abs", [value], position)
                }
            })
        add(
            "math.sign", signed,
            .unary { value, position, _ throws(CELError) in
                switch value {
                case .int(let i): return .int(i > 0 ? 1 : (i < 0 ? -1 : 0))
                case .uint(let u): return .uint(u > 0 ? 1 : 0)
                case .double(let d):
                    if d.isNaN { return .double(.nan) }
                    return .double(d > 0 ? 1 : (d < 0 ? -1 : 0))
                default: throw Runtime.noOverload("math.sign", [value], position)
                }
            })
        func bitwise(
            _ name: String, _ intOp: @escaping @Sendable (Int64, Int64) -> Int64,
            _ uintOp: @escaping @Sendable (UInt64, UInt64) -> UInt64
        ) {
            let overloads = [global([.int, .int], .int), global([.uint, .uint], .uint)]
            add(
                name, overloads,
                .binary { lhs, rhs, position, _ throws(CELError) in
                    switch (lhs, rhs) {
                    case (.int(let a), .int(let b)): return .int(intOp(a, b))
                    case (.uint(let a), .uint(let b)): return .uint(uintOp(a, b))
                    default: throw Runtime.noOverload(name, [lhs, rhs], position)
                    }
                })
        }
        bitwise("math.bitAnd", { $0 & $1 }, { $0 & $1 })
        bitwise("math.bitOr", { $0 | $1 }, { $0 | $1 })
        bitwise("math.bitXor", { $0 ^ $1 }, { $0 ^ $1 })
        let integers = [global([.int], .int), global([.uint], .uint)]
        add(
            "math.bitNot", integers,
            .unary { value, position, _ throws(CELError) in
                switch value {
                case .int(let i): return .int(~i)
                case .uint(let u): return .uint(~u)
                default: throw Runtime.noOverload("math.bitNot", [value], position)
                }
            })
        func shift(_ name: String, left: Bool) {
            let overloads = [global([.int, .int], .int), global([.uint, .int], .uint)]
            add(
                name, overloads,
                .binary { lhs, rhs, position, _ throws(CELError) in
                    guard case .int(let amount) = rhs else { throw Runtime.noOverload(name, [lhs, rhs], position) }
                    guard amount >= 0 else { throw Runtime.fail("\(name): negative shift amount \(amount)", position) }
                    switch lhs {
                    case .int(let a):
                        if amount >= 64 { return .int(0) }
                        let bits = UInt64(bitPattern: a)
                        return .int(Int64(bitPattern: left ? bits << UInt64(amount) : bits >> UInt64(amount)))
                    case .uint(let a):
                        if amount >= 64 { return .uint(0) }
                        return .uint(left ? a << UInt64(amount) : a >> UInt64(amount))
                    default: throw Runtime.noOverload(name, [lhs, rhs], position)
                    }
                })
        }
        shift("math.bitShiftLeft", left: true)
        shift("math.bitShiftRight", left: false)
        func extremum(_ name: String, greatest: Bool) {
            add(
                name, [],
                .variadic { args, position, frame throws(CELError) in
                    var candidates = args
                    if args.count == 1, case .list(let items) = args[0] {
                        candidates = items
                        try frame.spend(items.count, position)
                    }
                    guard var best = candidates.first else {
                        throw Runtime.fail("\(name) requires at least one argument", position)
                    }
                    for candidate in candidates {
                        switch candidate {
                        case .int, .uint, .double: break
                        default: throw Runtime.noOverload(name, [candidate], position)
                        }
                    }
                    switch best {
                    case .int, .uint, .double: break
                    default: throw Runtime.noOverload(name, [best], position)
                    }
                    for candidate in candidates.dropFirst() {
                        if case .double(let d) = candidate, d.isNaN { return candidate }
                        if case .double(let d) = best, d.isNaN { return best }
                        guard let order = Runtime.compareNumbers(candidate, best) else { continue }
                        if greatest ? order > 0 : order < 0 { best = candidate }
                    }
                    return best
                })
        }
        extremum("math.greatest", greatest: true)
        extremum("math.least", greatest: false)
        let sumOverloads = [
            global([.list(.int)], .int), global([.list(.uint)], .uint),
            global([.list(.double)], .double),
        ]
        add(
            "math.sum", sumOverloads,
            .unary { value, position, frame throws(CELError) in
                try Library.sum(value, empty: .int(0), position, &frame)
            })
        let meanOverloads = [
            global([.list(.int)], .double), global([.list(.uint)], .double),
            global([.list(.double)], .double),
        ]
        add(
            "math.mean", meanOverloads,
            .unary { value, position, frame throws(CELError) in
                try Library.mean(value, position, &frame)
            })
        // Planner extension (ours): queueing.
        add(
            "queue.servers", [global([.double, .double, .double], .double)],
            .variadic { args, position, frame throws(CELError) in
                guard args.count == 3 else {
                    throw Runtime.fail("queue.servers takes 3 arguments, got \(args.count)", position)
                }
                var numbers: [Double] = []
                for arg in args {
                    switch arg {
                    case .double(let d): numbers.append(d)
                    case .int(let i): numbers.append(Double(i))
                    case .uint(let u): numbers.append(Double(u))
                    default: throw Runtime.noOverload("queue.servers", args, position)
                    }
                }
                return .double(
                    try Library.erlangCServers(
                        arrivalsPerHour: numbers[0], hoursPerSession: numbers[1],
                        maxWaitProbability: numbers[2], position, &frame))
            })
        return table
    }()

    /// The numbers of a list for `math.sum` / `math.mean`, one cost unit per element; all of one
    /// numeric kind (CEL does not mix int, uint and double).
    private static func numbers(
        _ name: String, _ value: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> [CELValue] {
        guard case .list(let items) = value else { throw Runtime.noOverload(name, [value], position) }
        try frame.spend(items.count, position)
        guard let first = items.first else { return [] }
        for item in items {
            switch (first, item) {
            case (.int, .int), (.uint, .uint), (.double, .double): continue
            case (.int, .uint), (.int, .double), (.uint, .int), (.uint, .double), (.double, .int), (.double, .uint):
                let kinds = "\(first.celType.runtimeName) and \(item.celType.runtimeName)"
                let advice = "convert the elements first (e.g. double(x))"
                throw Runtime.fail("\(name): the list mixes \(kinds); \(advice)", position)
            default: throw Runtime.noOverload(name, [item], position)
            }
        }
        return items
    }

    private static func checkedSum<T: FixedWidthInteger>(
        _ values: [T], _ position: SourcePosition
    ) throws(CELError) -> T {
        var total: T = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { throw Runtime.overflow(position) }
            total = next
        }
        return total
    }

    /// `math.sum(list)`: `empty` for an empty list (0 of the checked element type); ints and
    /// uints fail on overflow, doubles add as IEEE doubles, in list order.
    static func sum(
        _ value: CELValue, empty: CELValue, _ position: SourcePosition,
        _ frame: inout Frame
    ) throws(CELError) -> CELValue {
        let items = try numbers("math.sum", value, position, &frame)
        guard let first = items.first else { return empty }
        switch first {
        case .int:
            return .int(try checkedSum(items.compactMap { if case .int(let i) = $0 { i } else { nil } }, position))
        case .uint:
            return .uint(try checkedSum(items.compactMap { if case .uint(let u) = $0 { u } else { nil } }, position))
        default:
            var total = 0.0
            for case .double(let d) in items { total += d }
            return .double(total)
        }
    }

    /// `math.mean(list)`: the sum as a double over the count; an empty list is an error.
    static func mean(_ value: CELValue, _ position: SourcePosition, _ frame: inout Frame) throws(CELError) -> CELValue {
        let items = try numbers("math.mean", value, position, &frame)
        guard !items.isEmpty else { throw Runtime.fail("math.mean of an empty list", position) }
        var total = 0.0
        for item in items {
            switch item {
            case .int(let i): total += Double(i)
            case .uint(let u): total += Double(u)
            case .double(let d): total += d
            default: throw Runtime.noOverload("math.mean", [item], position)
            }
        }
        return .double(total / Double(items.count))
    }

    /// The largest offered load (erlangs) `queue.servers` accepts: a million servers is beyond any charging hub.
    static let maxOfferedLoad = 1e6

    /// `queue.servers(λ, h, p)`: the least number of servers c with an Erlang-C probability of waiting
    /// P(wait) ≤ p for Poisson arrivals at λ an hour each holding a server h hours (offered load A = λh).
    /// Erlang B by its recurrence B(0) = 1, B(c) = A·B(c−1) / (c + A·B(c−1)) (every term in [0, 1], so
    /// no factorial or power overflows), then C(c) = c·B / (c − A·(1 − B)) for c > A; c ≤ A is unstable
    /// (the queue grows without end), so the answer always exceeds A. A = 0 needs no server. One cost
    /// unit per 64 servers tried; the loop is bounded by `maxOfferedLoad` and a few standard deviations.
    static func erlangCServers(
        arrivalsPerHour lambda: Double, hoursPerSession hours: Double, maxWaitProbability target: Double,
        _ position: SourcePosition, _ frame: inout Frame
    ) throws(CELError) -> Double {
        guard lambda.isFinite, lambda >= 0 else {
            throw Runtime.fail("queue.servers: arrivals_per_hour must be a finite number >= 0, got \(lambda)", position)
        }
        guard hours.isFinite, hours >= 0 else {
            throw Runtime.fail("queue.servers: hours_per_session must be a finite number >= 0, got \(hours)", position)
        }
        guard target.isFinite, target > 0, target <= 1 else {
            throw Runtime.fail("queue.servers: max_wait_probability must be in (0, 1], got \(target)", position)
        }
        let load = lambda * hours
        guard load.isFinite, load <= maxOfferedLoad else {
            throw Runtime.fail("queue.servers: offered load \(load) erlangs is above \(Int(maxOfferedLoad))", position)
        }
        if load == 0 { return 0 }
        // P(wait) falls below any p > 0 within A + O(√A · log(1/p)) servers; p's floor of 1e-300 bounds the log.
        let limit =
            Int((load + 40 * (load.squareRoot() + 1) * (1 + log10(1 / max(target, 1e-300)) / 10)).rounded(.up)) + 1
        var blocking = 1.0
        var servers = 0
        while servers < limit {
            servers += 1
            if servers % 64 == 0 { try frame.spend(1, position) }
            blocking = load * blocking / (Double(servers) + load * blocking)
            let c = Double(servers)
            guard c > load else { continue }
            let waiting = c * blocking / (c - load * (1 - blocking))
            if waiting <= target { return c }
        }
        throw Runtime.fail(
            "queue.servers: no server count up to \(limit) meets P(wait) <= \(target) at \(load) erlangs", position)
    }

    typealias StringTest = @Sendable (String, String, inout Frame, SourcePosition) throws(CELError) -> Bool

    /// `contains`, `startsWith` or `endsWith` on code points, spending for the bytes read.
    static func stringPredicate(_ name: String) -> StringTest {
        switch name {
        case "startsWith":
            return { a, b, frame, position throws(CELError) in try Runtime.startsWith(a, b, &frame, position) }
        case "endsWith":
            return { a, b, frame, position throws(CELError) in try Runtime.endsWith(a, b, &frame, position) }
        default:
            return { a, b, frame, position throws(CELError) in try Runtime.contains(a, b, &frame, position) }
        }
    }
}
