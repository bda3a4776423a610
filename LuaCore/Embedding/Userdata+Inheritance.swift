import GCArena

// Userdata method inheritance: a registered type reuses another registered type's methods,
// properties and metamethods, overriding some of them.
//
//     class Shape: LuaUserdataConvertible { ... }          // classes: a subclass is its base
//     class Circle: Shape { ... }
//     try lua.registerUserdata(Shape.self, name: "Shape") { t in t.method("area") { ... } }
//     try lua.registerUserdata(Circle.self, name: "Circle") { t in t.inherit(from: Shape.self) }
//
//     struct Sprite: LuaUserdataConvertible { var position: Point; ... }   // structs: a key path
//     try lua.registerUserdata(Sprite.self, name: "Sprite") { t in t.inherit(from: Point.self, through: \.position) }
//
// The base's functions fetch their payload with `ctx.userdata(1, as: Base.self)`; for a
// derived class that is a plain downcast, for a struct the state's upcasts (key paths)
// find the base value inside the derived one, and write it back for mutating methods.

/// The type a userdata type inherits from, as recorded by the builder.
struct LuaUserdataParent {
    let type: ObjectIdentifier
    let typeName: String
    /// How to reach the base value (nil for subclasses, which are their base already).
    let upcast: LuaUserdataUpcast?
    /// Why the declaration cannot work (a class that is not a subclass), thrown at registration.
    let problem: String?
}

/// A view of a derived payload as its base: read the base value, or write it back.
struct LuaUserdataUpcast {
    let base: ObjectIdentifier
    let get: (Any) -> Any?
    let set: (Any, Any) -> Any?
}

/// A registered userdata type's functions, after inheritance (so a type derived from it
/// inherits everything it has, its own base's included).
struct LuaUserdataRecord {
    var methods: [(String, LuaHostBody)]
    var getters: [String: LuaHostBody]
    var setters: [String: LuaHostBody]
    var metamethods: [(String, LuaHostBody)]
    var indexFallback: LuaHostBody?
    var newindexFallback: LuaHostBody?

    /// The builder's declarations over the base's: a name the type declares (as a method
    /// or a property) hides the base's method and property of that name.
    init<T>(_ b: LuaUserdataBuilder<T>, inheriting base: LuaUserdataRecord?) {
        methods = b.methods
        getters = b.getters
        setters = b.setters
        metamethods = b.metamethods
        indexFallback = b.indexFallback
        newindexFallback = b.newindexFallback
        guard let base else { return }
        let own = Set(b.methods.map(\.0)).union(b.getters.keys)
        methods = base.methods.filter { !own.contains($0.0) } + methods
        getters.merge(base.getters.filter { !own.contains($0.key) }) { mine, _ in mine }
        setters.merge(base.setters.filter { !own.contains($0.key) }) { mine, _ in mine }
        let ownMeta = Set(b.metamethods.map(\.0))
        metamethods = base.metamethods.filter { !ownMeta.contains($0.0) } + metamethods
        indexFallback = indexFallback ?? base.indexFallback
        newindexFallback = newindexFallback ?? base.newindexFallback
    }

    /// `__index(self, key)`: methods (upvalue 1), then properties, then the fallback.
    func indexBody() -> LuaHostBody {
        let getters = self.getters, fallback = self.indexFallback
        return { ctx in
            let key = ctx.argument(2)
            if let methods = ctx.upvalue(1).tableObject, !key.isNil {
                let m = methods.get(key)
                if !m.isNil { try ctx.push(m); return .results(1) }
            }
            if let name = key.stringObject?.stringValue, let get = getters[name] { return try get(&ctx) }
            if let fallback { return try fallback(&ctx) }
            return .results(0)
        }
    }

    /// `__newindex(self, key, value)`: property setters, then the fallback, else an error.
    func newindexBody(typeName: String) -> LuaHostBody {
        let setters = self.setters, fallback = self.newindexFallback
        return { ctx in
            let key = ctx.argument(2)
            if let name = key.stringObject?.stringValue, let set = setters[name] { return try set(&ctx) }
            if let fallback { return try fallback(&ctx) }
            let shown = key.stringObject?.stringValue ?? LuaDebug.typeName(ctx.g, key)
            throw LuaError.runtime("cannot set field '\(shown)' of \(typeName)")
        }
    }
}

