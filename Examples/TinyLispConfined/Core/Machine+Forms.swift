import GCArena

// The special forms, one transition each to start; the rest happens in `resume` as the
// pushed frames receive values. Shapes are checked here, so a malformed form is a
// `badForm` error, never a trap.

extension Machine {
    @_lifetime(self: copy self, copy p, copy mc)
    mutating func evalSpecial(_ form: SpecialForm, _ p: Confined<Pair>, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        let args = p.value.cdr
        let name = form.spelling
        switch form {
        case .quote:
            guard case .pair(let a) = args, case .null = a.value.cdr else { throw bad(name, "expects one datum") }
            returnValue(a.value.car)
        case .if:
            guard case .pair(let a) = args, case .pair(let branches) = a.value.cdr,
                  case .null = branches.value.cdr.cdrIfPair else { throw bad(name, "expects (if test then [else])") }
            try push(.ifBranch(branches: a.value.cdr, env: env), mc, rt)
            expr = a.value.car
        case .define:
            guard case .pair(let a) = args else { throw bad(name, "expects a name") }
            switch a.value.car {
            case .symbol(let s):
                switch a.value.cdr {
                case .null:
                    try define(s, .unspecified, in: env, mc)
                    returnValue(.unspecified)
                case .pair(let rest):
                    guard case .null = rest.value.cdr else { throw bad(name, "expects one value") }
                    try push(.define(s, env: env), mc, rt)
                    expr = rest.value.car
                default: throw bad(name, "malformed")
                }
            case .pair(let header):
                // (define (f . params) body...) is (define f (lambda params body...)).
                guard case .symbol(let s) = header.value.car else { throw bad(name, "procedure name must be a symbol") }
                let c = try makeClosure(params: header.value.cdr, body: a.value.cdr, mc)
                c.write(mc).value.name = .symbol(s)
                try define(s, .closure(c), in: env, mc)
                returnValue(.unspecified)
            default:
                throw bad(name, "expects a symbol or (name params...)")
            }
        case .set:
            guard case .pair(let a) = args, case .symbol(let s) = a.value.car,
                  case .pair(let rest) = a.value.cdr, case .null = rest.value.cdr else {
                throw bad(name, "expects (set! name value)")
            }
            try push(.assign(s, env: env), mc, rt)
            expr = rest.value.car
        case .lambda:
            guard case .pair(let a) = args else { throw bad(name, "expects parameters and a body") }
            returnValue(.closure(try makeClosure(params: a.value.car, body: a.value.cdr, mc)))
        case .begin:
            if case .null = args { returnValue(.unspecified) } else { try enterBody(args, env, mc, rt) }
        case .let:
            guard case .pair(let a) = args else { throw bad(name, "expects bindings and a body") }
            if case .symbol(let loopName) = a.value.car {
                try namedLet(loopName, a.value.cdr, mc, rt)
                return
            }
            guard case .pair = a.value.cdr else { throw bad(name, "empty body") }
            switch a.value.car {
            case .null:
                try enterBody(a.value.cdr, try mc.allocate(Env(bindings: nil, parent: env)), mc, rt)
            case .pair(let first):
                try push(.letInits(form: .pair(p), rest: a.value.car, env: env, base: vals.count()), mc, rt)
                expr = try Machine.binding(first.value.car, name).initializer
            default:
                throw bad(name, "bindings must be a list")
            }
        case .letStar, .letrec:
            guard case .pair(let a) = args, case .pair = a.value.cdr else { throw bad(name, "expects bindings and a body") }
            let body = a.value.cdr
            let scope: Confined<Env>
            if form == .letrec {
                // Every name is in scope (unassigned) while the inits run.
                scope = try mc.allocate(Env(bindings: nil, parent: env))
                var list = a.value.car
                while case .pair(let b) = list {
                    try define(try Machine.binding(b.value.car, name).name, .undefined, in: scope, mc)
                    list = b.value.cdr
                }
            } else {
                scope = env
            }
            switch a.value.car {
            case .null:
                try enterBody(body, form == .letrec ? scope : try mc.allocate(Env(bindings: nil, parent: env)), mc, rt)
            case .pair(let first):
                try push(form == .letrec ? .letrec(rest: a.value.car, body: body, env: scope)
                                         : .letStar(rest: a.value.car, body: body, env: scope), mc, rt)
                evalNext(try Machine.binding(first.value.car, name).initializer, scope)
            default:
                throw bad(name, "bindings must be a list")
            }
        case .cond:
            try evalCond(args, env, mc, rt)
        case .and, .or:
            if case .null = args { returnValue(.bool(form == .and)) } else { try evalAndOr(args, env, and: form == .and, mc, rt) }
        case .else:
            throw bad(name, "used outside cond")
        }
    }

