import GCArena
import LuaCore

// The coroutine library (PUC's lcorolib.c). Resume and yield are requests to the executor,
// so a coroutine switch never nests Swift calls.

enum CoroutineLibrary {
    static var functions: [(String, LuaHostBody)] { [
        ("create", { ctx in
            try ctx.checkFunction(1)
            let co = try ctx.newThread(body: ctx.argument(1))
            try ctx.push(LuaValue(tag: .thread, object: co.erased))
            return .results(1)
        }),
        ("resume", { ctx in
            let co = try ctx.checkThread(1)
            return .resume(thread: co, arguments: ctx.argumentCount - 1, then: finishResume)
        }),
        ("yield", { ctx in .yield(count: ctx.argumentCount, then: nil) }),
        ("status", { ctx in
            let co = try ctx.checkThread(1)
            try ctx.push(try ctx.string(ctx.status(of: co).name))
            return .results(1)
        }),
        ("running", { ctx in
            try ctx.push(ctx.runningThreadValue)
            try ctx.push(LuaValue(ctx.isMainThread))
            return .results(2)
        }),
        ("isyieldable", { ctx in
            let yieldable = ctx.argumentCount >= 1 ? !(try ctx.checkThread(1)).value.isMain : ctx.isYieldable
            try ctx.push(LuaValue(yieldable))
            return .results(1)
        }),
        ("wrap", { ctx in
            try ctx.checkFunction(1)
            let co = try ctx.newThread(body: ctx.argument(1))
            try ctx.push(try ctx.function("wrap", upvalues: [LuaValue(tag: .thread, object: co.erased)], wrapped))
            return .results(1)
        }),
        ("close", close),
    ] }

    /// resume's results: (true, values...) or (false, error), exactly pcall's shape.
    static func finishResume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        try BaseLibrary.finishProtected(&ctx, status)
    }

    static func wrapped(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let co = ctx.upvalue(1).object.unsafeCast(to: LuaThread.self)
        return .resume(thread: co, arguments: ctx.argumentCount, then: { ctx, status in
            switch status {
            case .returned(let n), .yielded(let n):
                return .results(n)
            case .failed(let e):
                var v = try e.valueOrMessage(&ctx)
                if v.tag == .string {
                    let position = ctx.location(level: 1)
                    if !position.isEmpty { v = try ctx.string(Array((position + " ").utf8) + Array(v.string.bytes)) }
                }
                throw LuaError(value: v)
            }
        })
    }

    static func close(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let co = try ctx.checkThread(1)
        let (pending, error) = try ctx.closeThread(co)
        return try closeNext(&ctx, pending[...], error: error)
    }

    /// Calls each pending `__close(value, nil)`; the result is (true) or (false, error).
    static func closeNext(_ ctx: inout LuaCallContext, _ pending: ArraySlice<LuaValue>, error: LuaValue) throws -> LuaCallOutcome {
        guard let v = pending.first else {
            if error.isNil {
                try ctx.push(.true)
                return .results(1)
            }
            try ctx.push(.false)
            try ctx.push(error)
            return .results(2)
        }
        let tm = ctx.metamethod(v, .close)
        try ctx.push(tm)
        try ctx.push(v)
        try ctx.push(error)
        let rest = pending.dropFirst()
        return .call(arguments: 2, then: { ctx, status in
            var error = error
            if case .failed(let e) = status { error = try e.valueOrMessage(&ctx) }
            return try closeNext(&ctx, rest, error: error)
        }, protected: true)
    }
}
