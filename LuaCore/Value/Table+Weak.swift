import GCArena

// Tracing and weak tables (`__mode`).
//
// A strong table traces its metatable, every collectable array value, and every collectable
// key and value in its nodes. Dead keys (nodes whose value is nil, see Table.swift) are
// traced weakly in every mode (strings strongly): the block of a dead key's object stays
// addressable, so comparing a key against it (in lookups and `next`) never reads freed
// memory, and a dead key does not keep its object alive. A dropped object's block is never
// read through a dead key: only live keys are hashed or compared by content.
//
// Weak modes, as Lua 5.4 defines them:
// - weak values (`"v"`): values are traced weakly; keys strongly.
// - weak keys (`"k"`), an *ephemeron table*: keys are traced weakly and a value is traced
//   only once its key has been marked from elsewhere; while some key is unmarked the table
//   asks to be traced again after propagation (`retraceAfterPropagation`), so chains of
//   ephemerons converge. Array-part values have integer keys and are traced strongly.
// - both (`"kv"`): keys and values weakly.
// Strings are values, not objects, for weakness: they are always traced strongly and never
// removed from weak tables.
//
// Weak references keep an object's block addressable but not its value. In the
// finalization window the VM calls `clearDeadEntries` on every weak table, which sets to nil
// the entries whose weak key or value is about to be freed (the key stays as a dead key,
// traced weakly, so traversal and comparison never touch freed memory).

extension LuaTable {
    public func trace(_ tracer: inout Tracer) {
        if let mt = _metatable { tracer.trace(mt) }
        let weakKeys = _weakMode & Self._weakKeysBit != 0
        let weakValues = _weakMode & Self._weakValuesBit != 0
        // SAFETY: indices are bounded by the part sizes.
        if let a = _array {
            if weakValues {
                for i in 0..<_arraySize {
                    let v = a[i]
                    if v.tag > .string { tracer.traceWeak(v.object) } else if v.tag == .string { tracer.trace(v.object) }
                }
            } else {
                for i in 0..<_arraySize where a[i].tag >= .string { tracer.trace(a[i].object) }
            }
        }
        guard let nodes = _nodes else { return }
        if _weakMode == 0 {
            for j in 0..._nodeMask {
                let n = nodes + j
                let k = n.pointee.key
                let v = n.pointee.value
                if v.isNil {
                    Self._traceDeadKey(k, &tracer)
                    continue
                }
                if k.tag >= .string { tracer.trace(k.object) }
                if v.tag >= .string { tracer.trace(v.object) }
            }
            return
        }
        var pending = false
        for j in 0..._nodeMask {
            let n = nodes + j
            let k = n.pointee.key
            let v = n.pointee.value
            if v.isNil {
                Self._traceDeadKey(k, &tracer)
                continue
            }
            let weakKey = weakKeys && k.tag > .string
            if weakKey { tracer.traceWeak(k.object) } else if k.tag >= .string { tracer.trace(k.object) }
            guard v.tag >= .string else { continue }
            if weakValues && v.tag > .string {
                tracer.traceWeak(v.object)
            } else if weakKey && !tracer.isMarked(k.object) {
                pending = true  // ephemeron: the value waits for its key
            } else {
                tracer.trace(v.object)
            }
        }
        if pending { tracer.retraceAfterPropagation() }
    }

    /// A dead key (its value is nil) is held weakly whatever the mode (strings strongly):
    /// its block stays addressable, so identity comparisons in lookups and `next` stay
    /// sound, but it does not keep its object alive.
    @inline(__always)
    static func _traceDeadKey(_ k: LuaValue, _ tracer: inout Tracer) {
        if k.tag > .string { tracer.traceWeak(k.object) } else if k.tag == .string { tracer.trace(k.object) }
    }
}

extension Gc where T == LuaTable {
    /// Whether keys are held weakly (`__mode` contains `k`).
    @inlinable public var hasWeakKeys: Bool { value._weakMode & LuaTable._weakKeysBit != 0 }

    /// Whether values are held weakly (`__mode` contains `v`).
    @inlinable public var hasWeakValues: Bool { value._weakMode & LuaTable._weakValuesBit != 0 }

    /// Sets the weak mode (from the metatable's `__mode`).
    ///
    /// Applies the backward barrier: a table traced weakly and made strong must be traced again.
    public func setWeakMode(_ mc: borrowing Mutation, keys: Bool, values: Bool) {
        write(mc).value._weakMode = (keys ? LuaTable._weakKeysBit : 0) | (values ? LuaTable._weakValuesBit : 0)
    }

    /// In a finalization window, sets to nil every entry whose weak key (`keys`) or weak
    /// value (`values`) is about to be freed; cleared keys stay as dead keys.
    ///
    /// Only non-string collectable keys and values are considered. Storing nil needs no
    /// barrier.
    public func clearDeadEntries(_ fc: borrowing GCFinalization, keys: Bool, values: Bool) {
        let t = unsafeMutablePointer
        // SAFETY: indices are bounded by the part sizes; stores of nil need no barrier.
        if values, let a = t.pointee._array {
            for i in 0..<t.pointee._arraySize where a[i].tag > .string && fc.isDead(a[i].object) {
                a[i] = .nil
            }
        }
        guard let nodes = t.pointee._nodes else { return }
        for j in 0...t.pointee._nodeMask {
            let n = nodes + j
            let v = n.pointee.value
            if v.isNil { continue }
            let k = n.pointee.key
            if (keys && k.tag > .string && fc.isDead(k.object))
                || (values && v.tag > .string && fc.isDead(v.object)) {
                n.pointee.value = .nil
            }
        }
    }
}
