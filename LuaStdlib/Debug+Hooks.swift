import GCArena
import LuaCore

// debug.sethook and debug.gethook (PUC's db_sethook/db_gethook). The hook itself is run by
// the VM as a frame (LuaCore's Debug+Hooks.swift), called with the event name and, for
// line events, the line.

extension DebugLibrary {
    static var hookFunctions: [(String, LuaHostBody)] { [
        ("sethook", sethook),
        ("gethook", gethook),
    ] }

    /// registry._HOOKKEY, the weak-keyed table of hook functions by thread (as in ldblib.c;
    /// the VM keeps its own reference in the thread).
    static func recordHook(_ ctx: inout LuaCallContext, _ thread: Gc<LuaThread>, _ f: LuaValue) throws {
        let key = try ctx.string("_HOOKKEY")
        var table = ctx.rawGet(ctx.registry, key)
        if table.tag != .table {
            let t = try ctx.newTable()
            try ctx.rawSet(t, try ctx.string("__mode"), try ctx.string("k"))
            t.setMetatable(ctx.mc, t)
            t.setWeakMode(ctx.mc, keys: true, values: false)
            ctx.registerWeakTable(t)
            try ctx.rawSet(ctx.registry, key, LuaValue(t))
            table = LuaValue(t)
        }
        try ctx.rawSet(table.table, LuaValue(tag: .thread, object: thread.erased), f)
    }

    static func sethook(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (L1, arg) = thread(&ctx)
        if ctx.argument(arg + 1).isNil {
            try recordHook(&ctx, L1, .nil)
            ctx.setHook(L1, function: .nil, mask: 0, count: 0)
            return .results(0)
        }
        let smask = try ctx.checkBytes(arg + 2)
        let f = try checkFunction(&ctx, arg + 1)
        let count = int(try ctx.optInteger(arg + 3, 0))
        var mask: UInt8 = 0
        if smask.contains(UInt8(ascii: "c")) { mask |= LuaHookState.Event.call }
        if smask.contains(UInt8(ascii: "r")) { mask |= LuaHookState.Event.return }
        if smask.contains(UInt8(ascii: "l")) { mask |= LuaHookState.Event.line }
        try recordHook(&ctx, L1, f)
        ctx.setHook(L1, function: f, mask: mask, count: max(0, count))
        return .results(0)
    }

    static func gethook(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (L1, _) = thread(&ctx)
        let (f, mask, count) = ctx.hook(of: L1)
        if mask == 0 {
            try ctx.push(.nil)
            return .results(1)
        }
        var text = ""
        if mask & LuaHookState.Event.call != 0 { text += "c" }
        if mask & LuaHookState.Event.return != 0 { text += "r" }
        if mask & LuaHookState.Event.line != 0 { text += "l" }
        try ctx.push(f)
        try ctx.push(try ctx.string(text))
        try ctx.push(LuaValue(Int64(count)))
        return .results(3)
    }
}
