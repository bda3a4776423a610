import GCArena

// Traversal (PUC's `luaH_next` and `findindex`).
//
// A traversal position is an index into "array slots, then nodes": the array part's keys
// `1...arraySize` in order, then the hash part's nodes in storage order. `next` finds the
// position of the key it is given and returns the first non-nil entry after it.
//
// Assigning to existing fields (including assigning nil) during a traversal is allowed:
// values change in place, and a field set to nil keeps its key in its node, so the traversal
// can continue from it, also after the collector made it a dead key (found by address).
// Adding new keys during a traversal may rehash the table, after which a key may no longer
// be found ("invalid key to 'next'"), as in PUC.

extension Gc where T == LuaTable {
    /// The entry after `key` in traversal order, or nil at the end; `key` nil starts.
    ///
    /// Throws ``LuaTableError/invalidKeyToNext`` when `key` is not in the table. Keys are
    /// compared raw and not normalized (as PUC's `findindex`): `next(t, 1.0)` is an error
    /// even when `t[1]` exists.
    public func next(after key: LuaValue) throws(LuaTableError) -> (key: LuaValue, value: LuaValue)? {
        let t = unsafeMutablePointer
        let size = t.pointee._arraySize
        var i: Int
        if key.isNil {
            i = 0
        } else if key.tag == .integer && UInt64(bitPattern: key.integer) &- 1 < UInt64(size) {
            i = Int(key.integer)
        } else {
            guard let n = t.pointee._findNodeForNext(key), let nodes = t.pointee._nodes else { throw .invalidKeyToNext }
            i = size + (n - nodes) + 1
        }
        // SAFETY: `i` is bounded by the array size, then by the node count.
        if let a = t.pointee._array {
            while i < size {
                let v = a[i]
                if !v.isNil { return (LuaValue(Int64(i + 1)), v) }
                i += 1
            }
        }
        guard let nodes = t.pointee._nodes else { return nil }
        var j = i - size
        let count = t.pointee._nodeMask + 1
        while j < count {
            let n = nodes + j
            if !n.pointee.value.isNil { return (n.pointee.key, n.pointee.value) }
            j += 1
        }
        return nil
    }
}