    /// Tests the first clause of `clauses`, or returns unspecified when none is left.
    @_lifetime(self: copy self, copy clauses, copy scope)
    mutating func evalCond(_ clauses: Value, _ scope: Confined<Env>, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        switch clauses {
        case .null:
            returnValue(.unspecified)
        case .pair(let c):
            guard case .pair(let clause) = c.value.car else { throw bad("cond", "clause must be a list") }
            if case .symbol(let s) = clause.value.car, s.id == SpecialForm.else.rawValue {
                try enterBody(clause.value.cdr, scope, mc, rt)
            } else {
                try push(.cond(rest: clauses, env: scope), mc, rt)
                evalNext(clause.value.car, scope)
            }
        default:
            throw bad("cond", "malformed")
        }
    }

    /// Evaluates the first of a non-empty `and`/`or` operand list; the last one is a tail call.
    @_lifetime(self: copy self, copy operands, copy scope)
    mutating func evalAndOr(_ operands: Value, _ scope: Confined<Env>, and: Bool, _ mc: borrowing Mutation,
                            _ rt: Runtime) throws {
        guard case .pair(let o) = operands else { returnValue(.bool(and)); return }
        if case .pair = o.value.cdr {
            try push(and ? .and(rest: o.value.cdr, env: scope) : .or(rest: o.value.cdr, env: scope), mc, rt)
        }
        evalNext(o.value.car, scope)
    }

    /// `(let name ((v init) ...) body...)`: a local recursive procedure, called at once.
    @_lifetime(self: copy self, copy rest, copy mc)
    mutating func namedLet(_ loopName: Symbol, _ rest: Value, _ mc: borrowing Mutation, _ rt: Runtime) throws {
        guard case .pair(let r) = rest, case .pair = r.value.cdr else { throw bad("let", "named let expects bindings and a body") }
        // Names and initializers go to the scratch vector (a Swift array cannot hold values).
        let start = scratch.count()
        var list = r.value.car
        var count = 0
        while case .pair(let b) = list {
            let binding = try Machine.binding(b.value.car, "let")
            try scratch.append(.symbol(binding.name), mc)
            try scratch.append(binding.initializer, mc)
            count += 1
            list = b.value.cdr
        }
        guard case .null = list else { scratch.truncate(to: start); throw bad("let", "bindings must be a list") }
        var names = Value.null
        var inits = Value.null
        for i in stride(from: count - 1, through: 0, by: -1) {
            names = .pair(try mc.allocate(Pair(car: scratch.element(at: start + 2 * i), cdr: names)))
            inits = .pair(try mc.allocate(Pair(car: scratch.element(at: start + 2 * i + 1), cdr: inits)))
        }
        scratch.truncate(to: start)
        let loopScope = try mc.allocate(Env(bindings: nil, parent: env))
        let c = try makeClosure(params: names, body: r.value.cdr, mc, in: loopScope)
        c.write(mc).value.name = .symbol(loopName)
        try define(loopName, .closure(c), in: loopScope, mc)
        // Continue as the application (loop init ...), the closure already evaluated.
        try push(.args(rest: inits, env: env, base: vals.count()), mc, rt)
        returnValue(.closure(c))
    }

    @_lifetime(copy mc)
    func makeClosure(params: Value, body: Value, _ mc: borrowing Mutation,
                     in scope: Optional<Confined<Env>> = nil) throws -> Confined<Closure> {
        var p = params
        while case .pair(let cell) = p {
            guard case .symbol = cell.value.car else { throw bad("lambda", "parameters must be symbols") }
            p = cell.value.cdr
        }
        switch p {
        case .null, .symbol: break
        default: throw bad("lambda", "parameters must be symbols")
        }
        guard case .pair = body else { throw bad("lambda", "empty body") }
        let target: Confined<Env>
        if let scope { target = scope } else { target = env }
        return try mc.allocate(Closure(params: params, body: body, env: target, name: .null))
    }

    /// The parts of a `(name init)` binding.
    @_lifetime(copy b)
    static func binding(_ b: Value, _ form: String) throws -> BindingForm {
        guard case .pair(let cell) = b, case .symbol(let s) = cell.value.car,
              case .pair(let rest) = cell.value.cdr, case .null = rest.value.cdr else {
            throw LispError(.badForm, "\(form): a binding must be (name value)")
        }
        return BindingForm(name: s, initializer: rest.value.car)
    }

    func bad(_ form: String, _ message: String) -> LispError {
        LispError(.badForm, "\(form): \(message)")
    }
}

/// A `(name value)` binding taken apart (a function cannot return a tuple holding a handle).
struct BindingForm: ~Escapable {
    var name: Symbol
    var initializer: Value
    @_lifetime(copy initializer)
    init(name: Symbol, initializer: Value) { self.name = name; self.initializer = initializer }
}

extension Value {
    /// The cdr of a pair; `.null` for anything else (for shape checks).
    var cdrIfPair: Value { @_lifetime(copy self) get { if case .pair(let p) = self { p.value.cdr } else { .null } } }
}
