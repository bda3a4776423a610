// The tracing protocol for objects of a ``ConfinedArena``: like ``Collect``, but the
// conforming type may be `~Escapable`, which is what lets it hold ``Confined`` handles.

/// A type whose values can live in a ``ConfinedArena`` and report the ``Confined`` handles
/// they hold.
///
/// The contract is ``Collect``'s: `trace(_:)` reports every handle the value holds (rule 1),
/// ``needsTrace`` is `false` only for types that never hold one (rule 2), and `trace` only
/// reports (rule 4). Rules 3 and 5 of ``Collect`` — never hide a handle where tracing cannot
/// see it, never write without the barrier — are enforced by the compiler for confined
/// handles: a type that stores a ``Confined`` must itself be `~Escapable`, so it cannot be
/// kept anywhere outside the arena, and the only write path is ``Confined/write(_:)``.
///
/// ```swift
/// struct Node: ConfinedCollect, ~Escapable {
///     var value: Int
///     var next: Optional<Confined<Node>>
///     @_lifetime(copy next)
///     init(value: Int, next: Optional<Confined<Node>>) { self.value = value; self.next = next }
///     func trace(_ tracer: inout Tracer) { tracer.trace(next) }
/// }
/// ```
///
/// A type must not conform to both `Collect` and `ConfinedCollect`: allocation would be
/// ambiguous.
public protocol ConfinedCollect: ~Escapable {
    /// Whether values of this type can hold handles; `false` lets the collector skip them.
    static var needsTrace: Bool { get }

    /// Reports every handle this value holds to `tracer`.
    func trace(_ tracer: inout Tracer)

    // SAFETY: the collector calls these entry points only with the payload address of a live
    // object of `Self`'s kind, initialized by `allocate`; `_confinedReleaseObject` runs once,
    // when the object is swept, and nothing reads the payload afterwards.
    /// Traces the value stored at `payload` (collector entry point; do not implement).
    static func _confinedTraceObject(_ payload: UnsafeMutableRawPointer, _ tracer: inout Tracer)

    /// Whether values own memory outside the arena that the collector must release.
    static var _confinedOwnsExternalMemory: Bool { get }

    /// Deinitializes the value stored at `payload`, returning the external bytes it released
    /// (collector entry point; do not implement).
    static func _confinedReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int
}

extension ConfinedCollect where Self: ~Escapable {
    @inlinable public static var needsTrace: Bool { true }
}

/// A ``ConfinedCollect`` type that holds no handles: conforming is all it takes.
public protocol ConfinedCollectLeaf: ConfinedCollect, ~Escapable {}

extension ConfinedCollectLeaf where Self: ~Escapable {
    @inlinable public static var needsTrace: Bool { false }
    @inlinable public func trace(_ tracer: inout Tracer) {}
}

extension Tracer {
    /// Reports a confined handle.
    @inlinable @inline(__always)
    public mutating func trace<T: ConfinedCollect & ~Escapable>(_ gc: Confined<T>) {
        _mark(_ObjectRef(payload: gc._raw))
    }

    /// Reports a confined handle, if there is one.
    @inlinable @inline(__always)
    public mutating func trace<T: ConfinedCollect & ~Escapable>(_ gc: Optional<Confined<T>>) {
        if let g = gc { _mark(_ObjectRef(payload: g._raw)) }
    }

    /// Reports every handle inside a confined value (a field of a compound type).
    @inlinable @inline(__always)
    public mutating func trace<T: ConfinedCollect & ~Escapable>(confined value: borrowing T) {
        if T.needsTrace { value.trace(&self) }
    }
}
