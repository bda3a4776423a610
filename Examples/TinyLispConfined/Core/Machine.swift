import GCArena

// The evaluator is a CEK machine whose whole state lives in the arena's root: the control
// register (an expression to evaluate, or a value to return), the environment, and the
// continuation as an explicit stack of frames. Nothing is kept on the Swift stack between
// transitions, so
//
// - recursion depth is bounded by memory, not by the Swift stack;
// - a tail call replaces the control register without pushing a frame (proper tail calls);
// - evaluation can stop after any transition, return from `mutate`, let the collector pay
//   its debt, and resume — the collector traces the machine like any other root.

/// What the machine does next: evaluate `expr` in `env`, or return `value` to the top frame.
enum Mode: UInt8, BitwiseCopyable {
    case idle, eval, ret
}

/// A continuation frame: what to do with the value being returned.
enum Kont: ConfinedCollect, BitwiseCopyable, ~Escapable {
    /// `(if c then else)`: `branches` is `(then else)` or `(then)`.
    case ifBranch(branches: Value, env: Confined<Env>)
    /// The remaining expressions of a body or `begin` (never empty).
    case body(rest: Value, env: Confined<Env>)
    case define(Symbol, env: Confined<Env>)
    case assign(Symbol, env: Confined<Env>)
    /// An application: operator and operands evaluated so far are `vals[base...]`;
    /// `rest` is what remains to evaluate.
    case args(rest: Value, env: Confined<Env>, base: Int)
    /// `(let ((x e) ...) body)`: inits evaluated so far are `vals[base...]`.
    case letInits(form: Value, rest: Value, env: Confined<Env>, base: Int)
    /// `let*`: `rest` starts with the binding being initialized; `env` is the scope so far.
    case letStar(rest: Value, body: Value, env: Confined<Env>)
    /// `letrec`: `rest` starts with the binding being initialized, in the new frame `env`.
    case letrec(rest: Value, body: Value, env: Confined<Env>)
    /// `cond`: `rest` starts with the clause whose test is being evaluated.
    case cond(rest: Value, env: Confined<Env>)
    case and(rest: Value, env: Confined<Env>)
    case or(rest: Value, env: Confined<Env>)

    func trace(_ tracer: inout Tracer) {
        switch self {
        case .ifBranch(let v, let e), .body(let v, let e), .cond(let v, let e), .and(let v, let e), .or(let v, let e),
             .args(let v, let e, _):
            v.trace(&tracer); tracer.trace(e)
        case .define(_, let e), .assign(_, let e):
            tracer.trace(e)
        case .letInits(let f, let r, let e, _):
            f.trace(&tracer); r.trace(&tracer); tracer.trace(e)
        case .letStar(let r, let b, let e), .letrec(let r, let b, let e):
            r.trace(&tracer); b.trace(&tracer); tracer.trace(e)
        }
    }
}

/// The arena's root: globals, the top-level forms still to run, and the machine registers.
///
/// The stacks are `ConfinedVector` objects (a Swift `Array` cannot hold `~Escapable`
/// values). During a slice the driver works on a local copy of the registers and writes it
/// back once at the end (`Interpreter.evaluate`), so register updates cost no barrier.
public struct Machine: ConfinedCollect, ~Escapable {
    /// Global variables, indexed by symbol id; `.undefined` when unbound.
    var globals: Confined<ConfinedVector<Value>>
    /// The outermost frame: it has no bindings, lookups that reach it go to `globals`.
    var globalEnv: Confined<Env>
    var forms: Confined<ConfinedVector<Value>>
    var nextForm = 0
    var mode = Mode.idle
    // No `= .null` default values: for `~Escapable` stored properties they trip the same
    // compiler bug as `Confined<T>?` (Tests/CompileFailures/Confined/toolchain_optional_sugar.swift).
    var expr: Value
    var env: Confined<Env>
    var value: Value
    var konts: Confined<ConfinedVector<Kont>>
    var vals: Confined<ConfinedVector<Value>>
    /// Work space for the reader, `apply`, `append`, `reverse`, `length` and `equal?`.
    var scratch: Confined<ConfinedVector<Value>>

    @_lifetime(copy mc)
    init(_ mc: borrowing Mutation) throws {
        globalEnv = try mc.allocate(Env(bindings: nil, parent: nil))
        env = globalEnv
        expr = .null
        value = .unspecified
        globals = try mc.allocate(ConfinedVector<Value>())
        forms = try mc.allocate(ConfinedVector<Value>())
        konts = try mc.allocate(ConfinedVector<Kont>())
        vals = try mc.allocate(ConfinedVector<Value>())
        scratch = try mc.allocate(ConfinedVector<Value>())
    }

    public func trace(_ tracer: inout Tracer) {
        tracer.trace(globals)
        tracer.trace(globalEnv)
        tracer.trace(forms)
        expr.trace(&tracer)
        tracer.trace(env)
        value.trace(&tracer)
        tracer.trace(konts)
        tracer.trace(vals)
        tracer.trace(scratch)
    }

    /// Drops every pending computation (after an error).
    mutating func reset() {
        forms.truncate(to: 0)
        nextForm = 0
        mode = .idle
        expr = .null
        env = globalEnv
        value = .unspecified
        konts.truncate(to: 0)
        vals.truncate(to: 0)
        scratch.truncate(to: 0)
    }
}
