import GCArena

// The transition function. Each iteration of `run`'s loop is one transition: evaluate
// one expression form, or hand one value to the top continuation frame. Hazard points:
// - ALLOCATES: `mc.allocate` may throw `GCAllocationError` (memory limit), which the host
//   turns into a `LispError`; the machine is reset, never left half-updated and reused.
// - SLICE END: `run` returns after `budget` transitions with every register in the root,
//   so the host can leave `mutate` and pay the collector's debt.

extension Machine {
    /// Runs at most `budget` transitions; returns true once every pending form has run.
    ///
    /// `onValue` receives the value of each top-level form as it completes.
    /// It also stops once the slice has allocated `byteBudget` bytes: a single transition
    /// can allocate a lot (`reverse` of a long list), and the debt should be paid before the
    /// heap runs far ahead of the collector. Nothing is freed inside `mutate`, so growth of
    /// `liveBytes` is exactly what this slice allocated.
    mutating func run(_ mc: borrowing Mutation, budget: Int, byteBudget: Int, _ rt: Runtime,
                      onValue: (Value, Runtime) -> Void) throws -> Bool {
        var fuel = budget
        let byteLimit = mc.liveBytes &+ byteBudget
        while fuel > 0 && mc.liveBytes < byteLimit {
            fuel &-= 1
            switch mode {
            case .idle:
                guard nextForm < forms.count else { return true }
                expr = forms[nextForm]
                nextForm += 1
                env = globalEnv
                mode = .eval
            case .eval:
                switch expr {
                case .symbol(let s):
                    value = try lookup(s, in: env, rt)
                    mode = .ret
                case .pair(let p):
                    if case .symbol(let s) = p.value.car {
                        if let form = SpecialForm.of(s) {
                            try evalSpecial(form, p, mc, rt)
                        } else {
                            // A named operator is looked up in place: no frame for it.
                            let base = vals.count
                            vals.append(try lookup(s, in: env, rt))
                            try evalArgs(p.value.cdr, env, base: base, mc, rt)
                        }
                    } else {
                        push(.args(rest: p.value.cdr, env: env, base: vals.count), rt)
                        expr = p.value.car
                    }
                default:
                    value = expr
                    mode = .ret
                }
            case .ret:
                guard let k = konts.popLast() else {
                    onValue(value, rt)
                    vals.removeAll(keepingCapacity: true)
                    mode = .idle
                    continue
                }
                try resume(k, mc, rt)
            }
        }
        return false
    }

    @inline(__always)
    mutating func push(_ k: Kont, _ rt: Runtime) {
        konts.append(k)
        if konts.count > rt.maxContinuationDepth { rt.maxContinuationDepth = konts.count }
    }

    /// Evaluates `e` in `scope` next (a tail position: nothing is pushed).
    @inline(__always)
    mutating func evalNext(_ e: Value, _ scope: Gc<Env>) {
        expr = e
        env = scope
        mode = .eval
    }

    @inline(__always)
    mutating func returnValue(_ v: Value) {
        value = v
        mode = .ret
    }

    /// Evaluates a non-empty body: all but the last expression under a `.body` frame.
    mutating func enterBody(_ body: Value, _ scope: Gc<Env>, _ rt: Runtime) throws {
        guard case .pair(let p) = body else { throw LispError(.badForm, "empty body") }
        if case .pair = p.value.cdr { push(.body(rest: p.value.cdr, env: scope), rt) }
        evalNext(p.value.car, scope)
    }

    // MARK: - Continuations

