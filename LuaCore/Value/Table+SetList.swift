import GCArena

// SETLIST's bulk store (PUC's OP_SETLIST with `luaH_resizearray`): the array part grows once
// to hold the whole list, then the values are copied in without a lookup per key.

extension Gc where T == LuaTable {
    /// Stores `values[0..<count]` at keys `offset + 1 ... offset + count` (SETLIST).
    ///
    /// When the last key lies past the array part, the array part is first resized to end
    /// exactly there (the hash part keeps its size), as PUC does, so a constructor such as
    /// `{f(), g()}` sizes its table once instead of growing it key by key.
    public func setList(_ mc: borrowing Mutation, from values: UnsafePointer<LuaValue>, count n: Int, offset: Int)
        throws(LuaTableError)
    {
        guard n > 0 else { return }
        let (last, overflow) = offset.addingReportingOverflow(n)
        guard !overflow, offset >= 0 else { throw .outOfMemory(.outOfMemory(requested: Int.max)) }
        let t = unsafeMutablePointer
        if last > t.pointee._arraySize {
            do {
                try t.pointee._resize(mc, arraySize: last, hashSize: t.pointee._nodeCount)
            } catch {
                throw .outOfMemory(error)
            }
        }
        // SAFETY: `offset + n <= _arraySize` after the resize, so every slot written lies in
        // the array part; `values` holds `n` initialized values (the caller's stack slots).
        // Like PUC, the stores leave the length hint alone (only the resize sets it).
        let a = t.pointee._array.unsafelyUnwrapped + offset
        a.update(from: values, count: n)
        mc.backwardBarrier(self)
    }
}
