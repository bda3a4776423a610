import GCArena

/// The primitive procedures. A builtin is a plain byte, so `Value` stays plain data.
public enum Builtin: UInt8, CaseIterable, Sendable, BitwiseCopyable {
    case add, sub, mul, quotient, remainder, modulo, lt, gt, numEq, le, ge
    case car, cdr, cadr, cddr, cons, list, length, append, reverse, setCar, setCdr
    case isNull, isPair, isNumber, isSymbol, isString, isProcedure, isBoolean, isZero
    case isEq, isEqual, not
    case display, write, newline, error, apply
    case stringAppend, numberToString, symbolToString

    public var name: String {
        switch self {
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .quotient: "quotient"
        case .remainder: "remainder"
        case .modulo: "modulo"
        case .lt: "<"
        case .gt: ">"
        case .numEq: "="
        case .le: "<="
        case .ge: ">="
        case .car: "car"
        case .cdr: "cdr"
        case .cadr: "cadr"
        case .cddr: "cddr"
        case .cons: "cons"
        case .list: "list"
        case .length: "length"
        case .append: "append"
        case .reverse: "reverse"
        case .setCar: "set-car!"
        case .setCdr: "set-cdr!"
        case .isNull: "null?"
        case .isPair: "pair?"
        case .isNumber: "number?"
        case .isSymbol: "symbol?"
        case .isString: "string?"
        case .isProcedure: "procedure?"
        case .isBoolean: "boolean?"
        case .isZero: "zero?"
        case .isEq: "eq?"
        case .isEqual: "equal?"
        case .not: "not"
        case .display: "display"
        case .write: "write"
        case .newline: "newline"
        case .error: "error"
        case .apply: "apply"
        case .stringAppend: "string-append"
        case .numberToString: "number->string"
        case .symbolToString: "symbol->string"
        }
    }

    /// Fewest and most arguments (`nil`: no upper bound).
    var arity: (min: Int, max: Int?) {
        switch self {
        case .add, .mul, .list, .append, .stringAppend: (0, nil)
        case .sub, .lt, .gt, .numEq, .le, .ge, .error: (1, nil)
        case .apply: (2, nil)
        case .quotient, .remainder, .modulo, .cons, .setCar, .setCdr, .isEq, .isEqual: (2, 2)
        case .newline: (0, 0)
        default: (1, 1)
        }
    }
}

/// What the machine and the builtins need from the host besides the arena: names and output.
final class Runtime {
    var symbols = SymbolTable()
    var output: (String) -> Void
    /// The deepest continuation stack seen (frames).
    var maxContinuationDepth = 0
    init(output: @escaping (String) -> Void) { self.output = output }
}

