import GCArena

// SAFETY: `g` points at the global-state arena object (stable address, alive with the arena);
// metamethod-name slots were initialized when the state was created.

/// Metamethod events, numbered as PUC's `TMS` (MMBIN's C operand uses these numbers).
public enum LuaMetamethod: Int, CaseIterable, Sendable {
    case index, newindex, gc, mode, len, eq
    case add, sub, mul, mod, pow, div, idiv, band, bor, bxor, shl, shr, unm, bnot
    case lt, le, concat, call, close
    // Not events of the VM, but names libraries look up in metatables.
    case tostring, name, metatable, pairs

    /// The field name, e.g. "__index".
    ///
    /// A table, not `String(describing:)`: reflection cost a sixth of a state's creation.
    public var fieldName: String { LuaMetamethod.fieldNames[rawValue] }

    /// Every event's field name, in declaration order.
    static let fieldNames = [
        "__index", "__newindex", "__gc", "__mode", "__len", "__eq",
        "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__band", "__bor",
        "__bxor", "__shl", "__shr", "__unm", "__bnot",
        "__lt", "__le", "__concat", "__call", "__close",
        "__tostring", "__name", "__metatable", "__pairs",
    ]

    /// The operator event for an arithmetic/bitwise MMBIN operand, nil if out of range.
    static func binary(_ c: Int) -> LuaMetamethod? {
        guard c >= LuaMetamethod.add.rawValue && c <= LuaMetamethod.bnot.rawValue else { return nil }
        return LuaMetamethod(rawValue: c)
    }

    /// Events whose absence a metatable caches in its flags (PUC's `maskflags`).
    static let cachedCount = 6
}

/// Metatable and metamethod lookup.
enum LuaMeta {
    /// Index into the per-type metatable array.
    @inline(__always)
    static func typeIndex(_ tag: LuaTag) -> Int {
        switch tag {
        case .nil: return 0
        case .false, .true: return 1
        case .integer, .float: return 2
        case .string: return 3
        case .table: return 4
        case .luaFunction, .hostFunction: return 5
        case .userdata: return 6
        case .thread: return 7
        case .lightUserdata: return 8  // full userdata each have their own metatable
        }
    }
    static let typeCount = 9

    /// The metatable of a value.
    @inline(__always)
    static func metatable(_ g: UnsafeMutablePointer<LuaGlobalState>, _ v: LuaValue) -> Gc<LuaTable>? {
        switch v.tag {
        case .table: return v.table.metatable
        case .userdata: return v.object.unsafeCast(to: LuaUserdata.self).value.metatable
        default: return g.pointee.typeMetatables[typeIndex(v.tag)]
        }
    }

    /// A metamethod of a metatable, using the absence cache for the first six events.
    @inline(__always)
    static func fromMetatable(_ g: UnsafeMutablePointer<LuaGlobalState>, _ mt: Gc<LuaTable>,
                              _ event: LuaMetamethod) -> LuaValue {
        let e = event.rawValue
        if e < LuaMetamethod.cachedCount {
            let flags = mt.metamethodAbsentFlags
            if flags & (1 << UInt8(e)) != 0 { return .nil }
            let v = mt.get(shortString: g.pointee.metamethodNames[e])
            if v.isNil { mt.setMetamethodAbsentFlags(flags | (1 << UInt8(e))) }
            return v
        }
        return mt.get(shortString: g.pointee.metamethodNames[e])
    }

    /// The metamethod `event` of `v`, or nil.
    @inline(__always)
    static func metamethod(_ g: UnsafeMutablePointer<LuaGlobalState>, _ v: LuaValue, _ event: LuaMetamethod) -> LuaValue {
        guard let mt = metatable(g, v) else { return .nil }
        return fromMetatable(g, mt, event)
    }

    /// A raw table write that maps table errors to Lua errors and registers weak tables.
    static func rawSet(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                       _ t: Gc<LuaTable>, _ key: LuaValue, _ value: LuaValue) throws(LuaError) {
        do {
            try t.set(mc, key, value)
        } catch {
            if case .outOfMemory = error { throw .outOfMemory(mc) }
            throw .runtime(error.message)
        }
    }
}
