/// A handle to an object in an ``Arena``: one machine pointer, copied without reference counting.
///
/// `Gc` is `BitwiseCopyable`: copying, storing or comparing it never touches a reference
/// count. Reading the object is a plain load through ``value``; writing goes through
/// ``write(_:)``, which applies the collector's write barrier.
///
/// A handle is valid only inside ``Arena/mutate(_:)`` (and the finalization window) of the
/// arena that allocated it. Between `mutate` calls an object survives only if it is
/// reachable from the root or from a ``DynamicRoot``. Debug builds (`GCARENA_DEBUG`)
/// check every dereference and trap on a handle that outlived its object or its arena.
@frozen
public struct Gc<T: Collect>: BitwiseCopyable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// The object's value, read in place.
    @inlinable
    public var value: T {
        unsafeAddress {
            _debugCheckHandle(_raw)
            // SAFETY: `_raw` is the payload of a live object of type `T` (the arena only
            // frees unreachable objects, and a reachable handle implies a live object);
            // debug builds verify this above.
            return UnsafePointer(_raw.assumingMemoryBound(to: T.self))
        }
    }

    /// Write access to the object, after the write barrier has run.
    ///
    /// The returned view lives no longer than the mutation context.
    @inlinable @inline(__always)
    @_lifetime(borrow mc)
    public func write(_ mc: borrowing Mutation) -> GcWrite<T> {
        _debugCheckHandle(_raw)
        mc.backwardBarrier(self)
        return GcWrite(_raw.assumingMemoryBound(to: T.self))
    }

    /// A raw pointer to the payload, bypassing the write barrier.
    ///
    /// Unsafe: a store of a handle through this pointer must be followed by
    /// ``Mutation/backwardBarrier(_:)-(Gc<T>)`` on this object (or ``Mutation/forwardBarrier(_:_:)``
    /// on the stored handle), or the collector may free a reachable object.
    @inlinable
    public var unsafeMutablePointer: UnsafeMutablePointer<T> {
        _raw.assumingMemoryBound(to: T.self)
    }

    /// A weak handle to the same object.
    @inlinable
    public func downgrade() -> GcWeak<T> { GcWeak(_raw: _raw) }

    /// The handle with its type erased.
    @inlinable
    public var erased: AnyGc { AnyGc(_raw: _raw) }

    /// Whether two handles name the same object.
    @inlinable
    public static func === (lhs: Gc<T>, rhs: Gc<T>) -> Bool { lhs._raw == rhs._raw }
}

extension Gc: Equatable, Hashable {
    /// Identity comparison: handles are equal when they name the same object.
    @inlinable public static func == (lhs: Gc<T>, rhs: Gc<T>) -> Bool { lhs._raw == rhs._raw }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(_raw) }
}

extension Gc: Collect {
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(self) }
}

/// Mutable access to an arena object whose write barrier has already run.
///
/// Obtained from ``Gc/write(_:)``; it cannot outlive the mutation context.
public struct GcWrite<T: Collect>: ~Escapable {
    @usableFromInline let _pointer: UnsafeMutablePointer<T>

    @inlinable @inline(__always) @_lifetime(immortal)
    init(_ pointer: UnsafeMutablePointer<T>) { _pointer = pointer }

    /// The object's value, readable and writable in place.
    @inlinable
    public var value: T {
        unsafeAddress { UnsafePointer(_pointer) }
        // SAFETY: the barrier ran when this view was made, and the view cannot outlive the
        // mutation, so no collection can observe a half-done write.
        nonmutating unsafeMutableAddress { _pointer }
    }
}

/// A handle with its type erased: useful as a key for objects of mixed types.
@frozen
public struct AnyGc: BitwiseCopyable, Hashable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// Recovers the typed handle. The caller asserts the object's type.
    @inlinable
    public func unsafeCast<T>(to type: T.Type) -> Gc<T> { Gc(_raw: _raw) }
}

extension AnyGc: Collect {
    @inlinable public func trace(_ tracer: inout Tracer) { tracer._mark(_ObjectRef(payload: _raw)) }
}

/// Handles are tied to one arena, which is not thread-safe: they must never cross threads.
@available(*, unavailable, message: "Gc handles belong to one arena and one thread")
extension Gc: Sendable {}

@available(*, unavailable, message: "GcWeak handles belong to one arena and one thread")
extension GcWeak: Sendable {}
