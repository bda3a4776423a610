import GCArena

// Comparison slow paths. Each returns the result, or nil when a metamethod frame was pushed
// (its result completes the comparison through finishOp).

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

extension VM {
    /// `==` beyond the fast path: floats, mixed numbers, `__eq` for tables and userdata.
    @inline(never)
    func equalSlow(_ x: LuaValue, _ y: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool? {
        if x.tag != y.tag {
            if x.isNumber && y.isNumber { return LuaVM.rawEquals(x, y) }
            return false
        }
        switch x.tag {
        case .table, .userdata:
            if x.bits == y.bits { return true }
            var tm = LuaMeta.metamethod(g, x, .eq)
            if tm.isNil { tm = LuaMeta.metamethod(g, y, .eq) }
            if tm.isNil { return false }
            _ = try callMetamethod(tm, x, y, frame, wanted: 1, event: .eq)
            return nil
        default:
            return LuaVM.rawEquals(x, y)
        }
    }

    @inline(never)
    func lessThan(_ x: LuaValue, _ y: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool? {
        if x.isNumber && y.isNumber { return LuaArith.lessThan(x, y) }
        if x.tag == .string && y.tag == .string { return x.string.compare(y.string) < 0 }
        return try orderMeta(.lt, x, y, frame)
    }

    @inline(never)
    func lessEqual(_ x: LuaValue, _ y: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool? {
        if x.isNumber && y.isNumber { return LuaArith.lessEqual(x, y) }
        if x.tag == .string && y.tag == .string { return x.string.compare(y.string) <= 0 }
        return try orderMeta(.le, x, y, frame)
    }

    /// LTI/LEI/GTI/GEI with a non-number operand: only a metamethod can answer.
    @inline(never)
    func compareImmediate(_ i: UInt32, _ x: LuaValue, _ imm: Int, isFloat: Bool,
                          _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool? {
        let y = isFloat ? LuaValue(Double(imm)) : LuaValue(Int64(imm))
        switch opcode(i) {
        case .ltI: return try orderMeta(.lt, x, y, frame)
        case .leI: return try orderMeta(.le, x, y, frame)
        case .gtI: return try orderMeta(.lt, y, x, frame)
        default: return try orderMeta(.le, y, x, frame)
        }
    }

    func orderMeta(_ event: LuaMetamethod, _ x: LuaValue, _ y: LuaValue,
                   _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool? {
        var tm = LuaMeta.metamethod(g, x, event)
        if tm.isNil { tm = LuaMeta.metamethod(g, y, event) }
        if tm.isNil && event == .le {
            // LUA_COMPAT_LT_LE (on in the reference build): `x <= y` is `not (y < x)`.
            var lt = LuaMeta.metamethod(g, y, .lt)
            if lt.isNil { lt = LuaMeta.metamethod(g, x, .lt) }
            if !lt.isNil {
                frame.pointee.flags |= CallFrame.Flag.negate
                _ = try callMetamethod(lt, y, x, frame, wanted: 1, event: .lt)
                return nil
            }
        }
        if tm.isNil {
            let t1 = LuaDebug.typeName(g, x), t2 = LuaDebug.typeName(g, y)
            if t1 == t2 { throw LuaError.runtime("attempt to compare two \(t1) values") }
            throw LuaError.runtime("attempt to compare \(t1) with \(t2)")
        }
        _ = try callMetamethod(tm, x, y, frame, wanted: 1, event: event)
        return nil
    }
}