    mutating func resume(_ k: Kont, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        switch k {
        case .args(let rest, let e, let base):
            vals.append(value)
            try evalArgs(rest, e, base: base, mc, rt)
        case .body(let rest, let e):
            try enterBody(rest, e, rt)
        case .ifBranch(let branches, let e):
            guard case .pair(let b) = branches else { throw LispError(.badForm, "if: missing branch") }
            if value.isTrue {
                evalNext(b.value.car, e)
            } else if case .pair(let alt) = b.value.cdr {
                evalNext(alt.value.car, e)
            } else {
                returnValue(.unspecified)
            }
        case .define(let s, let e):
            if case .closure(let c) = value, case .null = c.value.name { c.write(mc).value.name = .symbol(s) }
            try define(s, value, in: e, mc)
            returnValue(.unspecified)
        case .assign(let s, let e):
            try assign(s, value, in: e, mc, rt)
            returnValue(.unspecified)
        case .letInits(let form, let rest, let e, let base):
            vals.append(value)
            guard case .pair(let r) = rest else { throw LispError(.badForm, "let: bad bindings") }
            if case .pair(let next) = r.value.cdr {
                push(.letInits(form: form, rest: r.value.cdr, env: e, base: base), rt)
                evalNext(try Machine.binding(next.value.car, "let").initializer, e)
                return
            }
            // All inits are in vals[base...]: bind them in a new frame, in order.
            var bindings: Gc<Binding>? = nil
            var list = form.cadr
            var i = base
            while case .pair(let b) = list {
                bindings = try mc.allocate(Binding(symbol: try Machine.binding(b.value.car, "let").name,
                                                   value: vals[i], next: bindings))
                i += 1
                list = b.value.cdr
            }
            vals.removeLast(vals.count - base)
            try enterBody(form.cddr, try mc.allocate(Env(bindings: bindings, parent: e)), rt)
        case .letStar(let rest, let body, let e):
            guard case .pair(let r) = rest else { throw LispError(.badForm, "let*: bad bindings") }
            let name = try Machine.binding(r.value.car, "let*").name
            let scope = try mc.allocate(Env(bindings: try mc.allocate(Binding(symbol: name, value: value, next: nil)), parent: e))
            if case .pair(let next) = r.value.cdr {
                push(.letStar(rest: r.value.cdr, body: body, env: scope), rt)
                evalNext(try Machine.binding(next.value.car, "let*").initializer, scope)
            } else {
                try enterBody(body, scope, rt)
            }
        case .letrec(let rest, let body, let e):
            guard case .pair(let r) = rest else { throw LispError(.badForm, "letrec: bad bindings") }
            let name = try Machine.binding(r.value.car, "letrec").name
            if case .closure(let c) = value, case .null = c.value.name { c.write(mc).value.name = .symbol(name) }
            try define(name, value, in: e, mc)
            if case .pair(let next) = r.value.cdr {
                push(.letrec(rest: r.value.cdr, body: body, env: e), rt)
                evalNext(try Machine.binding(next.value.car, "letrec").initializer, e)
            } else {
                try enterBody(body, e, rt)
            }
        case .cond(let rest, let e):
            guard case .pair(let r) = rest, case .pair(let clause) = r.value.car else {
                throw LispError(.badForm, "cond: bad clause")
            }
            if value.isTrue {
                if case .null = clause.value.cdr { returnValue(value) } else { try enterBody(clause.value.cdr, e, rt) }
            } else {
                try evalCond(r.value.cdr, e, rt)
            }
        case .and(let rest, let e):
            if value.isTrue { evalAndOr(rest, e, and: true, rt) } else { returnValue(value) }
        case .or(let rest, let e):
            if value.isTrue { returnValue(value) } else { evalAndOr(rest, e, and: false, rt) }
        }
    }

    // MARK: - Application

    /// Evaluates the operands still in `rest`, then applies `vals[base]` to them.
    ///
    /// Constants and variables are evaluated in place (no frame, no transition); the first
    /// compound operand gets an `.args` frame and becomes the next expression.
    mutating func evalArgs(_ rest: Value, _ e: Gc<Env>, base: Int, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        var r = rest
        while case .pair(let p) = r {
            switch p.value.car {
            case .symbol(let s):
                vals.append(try lookup(s, in: e, rt))
            case .pair:
                push(.args(rest: p.value.cdr, env: e, base: base), rt)
                evalNext(p.value.car, e)
                return
            case let constant:
                vals.append(constant)
            }
            r = p.value.cdr
        }
        guard case .null = r else { throw LispError(.badForm, "improper argument list") }
        try apply(base: base, mc, rt)
    }

    /// Applies `vals[base]` to `vals[base+1...]`, consuming them.
    mutating func apply(base: Int, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        while true {
            let argc = vals.count - base - 1
            switch vals[base] {
            case .closure(let c):
                let scope = try bind(c, vals[(base + 1)...], mc, rt)
                vals.removeLast(vals.count - base)
                try enterBody(c.value.body, scope, rt)
                return
            case .builtin(.apply):
                try checkArity(.apply, argc)
                // (apply f a ... list) becomes (f a ... elements-of-list).
                let spread = try Builtin.properList(vals.removeLast(), for: .apply)
                vals.remove(at: base)
                vals.append(contentsOf: spread)
            case .builtin(let b):
                try checkArity(b, argc)
                let result = try b.call(vals[(base + 1)...], mc, rt)
                vals.removeLast(vals.count - base)
                returnValue(result)
                return
            case let other:
                throw LispError(.wrongType, "attempt to call \(Builtin.kindName(other)), which is not a procedure")
            }
        }
    }

