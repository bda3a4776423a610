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
        let mt = registeredMetatable(for: T.self)
        do {
            let u = try mc.allocate(LuaUserdata(payload: payload, metatable: mt))
            return LuaValue(tag: .userdata, object: u.erased)
        } catch {
            throw LuaError.outOfMemory(mc)
        }
    }

    /// Argument `n` as a userdata holding a `T` (safe downcast), read-only.
    public func userdata<T: Collect>(_ n: Int, as type: T.Type) throws -> T {
        let v = argument(n)
        if v.tag == .userdata, let payload = v.object.unsafeCast(to: LuaUserdata.self).value.payload as? T {
            return payload
        }
        throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self))
    }

    /// Runs `body` with mutable access to the `T` inside userdata argument `n` (with the write barrier).
    @discardableResult
    public func userdata<T: Collect, R>(_ n: Int, as type: T.Type, _ body: (inout T) throws -> R) throws -> R {
        let v = argument(n)
        guard v.tag == .userdata else { throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self)) }
        let u = v.object.unsafeCast(to: LuaUserdata.self)
        guard var payload = u.value.payload as? T else { throw typeError(n, expected: Self.userdataName(T.self, g: g, ctx: self)) }
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
    /// Registers a metatable for userdata holding `T`: `__name` is `name`, `__index` is a
    /// table of `methods`, and `metamethods` (e.g. "__tostring", "__eq") are set directly.
    public func registerUserdataType<T: Collect>(_ type: T.Type, name: String,
                                                 methods: [(String, LuaHostBody)],
                                                 metamethods: [(String, LuaHostBody)] = []) {
        arena.mutate { mc, root in
            let g = root.global.unsafeMutablePointer
            guard let mt = try? LuaTable.allocate(mc, arrayCapacity: 0, hashCapacity: 4 + metamethods.count),
                  let index = try? LuaTable.allocate(mc, arrayCapacity: 0, hashCapacity: methods.count) else { return }
            func set(_ t: Gc<LuaTable>, _ key: String, _ v: LuaValue) {
                guard let k = try? g.pointee.strings.intern(mc, key) else { return }
                try? t.set(mc, LuaValue(k), v)
            }
            func function(_ n: String, _ body: @escaping LuaHostBody) -> LuaValue {
                guard let f = try? mc.allocate(LuaHostFunction(name: n, body: body)) else { return .nil }
                return LuaValue(tag: .hostFunction, object: f.erased)
            }
            for (n, body) in methods { set(index, n, function(n, body)) }
            for (n, body) in metamethods { set(mt, n, function(n, body)) }
            set(mt, "__index", LuaValue(index))
            if let s = try? g.pointee.strings.intern(mc, name) { set(mt, "__name", LuaValue(s)) }
            set(g.pointee.registry, LuaCallContext.registryKey(T.self), LuaValue(mt))
        }
    }
}
