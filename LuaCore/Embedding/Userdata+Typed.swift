import GCArena

// Typed userdata: a Swift type registered once with its methods, properties and
// metamethods, then passed to and returned from typed host functions like any value.
//
//     struct Point: LuaUserdataConvertible { var x = 0.0, y = 0.0 }   // needsTrace etc. defaulted
//     try lua.registerUserdata(Point.self, name: "Point") { t in
//         t.property("x", get: { $0.x }, set: { $0.x = $1 })
//         t.method("length") { (p: Point) in (p.x * p.x + p.y * p.y).squareRoot() }
//         t.mutatingMethod("move") { (p: inout Point, dx: Double, dy: Double) in p.x += dx; p.y += dy }
//     }
//     try lua.register("point") { (x: Double, y: Double) in Point(x: x, y: y) }
//
// SAFETY: payload access goes through `Gc.value`/`write` inside the call's mutation.

/// A Swift type usable as a userdata in typed host functions, with no code to write:
/// `extension Point: LuaUserdataConvertible {}` (register its methods with
/// ``Lua/registerUserdata(_:name:_:)``).
///
/// Payloads that hold no arena handles get `needsTrace == false` and an empty `trace` by
/// default; those that do implement `trace` as any `Collect` type.
public protocol LuaUserdataConvertible: Collect, LuaConvertible, LuaResultConvertible {
    /// Memory the value owns outside the arena (buffers), counted against
    /// ``Lua/memoryLimit`` when the userdata is created. Default 0.
    var luaExternalBytes: Int { get }
}

extension LuaUserdataConvertible {
    public var luaExternalBytes: Int { 0 }
    public static var luaTypeName: String { String(describing: Self.self) }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Self? {
        guard let payload = v.userdataObject?.value.payload else { return nil }
        if payload is LuaScopeEndedPayload { throw LuaError.runtime("userdata used after its scope ended") }
        return payload as? Self ?? ctx.g.pointee.services.host?.upcast(payload, to: Self.self)
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try ctx.newUserdata(self) }
}

extension LuaUserdataConvertible where Self: BitwiseCopyable {
    public static var needsTrace: Bool { false }
    public func trace(_ tracer: inout Tracer) {}
}

extension LuaCallContext {
    /// Records that userdata `v`'s payload now owns `bytes` outside the arena (replacing the
    /// previous report): the bytes count against the memory limit until the userdata is
    /// freed. Throws "not enough memory" when growth would pass the limit.
    public func reportExternalMemory(of v: LuaValue, bytes: Int) throws(LuaError) {
        guard let u = v.userdataObject else { throw .plain("reportExternalMemory: not a userdata") }
        let delta = max(bytes, 0) - u.value.externalBytes
        do { try mc.reportExternalMemory(delta) } catch { throw .outOfMemory(mc) }
        u.write(mc).value.externalBytes = max(bytes, 0)
    }
}

/// The methods, properties and metamethods of a userdata type being registered.
public final class LuaUserdataBuilder<T: Collect> {
    var methods: [(String, LuaHostBody)] = []
    /// Property readers and writers (each fetches the payload from argument 1 itself, so a
    /// derived type can reuse them).
    var getters: [String: LuaHostBody] = [:]
    var setters: [String: LuaHostBody] = [:]
    var metamethods: [(String, LuaHostBody)] = []
    var indexFallback: LuaHostBody?
    var newindexFallback: LuaHostBody?
    /// The registered type whose methods this one inherits (``inherit(from:)``).
    var parent: LuaUserdataParent?
    let typeName: String

    init(typeName: String) { self.typeName = typeName }

