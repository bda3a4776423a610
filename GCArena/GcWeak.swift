// SAFETY: a traced weak handle keeps its object's block allocated (values may be dropped, blocks
// stay until no weak handle reaches them), so reading the header is always in bounds.

/// A weak handle: it names an object without keeping it alive.
///
/// ``upgrade(_:)`` returns a strong ``Gc`` while the object is alive, and `nil` once the
/// collector has decided it is garbage: after its value was dropped, and already during
/// the cycle that dooms it (in the finalization window and the sweep). A weak handle keeps
/// the object's block addressable, never its value, so holding one is always safe as long
/// as the weak handle itself is traced (``Tracer/traceWeak(_:)-(GcWeak<T>)``).
@frozen
public struct GcWeak<T: Collect>: BitwiseCopyable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// A strong handle to the object, or nil if the object is dead or doomed.
    @inlinable
    public func upgrade(_ mc: borrowing Mutation) -> Gc<T>? {
        _debugCheckBlock(_raw)
        return _isDoomed(mc._state) ? nil : Gc(_raw: _raw)
    }

    /// Whether the object is dead or doomed (``upgrade(_:)`` would return nil).
    @inlinable
    public func isDead(_ mc: borrowing Mutation) -> Bool {
        _debugCheckBlock(_raw)
        return _isDoomed(mc._state)
    }

    @inlinable
    func _isDoomed(_ s: UnsafeMutablePointer<_HeapState>) -> Bool {
        let o = _ObjectRef(payload: _raw)
        if o.flags & _Flag.dropped != 0 { return true }
        switch s.pointee.phase {
        case .marked: return _Color.isWhite(o.color)
        case .sweeping: return o.color == s.pointee.currentWhite ^ 1
        case .sleeping, .propagating: return false
        }
    }
}

extension GcWeak: Equatable, Hashable {
    @inlinable public static func == (lhs: GcWeak<T>, rhs: GcWeak<T>) -> Bool { lhs._raw == rhs._raw }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(_raw) }
}

extension GcWeak: Collect {
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.traceWeak(self) }
}