extension LuaUserdataBuilder {
    /// Inherits the methods, properties and metamethods of the registered type `base`:
    /// those `T` declares itself win, the rest are `base`'s and act on the value as a
    /// `Base`. For classes, `T` must be a subclass of `Base` (register `Base` first).
    public func inherit<Base: Collect>(from base: Base.Type) {
        let related = T.self is Base.Type
        parent = LuaUserdataParent(
            type: ObjectIdentifier(Base.self), typeName: String(describing: Base.self), upcast: nil,
            problem: related ? nil : "\(T.self) is not a subclass of \(Base.self); use inherit(from:through:) with a key path")
    }

    /// Inherits from the registered type `base` through the `Base` value stored at `path`
    /// inside `T` (composition for structs): `base`'s methods read that value, its mutating
    /// methods and property setters change it in place.
    public func inherit<Base: Collect>(from base: Base.Type, through path: WritableKeyPath<T, Base>) {
        let upcast = LuaUserdataUpcast(
            base: ObjectIdentifier(Base.self),
            get: { whole in (whole as? T)?[keyPath: path] },
            set: { whole, part in
                guard var w = whole as? T, let p = part as? Base else { return nil }
                w[keyPath: path] = p
                return w
            })
        parent = LuaUserdataParent(type: ObjectIdentifier(Base.self), typeName: String(describing: Base.self),
                                   upcast: upcast, problem: nil)
    }
}

extension Lua {
    /// The record of the type `parent` names, or a misuse error (not registered, unrelated).
    func parentRecord(_ parent: LuaUserdataParent, of name: String) throws(LuaScriptError) -> LuaUserdataRecord {
        if let problem = parent.problem { throw LuaScriptError(kind: .misuse, message: "registerUserdata(\(name)): \(problem)") }
        guard let record = userdataTypes[parent.type] else {
            throw LuaScriptError(kind: .misuse, message: "registerUserdata(\(name)): register \(parent.typeName) before the types that inherit from it")
        }
        return record
    }

    /// The chain of upcasts from payload type `from` to `to` (breadth first, a few levels).
    func upcastPath(from: ObjectIdentifier, to: ObjectIdentifier) -> [LuaUserdataUpcast]? {
        var frontier: [(ObjectIdentifier, [LuaUserdataUpcast])] = [(from, [])]
        for _ in 0..<16 {
            var next: [(ObjectIdentifier, [LuaUserdataUpcast])] = []
            for (type, path) in frontier {
                for edge in userdataUpcasts[type] ?? [] {
                    if edge.base == to { return path + [edge] }
                    next.append((edge.base, path + [edge]))
                }
            }
            if next.isEmpty { return nil }
            frontier = next
        }
        return nil
    }

    /// `payload` viewed as a `T` through registered key paths, or nil.
    func upcast<T>(_ payload: any Collect, to type: T.Type) -> T? {
        guard !userdataUpcasts.isEmpty,
              let path = upcastPath(from: ObjectIdentifier(Swift.type(of: payload)), to: ObjectIdentifier(T.self)) else { return nil }
        var value: Any = payload
        for edge in path {
            guard let next = edge.get(value) else { return nil }
            value = next
        }
        return value as? T
    }

    /// Runs `body` on `payload` viewed as a `T`, returning the result and the updated
    /// payload, or nil when `payload` has no such view.
    func withUpcast<T, R>(_ payload: any Collect, to type: T.Type,
                          _ body: (inout T) throws -> R) rethrows -> (result: R, payload: any Collect)? {
        guard !userdataUpcasts.isEmpty,
              let path = upcastPath(from: ObjectIdentifier(Swift.type(of: payload)), to: ObjectIdentifier(T.self)) else { return nil }
        var values: [Any] = [payload]
        for edge in path {
            guard let last = values.last, let next = edge.get(last) else { return nil }
            values.append(next)
        }
        guard var part = values.last as? T else { return nil }
        let result = try body(&part)
        var updated: Any = part
        for (i, edge) in path.enumerated().reversed() {
            guard let whole = edge.set(values[i], updated) else { return nil }
            updated = whole
        }
        guard let collect = updated as? any Collect else { return nil }
        return (result, collect)
    }
}
