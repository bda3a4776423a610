import GCArena
import LuaCore

// The base library (PUC's lbaselib.c): print, type, tostring, tonumber, pairs, ipairs,
// next, select, raw*, metatables, assert, error, pcall, xpcall, load, collectgarbage.

enum BaseLibrary {
    static var functions: [(String, LuaHostBody)] {
        [
            ("print", { ctx in try print(&ctx, from: 1, buffer: []) }),
            ("type", type),
            ("tostring", tostring),
            ("tonumber", tonumber),
            ("ipairs", ipairs),
            ("pairs", pairs),
            ("next", next),
            ("select", select),
            ("rawget", { ctx in
                let t = try ctx.checkTable(1)
                try ctx.push(ctx.rawGet(t, try ctx.checkAny(2)))
                return .results(1)
            }),
            ("rawset", { ctx in
                let t = try ctx.checkTable(1)
                _ = try ctx.checkAny(2)
                _ = try ctx.checkAny(3)
                try ctx.rawSet(t, ctx.argument(2), ctx.argument(3))
                try ctx.push(LuaValue(t))
                return .results(1)
            }),
            ("rawequal", { ctx in
                try ctx.push(LuaValue(ctx.rawEquals(try ctx.checkAny(1), try ctx.checkAny(2))))
                return .results(1)
            }),
            ("rawlen", { ctx in
                let v = ctx.argument(1)
                switch v.tag {
                case .table: try ctx.push(LuaValue(v.table.length()))
                case .string: try ctx.push(LuaValue(Int64(v.string.count)))
                default: throw ctx.typeError(1, expected: "table or string")
                }
                return .results(1)
            }),
            ("setmetatable", setmetatable),
            ("getmetatable", { ctx in
                let v = try ctx.checkAny(1)
                guard let mt = ctx.metatable(of: v) else { try ctx.push(.nil); return .results(1) }
                let protected = ctx.rawGet(mt, ctx.name(.metatable))
                try ctx.push(protected.isNil ? LuaValue(mt) : protected)
                return .results(1)
            }),
            ("assert", { ctx in
                let v = try ctx.checkAny(1)
                if !v.isFalsy { return .results(ctx.argumentCount) }
                if ctx.argumentCount >= 2 { throw LuaError(value: ctx.argument(2)) }
                throw LuaError.runtime("assertion failed!")
            }),
            ("error", error),
            ("pcall", pcall),
            ("xpcall", xpcall),
            ("load", load),
            ("collectgarbage", collectgarbage),
        ]
    }

    static func print(_ ctx: inout LuaCallContext, from i: Int, buffer: [UInt8]) throws -> LuaCallOutcome {
        var buffer = buffer
        let n = ctx.argumentCount
        var j = i
        while j <= n {
            let v = ctx.argument(j)
            if j > 1 { buffer.append(0x09) }
            if v.tag == .string {
                buffer.append(contentsOf: v.string.bytes)
            } else if ctx.metamethod(v, .tostring).isNil {
                buffer.append(contentsOf: ctx.basicToString(v))
            } else {
                let next = j + 1
                let sofar = buffer
                return try ctx.tostring(v) { ctx, bytes in
                    try print(&ctx, from: next, buffer: sofar + bytes)
                }
            }
            j += 1
        }
        buffer.append(0x0A)
        buffer.withUnsafeBytes { ctx.writeOutput($0) }
        return .results(0)
    }

    /// The names `type` returns, in the order of its upvalues (`typeNameUpvalue`).
    static let typeNames = ["nil", "boolean", "number", "string", "table", "function", "userdata", "thread"]

    /// Which upvalue of `type` holds the name of `tag`'s type, interned once (`openBase`).
    @inline(__always)
    static func typeNameUpvalue(_ tag: LuaTag) -> Int {
        switch tag {
        case .nil: return 1
        case .false, .true: return 2
        case .integer, .float: return 3
        case .string: return 4
        case .table: return 5
        case .luaFunction, .hostFunction: return 6
        case .userdata, .lightUserdata: return 7
        case .thread: return 8
        }
    }