extension Builtin {
    /// Runs the builtin (all but `apply`, which the machine performs itself).
    func call(_ args: ArraySlice<Value>, _ mc: borrowing Mutation, _ cx: Runtime) throws -> Value {
        let a = args.startIndex
        switch self {
        case .add:
            var sum = 0
            for v in args { sum = try checked(sum.addingReportingOverflow(try int(v))) }
            return .fixnum(sum)
        case .mul:
            var product = 1
            for v in args { product = try checked(product.multipliedReportingOverflow(by: try int(v))) }
            return .fixnum(product)
        case .sub:
            let first = try int(args[a])
            if args.count == 1 { return .fixnum(try checked(0.subtractingReportingOverflow(first))) }
            var result = first
            for v in args.dropFirst() { result = try checked(result.subtractingReportingOverflow(try int(v))) }
            return .fixnum(result)
        case .quotient, .remainder, .modulo:
            let x = try int(args[a]), y = try int(args[a + 1])
            if y == 0 { throw LispError(.arithmetic, "\(name): division by zero") }
            if x == .min && y == -1 { throw LispError(.arithmetic, "integer overflow in \(name)") }
            switch self {
            case .quotient: return .fixnum(x / y)
            case .remainder: return .fixnum(x % y)
            default:
                let r = x % y
                return .fixnum(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            }
        case .lt, .gt, .numEq, .le, .ge:
            var previous = try int(args[a])
            var holds = true
            for v in args.dropFirst() {
                let n = try int(v)
                switch self {
                case .lt: holds = holds && previous < n
                case .gt: holds = holds && previous > n
                case .numEq: holds = holds && previous == n
                case .le: holds = holds && previous <= n
                default: holds = holds && previous >= n
                }
                previous = n
            }
            return .bool(holds)
        case .car: return try pair(args[a]).value.car
        case .cdr: return try pair(args[a]).value.cdr
        case .cadr: return try pair(try pair(args[a]).value.cdr).value.car
        case .cddr: return try pair(try pair(args[a]).value.cdr).value.cdr
        case .cons: return .pair(try mc.allocate(Pair(car: args[a], cdr: args[a + 1])))
        case .list: return try Builtin.makeList(args, tail: .null, mc)
        case .length: return .fixnum(try Builtin.properList(args[a], for: self).count)
        case .append:
            guard var result = args.last else { return .null }
            for v in args.dropLast().reversed() {
                result = try Builtin.makeList(try Builtin.properList(v, for: self)[...], tail: result, mc)
            }
            return result
        case .reverse:
            var result = Value.null
            for v in try Builtin.properList(args[a], for: self) { result = .pair(try mc.allocate(Pair(car: v, cdr: result))) }
            return result
        case .setCar:
            try pair(args[a]).write(mc).value.car = args[a + 1]
            return .unspecified
        case .setCdr:
            try pair(args[a]).write(mc).value.cdr = args[a + 1]
            return .unspecified
        case .isNull: if case .null = args[a] { return .bool(true) } else { return .bool(false) }
        case .isPair: if case .pair = args[a] { return .bool(true) } else { return .bool(false) }
        case .isNumber: if case .fixnum = args[a] { return .bool(true) } else { return .bool(false) }
        case .isSymbol: if case .symbol = args[a] { return .bool(true) } else { return .bool(false) }
        case .isString: if case .string = args[a] { return .bool(true) } else { return .bool(false) }
        case .isBoolean: if case .bool = args[a] { return .bool(true) } else { return .bool(false) }
        case .isProcedure:
            switch args[a] {
            case .closure, .builtin: return .bool(true)
            default: return .bool(false)
            }
        case .isZero: return .bool(try int(args[a]) == 0)
        case .isEq: return .bool(Builtin.eq(args[a], args[a + 1]))
        case .isEqual: return .bool(try Builtin.equal(args[a], args[a + 1]))
        case .not: return .bool(!args[a].isTrue)
        case .display, .write:
            cx.output(Printer(symbols: cx.symbols, write: self == .write).string(args[a]))
            return .unspecified
        case .newline:
            cx.output("\n")
            return .unspecified
        case .error:
            let printer = Printer(symbols: cx.symbols, write: true)
            var message = Printer(symbols: cx.symbols, write: false).string(args[a])
            for v in args.dropFirst() { message += " " + printer.string(v) }
            throw LispError(.user, message)
        case .apply:
            preconditionFailure("apply is performed by the machine")
        case .stringAppend:
            var text = ""
            for v in args {
                guard case .string(let g) = v else { throw wrongType(v, "a string") }
                text += g.value.text
            }
            return .string(try mc.allocate(LispString(text: text)))
        case .numberToString:
            return .string(try mc.allocate(LispString(text: String(try int(args[a])))))
        case .symbolToString:
            guard case .symbol(let s) = args[a] else { throw wrongType(args[a], "a symbol") }
            return .string(try mc.allocate(LispString(text: cx.symbols.name(s))))
        }
    }

    private func int(_ v: Value) throws -> Int {
        if case .fixnum(let n) = v { return n }
        throw wrongType(v, "a number")
    }

    private func pair(_ v: Value) throws -> Gc<Pair> {
        if case .pair(let p) = v { return p }
        throw wrongType(v, "a pair")
    }

    private func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Int {
        if r.overflow { throw LispError(.arithmetic, "integer overflow in \(name)") }
        return r.partialValue
    }

    func wrongType(_ v: Value, _ expected: String) -> LispError {
        LispError(.wrongType, "\(name): expected \(expected), got \(Builtin.kindName(v))")
    }

    static func kindName(_ v: Value) -> String {
        switch v {
        case .null: "()"
        case .unspecified: "an unspecified value"
        case .undefined: "an undefined value"
        case .bool(let b): b ? "#t" : "#f"
        case .fixnum(let n): "the number \(n)"
        case .symbol: "a symbol"
        case .string: "a string"
        case .pair: "a pair"
        case .closure, .builtin: "a procedure"
        }
    }

    /// The elements of a proper list; a cycle or an improper tail is a type error.
    static func properList(_ list: Value, for builtin: Builtin) throws -> [Value] {
        var items: [Value] = []
        var cell = list
        var hare = list
        while case .pair(let p) = cell {
            items.append(p.value.car)
            cell = p.value.cdr
            for _ in 0..<2 { if case .pair(let h) = hare { hare = h.value.cdr } }
            if case .pair(let c) = cell, case .pair(let h) = hare, c === h {
                throw LispError(.wrongType, "\(builtin.name): expected a proper list, got a circular list")
            }
        }
        guard case .null = cell else { throw builtin.wrongType(list, "a proper list") }
        return items
    }

    static func makeList(_ items: ArraySlice<Value>, tail: Value, _ mc: borrowing Mutation) throws -> Value {
        var result = tail
        for v in items.reversed() { result = .pair(try mc.allocate(Pair(car: v, cdr: result))) }
        return result
    }

    static func eq(_ x: Value, _ y: Value) -> Bool {
        switch (x, y) {
        case (.null, .null), (.unspecified, .unspecified), (.undefined, .undefined): true
        case (.bool(let a), .bool(let b)): a == b
        case (.fixnum(let a), .fixnum(let b)): a == b
        case (.symbol(let a), .symbol(let b)): a == b
        case (.string(let a), .string(let b)): a === b
        case (.pair(let a), .pair(let b)): a === b
        case (.closure(let a), .closure(let b)): a === b
        case (.builtin(let a), .builtin(let b)): a == b
        default: false
        }
    }

    /// Structural equality with an explicit work list; gives up on cyclic data.
    static func equal(_ x: Value, _ y: Value) throws -> Bool {
        var work: [(Value, Value)] = [(x, y)]
        var budget = 10_000_000
        while let (a, b) = work.popLast() {
            budget -= 1
            if budget == 0 { throw LispError(.wrongType, "equal?: structure too large or circular") }
            switch (a, b) {
            case (.pair(let p), .pair(let q)):
                if p === q { continue }
                work.append((p.value.cdr, q.value.cdr))
                work.append((p.value.car, q.value.car))
            case (.string(let s), .string(let t)):
                if s.value.text != t.value.text { return false }
            default:
                if !eq(a, b) { return false }
            }
        }
        return true
    }
}
