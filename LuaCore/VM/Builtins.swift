import GCArena

/// Host functions the VM itself needs (not the standard library).
enum LuaBuiltins {
    /// Closes pending to-be-closed variables at or above a level while an error unwinds:
    /// arguments (error, level); calls each `__close(value, error)` newest first, then
    /// re-raises the error (an error inside `__close` replaces it, as in Lua 5.4).
    static func closer(_ ctx: inout LuaCallContext) throws(LuaError) -> LuaCallOutcome {
        try closeNext(&ctx)
    }

    static func closeNext(_ ctx: inout LuaCallContext) throws(LuaError) -> LuaCallOutcome {
        let error = ctx.argument(1)
        let level = Int(ctx.argument(2).integer)
        let th = ctx.th
        guard th.pointee.tbcCount > 0, Int(th.pointee.tbc[th.pointee.tbcCount - 1]) >= level else {
            throw LuaError(value: error)
        }
        th.pointee.tbcCount -= 1
        let slot = Int(th.pointee.tbc[th.pointee.tbcCount])
        let v = th.pointee.stack[slot]
        let tm = ctx.metamethod(v, .close)
        try ctx.setTop(2)
        try ctx.push(tm)
        try ctx.push(v)
        try ctx.push(error)
        return .call(arguments: 2, then: { (ctx: inout LuaCallContext, status: LuaCallStatus) throws -> LuaCallOutcome in
            if case .failed(let e) = status, case .value(let v) = e.payload { ctx[1] = v }
            return try closeNext(&ctx)
        }, protected: true, yieldable: true)
    }

    /// The body a coroutine runs while `coroutine.close` (PUC's `lua_closethread`) closes its
    /// pending to-be-closed variables: arguments (failed, error, value...), the values newest
    /// first. Each `__close(value, error)` runs inside the coroutine, protected and not
    /// yieldable; an error in one replaces the error the later ones get. Ends by raising the
    /// error when there is one (`failed`), otherwise by returning nothing.
    static func threadCloser(_ ctx: inout LuaCallContext) throws(LuaError) -> LuaCallOutcome {
        let count = ctx.argumentCount
        guard count >= 3 else {
            if !ctx.argument(1).isFalsy { throw LuaError(value: ctx.argument(2)) }
            try ctx.setTop(0)
            return .results(0)
        }
        let v = ctx.argument(count)
        let error = ctx.argument(2)
        try ctx.setTop(count - 1)
        try ctx.push(ctx.metamethod(v, .close))
        try ctx.push(v)
        try ctx.push(error)
        return .call(arguments: 2, then: { (ctx: inout LuaCallContext, status: LuaCallStatus) throws -> LuaCallOutcome in
            if case .failed(let e) = status {
                ctx[1] = .true
                if case .value(let v) = e.payload { ctx[2] = v }
            }
            try ctx.setTop(count - 1)
            return try threadCloser(&ctx)
        }, protected: true)
    }

    /// Runs pending `__gc` metamethods one by one, newest marked first, each in protected
    /// mode; an error in one becomes the warning "error in __gc (message)", as in PUC's GCTM.
    static func runFinalizers(_ ctx: inout LuaCallContext) throws(LuaError) -> LuaCallOutcome {
        let g = ctx.g
        while !g.pointee.finalization.pending.isEmpty {
            let obj = g.pointee.finalization.pending.removeFirst()
            let tm = ctx.metamethod(obj, .gc)
            guard tm.tag == .luaFunction || tm.tag == .hostFunction else { continue }
            try ctx.setTop(0)
            try ctx.push(tm)
            try ctx.push(obj)
            return .call(arguments: 1, then: { (ctx: inout LuaCallContext, status: LuaCallStatus) throws -> LuaCallOutcome in
                if case .failed(let e) = status { warnFinalizerError(ctx, e) }
                return try runFinalizers(&ctx)
            }, protected: true)
        }
        g.pointee.finalizersRunning = false
        try ctx.setTop(0)
        return .results(0)
    }

    /// PUC's luaE_warnerror(L, "__gc"): "error in __gc (msg)", or "error object is not a
    /// string" when the error value is not a string.
    static func warnFinalizerError(_ ctx: LuaCallContext, _ e: LuaError) {
        let g = ctx.g
        guard g.pointee.warningsOn, let sink = g.pointee.services.warningSink else { return }
        var message: [UInt8]
        switch e.payload {
        case .message(let bytes, _): message = bytes
        case .value(let v): message = v.tag == .string ? Array(v.string.bytes) : Array("error object is not a string".utf8)
        }
        message = Array("Lua warning: error in __gc (".utf8) + message + Array(")\n".utf8)
        message.withUnsafeBytes { sink($0) }
    }

    /// Runs an xpcall message handler: arguments (handler, error). The handler's result
    /// replaces the error, which then continues unwinding to the xpcall.
    static func runHandler(_ ctx: inout LuaCallContext) throws(LuaError) -> LuaCallOutcome {
        try ctx.setTop(2)
        return .call(arguments: 1, then: { (ctx: inout LuaCallContext, status: LuaCallStatus) throws -> LuaCallOutcome in
            switch status {
            case .returned(let n), .yielded(let n):
                throw LuaError(value: n > 0 ? ctx[ctx.top - n + 1] : .nil)
            case .failed:
                // PUC: a failing handler errors again until it gives up with LUA_ERRERR.
                throw LuaError(.message(Array("error in error handling".utf8), position: false))
            }
        }, protected: true)
    }
}
