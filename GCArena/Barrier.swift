// Write barriers: what keeps "a black object never points to a white one" true while the
// mutator runs between incremental marking steps.
//
// During propagation the heap is split into black (traced), gray (reached, not yet traced)
// and white (not reached yet). If the mutator stored a white object's handle into a black
// object and removed every other path to it, marking would never reach it and the sweep
// would free a live object. A barrier restores the invariant at the store:
//
// - backward: the black *parent* turns gray again and goes on the gray-again queue, to be
//   traced once more (cheap when an object receives many stores, e.g. a table being filled);
// - forward: the white *child* is marked at once (cheap for a single store into an object
//   that is otherwise done, e.g. setting an upvalue).
//
// Outside propagation no object is "black and finished", so both barriers do nothing.
//
// In generational mode old objects stay black between collections, and a minor collection
// does not trace them: a store of a young object into an old one must be remembered at any
// time. Both barriers then turn the old parent gray and `touched` (Generational.swift), so
// the next two minor collections re-trace it. The inline checks are the same in both modes
// (is the parent black?); only the out-of-line slow paths differ.

extension Mutation {
    /// Re-grays `parent` if it is black, so its new contents are traced again.
    ///
    /// ``Gc/write(_:)`` calls this for you; call it yourself only after writing through
    /// ``Gc/unsafeMutablePointer``.
    @inlinable @inline(__always)
    public func backwardBarrier<T>(_ parent: Gc<T>) {
        let o = _ObjectRef(payload: parent._raw)
        if _slowPath(o.color == _Color.black) { _backwardBarrierSlow(o) }
    }

    /// True when `parent` is black, so a store into it needs ``backwardBarrier(_:)-(Gc<T>)``'s slow
    /// path: lets a caller leave that path (a call) out of its own code.
    @inlinable @inline(__always)
    public func needsBackwardBarrier<T>(_ parent: Gc<T>) -> Bool {
        _ObjectRef(payload: parent._raw).color == _Color.black
    }

    @usableFromInline @inline(never)
    func _backwardBarrierSlow(_ o: _ObjectRef) {
        if _state.pointee.generational {
            _Collector.genBarrier(_state, o)
            return
        }
        guard _state.pointee.phase == .propagating else { return }
        o.color = _Color.gray
        _state.pointee.grayAgain.push(o.raw)
    }

    /// Marks `child` if it is white and `parent` is black: call after storing `child` into
    /// `parent` through ``Gc/unsafeMutablePointer``.
    @inlinable @inline(__always)
    public func forwardBarrier<P, C>(_ parent: Gc<P>, _ child: Gc<C>) {
        let p = _ObjectRef(payload: parent._raw)
        if _slowPath(p.color == _Color.black) {
            _forwardBarrierSlow(p, _ObjectRef(payload: child._raw))
        }
    }

    @usableFromInline @inline(never)
    func _forwardBarrierSlow(_ p: _ObjectRef, _ c: _ObjectRef) {
        let s = _state
        if s.pointee.generational && _Age.isOld(p.age) {
            // An old parent is not traced by minor collections: remember it (unless the
            // child is old too), as the backward barrier does.
            if !_Age.isOld(c.age) { _Collector.genBarrier(s, p) }
            return
        }
        if _Color.isWhite(c.color) && s.pointee.phase == .propagating {
            var tracer = Tracer(s)
            tracer._markWhite(c)
        }
    }

    /// Marks every handle in `value` if `parent` is black: the forward barrier for storing
    /// a compound value (for example a tagged value that may hold a handle).
    @inlinable @inline(__always)
    public func forwardBarrier<P, V: Collect>(_ parent: Gc<P>, storing value: V) {
        guard V.needsTrace else { return }
        let p = _ObjectRef(payload: parent._raw)
        if _slowPath(p.color == _Color.black) {
            if _state.pointee.generational && _Age.isOld(p.age) {
                _backwardBarrierSlow(p)
            } else if _state.pointee.phase == .propagating {
                var tracer = Tracer(_state)
                value.trace(&tracer)
            }
        }
    }
}
