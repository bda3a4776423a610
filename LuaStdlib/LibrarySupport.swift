#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// Helpers shared by os, io and package: PUC's luaL_fileresult / luaL_execresult and the
// package.loaded table (registry._LOADED, as in lauxlib.c).

enum LibrarySupport {
    /// The registry key of package.loaded.
    static let loadedKey = "_LOADED"

    /// `true`, or `nil, "name: strerror", errno` (luaL_fileresult); reads `errno` first.
    static func fileResult(_ ctx: inout LuaCallContext, _ ok: Bool, _ name: String?) throws -> LuaCallOutcome {
        let code = errno
        if ok {
            try ctx.push(.true)
            return .results(1)
        }
        let text = String(cString: strerror(code))
        try ctx.push(.nil)
        try ctx.push(try ctx.string(name.map { "\($0): \(text)" } ?? text))
        try ctx.push(LuaValue(Int64(code)))
        return .results(3)
    }

    /// os.execute's and pclose's results (luaL_execresult): true/nil, "exit"/"signal", code.
    static func execResult(_ ctx: inout LuaCallContext, _ status: Int32) throws -> LuaCallOutcome {
        if status == -1 { return try fileResult(&ctx, false, nil) }
        var kind = "exit"
        var code = status
        if status & 0x7F == 0 {
            code = (status >> 8) & 0xFF
        } else if ((status & 0x7F) + 1) >> 1 > 0 {
            kind = "signal"
            code = status & 0x7F
        }
        try ctx.push(kind == "exit" && code == 0 ? .true : .nil)
        try ctx.push(try ctx.string(kind))
        try ctx.push(LuaValue(Int64(code)))
        return .results(3)
    }

    /// package.loaded, created in the registry on first use.
    static func loadedTable(_ ctx: inout LuaCallContext) throws -> Gc<LuaTable> {
        let key = try ctx.string(loadedKey)
        let v = ctx.rawGet(ctx.registry, key)
        if v.tag == .table { return v.table }
        let t = try ctx.newTable()
        try ctx.rawSet(ctx.registry, key, LuaValue(t))
        return t
    }

    /// Records global `name` (a library table) in package.loaded, as luaL_requiref does.
    static func markLoaded(_ lua: Lua, _ name: String) {
        _ = try? lua.callHost("open") { ctx in
            let key = try ctx.string(name)
            let value = ctx.rawGet(ctx.globals, key)
            if !value.isNil { try ctx.rawSet(try loadedTable(&ctx), key, value) }
            return .results(0)
        }
    }
}