    /// A method `obj:name(args...)` reading the value.
    public func method<each A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ f: @escaping (T, repeat each A) throws -> R
    ) {
        methods.append((name, { ctx in
            let me = try ctx.userdata(1, as: T.self)
            let cursor = ArgumentCursor()
            cursor.next = 1
            let r = try f(me, repeat try ctx.argument(cursor.advance(), as: (each A).self))
            return .results(try r.pushLuaResults(ctx))
        }))
    }

    /// A method `obj:name(args...)` that returns nothing.
    public func method<each A: LuaConvertible>(_ name: String, _ f: @escaping (T, repeat each A) throws -> Void) {
        method(name) { (me: T, args: repeat each A) throws -> LuaNoResults in
            try f(me, repeat each args)
            return LuaNoResults()
        }
    }

    /// A method that changes the value in place (with the write barrier).
    public func mutatingMethod<each A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ f: @escaping (inout T, repeat each A) throws -> R
    ) {
        methods.append((name, { ctx in
            let cursor = ArgumentCursor()
            cursor.next = 1
            let args = (repeat try ctx.argument(cursor.advance(), as: (each A).self))
            let r = try ctx.userdata(1, as: T.self) { me in try f(&me, repeat each args) }
            return .results(try r.pushLuaResults(ctx))
        }))
    }

    /// A mutating method that returns nothing.
    public func mutatingMethod<each A: LuaConvertible>(_ name: String, _ f: @escaping (inout T, repeat each A) throws -> Void) {
        mutatingMethod(name) { (me: inout T, args: repeat each A) throws -> LuaNoResults in
            try f(&me, repeat each args)
            return LuaNoResults()
        }
    }

    /// A field `obj.name` read by `get` and, when `set` is given, written by `obj.name = v`.
    public func property<V: LuaConvertible & LuaResultConvertible>(
        _ name: String, get: @escaping (T) throws -> V, set: ((inout T, V) throws -> Void)? = nil
    ) {
        getters[name] = { ctx in .results(try get(try ctx.userdata(1, as: T.self)).pushLuaResults(ctx)) }
        if let set {
            setters[name] = { ctx in
                let value = try ctx.argument(3, as: V.self)
                try ctx.userdata(1, as: T.self) { me in try set(&me, value) }
                return .results(0)
            }
        }
    }

    /// A metamethod ("__tostring", "__eq", "__lt", "__len", "__call", "__close", "__gc" ...),
    /// as a raw host function. `__index`/`__newindex` here are fallbacks for keys that are
    /// neither methods nor properties.
    public func metamethod(_ name: String, _ body: @escaping LuaHostBody) {
        switch name {
        case "__index": indexFallback = body
        case "__newindex": newindexFallback = body
        default: metamethods.append((name, body))
        }
    }

    /// `__tostring` from a Swift description of the value.
    public func toString(_ describe: @escaping (T) -> String) {
        metamethod("__tostring") { ctx in
            try ctx.push(try ctx.string(describe(try ctx.userdata(1, as: T.self))))
            return .results(1)
        }
    }
}

extension Lua {
    /// Registers the userdata type `T` under `name` with what `build` declares: methods,
    /// mutating methods, properties, metamethods (including `__index`/`__newindex`
    /// fallbacks, `__gc` and `__close`), and the type it inherits from
    /// (``LuaUserdataBuilder/inherit(from:)``). Values of `T` returned from typed host
    /// functions become userdata with this metatable; `T` parameters accept them back.
    public func registerUserdata<T: Collect>(_ type: T.Type, name: String,
                                             _ build: (LuaUserdataBuilder<T>) -> Void) throws(LuaScriptError) {
        let b = LuaUserdataBuilder<T>(typeName: name)
        build(b)
        var base: LuaUserdataRecord?
        if let parent = b.parent { base = try parentRecord(parent, of: name) }
        let record = LuaUserdataRecord(b, inheriting: base)
        try access { (mc, g) throws(LuaError) in
            let mt = try Lua.newTable(mc, hashCapacity: 4 + record.metamethods.count)
            let methods = try Lua.newTable(mc, hashCapacity: record.methods.count)
            for (n, body) in record.methods {
                try Lua.rawSet(mc, g, methods, try Lua.intern(mc, g, n), try Lua.hostFunction(mc, n, body))
            }
            for (n, body) in record.metamethods {
                try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, n), try Lua.hostFunction(mc, n, body))
            }
            do {
                let index = try mc.allocate(LuaHostFunction(name: "__index", upvalues: [LuaValue(methods)],
                                                            body: record.indexBody()))
                try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, "__index"), LuaValue(tag: .hostFunction, object: index.erased))
            } catch let e as LuaError { throw e } catch { throw .outOfMemory(mc) }
            try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, "__newindex"),
                           try Lua.hostFunction(mc, "__newindex", record.newindexBody(typeName: name)))
            try Lua.rawSet(mc, g, mt, try Lua.intern(mc, g, "__name"), try Lua.intern(mc, g, name))
            try Lua.rawSet(mc, g, g.pointee.registry, try Lua.intern(mc, g, LuaCallContext.registryKey(T.self)), LuaValue(mt))
        }
        userdataTypes[ObjectIdentifier(T.self)] = record
        if let upcast = b.parent?.upcast { userdataUpcasts[ObjectIdentifier(T.self), default: []].append(upcast) }
    }
}
