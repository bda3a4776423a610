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

    @usableFromInline @inline(never)
    func _backwardBarrierSlow(_ o: _ObjectRef) {
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
            let c = _ObjectRef(payload: child._raw)
            if _Color.isWhite(c.color) && _state.pointee.phase == .propagating {
                var tracer = Tracer(_state)
                tracer._markWhite(c)
            }
        }
    }

    /// Marks every handle in `value` if `parent` is black: the forward barrier for storing
    /// a compound value (for example a tagged value that may hold a handle).
    @inlinable @inline(__always)
    public func forwardBarrier<P, V: Collect>(_ parent: Gc<P>, storing value: V) {
        guard V.needsTrace else { return }
        let p = _ObjectRef(payload: parent._raw)
        if _slowPath(p.color == _Color.black) && _state.pointee.phase == .propagating {
            var tracer = Tracer(_state)
            value.trace(&tracer)
        }
    }
}
