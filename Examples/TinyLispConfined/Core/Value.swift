import GCArena

// TinyLisp's data on the statically confined API: one tagged, trivially copyable `Value`
// and the arena objects it can name, all `~Escapable` because they hold `Confined` handles.
// Compared with Examples/TinyLisp/Core/Value.swift: `~Escapable` on five types and one
// `@_lifetime` initializer each for the four structs that hold handles.

/// An interned symbol: an index into the interpreter's symbol table (never collected).
public struct Symbol: Hashable, BitwiseCopyable, Sendable {
    public let id: Int32
    @inlinable init(_ id: Int32) { self.id = id }
}

/// A Lisp value: immediate data, or a handle to an arena object.
///
/// `Value` is plain old data (a tag and one word): copying it never touches a reference
/// count, so stacks of values and cons cells cost nothing to move.
public enum Value: ConfinedCollect, BitwiseCopyable, ~Escapable {
    /// The empty list `()`.
    case null
    /// What `define`, `set!` and `display` return; the printer shows nothing for it.
    case unspecified
    /// An unassigned slot (a global never defined, a `letrec` variable before its init).
    case undefined
    case bool(Bool)
    case fixnum(Int)
    case symbol(Symbol)
    case string(Confined<LispString>)
    case pair(Confined<Pair>)
    case closure(Confined<Closure>)
    case builtin(Builtin)

    @inlinable
    public func trace(_ tracer: inout Tracer) {
        switch self {
        case .string(let g): tracer.trace(g)
        case .pair(let g): tracer.trace(g)
        case .closure(let g): tracer.trace(g)
        case .null, .unspecified, .undefined, .bool, .fixnum, .symbol, .builtin: break
        }
    }

    /// Everything but `#f` counts as true.
    @inlinable var isTrue: Bool {
        if case .bool(false) = self { return false }
        return true
    }
}

/// A cons cell. Mutated only through `Confined.write(mc)`, so `set-car!` runs the write barrier.
public struct Pair: ConfinedCollect, BitwiseCopyable, ~Escapable {
    public var car: Value
    public var cdr: Value
    @inlinable @_lifetime(copy car, copy cdr)
    public init(car: Value, cdr: Value) { self.car = car; self.cdr = cdr }
    @inlinable public func trace(_ tracer: inout Tracer) {
        car.trace(&tracer)
        cdr.trace(&tracer)
    }
}

/// An immutable string. It owns a Swift `String`, so the collector deinitializes it on free.
public struct LispString: ConfinedCollectLeaf {
    public var text: String
}

/// A `lambda`: parameter list, body and the environment it closes over.
public struct Closure: ConfinedCollect, BitwiseCopyable, ~Escapable {
    /// A proper list of symbols, an improper one ending in the rest symbol, or one symbol.
    public var params: Value
    /// The non-empty list of body expressions.
    public var body: Value
    public var env: Confined<Env>
    /// The name it was first defined under (for error messages), or `.null`.
    public var name: Value
    @inlinable @_lifetime(copy params, copy body, copy env, copy name)
    public init(params: Value, body: Value, env: Confined<Env>, name: Value) {
        self.params = params; self.body = body; self.env = env; self.name = name
    }
    @inlinable public func trace(_ tracer: inout Tracer) {
        params.trace(&tracer)
        body.trace(&tracer)
        tracer.trace(env)
        name.trace(&tracer)
    }
}

/// A lexical frame: a mutable list of bindings (internal `define` prepends) and the frame
/// it is nested in. The outermost frame has no bindings of its own: globals live in the root.
public struct Env: ConfinedCollect, BitwiseCopyable, ~Escapable {
    public var bindings: Optional<Confined<Binding>>
    public var parent: Optional<Confined<Env>>
    @inlinable @_lifetime(copy bindings, copy parent)
    public init(bindings: Optional<Confined<Binding>>, parent: Optional<Confined<Env>>) {
        self.bindings = bindings; self.parent = parent
    }
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(bindings)
        tracer.trace(parent)
    }
}

/// One variable of a frame; `set!` writes its value through the barrier.
public struct Binding: ConfinedCollect, BitwiseCopyable, ~Escapable {
    public var symbol: Symbol
    public var value: Value
    public var next: Optional<Confined<Binding>>
    @inlinable @_lifetime(copy value, copy next)
    public init(symbol: Symbol, value: Value, next: Optional<Confined<Binding>>) {
        self.symbol = symbol; self.value = value; self.next = next
    }
    @inlinable public func trace(_ tracer: inout Tracer) {
        value.trace(&tracer)
        tracer.trace(next)
    }
}
