// SAFETY: the window runs between marking and sweeping, so every object a weak handle names
// still has its block (dead or alive); resurrection only changes colors.

/// The finalization window: the moment between marking and sweeping when the host can see
/// what is about to die and bring it back.
///
/// Lua's `__gc` is built on it: the host keeps its finalizable objects in a list of weak
/// handles; in the window it collects the ones that ``isDead(_:)-(GcWeak<T>)``, resurrects
/// them (so their finalizers can run with their data intact), and runs the finalizers
/// later, in whatever order it keeps. Weak tables (`__mode`) clear entries whose
/// referents are dead in the same window.
///
/// A resurrection sends the collector back to marking (everything the object reaches must
/// be kept too) and the window opens again with a higher ``windowIndex``.
public struct GCFinalization: ~Escapable {
    @usableFromInline let _state: UnsafeMutablePointer<_HeapState>

    @inlinable @_lifetime(immortal)
    init(_state: UnsafeMutablePointer<_HeapState>) { self._state = _state }

    /// 0 for the first window of a cycle, then 1, 2, … after each resurrection.
    public var windowIndex: Int { _state.pointee.windowCount }

    /// Whether the object is unreachable and will be freed by this cycle's sweep.
    @inlinable
    public func isDead<T>(_ weak: GcWeak<T>) -> Bool {
        let o = _ObjectRef(payload: weak._raw)
        return o.flags & _Flag.dropped != 0 || _Color.isWhite(o.color)
    }

    /// Whether the object is unreachable and will be freed by this cycle's sweep.
    @inlinable
    public func isDead<T>(_ gc: Gc<T>) -> Bool {
        let o = _ObjectRef(payload: gc._raw)
        return o.flags & _Flag.dropped != 0 || _Color.isWhite(o.color)
    }

    /// Keeps the object, and everything it reaches, alive through this cycle.
    ///
    /// Returns nil if its value was already dropped in an earlier cycle.
    @discardableResult
    public func resurrect<T>(_ weak: GcWeak<T>) -> Gc<T>? {
        let o = _ObjectRef(payload: weak._raw)
        if o.flags & _Flag.dropped != 0 { return nil }
        var tracer = Tracer(_state)
        tracer._mark(o)
        return Gc(_raw: weak._raw)
    }

    /// Keeps the object, and everything it reaches, alive through this cycle.
    public func resurrect<T>(_ gc: Gc<T>) {
        _ = resurrect(gc.downgrade())
    }

    /// Whether this window has resurrected anything so far, so that marking will resume and
    /// another window will open before the sweep.
    ///
    /// Caches that drop what dies (a string intern table) should act only in a window where
    /// this is false: an object dead now may still be reached from one resurrected here.
    public var hasResurrections: Bool {
        _state.pointee.gray.count > 0 || _state.pointee.grayAgain.count > 0
    }

    /// A mutation context for work inside the window (clearing weak entries, moving
    /// resurrected objects to a to-be-finalized list). Objects allocated here survive the cycle.
    public var mutation: Mutation {
        @_lifetime(borrow self)
        get { Mutation(_state: _state) }
    }
}