    static func type(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = try ctx.checkAny(1)
        // The name interned when the library was opened; interning it per call (hash and
        // probe) was most of the function's cost.
        let name = ctx.upvalue(typeNameUpvalue(v.tag))
        try ctx.push(name.tag == .string ? name : try ctx.string(ctx.typeName(v)))
        return .results(1)
    }

    static func tostring(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = try ctx.checkAny(1)
        if v.tag == .string || v.isNumber, ctx.metamethod(v, .tostring).isNil {
            // A string is its own form; a number is formatted on the stack and interned (no
            // byte array, no continuation closure).
            if v.tag == .string {
                try ctx.push(v)
            } else if v.tag == .integer {
                try ctx.push(try LuaNumber.withFormatted(v.integer) { try ctx.string(bytes: UnsafeRawBufferPointer($0)) })
            } else {
                try ctx.push(try LuaNumber.withFormatted(v.float) { try ctx.string(bytes: UnsafeRawBufferPointer($0)) })
            }
            return .results(1)
        }
        return try ctx.tostring(v) { ctx, bytes in
            try ctx.push(try ctx.string(bytes))
            return .results(1)
        }
    }

    static func tonumber(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        if ctx.argumentCount == 1 {
            // The common call: one number or numeral.
            try ctx.push(ctx.toNumber(ctx[1]) ?? .nil)
            return .results(1)
        }
        if ctx.argument(2).isNil {
            let v = try ctx.checkAny(1)
            try ctx.push(ctx.toNumber(v) ?? .nil)
            return .results(1)
        }
        let base = try ctx.checkInteger(2)
        let v = ctx.argument(1)
        guard v.tag == .string else { throw ctx.typeError(1, expected: "string") }
        guard base >= 2 && base <= 36 else { throw ctx.argumentError(2, "base out of range") }
        try ctx.push(parseInteger(Array(v.string.bytes), base: base).map { LuaValue($0) } ?? .nil)
        return .results(1)
    }

    /// `tonumber(s, base)`: an integer in `base`, with optional sign and surrounding spaces.
    static func parseInteger(_ s: [UInt8], base: Int64) -> Int64? {
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        while i < s.count && isSpace(s[i]) { i += 1 }
        var negative = false
        if i < s.count && (s[i] == 0x2D || s[i] == 0x2B) { negative = s[i] == 0x2D; i += 1 }
        var n: Int64 = 0
        var digits = 0
        while i < s.count {
            let c = s[i]
            let d: Int64
            if c >= 0x30 && c <= 0x39 { d = Int64(c - 0x30) }
            else if c >= 0x61 && c <= 0x7A { d = Int64(c - 0x61) + 10 }
            else if c >= 0x41 && c <= 0x5A { d = Int64(c - 0x41) + 10 }
            else { break }
            if d >= base { return nil }
            n = n &* base &+ d
            digits += 1
            i += 1
        }
        while i < s.count && isSpace(s[i]) { i += 1 }
        if digits == 0 || i != s.count { return nil }
        return negative ? 0 &- n : n
    }

    static func ipairs(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t = try ctx.checkAny(1)
        // One shared iterator, as PUC's (so `ipairs{} == ipairs{}`), kept as the function's
        // upvalue when the library opened (`openBase`).
        try ctx.push(ctx.upvalue(1))
        try ctx.push(t)
        try ctx.push(LuaValue(Int64(0)))
        return .results(3)
    }

    static func ipairsIterator(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t = ctx.argument(1)
        let i = try ctx.checkInteger(2) &+ 1
        if t.tag == .table {
            let v = t.table.get(integer: i)
            if !v.isNil {
                try ctx.push(LuaValue(i))
                try ctx.push(v)
                return .results(2)
            }
            if t.table.metatable == nil { try ctx.push(.nil); return .results(1) }
        }
        return try ctx.index(t, LuaValue(i)) { ctx, v in
            // PUC returns a single nil at the end of the sequence.
            if v.isNil { try ctx.push(.nil); return .results(1) }
            try ctx.push(LuaValue(i))
            try ctx.push(v)
            return .results(2)
        }
    }