    func checkArity(_ b: Builtin, _ argc: Int) throws {
        let (lo, hi) = b.arity
        if argc < lo || argc > (hi ?? Int.max) {
            let expected = hi == lo ? "\(lo)" : hi == nil ? "at least \(lo)" : "\(lo) to \(hi!)"
            let last = hi == nil || hi == lo ? lo : hi!
            let plural = last == 1 ? "" : "s"
            throw LispError(.arity, "\(b.name): expected \(expected) argument\(plural), got \(argc)")
        }
    }

    /// A new frame binding the closure's parameters to `args`.
    func bind(_ c: Gc<Closure>, _ args: ArraySlice<Value>, _ mc: borrowing Mutation, _ rt: Runtime) throws -> Gc<Env> {
        var bindings: Gc<Binding>? = nil
        var params = c.value.params
        var i = args.startIndex
        loop: while true {
            switch params {
            case .pair(let p):
                guard i < args.endIndex, case .symbol(let s) = p.value.car else { throw arityError(c, args.count, rt) }
                bindings = try mc.allocate(Binding(symbol: s, value: args[i], next: bindings))
                i += 1
                params = p.value.cdr
            case .symbol(let s):
                let rest = try Builtin.makeList(args[i...], tail: .null, mc)
                bindings = try mc.allocate(Binding(symbol: s, value: rest, next: bindings))
                break loop
            default:
                guard i == args.endIndex else { throw arityError(c, args.count, rt) }
                break loop
            }
        }
        return try mc.allocate(Env(bindings: bindings, parent: c.value.env))
    }

    func arityError(_ c: Gc<Closure>, _ argc: Int, _ rt: Runtime) -> LispError {
        var required = 0
        var params = c.value.params
        while case .pair(let p) = params { required += 1; params = p.value.cdr }
        let expected = if case .symbol = params { "at least \(required)" } else { "\(required)" }
        let name = if case .symbol(let s) = c.value.name { rt.symbols.name(s) } else { "anonymous procedure" }
        return LispError(.arity, "\(name): expected \(expected) argument\(required == 1 ? "" : "s"), got \(argc)")
    }

    // MARK: - Variables

    func lookup(_ s: Symbol, in scope: Gc<Env>, _ rt: Runtime) throws -> Value {
        if let b = Machine.find(s, from: scope) {
            let v = b.value.value
            if case .undefined = v { throw LispError(.unboundVariable, "\(rt.symbols.name(s)) used before its definition") }
            return v
        }
        let id = Int(s.id)
        if id < globals.count, case let v = globals[id] {
            if case .undefined = v {} else { return v }
        }
        throw LispError(.unboundVariable, rt.symbols.name(s))
    }

    /// The innermost binding of `s` in the lexical frames (globals excluded).
    static func find(_ s: Symbol, from scope: Gc<Env>) -> Gc<Binding>? {
        var frame: Gc<Env>? = scope
        while let f = frame {
            var b = f.value.bindings
            while let binding = b {
                if binding.value.symbol == s { return binding }
                b = binding.value.next
            }
            frame = f.value.parent
        }
        return nil
    }

    mutating func define(_ s: Symbol, _ v: Value, in scope: Gc<Env>, _ mc: borrowing Mutation) throws {
        if scope == globalEnv {
            let id = Int(s.id)
            if id >= globals.count { globals.append(contentsOf: repeatElement(.undefined, count: id + 1 - globals.count)) }
            globals[id] = v
            return
        }
        var b = scope.value.bindings
        while let binding = b {
            if binding.value.symbol == s { binding.write(mc).value.value = v; return }
            b = binding.value.next
        }
        let fresh = try mc.allocate(Binding(symbol: s, value: v, next: scope.value.bindings))
        scope.write(mc).value.bindings = fresh
    }

    mutating func assign(_ s: Symbol, _ v: Value, in scope: Gc<Env>, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        if let b = Machine.find(s, from: scope) {
            b.write(mc).value.value = v
            return
        }
        let id = Int(s.id)
        guard id < globals.count, case let old = globals[id], !old.isUndefined else {
            throw LispError(.unboundVariable, "set!: \(rt.symbols.name(s)) is not defined")
        }
        globals[id] = v
    }
}

extension Value {
    var isUndefined: Bool { if case .undefined = self { true } else { false } }
    var car: Value { if case .pair(let p) = self { p.value.car } else { .undefined } }
    var cdr: Value { if case .pair(let p) = self { p.value.cdr } else { .undefined } }
    var cadr: Value { cdr.car }
    var cddr: Value { cdr.cdr }
}
