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
            let f = try ctx.function("wrap", upvalues: [LuaValue(tag: .thread, object: co.erased)], wrapped)
            ctx.setIntrinsic(f, .wrap, onFailure: finishWrapped)
            try ctx.push(f)
            return .results(1)
        }),
        ("close", close),
    ] }

    /// Registers the library as global `coroutine`, with `resume` and `yield` as intrinsics
    /// the VM switches itself when Lua code calls them (their bodies do the same the slow way).
    static func open(_ lua: Lua) {
        _ = try? lua.registerLibrary("coroutine", functions)
        _ = try? lua.callHost("coroutine") { ctx in
            let library = ctx.globals.get(try ctx.string("coroutine"))
            guard library.tag == .table else { return .results(0) }
            ctx.setIntrinsic(ctx.rawGet(library.table, try ctx.string("resume")), .resume, onFailure: finishResume)
            ctx.setIntrinsic(ctx.rawGet(library.table, try ctx.string("yield")), .yield)
            return .results(0)
        }
    }

    /// resume's results: (true, values...) or (false, error), exactly pcall's shape.
    static func finishResume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        try BaseLibrary.finishProtected(&ctx, status)
    }

    static func wrapped(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let co = ctx.upvalue(1).object.unsafeCast(to: LuaThread.self)
        return .resume(thread: co, arguments: ctx.argumentCount, then: finishWrapped)
    }

    /// What a wrapped coroutine's call returns once the coroutine yields, returns or fails.
    /// A static function (the coroutine is the caller's upvalue), so a switch allocates no
    /// closure context.
    static func finishWrapped(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        switch status {
        case .returned(let n), .yielded(let n):
            return .results(n)
        case .failed(let e):
            let co = ctx.upvalue(1).object.unsafeCast(to: LuaThread.self)
            // An error inside the coroutine closes its pending variables (PUC's auxwrap
            // calls lua_closethread); an error in a __close replaces it.
            guard ctx.diedOfError(co) else { throw try wrapError(&ctx, e.valueOrMessage(&ctx)) }
            let (pending, error) = try ctx.closeThread(co)
            if pending.isEmpty { throw try wrapError(&ctx, error) }
            let n = try ctx.prepareClosing(co, pending: pending, error: error, failed: true)
            return .resume(thread: co, arguments: n, then: { ctx, status in
                _ = try ctx.closeThread(co)
                guard case .failed(let e) = status else { throw try wrapError(&ctx, error) }
                throw try wrapError(&ctx, e.valueOrMessage(&ctx))
            })
        }
    }

    /// The error a wrapped coroutine's call raises: a string gets the caller's position.
    static func wrapError(_ ctx: inout LuaCallContext, _ value: LuaValue) throws -> LuaError {
        var v = value
        if v.tag == .string {
            let position = ctx.location(level: 1)
            if !position.isEmpty { v = try ctx.string(Array((position + " ").utf8) + Array(v.string.bytes)) }
        }
        return LuaError(value: v)
    }

    /// `coroutine.close`: a suspended or dead coroutine's pending to-be-closed variables are
    /// closed inside it (PUC's `lua_closethread`); the result is (true) or (false, error).
    static func close(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let co = try ctx.checkThread(1)
        let failed = ctx.diedOfError(co)
        let (pending, error) = try ctx.closeThread(co)
        if pending.isEmpty { return try closeResult(&ctx, failed: failed, error: error) }
        let n = try ctx.prepareClosing(co, pending: pending, error: error, failed: failed)
        return .resume(thread: co, arguments: n, then: { ctx, status in
            _ = try ctx.closeThread(co)
            if case .failed(let e) = status { return try closeResult(&ctx, failed: true, error: e.valueOrMessage(&ctx)) }
            return try closeResult(&ctx, failed: false, error: .nil)
        })
    }

    static func closeResult(_ ctx: inout LuaCallContext, failed: Bool, error: LuaValue) throws -> LuaCallOutcome {
        guard failed else {
            try ctx.push(.true)
            return .results(1)
        }
        try ctx.push(.false)
        try ctx.push(error)
        return .results(2)
    }
}