    static func pairs(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t = try ctx.checkAny(1)
        let tm = ctx.metamethod(t, .pairs)
        if !tm.isNil {
            try ctx.push(tm)
            try ctx.push(t)
            return .call(arguments: 1, then: { ctx, status in
                guard case .returned(let n) = status else { return .results(0) }
                // Exactly three results, as lua_call(L, 1, 3).
                let values = (0..<3).map { $0 < n ? ctx[ctx.top - n + 1 + $0] : LuaValue.nil }
                try ctx.setTop(ctx.top - n)
                for v in values { try ctx.push(v) }
                return .results(3)
            }, protected: false, yieldable: true)  // PUC's pairs uses lua_callk
        }
        // No type check: as in lua5.4, `pairs(nil)` succeeds and the loop's `next` fails.
        // The iterator is the base library's own `next` (so `pairs(t) == next`), kept as the
        // function's upvalue when the library opened (`openBase`).
        try ctx.push(ctx.upvalue(1))
        try ctx.push(t)
        try ctx.push(.nil)
        return .results(3)
    }


    static func next(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t = try ctx.checkTable(1)
        do {
            guard let (k, v) = try t.next(after: ctx.argument(2)) else {
                try ctx.push(.nil)
                return .results(1)
            }
            try ctx.push(k)
            try ctx.push(v)
            return .results(2)
        } catch let e as LuaTableError {
            throw LuaError.runtime(e.message)
        }
    }

    static func select(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = ctx.argumentCount
        let first = ctx.argument(1)
        if first.tag == .string, first.string.count == 1, first.string.bytes[0] == 0x23 {
            try ctx.push(LuaValue(Int64(n - 1)))
            return .results(1)
        }
        var i = try ctx.checkInteger(1)
        if i < 0 { i = Int64(n - 1) + i + 1 } else if i > Int64(n - 1) { i = Int64(n) }
        if i < 1 { throw ctx.argumentError(1, "index out of range") }
        return .results(n - Int(i))
    }

    static func setmetatable(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t = try ctx.checkTable(1)
        let mtValue = ctx.argument(2)
        guard ctx.argumentCount >= 2, mtValue.isNil || mtValue.tag == .table else {
            throw ctx.typeError(2, expected: "nil or table")
        }
        if let old = t.metatable, !ctx.rawGet(old, ctx.name(.metatable)).isNil {
            throw LuaError.runtime("cannot change a protected metatable")
        }
        let mt: Gc<LuaTable>? = mtValue.isNil ? nil : mtValue.table
        t.setMetatable(ctx.mc, mt)
        if let mt {
            if !ctx.metafield(mt, .gc).isNil { ctx.registerFinalizer(LuaValue(t)) }
            let mode = ctx.metafield(mt, .mode)
            if mode.tag == .string {
                let bytes = mode.string.bytes
                let keys = bytes.contains(0x6B), values = bytes.contains(0x76)
                if keys || values {
                    t.setWeakMode(ctx.mc, keys: keys, values: values)
                    ctx.registerWeakTable(t)
                }
            }
        }
        try ctx.setTop(1)
        return .results(1)
    }

    static func error(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        let level = try ctx.optInteger(2, 1)
        if v.tag == .string && level > 0 {
            let position = ctx.location(level: Int(level))
            if !position.isEmpty {
                throw LuaError(value: try ctx.string(Array((position + " ").utf8) + Array(v.string.bytes)))
            }
        }
        throw LuaError(value: v)
    }

    static func pcall(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        _ = try ctx.checkAny(1)
        return .call(arguments: ctx.argumentCount - 1, then: finishProtected, protected: true, yieldable: true)
    }

