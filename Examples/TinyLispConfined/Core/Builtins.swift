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
    /// Runs the builtin (all but `apply`, which the machine performs itself) on the
    /// arguments `args[first...]`; `scratch` is work space (left as it was found).
    @_lifetime(copy args, copy mc, copy scratch)
    func call(_ args: Confined<ConfinedVector<Value>>, _ first: Int, _ mc: borrowing Mutation, _ cx: Runtime,
              scratch: Confined<ConfinedVector<Value>>) throws -> Value {
        let a = first
        let end = args.count()
        switch self {
        case .add:
            var sum = 0
            for i in a..<end { sum = try checked(sum.addingReportingOverflow(try int(args.element(at: i)))) }
            return .fixnum(sum)
        case .mul:
            var product = 1
            for i in a..<end { product = try checked(product.multipliedReportingOverflow(by: try int(args.element(at: i)))) }
            return .fixnum(product)
        case .sub:
            let head = try int(args.element(at: a))
            if end - a == 1 { return .fixnum(try checked(0.subtractingReportingOverflow(head))) }
            var result = head
            for i in (a + 1)..<end { result = try checked(result.subtractingReportingOverflow(try int(args.element(at: i)))) }
            return .fixnum(result)
        case .quotient, .remainder, .modulo:
            let x = try int(args.element(at: a)), y = try int(args.element(at: a + 1))
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
            var previous = try int(args.element(at: a))
            var holds = true
            for i in (a + 1)..<end {
                let n = try int(args.element(at: i))
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
        case .car: return try pair(args.element(at: a)).value.car
        case .cdr: return try pair(args.element(at: a)).value.cdr
        case .cadr: return try pair(try pair(args.element(at: a)).value.cdr).value.car
        case .cddr: return try pair(try pair(args.element(at: a)).value.cdr).value.cdr
        case .cons: return .pair(try mc.allocate(Pair(car: args.element(at: a), cdr: args.element(at: a + 1))))
        case .list: return try Builtin.makeList(args, a, end, tail: .null, mc)
        case .length:
            let start = scratch.count()
            defer { scratch.truncate(to: start) }
            try Builtin.properList(args.element(at: a), for: self, into: scratch, mc)
            return .fixnum(scratch.count() - start)
        case .append:
            guard end > a else { return .null }
            var result = args.element(at: end - 1)
            var i = end - 2
            while i >= a {
                let start = scratch.count()
                defer { scratch.truncate(to: start) }
                try Builtin.properList(args.element(at: i), for: self, into: scratch, mc)
                result = try Builtin.makeList(scratch, start, scratch.count(), tail: result, mc)
                i -= 1
            }
            return result
        case .reverse:
            var result = Value.null
            let start = scratch.count()
            defer { scratch.truncate(to: start) }
            try Builtin.properList(args.element(at: a), for: self, into: scratch, mc)
            for i in start..<scratch.count() { result = .pair(try mc.allocate(Pair(car: scratch.element(at: i), cdr: result))) }
            return result
        case .setCar:
            try pair(args.element(at: a)).write(mc).value.car = args.element(at: a + 1)
            return .unspecified
        case .setCdr:
            try pair(args.element(at: a)).write(mc).value.cdr = args.element(at: a + 1)
            return .unspecified
        case .isNull: if case .null = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isPair: if case .pair = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isNumber: if case .fixnum = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isSymbol: if case .symbol = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isString: if case .string = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isBoolean: if case .bool = args.element(at: a) { return .bool(true) } else { return .bool(false) }
        case .isProcedure:
            switch args.element(at: a) {
            case .closure, .builtin: return .bool(true)
            default: return .bool(false)
            }
        case .isZero: return .bool(try int(args.element(at: a)) == 0)
        case .isEq: return .bool(Builtin.eq(args.element(at: a), args.element(at: a + 1)))
        case .isEqual:
            return .bool(try Builtin.equal(args.element(at: a), args.element(at: a + 1), scratch, mc))
        case .not: return .bool(!args.element(at: a).isTrue)
        case .display, .write:
            cx.output(Printer(symbols: cx.symbols, write: self == .write).string(args.element(at: a)))
            return .unspecified
        case .newline:
            cx.output("\n")
            return .unspecified
        case .error:
            let printer = Printer(symbols: cx.symbols, write: true)
            var message = Printer(symbols: cx.symbols, write: false).string(args.element(at: a))
            for i in (a + 1)..<end { message += " " + printer.string(args.element(at: i)) }
            throw LispError(.user, message)
        case .apply:
            preconditionFailure("apply is performed by the machine")
        case .stringAppend:
            var text = ""
            for i in a..<end {
                let v = args.element(at: i)
                guard case .string(let g) = v else { throw wrongType(v, "a string") }
                text += g.value.text
            }
            return .string(try mc.allocate(LispString(text: text)))
        case .numberToString:
            return .string(try mc.allocate(LispString(text: String(try int(args.element(at: a))))))
        case .symbolToString:
            guard case .symbol(let s) = args.element(at: a) else { throw wrongType(args.element(at: a), "a symbol") }
            return .string(try mc.allocate(LispString(text: cx.symbols.name(s))))
        }
    }

    private func int(_ v: Value) throws -> Int {
        if case .fixnum(let n) = v { return n }
        throw wrongType(v, "a number")
    }

    @_lifetime(copy v)
    private func pair(_ v: Value) throws -> Confined<Pair> {
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
    static func properList(_ list: Value, for builtin: Builtin, into items: Confined<ConfinedVector<Value>>,
                           _ mc: borrowing Mutation) throws {
        var cell = list
        var hare = list
        while case .pair(let p) = cell {
            try items.append(p.value.car, mc)
            cell = p.value.cdr
            for _ in 0..<2 { if case .pair(let h) = hare { hare = h.value.cdr } }
            if case .pair(let c) = cell, case .pair(let h) = hare, c === h {
                throw LispError(.wrongType, "\(builtin.name): expected a proper list, got a circular list")
            }
        }
        guard case .null = cell else { throw builtin.wrongType(list, "a proper list") }
    }

    @_lifetime(copy tail, copy mc)
    static func makeList(_ items: Confined<ConfinedVector<Value>>, _ start: Int, _ end: Int, tail: Value,
                         _ mc: borrowing Mutation) throws -> Value {
        var result = tail
        var i = end - 1
        while i >= start {
            result = .pair(try mc.allocate(Pair(car: items.element(at: i), cdr: result)))
            i -= 1
        }
        return result
    }

    static func eq(_ x: Value, _ y: Value) -> Bool {
        switch x {
        case .null: if case .null = y { return true }
        case .unspecified: if case .unspecified = y { return true }
        case .undefined: if case .undefined = y { return true }
        case .bool(let a): if case .bool(let b) = y { return a == b }
        case .fixnum(let a): if case .fixnum(let b) = y { return a == b }
        case .symbol(let a): if case .symbol(let b) = y { return a == b }
        case .string(let a): if case .string(let b) = y { return a === b }
        case .pair(let a): if case .pair(let b) = y { return a === b }
        case .closure(let a): if case .closure(let b) = y { return a === b }
        case .builtin(let a): if case .builtin(let b) = y { return a == b }
        }
        return false
    }

    /// Structural equality with an explicit work list; gives up on cyclic data.
    /// Structural equality with an explicit work list of value pairs kept in `work`
    /// (two entries per pair; left as it was found).
    static func equal(_ x: Value, _ y: Value, _ work: Confined<ConfinedVector<Value>>,
                      _ mc: borrowing Mutation) throws -> Bool {
        let start = work.count()
        defer { work.truncate(to: start) }
        try work.append(x, mc)
        try work.append(y, mc)
        var budget = 10_000_000
        while work.count() > start, let b = work.removeLast(), let a = work.removeLast() {
            budget -= 1
            if budget == 0 { throw LispError(.wrongType, "equal?: structure too large or circular") }
            if case .pair(let p) = a, case .pair(let q) = b {
                if p === q { continue }
                try work.append(p.value.cdr, mc)
                try work.append(q.value.cdr, mc)
                try work.append(p.value.car, mc)
                try work.append(q.value.car, mc)
            } else if case .string(let s) = a, case .string(let t) = b {
                if s.value.text != t.value.text { return false }
            } else if !eq(a, b) {
                return false
            }
        }
        return true
    }
}
