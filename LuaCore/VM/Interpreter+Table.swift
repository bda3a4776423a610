import GCArena

// Indexing slow paths (PUC's luaV_finishget / luaV_finishset), table construction, SETLIST
// and the length operator.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

/// PUC's MAXTAGLOOP: the longest `__index`/`__newindex` chain followed before giving up.
let maxTagLoop = 2000

extension VM {
    /// `R[a] := t[key]` when the raw lookup failed or `t` is not a table. Returns true when
    /// an `__index` function was called (its result completes the instruction later).
    ///
    /// The common cases first: a table without a metatable, and a short-string key (a method or
    /// field name) on a table whose `__index` chain is tables, as in every class hierarchy made
    /// with `setmetatable` — looked up by pointer at every level, with nothing else live across
    /// the loop.
    @inline(never)
    func index(_ t: LuaValue, _ key: LuaValue, into a: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        guard t.tag == .table else { return try indexInGeneral(t, key, into: a, frame, level: 0) }
        var h = t.table
        guard key.tag == .string && key.string.isShort else {
            // Any key on a table without a metatable (`tree[1]` on a leaf, say) is just absent.
            if h.metatable == nil {
                stack[Int(frame.pointee.base) &+ a] = .nil
                return false
            }
            return try indexInGeneral(t, key, into: a, frame, level: 0)
        }
        let s = key.string
        var level = 0
        while let mt = h.metatable {
            let tm = LuaMeta.fromMetatable(g, mt, .index)
            if tm.tag != .table {
                if tm.isNil { break }
                return try indexInGeneral(LuaValue(h), key, into: a, frame, level: level)
            }
            h = tm.table
            let v = h.get(shortString: s)
            if !v.isNil {
                stack[Int(frame.pointee.base) &+ a] = v
                return false
            }
            level &+= 1
            if _slowPath(level == maxTagLoop) { throw .runtime("'__index' chain too long; possible loop") }
        }
        stack[Int(frame.pointee.base) &+ a] = .nil
        return false
    }

    /// ``index(_:_:into:_:)`` for every key and value: `__index` functions, strings and other
    /// values with a type metatable, errors. `level` is the number of `__index` steps already
    /// taken from the indexed value to `t` (for the chain limit and the error message).
    @inline(never)
    private func indexInGeneral(_ t: LuaValue, _ key: LuaValue, into a: Int, _ frame: UnsafeMutablePointer<CallFrame>,
                                level: Int) throws(LuaError) -> Bool {
        var t = t
        // Method and field names (the common keys of an `__index` chain) are short strings:
        // look them up by pointer at every level without `get`'s dispatch on the key.
        let shortKey = key.tag == .string && key.string.isShort
        for loop in level..<maxTagLoop {
            let tm: LuaValue
            if t.tag == .table {
                guard let mt = t.table.metatable else { break }
                tm = LuaMeta.fromMetatable(g, mt, .index)
                if tm.isNil { break }
            } else {
                tm = LuaMeta.metamethod(g, t, .index)
                if tm.isNil {
                    throw indexError(t, key, frame, direct: loop == 0)
                }
            }
            if tm.tag == .luaFunction || tm.tag == .hostFunction {
                return try callMetamethod(tm, t, key, frame, wanted: 1, event: .index)
            }
            t = tm
            if t.tag == .table {
                let v = shortKey ? t.table.get(shortString: key.string) : t.table.get(key)
                if !v.isNil {
                    stack[Int(frame.pointee.base) + a] = v
                    return false
                }
            }
            if loop == maxTagLoop - 1 { throw .runtime("'__index' chain too long; possible loop") }
        }
        stack[Int(frame.pointee.base) + a] = .nil
        return false
    }

