import GCArena

// Userdata: Swift values exposed to Lua with a metatable.
//
//     struct Counter: Collect { var n = 0; static var needsTrace: Bool { false }; func trace(_: inout Tracer) {} }
//     lua.registerUserdataType(Counter.self, name: "Counter", methods: [
//         ("increment", { ctx in try ctx.userdata(1, as: Counter.self) { $0.n += 1 }; return .results(0) }),
//     ])

// SAFETY: `g` and the registry handle are valid inside the call's mutation; userdata payloads
// are read through `Gc.value`/`write`, never through raw pointers.

extension LuaCallContext {
    /// Creates a userdata holding `payload` with the metatable registered for its type (if any).
    public func newUserdata<T: Collect>(_ payload: T) throws -> LuaValue {
        let v = try newUserdata(payload, metatable: registeredMetatable(for: T.self))
        if let bytes = (payload as? any LuaUserdataConvertible)?.luaExternalBytes, bytes > 0 {
            try reportExternalMemory(of: v, bytes: bytes)
        }
        return v
    }

    /// Argument `n` as a userdata holding a `T` (safe downcast), read-only.
    public func userdata<T: Collect>(_ n: Int, as type: T.Type) throws -> T {
        let v = argument(n)
        if v.tag == .userdata {
            let payload = v.object.unsafeCast(to: LuaUserdata.self).value.payload
            if let me = payload as? T { return me }
            if let me = g.pointee.services.host?.upcast(payload, to: T.self) { return me }
            if payload is LuaScopeEndedPayload { throw LuaError.runtime("userdata used after its scope ended") }
        }
        throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self))
    }

    /// Runs `body` with mutable access to the `T` inside userdata argument `n` (with the write barrier).
    @discardableResult
    public func userdata<T: Collect, R>(_ n: Int, as type: T.Type, _ body: (inout T) throws -> R) throws -> R {
        let v = argument(n)
        guard v.tag == .userdata else { throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self)) }
        let u = v.object.unsafeCast(to: LuaUserdata.self)
        guard var payload = u.value.payload as? T else {
            // A derived type holding a `T` (``LuaUserdataBuilder/inherit(from:through:)``).
            if let lua = g.pointee.services.host, let (r, updated) = try lua.withUpcast(u.value.payload, to: T.self, body) {
                u.write(mc).value.payload = updated
                return r
            }
            if u.value.payload is LuaScopeEndedPayload { throw LuaError.runtime("userdata used after its scope ended") }
            throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self))
        }
        let r = try body(&payload)
        u.write(mc).value.payload = payload
        return r
    }

    func registeredMetatable<T>(for type: T.Type) -> Gc<LuaTable>? {
        guard let key = try? g.pointee.strings.intern(mc, Self.registryKey(T.self)) else { return nil }
        let v = g.pointee.registry.get(LuaValue(key))
        return v.tag == .table ? v.table : nil
    }

    static func registryKey<T>(_ type: T.Type) -> String { "moonlet.userdata." + String(reflecting: type) }

    static func userdataName<T>(_ type: T.Type, g: UnsafeMutablePointer<LuaGlobalState>, ctx: borrowing LuaCallContext) -> String {
        if let mt = ctx.registeredMetatable(for: T.self) {
            let name = mt.get(shortString: g.pointee.metamethodNames[LuaMetamethod.name.rawValue])
            if name.tag == .string { return name.string.stringValue }
        }
        return String(describing: T.self)
    }
}

extension Lua {
    /// Registers a metatable for userdata holding `T`: `__name` is `name`, `__index` looks
    /// `methods` up first, and `metamethods` (e.g. "__tostring", "__eq") are set directly.
    ///
    /// An `__index` among `metamethods` is the fallback for keys that are not methods (it
    /// receives the userdata and the key, as any `__index` function does).
    public func registerUserdataType<T: Collect>(_ type: T.Type, name: String,
                                                 methods: [(String, LuaHostBody)],
                                                 metamethods: [(String, LuaHostBody)] = []) throws(LuaScriptError) {
        try access { (mc, g) throws(LuaError) in
            let mt = try Lua.newTable(mc, hashCapacity: 4 + metamethods.count)
            let index = try Lua.newTable(mc, hashCapacity: methods.count)
            for (n, body) in methods {
                try Lua.rawSet(mc, g, index, try Lua.intern(mc, g, n), try Lua.hostFunction(mc, n, body))
            }
            var indexFallback: LuaValue = .nil
            for (n, body) in metamethods {
                let f = try Lua.hostFunction(mc, n, body)
                if n == "__index" { indexFallback = f; continue }
                try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, n), f)
            }
            let indexValue: LuaValue
            if indexFallback.isNil {
                indexValue = LuaValue(index)
            } else {
                do {
                    let f = try mc.allocate(LuaHostFunction(name: "__index", upvalues: [LuaValue(index), indexFallback],
                                                            body: Lua.methodsThenFallback))
                    indexValue = LuaValue(tag: .hostFunction, object: f.erased)
                } catch { throw .outOfMemory(mc) }
            }
            try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, "__index"), indexValue)
            try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, "__name"), try Lua.intern(mc, g, name))
            try Lua.rawSet(mc, g, g.pointee.registry, try Lua.intern(mc, g, LuaCallContext.registryKey(T.self)), LuaValue(mt))
        }
    }

    /// `__index(self, key)`: the method named `key` (upvalue 1 is the methods table), else
    /// a tail call of the host's fallback (upvalue 2).
    static func methodsThenFallback(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let key = ctx.argument(2)
        if let methods = ctx.upvalue(1).tableObject, !key.isNil {
            let m = methods.get(key)
            if !m.isNil {
                try ctx.push(m)
                return .results(1)
            }
        }
        try ctx.setTop(2)
        try ctx.insert(ctx.upvalue(2), at: 1)
        return .call(arguments: 2, then: nil, protected: false)
    }
}