    static func finishProtected(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        switch status {
        case .returned(let n), .yielded(let n):
            try ctx.insert(.true, at: ctx.top - n + 1)
            return .results(n + 1)
        case .failed(let e):
            try ctx.push(.false)
            try ctx.push(e.valueOrMessage(&ctx))
            return .results(2)
        }
    }

    static func xpcall(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try ctx.checkFunction(2)
        // [f, msgh, args...] -> [msgh, f, args...]: the handler stays below the call.
        let f = ctx[1]
        ctx[1] = ctx[2]
        ctx[2] = f
        ctx.setMessageHandler()
        return .call(arguments: ctx.argumentCount - 2, then: finishProtected, protected: true, yieldable: true)
    }

    static func load(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let chunk = ctx.argument(1)
        let mode = try ctx.optBytes(3, Array("bt".utf8))
        let env: LuaValue? = ctx.argumentCount >= 4 ? ctx.argument(4) : nil
        if chunk.tag == .string || chunk.isNumber {
            let source = chunk.tag == .string ? Array(chunk.string.bytes) : ctx.basicToString(chunk)
            let name = try ctx.optBytes(2, source)
            return try finishLoad(&ctx, source, name: String(decoding: name, as: UTF8.self), mode: mode, env: env)
        }
        try ctx.checkFunction(1)
        let name = String(decoding: try ctx.optBytes(2, Array("=(load)".utf8)), as: UTF8.self)
        return try readPieces(&ctx, reader: chunk, collected: LoadPieces(), name: name, mode: mode, env: env)
    }

    /// The source a `load` reader has returned so far (appended in place: copying it for
    /// each piece made an endless reader quadratic).
    final class LoadPieces {
        var bytes: [UInt8] = []
    }

    /// Calls the reader function until it returns nil or an empty string.
    ///
    /// Each piece is charged as fuel and the collected source counts toward the memory
    /// limit when it grows, so an endless reader ends in the fuel or the memory bound.
    static func readPieces(_ ctx: inout LuaCallContext, reader: LuaValue, collected: LoadPieces, name: String,
                           mode: [UInt8], env: LuaValue?) throws -> LuaCallOutcome {
        try ctx.push(reader)
        return .call(arguments: 0, then: { ctx, status in
            guard case .returned(let n) = status else {
                // lua5.4: an error in the reader makes load return nil and the message.
                if case .failed(let e) = status {
                    try ctx.push(.nil)
                    try ctx.push(try e.valueOrMessage(&ctx))
                    return .results(2)
                }
                return .results(0)
            }
            let piece = n > 0 ? ctx[ctx.top - n + 1] : .nil
            try ctx.setTop(ctx.top - n)
            var account = LuaScratchAccount()
            defer { account.release(ctx.mc) }
            if piece.isNil || (piece.tag == .string && piece.string.count == 0) {
                try account.account(collected.bytes.capacity, ctx.mc)
                return try finishLoad(&ctx, collected.bytes, name: name, mode: mode, env: env)
            }
            guard piece.tag == .string else {
                try ctx.push(.nil)
                try ctx.push(try ctx.string("reader function must return a string"))
                return .results(2)
            }
            ctx.chargeFuel(1 &+ piece.string.count >> 6)
            try account.reserve(&collected.bytes, extra: piece.string.count, ctx.mc)
            collected.bytes.append(contentsOf: piece.string.bytes)
            account.release(ctx.mc)
            return try readPieces(&ctx, reader: ctx.argument(1), collected: collected,
                                  name: name, mode: mode, env: env)
        }, protected: true)
    }

