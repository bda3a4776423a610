import GCArena
import LuaCore

// string.dump (PUC's str_dump): the binary chunk of a Lua function's prototype tree in
// PUC-Rio Lua 5.4's format, the bytes lua5.4 writes (LuaCore/Compiler/Dump.swift). Upvalues
// are not saved: a loaded chunk gets fresh ones, the first set to the globals when the
// function has any, as in PUC.

/// `string.dump`, to be merged into the string table.
public enum StringDump {
    /// The ("dump", body) entry for the string library's function list.
    public static var entry: (String, LuaHostBody) { ("dump", dump) }

    /// Adds `dump` to the global `string` table (creating the table if there is none).
    public static func install(_ lua: Lua) {
        _ = try? lua.callHost("string.dump") { ctx in
            let key = try ctx.string("string")
            var t = ctx.rawGet(ctx.globals, key)
            if t.tag != .table {
                t = LuaValue(try ctx.newTable())
                try ctx.rawSet(ctx.globals, key, t)
            }
            try ctx.rawSet(t.table, try ctx.string(entry.0), try ctx.function(entry.0, entry.1))
            return .results(0)
        }
    }

    static func dump(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try ctx.checkFunction(1)
        guard let proto = ctx.prototype(of: ctx.argument(1)) else {
            throw LuaError.runtime("unable to dump given function")
        }
        try ctx.push(try ctx.string(LuaDump.dump(proto, strip: ctx.toBoolean(2))))
        return .results(1)
    }
}
