// Raw storage of `~Escapable` values in arena blocks.
//
// `UnsafeMutablePointer<Pointee>` requires an `Escapable` pointee, so the payload of a
// confined object is read, written and destroyed with the compiler's builtins on the raw
// block address. This is the only file of the package that imports `Builtin` (experimental
// feature `BuiltinModule`, enabled on the GCArena target for this reason alone).
//
// Storing a `~Escapable` value into the heap is, to the lifetime checker, an escape: the
// value outlives the scope it depends on. It is sound here because every confined value
// depends at most on the mutation it was made in, and the arena keeps the object alive for as
// long as it is reachable; nothing can read it again except through a handle that is itself
// confined to a later mutation. `_overrideLifetime(_, copying: ())` makes that assertion
// explicit at each store.

import Builtin

// SAFETY: every function takes the payload pointer of a live block whose payload was
// initialized as `T` (or, for `_confinedInitialize`, is uninitialized memory of `T`'s size
// and alignment).

/// Moves `value` into uninitialized payload memory.
@inlinable @inline(__always)
func _confinedInitialize<T: ~Escapable>(_ value: consuming T, at raw: UnsafeMutableRawPointer) {
    let unbound = _overrideLifetime(value, copying: ())
    Builtin.initialize(unbound, raw._rawValue)
}

/// Replaces the payload's value.
@inlinable @inline(__always)
func _confinedAssign<T: ~Escapable>(_ value: consuming T, at raw: UnsafeMutableRawPointer) {
    let unbound = _overrideLifetime(value, copying: ())
    Builtin.assign(unbound, raw._rawValue)
}

/// A copy of the payload's value, tied to the lifetime of `source` (the handle read through).
@inlinable @inline(__always) @_lifetime(copy source)
func _confinedLoad<T: ~Escapable, S: ~Escapable>(_: T.Type, at raw: UnsafeMutableRawPointer,
                                                 dependingOn source: borrowing S) -> T {
    let value: T = Builtin.load(raw._rawValue)
    return _overrideLifetime(value, copying: source)
}

/// Deinitializes the payload's value.
@inlinable @inline(__always)
func _confinedDestroy<T: ~Escapable>(_: T.Type, at raw: UnsafeMutableRawPointer) {
    Builtin.destroy(T.self, raw._rawValue)
}

/// Whether `T` is plain old data (nothing to release on free).
@inlinable @inline(__always)
func _confinedIsPOD<T: ~Escapable>(_: T.Type) -> Bool {
    Bool(_builtinBooleanLiteral: Builtin.ispod(T.self))
}

extension ConfinedCollect where Self: ~Escapable {
    // Requirements rather than generic code in `_ConfinedKind`, so that every conformance gets
    // entry points specialized for its type (the kind table calls them through a witness).

    @inlinable
    public static func _confinedTraceObject(_ payload: UnsafeMutableRawPointer, _ tracer: inout Tracer) {
        let value = _confinedLoad(Self.self, at: payload, dependingOn: ())
        value.trace(&tracer)
    }

    @inlinable
    public static var _confinedOwnsExternalMemory: Bool { false }

    @inlinable
    public static func _confinedReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int {
        _confinedDestroy(Self.self, at: payload)
        return 0
    }
}

/// The collector's entry points for a confined type `T`: an escapable stand-in registered in
/// the kind table (which holds `any Collect.Type`), never instantiated.
@usableFromInline
struct _ConfinedKind<T: ConfinedCollect & ~Escapable>: Collect {
    @inlinable static var needsTrace: Bool { T.needsTrace }
    @inlinable static var ownsExternalMemory: Bool { !_confinedIsPOD(T.self) || T._confinedOwnsExternalMemory }
    @inlinable func trace(_ tracer: inout Tracer) {}

    @inlinable
    static func _gcTraceObject(_ payload: UnsafeMutableRawPointer, _ tracer: inout Tracer) {
        T._confinedTraceObject(payload, &tracer)
    }

    @inlinable
    static func _gcReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int {
        T._confinedReleaseObject(payload)
    }
}
