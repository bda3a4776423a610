import GCArena

// Full userdata for host libraries (io's file handles): creation with a metatable, and
// typed access to the Swift payload.

extension LuaCallContext {
    /// A new full userdata holding `payload`, with metatable `metatable` (registers it for
    /// finalization when the metatable has `__gc`, as `setmetatable` does for tables).
    /// `userValues` is how many user values the debug library sees (0 or 1).
    public func newUserdata(_ payload: any Collect, metatable: Gc<LuaTable>?, userValues: Int = 1) throws(LuaError) -> LuaValue {
        let u: Gc<LuaUserdata>
        var object = LuaUserdata(payload: payload, metatable: metatable)
        object.userValueCount = min(max(userValues, 0), 1)
        do { u = try mc.allocate(object) } catch { throw .outOfMemory(mc) }
        let v = LuaValue(tag: .userdata, object: u.erased)
        if let metatable, !metatable.get(name(.gc)).isNil { registerFinalizer(v) }
        return v
    }

    /// The userdata object of `v`, or nil when `v` is not a full userdata.
    public func userdata(_ v: LuaValue) -> Gc<LuaUserdata>? {
        v.tag == .userdata ? v.object.unsafeCast(to: LuaUserdata.self) : nil
    }

    /// The payload of userdata `v` when it is a `T` (for example `LuaBox<MyHandle>`).
    public func payload<T>(of v: LuaValue, as type: T.Type) -> T? {
        userdata(v)?.value.payload as? T
    }
}

// Switches the standard library reads from the global state.

extension LuaCallContext {
    /// Whether `warn` messages are printed (`@on`/`@off`, moonlet's `-W`).
    public var warningsEnabled: Bool {
        get { g.pointee.warningsOn }
        nonmutating set { g.pointee.warningsOn = newValue }
    }

    /// Whether `load` may load binary chunks (false in the sandbox).
    public var binaryChunksAllowed: Bool { g.pointee.binaryChunksAllowed }

    /// The compiler's prototype of a Lua function value (nil for host functions and non-functions),
    /// for `string.dump`.
    public func prototype(of v: LuaValue) -> LuaPrototype? {
        guard v.tag == .luaFunction else { return nil }
        return v.object.unsafeCast(to: LuaClosure.self).value.proto.value.debug
    }

    /// Instantiates a prototype as a main chunk: fresh upvalues, the first one `_ENV` = `env`
    /// (or the globals), as `load` does for a binary chunk.
    public func instantiate(_ proto: LuaPrototype, env: LuaValue?) throws(LuaError) -> LuaValue {
        try Lua.instantiate(mc, g, proto, env: env ?? LuaValue(g.pointee.globals))
    }
}

extension Lua {
    /// Whether `warn` messages are printed (lua5.4 starts with them off; `-W` turns them on).
    public var warningsEnabled: Bool {
        get { (try? access { (_, g) throws(LuaError) in g.pointee.warningsOn }) ?? false }
        set { _ = try? access { (_, g) throws(LuaError) in g.pointee.warningsOn = newValue } }
    }

    /// Whether `load` accepts binary chunks (``LuaDump`` output). On by default.
    public var binaryChunksAllowed: Bool {
        get { (try? access { (_, g) throws(LuaError) in g.pointee.binaryChunksAllowed }) ?? false }
        set { _ = try? access { (_, g) throws(LuaError) in g.pointee.binaryChunksAllowed = newValue } }
    }

    /// Calls `body` once as a host function from the host, to set up state that needs a call
    /// context (library tables with userdata fields, registry entries). Returns its results.
    @discardableResult
    public func callHost(_ name: String, _ body: @escaping LuaHostBody) throws(LuaScriptError) -> [LuaHostValue] {
        let f = try withState { (mc, g) throws(LuaError) -> LuaHostValue in
            do {
                let f = try mc.allocate(LuaHostFunction(name: name, body: body))
                return LuaValue(tag: .hostFunction, object: f.erased).hostValue(mc, g)
            } catch { throw .outOfMemory(mc) }
        }
        return try call(f, [])
    }
}
