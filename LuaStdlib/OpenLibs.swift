import GCArena
import LuaCore

extension Lua {
    /// A state with the full standard library, as the `moonlet` command uses.
    ///
    /// - Parameter ignoreEnvironment: don't read `LUA_PATH`/`LUA_PATH_5_4` (moonlet's `-E`).
    public static func full(ignoreEnvironment: Bool = false) -> Lua {
        let lua = Lua()
        lua.openCommonLibraries()
        OSLibrary.open(lua, safe: false)
        IOLibrary.open(lua, allowProcesses: true)
        ChunkFiles.open(lua)
        WarnLibrary.open(lua)
        DebugLibrary.open(lua, safe: false)
        // Last: it records the libraries opened so far in package.loaded.
        PackageLibrary.open(lua, safe: false, ignoreEnvironment: ignoreEnvironment)
        return lua
    }

    /// A state with only the safe parts of the standard library (the default for embedders):
    /// no files, processes, environment variables or binary chunks (see the Environments article).
    public static func sandboxed() -> Lua {
        let lua = Lua()
        lua.openCommonLibraries()
        OSLibrary.open(lua, safe: true)
        WarnLibrary.open(lua)
        DebugLibrary.open(lua, safe: true)
        lua.binaryChunksAllowed = false
        PackageLibrary.open(lua, safe: true, ignoreEnvironment: true)
        return lua
    }

    /// Base, coroutine, string, table, math and utf8: the libraries both environments share.
    func openCommonLibraries() {
        openBase()
        CoroutineLibrary.open(self)
        TableLibrary.open(self)
        MathLibrary.open(self)
        UTF8Library.open(self)
        StringLibrary.open(self)
        StringDump.install(self)
    }

    /// Opens the base library: `print`, `pairs`, `pcall`, ... and `_G`, `_VERSION`.
    public func openBase() {
        for (name, body) in BaseLibrary.functions { _ = try? register(name, body) }
        _ = try? setGlobal("_VERSION", "Lua 5.4")
        _ = try? callHost("init") { ctx in
            // `_G = _ENV` without compiling a chunk for it (start-up, papers/luacore-vm.md).
            try ctx.rawSet(ctx.globals, try ctx.string("_G"), LuaValue(ctx.globals))
            // `type` with its results interned once, as upvalues.
            var names: [LuaValue] = []
            for name in BaseLibrary.typeNames { names.append(try ctx.string(name)) }
            try ctx.rawSet(ctx.globals, try ctx.string("type"), try ctx.function("type", upvalues: names, BaseLibrary.type))
            // `pairs` and `ipairs` with their iterators as upvalues (looking them up per call
            // interned a key each time).
            let next = ctx.globals.get(try ctx.string("next"))
            try ctx.rawSet(ctx.globals, try ctx.string("pairs"), try ctx.function("pairs", upvalues: [next], BaseLibrary.pairs))
            let iterator = try ctx.function("ipairs_iterator", BaseLibrary.ipairsIterator)
            try ctx.rawSet(ctx.globals, try ctx.string("ipairs"), try ctx.function("ipairs", upvalues: [iterator], BaseLibrary.ipairs))
            return .results(0)
        }
    }
}
