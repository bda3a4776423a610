import GCArena
import LuaCore

// Metamethod-aware table access for library loops (PUC's lua_geti/lua_seti/lua_compare),
// split at the first Lua call. Each step resolves everything that needs no call (raw reads,
// `__index`/`__newindex` tables) at once and returns the function to call otherwise, so a
// loop over a plain table never leaves Swift and a loop that must call out resumes from a
// continuation the executor runs — never by recursion on the Swift stack.

/// The outcome of a read up to the first metamethod call.
enum IndexStep {
    /// The value, found without calling anything.
    case value(LuaValue)
    /// Call `function(receiver, key)` and use its first result.
    case call(function: LuaValue, receiver: LuaValue)
}

/// The outcome of a write up to the first metamethod call.
enum NewIndexStep {
    /// Stored without calling anything.
    case done
    /// Call `function(receiver, key, value)`.
    case call(function: LuaValue, receiver: LuaValue)
}

/// The outcome of `a < b` up to the first metamethod call.
enum CompareStep {
    case value(Bool)
    /// Call the `__lt` metamethod with `(a, b)` and take the truth of its first result.
    case call(function: LuaValue)
}

// Errors the VM itself raises in PUC (luaG_typeerror, luaG_ordererror) carry no position
// when raised inside a library function, unlike luaL_error's: they are `.plain` here.

/// PUC's MAXTAGLOOP.
let libraryMaxTagLoop = 2000

extension LuaValue {
    @inline(__always) var isFunction: Bool { tag == .luaFunction || tag == .hostFunction }
}

extension LuaCallContext {
    /// `t[k]` (`luaV_finishget`) up to the first `__index` function.
    func indexStep(_ t: LuaValue, _ k: LuaValue) throws -> IndexStep {
        var current = t
        for _ in 0..<libraryMaxTagLoop {
            let tm: LuaValue
            if current.tag == .table {
                let table = current.table
                let v = table.get(k)
                if !v.isNil || table.metatable == nil { return .value(v) }
                tm = metamethod(current, .index)
                if tm.isNil { return .value(.nil) }
            } else {
                tm = metamethod(current, .index)
                if tm.isNil { throw LuaError.plain("attempt to index a \(displayTypeName(current)) value") }
            }
            if tm.isFunction { return .call(function: tm, receiver: current) }
            current = tm
        }
        throw LuaError.runtime("'__index' chain too long; possible loop")
    }

    /// `t[k] = v` (`luaV_finishset`) up to the first `__newindex` function.
    func newIndexStep(_ t: LuaValue, _ k: LuaValue, _ v: LuaValue) throws -> NewIndexStep {
        var current = t
        for _ in 0..<libraryMaxTagLoop {
            let tm: LuaValue
            if current.tag == .table {
                let table = current.table
                if table.metatable == nil || !table.get(k).isNil {
                    try rawSet(table, k, v)
                    return .done
                }
                tm = metamethod(current, .newindex)
                if tm.isNil {
                    try rawSet(table, k, v)
                    return .done
                }
            } else {
                tm = metamethod(current, .newindex)
                if tm.isNil { throw LuaError.plain("attempt to index a \(displayTypeName(current)) value") }
            }
            if tm.isFunction { return .call(function: tm, receiver: current) }
            current = tm
        }
        throw LuaError.runtime("'__newindex' chain too long; possible loop")
    }

    /// `a < b` (`luaV_lessthan`) up to the `__lt` call.
    func lessThanStep(_ a: LuaValue, _ b: LuaValue) throws -> CompareStep {
        if a.isNumber && b.isNumber { return .value(LuaArith.lessThan(a, b)) }
        if a.tag == .string && b.tag == .string { return .value(a.string.compare(b.string) < 0) }
        var tm = metamethod(a, .lt)
        if tm.isNil { tm = metamethod(b, .lt) }
        if tm.isNil {
            let t1 = displayTypeName(a), t2 = displayTypeName(b)
            throw LuaError.plain(t1 == t2 ? "attempt to compare two \(t1) values" : "attempt to compare \(t1) with \(t2)")
        }
        return .call(function: tm)
    }

    /// `lua_geti`, then `then(value)`: at once when no call is needed.
    func getIndex(_ t: LuaValue, _ k: LuaValue, then: @escaping LuaValueContinuation) throws -> LuaCallOutcome {
        switch try indexStep(t, k) {
        case .value(let v):
            var ctx = self
            return try then(&ctx, v)
        case .call(let f, let receiver):
            return try callForValue(f, [receiver, k], then: then)
        }
    }

    /// `lua_seti`, then `then()`: at once when no call is needed.
    func setIndex(_ t: LuaValue, _ k: LuaValue, _ v: LuaValue,
                  then: @escaping (inout LuaCallContext) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        switch try newIndexStep(t, k, v) {
        case .done:
            var ctx = self
            return try then(&ctx)
        case .call(let f, let receiver):
            return try callForValue(f, [receiver, k, v]) { ctx, _ in try then(&ctx) }
        }
    }

    /// `luaL_len`: `#v` with `__len`, which must be an integer ("object length is not an integer").
    func lengthAsInteger(_ v: LuaValue, then: @escaping (inout LuaCallContext, Int64) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        if v.tag == .table && v.table.metatable == nil {
            var ctx = self
            return try then(&ctx, v.table.length())
        }
        let check: LuaValueContinuation = { ctx, n in
            guard let i = ctx.exactInteger(n) else { throw LuaError.runtime("object length is not an integer") }
            return try then(&ctx, i)
        }
        let tm = metamethod(v, .len)
        if !tm.isNil { return try callForValue(tm, [v, v], then: check) }
        var ctx = self
        switch v.tag {
        case .table: return try then(&ctx, v.table.length())
        case .string: return try then(&ctx, Int64(v.string.count))
        // Raised by the VM in PUC (luaG_typeerror), so without a position inside a library function.
        default: throw LuaError.plain("attempt to get length of a \(displayTypeName(v)) value")
        }
    }

    /// `lua_tointegerx`: integers, floats with an exact integer value, and strings that convert to one.
    func exactInteger(_ v: LuaValue) -> Int64? {
        if v.tag == .integer { return v.integer }
        guard let n = v.isNumber ? v : toNumber(v) else { return nil }
        return n.tag == .integer ? n.integer : LuaArith.toInteger(n.float)
    }
}
