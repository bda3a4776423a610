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
    @_lifetime(self: copy self, copy mc)
    mutating func run(_ mc: borrowing Mutation, budget: Int, byteBudget: Int, _ rt: Runtime,
                      onValue: (Value, Runtime) -> Void) throws -> Bool {
        var fuel = budget
        let byteLimit = mc.liveBytes &+ byteBudget
        while fuel > 0 && mc.liveBytes < byteLimit {
            fuel &-= 1
            switch mode {
            case .idle:
                guard nextForm < forms.count() else { return true }
                expr = forms.element(at: nextForm)
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
                            let base = vals.count()
                            try vals.append(try lookup(s, in: env, rt), mc)
                            try evalArgs(p.value.cdr, env, base: base, mc, rt)
                        }
                    } else {
                        try push(.args(rest: p.value.cdr, env: env, base: vals.count()), mc, rt)
                        expr = p.value.car
                    }
                default:
                    value = expr
                    mode = .ret
                }
            case .ret:
                guard let k = konts.removeLast() else {
                    onValue(value, rt)
                    vals.truncate(to: 0)
                    mode = .idle
                    continue
                }
                try resume(k, mc, rt)
            }
        }
        return false
    }

    @inline(__always)
    func push(_ k: Kont, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        try konts.append(k, mc)
        let depth = konts.count()
        if depth > rt.maxContinuationDepth { rt.maxContinuationDepth = depth }
    }

    /// Evaluates `e` in `scope` next (a tail position: nothing is pushed).
    @inline(__always) @_lifetime(self: copy self, copy e, copy scope)
    mutating func evalNext(_ e: Value, _ scope: Confined<Env>) {
        expr = e
        env = scope
        mode = .eval
    }

    @inline(__always) @_lifetime(self: copy self, copy v)
    mutating func returnValue(_ v: Value) {
        value = v
        mode = .ret
    }

    /// Evaluates a non-empty body: all but the last expression under a `.body` frame.
    @_lifetime(self: copy self, copy body, copy scope)
    mutating func enterBody(_ body: Value, _ scope: Confined<Env>, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        guard case .pair(let p) = body else { throw LispError(.badForm, "empty body") }
        if case .pair = p.value.cdr { try push(.body(rest: p.value.cdr, env: scope), mc, rt) }
        evalNext(p.value.car, scope)
    }

    // MARK: - Continuations

    @_lifetime(self: copy self, copy k, copy mc)
    mutating func resume(_ k: Kont, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        switch k {
        case .args(let rest, let e, let base):
            try vals.append(value, mc)
            try evalArgs(rest, e, base: base, mc, rt)
        case .body(let rest, let e):
            try enterBody(rest, e, mc, rt)
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
            try vals.append(value, mc)
            guard case .pair(let r) = rest else { throw LispError(.badForm, "let: bad bindings") }
            if case .pair(let next) = r.value.cdr {
                try push(.letInits(form: form, rest: r.value.cdr, env: e, base: base), mc, rt)
                evalNext(try Machine.binding(next.value.car, "let").initializer, e)
                return
            }
            // All inits are in vals[base...]: bind them in a new frame, in order.
            var bindings: Optional<Confined<Binding>> = nil
            var list = form.cadr
            var i = base
            while case .pair(let b) = list {
                bindings = try mc.allocate(Binding(symbol: try Machine.binding(b.value.car, "let").name,
                                                   value: vals.element(at: i), next: bindings))
                i += 1
                list = b.value.cdr
            }
            vals.truncate(to: base)
            try enterBody(form.cddr, try mc.allocate(Env(bindings: bindings, parent: e)), mc, rt)
        case .letStar(let rest, let body, let e):
            guard case .pair(let r) = rest else { throw LispError(.badForm, "let*: bad bindings") }
            let name = try Machine.binding(r.value.car, "let*").name
            let scope = try mc.allocate(Env(bindings: try mc.allocate(Binding(symbol: name, value: value, next: nil)), parent: e))
            if case .pair(let next) = r.value.cdr {
                try push(.letStar(rest: r.value.cdr, body: body, env: scope), mc, rt)
                evalNext(try Machine.binding(next.value.car, "let*").initializer, scope)
            } else {
                try enterBody(body, scope, mc, rt)
            }
        case .letrec(let rest, let body, let e):
            guard case .pair(let r) = rest else { throw LispError(.badForm, "letrec: bad bindings") }
            let name = try Machine.binding(r.value.car, "letrec").name
            if case .closure(let c) = value, case .null = c.value.name { c.write(mc).value.name = .symbol(name) }
            try define(name, value, in: e, mc)
            if case .pair(let next) = r.value.cdr {
                try push(.letrec(rest: r.value.cdr, body: body, env: e), mc, rt)
                evalNext(try Machine.binding(next.value.car, "letrec").initializer, e)
            } else {
                try enterBody(body, e, mc, rt)
            }
        case .cond(let rest, let e):
            guard case .pair(let r) = rest, case .pair(let clause) = r.value.car else {
                throw LispError(.badForm, "cond: bad clause")
            }
            if value.isTrue {
                if case .null = clause.value.cdr { returnValue(value) } else { try enterBody(clause.value.cdr, e, mc, rt) }
            } else {
                try evalCond(r.value.cdr, e, mc, rt)
            }
        case .and(let rest, let e):
            if value.isTrue { try evalAndOr(rest, e, and: true, mc, rt) } else { returnValue(value) }
        case .or(let rest, let e):
            if value.isTrue { returnValue(value) } else { try evalAndOr(rest, e, and: false, mc, rt) }
        }
    }

    // MARK: - Application

    /// Evaluates the operands still in `rest`, then applies `vals[base]` to them.
    ///
    /// Constants and variables are evaluated in place (no frame, no transition); the first
    /// compound operand gets an `.args` frame and becomes the next expression.
    @_lifetime(self: copy self, copy rest, copy e, copy mc)
    mutating func evalArgs(_ rest: Value, _ e: Confined<Env>, base: Int, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        var r = rest
        while case .pair(let p) = r {
            switch p.value.car {
            case .symbol(let s):
                try vals.append(try lookup(s, in: e, rt), mc)
            case .pair:
                try push(.args(rest: p.value.cdr, env: e, base: base), mc, rt)
                evalNext(p.value.car, e)
                return
            case let constant:
                try vals.append(constant, mc)
            }
            r = p.value.cdr
        }
        guard case .null = r else { throw LispError(.badForm, "improper argument list") }
        try apply(base: base, mc, rt)
    }

    /// Applies `vals[base]` to `vals[base+1...]`, consuming them.
    @_lifetime(self: copy self, copy mc)
    mutating func apply(base: Int, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        while true {
            let argc = vals.count() - base - 1
            switch vals.element(at: base) {
            case .closure(let c):
                let scope = try bind(c, base + 1, mc, rt)
                vals.truncate(to: base)
                try enterBody(c.value.body, scope, mc, rt)
                return
            case .builtin(.apply):
                try checkArity(.apply, argc)
                // (apply f a ... list) becomes (f a ... elements-of-list): shift the operator
                // and leading arguments down over `f`'s slot, then spread the list.
                var list = Value.null
                if let last = vals.removeLast() { list = last }
                let start = scratch.count()
                try Builtin.properList(list, for: .apply, into: scratch, mc)
                for i in (base + 1)..<vals.count() { vals.set(i - 1, to: vals.element(at: i), mc) }
                vals.truncate(to: vals.count() - 1)
                for i in start..<scratch.count() { try vals.append(scratch.element(at: i), mc) }
                scratch.truncate(to: start)
            case .builtin(let b):
                try checkArity(b, argc)
                let result = try b.call(vals, base + 1, mc, rt, scratch: scratch)
                vals.truncate(to: base)
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

    /// A new frame binding the closure's parameters to `vals[first...]`.
    @_lifetime(copy mc)
    func bind(_ c: Confined<Closure>, _ first: Int, _ mc: borrowing Mutation, _ rt: Runtime) throws -> Confined<Env> {
        var bindings: Optional<Confined<Binding>> = nil
        var params = c.value.params
        var i = first
        let end = vals.count()
        loop: while true {
            switch params {
            case .pair(let p):
                guard i < end, case .symbol(let s) = p.value.car else { throw arityError(c, end - first, rt) }
                bindings = try mc.allocate(Binding(symbol: s, value: vals.element(at: i), next: bindings))
                i += 1
                params = p.value.cdr
            case .symbol(let s):
                let rest = try Builtin.makeList(vals, i, end, tail: .null, mc)
                bindings = try mc.allocate(Binding(symbol: s, value: rest, next: bindings))
                break loop
            default:
                guard i == end else { throw arityError(c, end - first, rt) }
                break loop
            }
        }
        return try mc.allocate(Env(bindings: bindings, parent: c.value.env))
    }

    func arityError(_ c: Confined<Closure>, _ argc: Int, _ rt: Runtime) -> LispError {
        var required = 0
        var params = c.value.params
        while case .pair(let p) = params { required += 1; params = p.value.cdr }
        let expected = if case .symbol = params { "at least \(required)" } else { "\(required)" }
        let name = if case .symbol(let s) = c.value.name { rt.symbols.name(s) } else { "anonymous procedure" }
        return LispError(.arity, "\(name): expected \(expected) argument\(required == 1 ? "" : "s"), got \(argc)")
    }

    // MARK: - Variables

    @_lifetime(copy self, copy scope)
    func lookup(_ s: Symbol, in scope: Confined<Env>, _ rt: Runtime) throws -> Value {
        if let b = Machine.find(s, from: scope) {
            let v = b.value.value
            if case .undefined = v { throw LispError(.unboundVariable, "\(rt.symbols.name(s)) used before its definition") }
            return v
        }
        let id = Int(s.id)
        if id < globals.count() {
            let v = globals.element(at: id)
            if case .undefined = v {} else { return v }
        }
        throw LispError(.unboundVariable, rt.symbols.name(s))
    }

    /// The innermost binding of `s` in the lexical frames (globals excluded).
    @_lifetime(copy scope)
    static func find(_ s: Symbol, from scope: Confined<Env>) -> Optional<Confined<Binding>> {
        var frame: Optional<Confined<Env>> = scope
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

    func define(_ s: Symbol, _ v: Value, in scope: Confined<Env>, _ mc: borrowing Mutation) throws {
        if scope === globalEnv {
            let id = Int(s.id)
            while id >= globals.count() { try globals.append(.undefined, mc) }
            globals.set(id, to: v, mc)
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

    func assign(_ s: Symbol, _ v: Value, in scope: Confined<Env>, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        if let b = Machine.find(s, from: scope) {
            b.write(mc).value.value = v
            return
        }
        let id = Int(s.id)
        guard id < globals.count(), !globals.element(at: id).isUndefined else {
            throw LispError(.unboundVariable, "set!: \(rt.symbols.name(s)) is not defined")
        }
        globals.set(id, to: v, mc)
    }
}

extension Value {
    var isUndefined: Bool { if case .undefined = self { true } else { false } }
    var car: Value { @_lifetime(copy self) get { if case .pair(let p) = self { p.value.car } else { .undefined } } }
    var cdr: Value { @_lifetime(copy self) get { if case .pair(let p) = self { p.value.cdr } else { .undefined } } }
    var cadr: Value { @_lifetime(copy self) get { cdr.car } }
    var cddr: Value { @_lifetime(copy self) get { cdr.cdr } }
}
