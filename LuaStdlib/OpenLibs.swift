import GCArena
import LuaCore

extension Lua {
    /// A state with the full standard library, as the `moonlet` command uses.
    public static func full() -> Lua {
        let lua = Lua()
        lua.openBase()
        lua.registerLibrary("coroutine", CoroutineLibrary.functions)
        return lua
    }

    /// A state with only the safe parts of the standard library (the default for embedders).
    public static func sandboxed() -> Lua {
        let lua = Lua()
        lua.openBase()
        lua.registerLibrary("coroutine", CoroutineLibrary.functions)
        return lua
    }

    /// Opens the base library: `print`, `pairs`, `pcall`, ... and `_G`, `_VERSION`.
    public func openBase() {
        for (name, body) in BaseLibrary.functions(self) { register(name, body) }
        setGlobal("_VERSION", "Lua 5.4")
        run(unchecked: "_G = _ENV")
    }

    func run(unchecked source: String) {
        _ = try? run(source, chunkName: "=(init)")
    }
}
