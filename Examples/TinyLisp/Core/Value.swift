import GCArena

// TinyLisp's data: one tagged, trivially copyable `Value`, and the arena objects it can
// name. Every object type is a `Collect` conformance written by hand — this file is the
// whole of what TinyLisp tells the collector about its heap.

/// An interned symbol: an index into the interpreter's symbol table (never collected).
public struct Symbol: Hashable, BitwiseCopyable, Sendable {
    public let id: Int32
    @inlinable init(_ id: Int32) { self.id = id }
}

/// A Lisp value: immediate data, or a handle to an arena object.
///
/// `Value` is plain old data (a tag and one word): copying it never touches a reference
/// count, so stacks of values and cons cells cost nothing to move.
public enum Value: Collect, BitwiseCopyable {
    /// The empty list `()`.
    case null
    /// What `define`, `set!` and `display` return; the printer shows nothing for it.
    case unspecified
    /// An unassigned slot (a global never defined, a `letrec` variable before its init).
    case undefined
    case bool(Bool)
    case fixnum(Int)
    case symbol(Symbol)
    case string(Gc<LispString>)
    case pair(Gc<Pair>)
    case closure(Gc<Closure>)
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

/// A cons cell. Mutated only through `Gc.write(mc)`, so `set-car!` runs the write barrier.
public struct Pair: Collect, BitwiseCopyable {
    public var car: Value
    public var cdr: Value
    @inlinable public func trace(_ tracer: inout Tracer) {
        car.trace(&tracer)
        cdr.trace(&tracer)
    }
}

/// An immutable string. It owns a Swift `String`, so the collector deinitializes it on free.
public struct LispString: CollectLeaf {
    public var text: String
}

/// A `lambda`: parameter list, body and the environment it closes over.
public struct Closure: Collect, BitwiseCopyable {
    /// A proper list of symbols, an improper one ending in the rest symbol, or one symbol.
    public var params: Value
    /// The non-empty list of body expressions.
    public var body: Value
    public var env: Gc<Env>
    /// The name it was first defined under (for error messages), or `.null`.
    public var name: Value
    @inlinable public func trace(_ tracer: inout Tracer) {
        params.trace(&tracer)
        body.trace(&tracer)
        tracer.trace(env)
        name.trace(&tracer)
    }
}

/// A lexical frame: a mutable list of bindings (internal `define` prepends) and the frame
/// it is nested in. The outermost frame has no bindings of its own: globals live in the root.
public struct Env: Collect, BitwiseCopyable {
    public var bindings: Gc<Binding>?
    public var parent: Gc<Env>?
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(bindings)
        tracer.trace(parent)
    }
}

/// One variable of a frame; `set!` writes its value through the barrier.
public struct Binding: Collect, BitwiseCopyable {
    public var symbol: Symbol
    public var value: Value
    public var next: Gc<Binding>?
    @inlinable public func trace(_ tracer: inout Tracer) {
        value.trace(&tracer)
        tracer.trace(next)
    }
}
