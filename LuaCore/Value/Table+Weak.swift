import GCArena

// Tracing and weak tables (`__mode`).
//
// A strong table traces its metatable, every collectable array value, and every collectable
// key and value in its nodes. A node whose value is nil is *cleared* when the table is traced
// (PUC's `clearkey`): a collectable key becomes a dead key (see Table.swift) that is no
// longer traced, so a removed entry does not keep its key alive. A dead key keeps only the
// object's address, compared by identity in `next` and never dereferenced.
//
// Weak modes, as Lua 5.4 defines them:
// - weak values (`"v"`): values are traced weakly; keys strongly (PUC's `traverseweakvalue`
//   marks them, so the key of an entry whose value dies lives until the next cycle).
// - weak keys (`"k"`), an *ephemeron table*: keys are traced weakly and a value is traced
//   only once its key has been marked from elsewhere; while some key is unmarked the table
//   asks to be traced again after propagation (`retraceAfterPropagation`), so chains of
//   ephemerons converge. Array-part values have integer keys and are traced strongly.
// - both (`"kv"`): keys and values weakly. A string key (strings are never weak) is traced
//   once its entry's value is marked; while it is not, the table asks to be traced again
//   after propagation. If the value dies the entry is cleared and the string is collected
//   in the same cycle, as PUC does (it marks an all-weak table's string keys only in
//   `clearbykeys`, after `clearbyvalues` removed the entries of dead values).
// Strings are values, not objects, for weakness: they are never removed from weak tables.
//
// Weak references keep an object's block addressable but not its value. In the
// finalization window the VM calls `clearDeadEntries` on every weak table, which sets to nil
// the entries whose weak key or value is about to be freed and turns their keys into dead
// keys, before the sweep frees them.

extension LuaTable {
    public func trace(_ tracer: inout Tracer) {
        if let mt = _metatable { tracer.trace(mt) }
        let weakKeys = _weakMode & Self._weakKeysBit != 0
        let weakValues = _weakMode & Self._weakValuesBit != 0
        // SAFETY: indices are bounded by the part sizes. Clearing a key writes only the
        // node vector this table owns (no handle becomes reachable, so no barrier).
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
                let v = n.pointee.value
                if v.isNil {
                    Self._clearKey(n)
                    continue
                }
                let k = n.pointee.key
                if k.tag >= .string { tracer.trace(k.object) }
                if v.tag >= .string { tracer.trace(v.object) }
            }
            return
        }
        var pending = false
        for j in 0..._nodeMask {
            let n = nodes + j
            let v = n.pointee.value
            if v.isNil {
                Self._clearKey(n)
                continue
            }
            let k = n.pointee.key
            let weakValue = weakValues && v.tag > .string
            let weakKey = weakKeys && k.tag > .string
            if weakKey {
                tracer.traceWeak(k.object)
            } else if k.tag == .string && weakKeys && weakValue && !tracer.isMarked(v.object) {
                pending = true  // all weak: the string key waits for its weak value
            } else if k.tag >= .string {
                tracer.trace(k.object)
            }
            guard v.tag >= .string else { continue }
            if weakValue {
                tracer.traceWeak(v.object)
            } else if weakKey && !tracer.isMarked(k.object) {
                pending = true  // ephemeron: the value waits for its key
            } else {
                tracer.trace(v.object)
            }
        }
        if pending { tracer.retraceAfterPropagation() }
    }

    /// Turns the collectable key of a node whose value is nil into a dead key (PUC's
    /// `clearkey`): the tag becomes nil and the bits keep the object's address, so `next`
    /// can still find the node by identity, while lookups never match it, the free-node
    /// cursor never takes it (a free node's key has zero bits) and the tracer ignores it.
    @inline(__always)
    static func _clearKey(_ n: UnsafeMutablePointer<_LuaNode>) {
        // SAFETY: `n` is a node of a live table's vector (callers' bounds).
        if n.pointee.key.tag >= .string { n.pointee.key.tag = .nil }
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
    /// value (`values`) is about to be freed, and turns the keys of all entries with nil
    /// values into dead keys (PUC's `clearbykeys`/`clearbyvalues`).
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
            if !v.isNil {
                let k = n.pointee.key
                guard (keys && k.tag > .string && fc.isDead(k.object))
                    || (values && v.tag > .string && fc.isDead(v.object)) else { continue }
                n.pointee.value = .nil
            }
            LuaTable._clearKey(n)
        }
    }
}
