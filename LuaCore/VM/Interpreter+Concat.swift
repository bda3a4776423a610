import GCArena

// CONCAT (PUC's luaV_concat): joins runs of strings and numbers from the right; a pair
// with another type goes through `__concat`.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

extension VM {
    /// Concatenates `count` registers starting at stack index `first` into `stack[first]`.
    /// Returns true when `__concat` was called (finishOp continues the work), or when a
    /// large join charged fuel (the loop applies the charge before the next instruction).
    @inline(never)
    func concat(first: Int, count: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        var top = first + count
        var total = count
        while total > 1 {
            let s = stack
            let x = s[top - 2], y = s[top - 1]
            if !isStringish(x) || !isStringish(y) {
                var tm = LuaMeta.metamethod(g, x, .concat)
                if tm.isNil { tm = LuaMeta.metamethod(g, y, .concat) }
                if tm.isNil { throw arithmeticError(.concat, x, y, frame) }
                frame.pointee.continuation = Int32(top)
                return try callMetamethod(tm, x, y, frame, wanted: 1, event: .concat)
            }
            var n = 2
            while n < total && isStringish(s[top - n - 1]) { n += 1 }
            let joined = joinBound(from: top - n, count: n) <= Self.shortJoinLimit
                ? try joinShort(from: top - n, count: n) : try join(from: top - n, count: n)
            stack[top - n] = joined
            top -= n - 1
            total -= n - 1
        }
        return g.pointee.pendingFuelCharge != 0
    }

    @inline(__always)
    func isStringish(_ v: LuaValue) -> Bool { v.tag == .string || v.tag == .integer || v.tag == .float }

    /// Joins `count` strings/numbers starting at stack index `from` into one string.
    func join(from: Int, count: Int) throws(LuaError) -> LuaValue {
        let s = stack
        var length = 0
        for j in 0..<count {
            let v = s[from + j]
            length += v.tag == .string ? v.string.count : LuaDebug.numberText(v).count
        }
        if length > Int(Int32.max) { throw .runtime("string length overflow") }
        if length >= 1 << 16 {
            // A large copy is charged (one unit per 64 bytes) before it is made, as the
            // libraries' are; the slice ends right after this instruction if it overdraws.
            let (sum, overflow) = g.pointee.pendingFuelCharge.addingReportingOverflow(length >> 6)
            g.pointee.pendingFuelCharge = overflow ? Int.max : sum
        }
        var bytes = [UInt8]()
        // The buffer counts toward the memory limit while it exists (the result is interned
        // from it, so both are live at once).
        var account = LuaScratchAccount()
        defer { account.release(mc) }
        try account.reserve(&bytes, extra: length, mc)
        for j in 0..<count {
            let v = s[from + j]
            if v.tag == .string { bytes.append(contentsOf: v.string.bytes) } else { bytes.append(contentsOf: LuaDebug.numberText(v)) }
        }
        do { return LuaValue(try g.pointee.strings.intern(mc, bytes)) } catch { throw .outOfMemory(mc) }
    }
}