    static func finishLoad(_ ctx: inout LuaCallContext, _ source: [UInt8], name: String, mode: [UInt8],
                           env: LuaValue?, skipFileHeader: Bool = false) throws -> LuaCallOutcome {
        let isBinary = source.first == 0x1B
        if isBinary && !mode.contains(0x62) || !isBinary && !mode.contains(0x74) {
            try ctx.push(.nil)
            let kind = isBinary ? "binary" : "text"
            try ctx.push(try ctx.string("attempt to load a \(kind) chunk (mode is '\(String(decoding: mode, as: UTF8.self))')"))
            return .results(2)
        }
        if isBinary && !ctx.binaryChunksAllowed {
            try ctx.push(.nil)
            try ctx.push(try ctx.string("attempt to load a binary chunk (binary chunks are disabled)"))
            return .results(2)
        }
        switch try ctx.load(source, chunkName: name, env: env, skipFileHeader: skipFileHeader) {
        case .success(let f):
            try ctx.push(f)
            return .results(1)
        case .failure(let e):
            try ctx.push(.nil)
            try ctx.push(e.valueOrMessage(&ctx))
            return .results(2)
        }
    }

    static func collectgarbage(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let options = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul",
                       "isrunning", "generational", "incremental"]
        let option = options[try ctx.checkOption(1, "collect", options)]
        // PUC's lua_gc refuses every request while a finalizer runs (not reentrant).
        if ctx.isRunningFinalizers {
            try ctx.push(.nil)
            return .results(1)
        }
        switch option {
        case "stop": ctx.automaticCollectionPaused = true; try ctx.push(LuaValue(Int64(0)))
        case "restart": ctx.automaticCollectionPaused = false; try ctx.push(LuaValue(Int64(0)))
        case "collect", "step":
            // The collection runs while this call is still on the stack (as in PUC, where
            // it runs inside collectgarbage), then the pending finalizers, then it returns.
            let full = option == "collect"
            // Clamped: any step of a terabyte or more finishes the cycle anyway (PUC's "step"
            // with a huge size returns true after a full cycle), and `size * 1024` must not overflow.
            let kilobytes = full ? 0 : Int(clamping: min(max(try ctx.optInteger(2, 0), 0), 1 << 30))
            ctx.requestCollection(full: full, stepKilobytes: kilobytes)
            return .suspend(then: { ctx, _ in
                let result = full ? LuaValue(Int64(0)) : LuaValue(ctx.lastStepFinishedCycle)
                return try ctx.callPendingFinalizers(then: { ctx, _ in
                    try ctx.push(result)
                    return .results(1)
                })
            })
        case "count": try ctx.push(LuaValue(Double(ctx.memoryInUse) / 1024))
        case "setpause", "setstepmul":
            // Deprecated in 5.4 but kept: set the parameter, answer the previous value.
            let value = try ctx.optInteger(2, 0)
            let previous = option == "setpause" ? ctx.collectorParameters.setPause(value)
                : ctx.collectorParameters.setStepMultiplier(value)
            try ctx.push(LuaValue(Int64(previous)))
        case "isrunning": try ctx.push(LuaValue(!ctx.automaticCollectionPaused))
        default:
            // "generational" (minor and major multipliers) / "incremental" (pause, step
            // multiplier, step size): zero keeps a parameter; the arena takes the new pacing
            // and switches mode at the next safe point; the answer is the previous mode's name.
            if option == "generational" {
                let minor = try ctx.optInteger(2, 0), major = try ctx.optInteger(3, 0)
                ctx.collectorParameters.setGenerational(minorMultiplier: minor, majorMultiplier: major)
            } else {
                let pause = try ctx.optInteger(2, 0), stepMultiplier = try ctx.optInteger(3, 0)
                let stepSize = try ctx.optInteger(4, 0)
                ctx.collectorParameters.setIncremental(pause: pause, stepMultiplier: stepMultiplier, stepSize: stepSize)
            }
            let previous = ctx.collectorMode
            ctx.collectorMode = option
            try ctx.push(try ctx.string(previous))
        }
        return .results(1)
    }
}

extension LuaError {
    /// The error as a Lua value (interning a pending message).
    func valueOrMessage(_ ctx: inout LuaCallContext) throws -> LuaValue {
        switch payload {
        case .value(let v): return v
        case .message(let bytes, _): return try ctx.string(bytes)
        }
    }
}
