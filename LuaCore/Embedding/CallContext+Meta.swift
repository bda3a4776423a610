import GCArena

// Metamethod-aware operations for host functions. Each may need to call a Lua function,
// so each takes a continuation instead of returning a value: it either calls `then` at
// once or returns a `.call` whose continuation does.

public typealias LuaValueContinuation = (inout LuaCallContext, LuaValue) throws -> LuaCallOutcome

extension LuaCallContext {
    /// `t[k]` with `__index`, then `then(value)`.
    public func index(_ t: LuaValue, _ k: LuaValue, then: @escaping LuaValueContinuation) throws -> LuaCallOutcome {
        var ctx = self
        var current = t
        for _ in 0..<maxTagLoop {
            let tm: LuaValue
            if current.tag == .table {
                let v = current.table.get(k)
                if !v.isNil { return try then(&ctx, v) }
                guard let mt = current.table.metatable else { return try then(&ctx, .nil) }
                tm = LuaMeta.fromMetatable(g, mt, .index)
                if tm.isNil { return try then(&ctx, .nil) }
            } else {
                tm = LuaMeta.metamethod(g, current, .index)
                if tm.isNil { throw LuaError.runtime("attempt to index a \(LuaDebug.typeName(g, current)) value") }
            }
            if tm.tag == .luaFunction || tm.tag == .hostFunction {
                return try callForValue(tm, [current, k], then: then)
            }
            current = tm
        }
        throw LuaError.runtime("'__index' chain too long; possible loop")
    }

    /// Calls `f(args...)` and continues with its first result.
    public func callForValue(_ f: LuaValue, _ args: [LuaValue], then: @escaping LuaValueContinuation) throws -> LuaCallOutcome {
        try push(f)
        for a in args { try push(a) }
        return .call(arguments: args.count, then: { ctx, status in
            guard case .returned(let n) = status else { return try then(&ctx, .nil) }
            let v = n > 0 ? ctx[ctx.top - n + 1] : .nil
            try ctx.setTop(ctx.top - n)
            return try then(&ctx, v)
        }, protected: false)
    }

    /// `t[k] = v` with `__newindex`, then `then()`.
    public func setIndex(_ t: LuaValue, _ k: LuaValue, _ v: LuaValue,
                         then: @escaping (inout LuaCallContext) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        var ctx = self
        var current = t
        for _ in 0..<maxTagLoop {
            let tm: LuaValue
            if current.tag == .table {
                let table = current.table
                tm = table.metatable.map { LuaMeta.fromMetatable(g, $0, .newindex) } ?? .nil
                if tm.isNil || !table.get(k).isNil {
                    try LuaMeta.rawSet(mc, g, table, k, v)
                    return try then(&ctx)
                }
            } else {
                tm = LuaMeta.metamethod(g, current, .newindex)
                if tm.isNil { throw LuaError.runtime("attempt to index a \(LuaDebug.typeName(g, current)) value") }
            }
            if tm.tag == .luaFunction || tm.tag == .hostFunction {
                return try callForValue(tm, [current, k, v]) { ctx, _ in try then(&ctx) }
            }
            current = tm
        }
        throw LuaError.runtime("'__newindex' chain too long; possible loop")
    }

    /// `tostring(v)`: `__tostring` if present (it must return a string), else the basic form.
    public func tostring(_ v: LuaValue, then: @escaping (inout LuaCallContext, [UInt8]) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        var ctx = self
        let tm = metamethod(v, .tostring)
        if tm.isNil { return try then(&ctx, basicToString(v)) }
        return try callForValue(tm, [v]) { ctx, r in
            guard r.tag == .string || r.isNumber else { throw LuaError.runtime("'__tostring' must return a string") }
            return try then(&ctx, r.tag == .string ? Array(r.string.bytes) : LuaDebug.numberText(r))
        }
    }

    /// `#v` with `__len`, then `then(length value)`.
    public func length(_ v: LuaValue, then: @escaping LuaValueContinuation) throws -> LuaCallOutcome {
        var ctx = self
        let tm = metamethod(v, .len)
        if !tm.isNil { return try callForValue(tm, [v, v], then: then) }
        switch v.tag {
        case .table: return try then(&ctx, LuaValue(v.table.length()))
        case .string: return try then(&ctx, LuaValue(Int64(v.string.count)))
        default: throw LuaError.runtime("attempt to get length of a \(LuaDebug.typeName(g, v)) value")
        }
    }

    /// Whether `a < b` (numbers, strings, or `__lt`), then `then(result)`.
    public func lessThan(_ a: LuaValue, _ b: LuaValue, then: @escaping (inout LuaCallContext, Bool) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        var ctx = self
        if a.isNumber && b.isNumber { return try then(&ctx, LuaArith.lessThan(a, b)) }
        if a.tag == .string && b.tag == .string { return try then(&ctx, a.string.compare(b.string) < 0) }
        var tm = metamethod(a, .lt)
        if tm.isNil { tm = metamethod(b, .lt) }
        if tm.isNil {
            let t1 = LuaDebug.typeName(g, a), t2 = LuaDebug.typeName(g, b)
            throw LuaError.runtime(t1 == t2 ? "attempt to compare two \(t1) values" : "attempt to compare \(t1) with \(t2)")
        }
        return try callForValue(tm, [a, b]) { ctx, r in try then(&ctx, !r.isFalsy) }
    }
}
