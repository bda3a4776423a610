// Conversions between handles and raw pointers, for hosts that pack handles into their own
// tagged representations (a VM value is a tag plus 8 bytes of payload).

// SAFETY: these conversions only rebuild handles from payload pointers the arena handed out;
// callers promise the object is alive (see each initializer's contract).

extension Gc {
    /// Rebuilds a handle from ``unsafeRawPayload``.
    ///
    /// Unsafe: `raw` must be the payload pointer of a live object of type `T` in the arena
    /// being mutated.
    @inlinable @inline(__always)
    public init(unsafeRawPayload raw: UnsafeMutableRawPointer) { self.init(_raw: raw) }

    /// The payload pointer this handle holds.
    @inlinable @inline(__always)
    public var unsafeRawPayload: UnsafeMutableRawPointer { _raw }
}

extension AnyGc {
    /// Rebuilds an erased handle from a payload pointer (see ``Gc/unsafeRawPayload``).
    @inlinable @inline(__always)
    public init(unsafeRawPayload raw: UnsafeMutableRawPointer) { self.init(_raw: raw) }

    /// The payload pointer this handle holds.
    @inlinable @inline(__always)
    public var unsafeRawPayload: UnsafeMutableRawPointer { _raw }

    /// An erased weak handle to the same object.
    @inlinable public var weak: AnyGcWeak { AnyGcWeak(_raw: _raw) }
}

/// A weak handle with its type erased (see ``GcWeak``).
@frozen
public struct AnyGcWeak: BitwiseCopyable, Hashable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// A strong erased handle, or nil if the object is dead or doomed.
    @inlinable
    public func upgrade(_ mc: borrowing Mutation) -> AnyGc? {
        GcWeak<Int>(_raw: _raw).upgrade(mc).map { AnyGc(_raw: $0._raw) }
    }
}

extension AnyGcWeak: Collect {
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.traceWeak(GcWeak<Int>(_raw: _raw)) }
}

extension Tracer {
    /// Reports an erased handle held weakly.
    @inlinable @inline(__always)
    public mutating func traceWeak(_ gc: AnyGc) { traceWeak(GcWeak<Int>(_raw: gc._raw)) }

    /// Whether marking has reached the object (see ``isMarked(_:)-(GcWeak<T>)``).
    @inlinable
    public func isMarked(_ gc: AnyGc) -> Bool { !_Color.isWhite(_ObjectRef(payload: gc._raw).color) }
}

extension GCFinalization {
    /// Whether the object will be freed by this cycle's sweep.
    @inlinable
    public func isDead(_ gc: AnyGc) -> Bool { isDead(GcWeak<Int>(_raw: gc._raw)) }

    /// Keeps the object alive through this cycle (see ``resurrect(_:)-(GcWeak<T>)``).
    @discardableResult
    public func resurrect(_ gc: AnyGc) -> Bool { resurrect(GcWeak<Int>(_raw: gc._raw)) != nil }

    /// Whether the object an erased weak handle names will be freed by this cycle's sweep.
    @inlinable
    public func isDead(_ weak: AnyGcWeak) -> Bool { isDead(GcWeak<Int>(_raw: weak._raw)) }

    /// Resurrects the object an erased weak handle names; nil if its value was already dropped.
    public func resurrect(_ weak: AnyGcWeak) -> AnyGc? {
        resurrect(GcWeak<Int>(_raw: weak._raw)).map { AnyGc(_raw: $0._raw) }
    }
}

extension Mutation {
    /// Re-grays an object named by an erased handle (see ``backwardBarrier(_:)``).
    @inlinable @inline(__always)
    public func backwardBarrier(_ parent: AnyGc) { backwardBarrier(Gc<Int>(_raw: parent._raw)) }
}
