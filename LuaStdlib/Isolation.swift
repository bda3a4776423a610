import LuaCore

// Per-script isolation for hosts that run many untrusted scripts on one state (issue 10,
// item 7), in the manner of Luau's sandbox: the shared tables are made read-only once, and
// each script gets a fresh global table whose misses fall through to the shared globals.
//
// Freezing moves a table's fields into a hidden backing table and gives the emptied table a
// protected metatable: reads go to the backing table, writes raise an error, `pairs` and `#`
// see the backing table, and `setmetatable`/`getmetatable` refuse (`__metatable`). Every
// reference to the table (`_G.string`, `package.loaded.string`, the string metatable's
// `__index`) therefore sees the read-only table. `rawset` is replaced by a version that
// refuses frozen tables. The string metatable keeps its fields (the VM reads them raw) and
// gets `__metatable = false`, so `getmetatable('')` no longer hands it out.
//
// Host-side writes (`Lua.setGlobal`) use raw sets and still work; scripts loaded with plain
// `load` after freezing see read-only globals. The `package` table is not frozen (`require`
// reads its fields raw): a script can still change `package.path`, `package.searchers` or
// `package.loaded` entries for later scripts (the libraries in it are frozen themselves).

extension Lua {
    static let isolationRegistryKey = "moonlet.isolation.newEnvironment"

    /// The Lua chunk that freezes the shared tables and returns the environment factory.
    static let isolationSource = """
        local G, next, rawset, rawget, setmetatable, error, type, select, load =
          _G, next, rawset, rawget, setmetatable, error, type, select, load
        local frozen = setmetatable({}, {__mode = "k"})
        local function freeze(t, name)
          if frozen[t] then return end
          local backing = {}
          for k, v in next, t do backing[k] = v end
          for k in next, backing do rawset(t, k, nil) end
          frozen[t] = backing
          setmetatable(t, {
            __index = backing,
            __newindex = function() error("attempt to modify read-only table '" .. name .. "'", 2) end,
            __pairs = function() return next, backing, nil end,
            __len = function() return #backing end,
            __metatable = false,
          })
        end
        local strmeta = getmetatable("")
        if strmeta then rawset(strmeta, "__metatable", false) end
        -- `package` stays writable: `require` reads its fields raw.
        for name, v in next, G do
          if type(v) == "table" and v ~= G and name ~= "package" then freeze(v, name) end
        end
        local guardedRawset = function(t, k, v)
          if frozen[t] then error("attempt to modify read-only table", 2) end
          return rawset(t, k, v)
        end
        rawset(G, "rawset", guardedRawset)
        freeze(G, "_G")
        return function()
          local env = setmetatable({}, {__index = G})
          rawset(env, "_G", env)
          -- `load` without an environment gives the chunk this script's globals.
          rawset(env, "load", function(...)
            if select("#", ...) >= 4 then return load(...) end
            local chunk, chunkName, mode = ...
            return load(chunk, chunkName, mode, env)
          end)
          return env
        end
        """

    /// Makes the shared global and library tables read-only, once, so scripts loaded with
    /// ``loadIsolated(_:chunkName:)`` cannot change what later scripts see.
    ///
    /// Idempotent. After it, scripts loaded with plain `load(_:chunkName:env:)` see
    /// read-only globals; hosts still set globals with `setGlobal(_:_:)`.
    public func isolateScripts() throws(LuaScriptError) {
        if try isolationFactory() != nil { return }
        let results = try run(Self.isolationSource, chunkName: "=(isolation)")
        guard case .object(let factory)? = results.first else { return }
        _ = try callHost("isolate") { ctx in
            try ctx.rawSet(ctx.registry, try ctx.string(Lua.isolationRegistryKey), try factory.toLua(ctx))
            return .results(0)
        }
    }

    /// Loads `source` with a fresh global table of its own (`_ENV` and `_G`), reading the
    /// shared, read-only globals underneath: what one script does to its globals, to the
    /// libraries or to `_G`'s metatable does not reach the next script (the `package` table
    /// stays shared and writable).
    ///
    /// Calls ``isolateScripts()`` first when needed. A fresh environment costs one table and
    /// one closure. Shared state that is not a table (the collector's mode, `math.random`'s
    /// seed, coroutines a script leaves behind in host values) is not isolated.
    public func loadIsolated(_ source: [UInt8], chunkName: String) throws(LuaScriptError) -> LuaHostValue {
        try isolateScripts()
        guard let factory = try isolationFactory() else {
            throw LuaScriptError(message: "script isolation is unavailable")
        }
        let env = try call(factory, []).first ?? .nil
        return try load(source, chunkName: chunkName, env: env)
    }

    /// The environment factory `isolateScripts` stored, or nil before it ran.
    func isolationFactory() throws(LuaScriptError) -> LuaHostValue? {
        let r = try callHost("isolation") { ctx in
            try ctx.push(ctx.rawGet(ctx.registry, try ctx.string(Lua.isolationRegistryKey)))
            return .results(1)
        }
        guard let f = r.first, f != .nil else { return nil }
        return f
    }
}