    /// `t[key] := v` when the key was absent (or `t` is not a table). Returns true when a
    /// `__newindex` function was called.
    @inline(never)
    func newIndex(_ t: LuaValue, _ key: LuaValue, _ v: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        var t = t
        for loop in 0..<maxTagLoop {
            let tm: LuaValue
            if t.tag == .table {
                let table = t.table
                if let mt = table.metatable {
                    tm = LuaMeta.fromMetatable(g, mt, .newindex)
                } else {
                    tm = .nil
                }
                if tm.isNil || !table.get(key).isNil {
                    try LuaMeta.rawSet(mc, g, table, key, v)
                    return false
                }
            } else {
                tm = LuaMeta.metamethod(g, t, .newindex)
                if tm.isNil { throw indexError(t, key, frame, direct: loop == 0) }
            }
            if tm.tag == .luaFunction || tm.tag == .hostFunction {
                return try callMetamethod(tm, t, key, v, frame, wanted: 0, event: .newindex)
            }
            t = tm
        }
        throw .runtime("'__newindex' chain too long; possible loop")
    }

    func indexError(_ t: LuaValue, _ key: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>, direct: Bool) -> LuaError {
        let info = direct ? LuaDebug.indexedVariableInfo(g, L, frame) : ""
        return .runtime("attempt to index a \(LuaDebug.typeName(g, t)) value\(info)")
    }

    /// A new table for NEWTABLE into absolute slot `slot`. PUC collects right after a
    /// NEWTABLE with the stack top just above the new table (`checkGC(L, ra + 1)`): the
    /// compiler leaves every register above it free, and what they still hold (arguments of
    /// a finished call, say) is garbage to PUC. Moonlet's collector runs between slices, at
    /// any instruction, so those registers are cleared here: otherwise such a temporary stays
    /// alive as long as the frame runs, and a loop like `repeat local a = {} until done`
    /// never sees its finalizer run (PUC testes/db.lua:905).
    @inline(never)
    func newTable(arraySize: Int, hashSize: Int, at slot: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> LuaValue {
        let t = th
        let end = min(Int(frame.pointee.top), t.pointee.highWater)
        var i = slot + 1
        while i < end {
            t.pointee.stack[i] = .nil
            i += 1
        }
        do {
            return LuaValue(try LuaTable.allocate(mc, arrayCapacity: arraySize, hashCapacity: hashSize,
                                                  kind: g.pointee.tableKind))
        } catch {
            throw .outOfMemory(mc)
        }
    }

    @inline(never)
    func setList(_ t: Gc<LuaTable>, from values: UnsafeMutablePointer<LuaValue>, count n: Int, offset: Int) throws(LuaError) {
        do { try t.setList(mc, from: values, count: n, offset: offset) } catch { throw .outOfMemory(mc) }
    }

    /// `R[a] := #v`. Returns true when `__len` was called.
    @inline(never)
    func length(_ v: LuaValue, into a: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        // The common case first, in a few instructions: a table without a metatable.
        if v.tag == .table && v.table.metatable == nil {
            stack[Int(frame.pointee.base) &+ a] = LuaValue(v.table.length())
            return false
        }
        return try lengthInGeneral(v, into: a, frame)
    }

    /// ``length(_:into:_:)`` for every operand: `__len`, strings, errors.
    @inline(never)
    private func lengthInGeneral(_ v: LuaValue, into a: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        switch v.tag {
        case .table:
            let t = v.table
            if let mt = t.metatable {
                let tm = LuaMeta.fromMetatable(g, mt, .len)
                if !tm.isNil { return try callMetamethod(tm, v, v, frame, wanted: 1, event: .len) }
            }
            stack[Int(frame.pointee.base) + a] = LuaValue(t.length())
            return false
        case .string:
            stack[Int(frame.pointee.base) + a] = LuaValue(Int64(v.string.count))
            return false
        default:
            let tm = LuaMeta.metamethod(g, v, .len)
            if tm.isNil {
                throw LuaError.runtime("attempt to get length of a \(LuaDebug.typeName(g, v)) value"
                                       + LuaDebug.operandInfo(g, L, frame, v))
            }
            return try callMetamethod(tm, v, v, frame, wanted: 1, event: .len)
        }
    }
}
