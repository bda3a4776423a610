import GCArena

// SAFETY: every operation derives the table handle from its dynamic root inside one
// `mutate` (or the mutation of the running host function) and drops it before returning.

/// A Lua table held by the host (mlua's `Table`): read and write fields, walk it, set its
/// metatable, from Swift code outside the VM or inside a host function.
///
/// ```swift
/// let config = try lua.globals.get("config", as: LuaTableRef.self)
/// let port = try config.get("port", as: Int.self)
/// for (key, value) in try config.pairs() { print(key, value) }
/// ```
///
/// The handle keeps the table alive across collections (it is a dynamic root) and releases
/// it when the last copy is dropped. `get`/`set` honour `__index`/`__newindex`; a function
/// metamethod runs as a Lua call, which is possible only when the state is idle (not from a
/// synchronous host function); the `raw` forms never run Lua code.
public struct LuaTableRef: Equatable {
    /// The underlying reference.
    public let reference: LuaReference

    init(_ reference: LuaReference) { self.reference = reference }

    /// The table as a host value.
    public var value: LuaHostValue { .object(reference) }

    /// Runs `body` with the table inside the state's mutation.
    func withTable<R>(_ body: (borrowing Mutation, UnsafeMutablePointer<LuaGlobalState>, Gc<LuaTable>) throws(LuaError) -> R) throws(LuaScriptError) -> R {
        let lua = try reference.state()
        return try lua.access { (mc, g) throws(LuaError) in
            try body(mc, g, reference.value(mc).table)
        }
    }

    // MARK: Raw access

    /// `rawget(t, key)`.
    public func rawGet(_ key: LuaHostValue) throws(LuaScriptError) -> LuaHostValue {
        let lua = try reference.state()
        return try withTable { (mc, g, t) throws(LuaError) in t.get(try lua.vmValue(key, mc, g)).hostValue(mc, g) }
    }

    /// `rawset(t, key, value)`; throws for a nil or NaN key.
    public func rawSet(_ key: LuaHostValue, _ value: LuaHostValue) throws(LuaScriptError) {
        let lua = try reference.state()
        try withTable { (mc, g, t) throws(LuaError) in
            try LuaMeta.rawSet(mc, g, t, try lua.vmValue(key, mc, g), try lua.vmValue(value, mc, g))
        }
    }

    /// `rawlen(t)`: a border of the table's sequence part.
    public var rawLength: Int {
        (try? withTable { (_, _, t) throws(LuaError) in Int(t.length()) }) ?? 0
    }

    // MARK: Access with metamethods

    /// `t[key]`, following `__index` (tables, and functions when the state is idle).
    public func get(_ key: LuaHostValue) throws(LuaScriptError) -> LuaHostValue {
        let lua = try reference.state()
        enum Step { case found(LuaHostValue), call(LuaHostValue, LuaHostValue) }
        let step = try withTable { (mc, g, t) throws(LuaError) -> Step in
            let k = try lua.vmValue(key, mc, g)
            var current = LuaValue(t)
            for _ in 0..<maxTagLoop {
                let tm: LuaValue
                if let table = current.tableObject {
                    let v = table.get(k)
                    if !v.isNil { return .found(v.hostValue(mc, g)) }
                    guard let mt = table.metatable else { return .found(.nil) }
                    tm = LuaMeta.fromMetatable(g, mt, .index)
                    if tm.isNil { return .found(.nil) }
                } else {
                    tm = LuaMeta.metamethod(g, current, .index)
                    if tm.isNil { throw .plain("attempt to index a \(LuaDebug.typeName(g, current)) value") }
                }
                if tm.tag == .luaFunction || tm.tag == .hostFunction {
                    return .call(tm.hostValue(mc, g), current.hostValue(mc, g))
                }
                current = tm
            }
            throw .plain("'__index' chain too long; possible loop")
        }
        switch step {
        case .found(let v): return v
        case .call(let f, let object): return try lua.call(f, [object, key]).first ?? .nil
        }
    }

    /// `t[key] = value`, following `__newindex` (tables, and functions when the state is idle).
    public func set(_ key: LuaHostValue, _ value: LuaHostValue) throws(LuaScriptError) {
        let lua = try reference.state()
        let call = try withTable { (mc, g, t) throws(LuaError) -> (LuaHostValue, LuaHostValue)? in
            let k = try lua.vmValue(key, mc, g), v = try lua.vmValue(value, mc, g)
            var current = LuaValue(t)
            for _ in 0..<maxTagLoop {
                let tm: LuaValue
                if let table = current.tableObject {
                    tm = table.metatable.map { LuaMeta.fromMetatable(g, $0, .newindex) } ?? .nil
                    if tm.isNil || !table.get(k).isNil {
                        try LuaMeta.rawSet(mc, g, table, k, v)
                        return nil
                    }
                } else {
                    tm = LuaMeta.metamethod(g, current, .newindex)
                    if tm.isNil { throw .plain("attempt to index a \(LuaDebug.typeName(g, current)) value") }
                }
                if tm.tag == .luaFunction || tm.tag == .hostFunction {
                    return (tm.hostValue(mc, g), current.hostValue(mc, g))
                }
                current = tm
            }
            throw .plain("'__newindex' chain too long; possible loop")
        }
        if let (f, object) = call { try lua.call(f, [object, key, value]) }
    }

    /// `t[key]` converted to `T` (a Lua type error when it does not fit).
    public func get<T: LuaHostConvertible>(_ key: LuaHostValue, as type: T.Type = T.self) throws(LuaScriptError) -> T {
        try T.fromHost(try get(key), try reference.state())
    }

    /// `t[key] = value` for any convertible Swift value.
    public func set<T: LuaHostConvertible>(_ key: LuaHostValue, to value: T) throws(LuaScriptError) {
        try set(key, try value.toHost(try reference.state()))
    }

    /// Reads or writes a field with metamethods; reading yields nil on any error.
    public subscript(key: LuaHostValue) -> LuaHostValue {
        get { (try? get(key)) ?? .nil }
        nonmutating set { _ = try? set(key, newValue) }
    }

    /// `#t` without `__len` (the raw border).
    public var length: Int { rawLength }

    // MARK: Iteration

    /// All key-value pairs, in `next` order (a snapshot; raw, no `__pairs`).
    public func pairs() throws(LuaScriptError) -> [(key: LuaHostValue, value: LuaHostValue)] {
        try withTable { (mc, g, t) throws(LuaError) in
            var out: [(key: LuaHostValue, value: LuaHostValue)] = []
            var key = LuaValue.nil
            while true {
                let entry: (key: LuaValue, value: LuaValue)?
                do throws(LuaTableError) { entry = try t.next(after: key) } catch { throw .plain(error.message) }
                guard let (k, v) = entry else { break }
                out.append((k.hostValue(mc, g), v.hostValue(mc, g)))
                key = k
            }
            return out
        }
    }

    /// Pairs converted to Swift types; entries that do not convert throw.
    public func pairs<K: LuaHostConvertible, V: LuaHostConvertible>(as: (K, V).Type) throws(LuaScriptError) -> [(key: K, value: V)] {
        let lua = try reference.state()
        var out: [(key: K, value: V)] = []
        for (k, v) in try pairs() { out.append((try K.fromHost(k, lua), try V.fromHost(v, lua))) }
        return out
    }

    /// `t[1], t[2], ...` up to the first nil (as `ipairs`, raw).
    public func sequence() throws(LuaScriptError) -> [LuaHostValue] {
        try withTable { (mc, g, t) throws(LuaError) in
            var out: [LuaHostValue] = []
            var i: Int64 = 1
            while true {
                let v = t.get(integer: i)
                if v.isNil { break }
                out.append(v.hostValue(mc, g))
                i += 1
            }
            return out
        }
    }

    /// `ipairs(t)` as Swift pairs `(index, value)`.
    public func ipairs() throws(LuaScriptError) -> [(index: Int, value: LuaHostValue)] {
        try sequence().enumerated().map { (index: $0.offset + 1, value: $0.element) }
    }

    /// The sequence converted to `[T]`.
    public func sequence<T: LuaHostConvertible>(of type: T.Type) throws(LuaScriptError) -> [T] {
        try [T].fromHost(value, try reference.state())
    }

    // MARK: Metatable

    /// The table's metatable (raw; `__metatable` is not consulted), or nil.
    public var metatable: LuaTableRef? {
        (try? withTable { (mc, g, t) throws(LuaError) in t.metatable.map { LuaTableRef(LuaValue($0).reference(mc, g)) } }) ?? nil
    }

    /// Sets (or clears) the metatable, registering `__gc` and `__mode` as `setmetatable` does.
    public func setMetatable(_ mt: LuaTableRef?) throws(LuaScriptError) {
        let lua = try reference.state()
        try withTable { (mc, g, t) throws(LuaError) in
            guard let mt else { t.setMetatable(mc, nil); return }
            guard let m = try lua.vmValue(mt.value, mc, g).tableObject else { return }
            t.setMetatable(mc, m)
            if !LuaMeta.fromMetatable(g, m, .gc).isNil { g.pointee.finalization.register(LuaValue(t)) }
            if !LuaMeta.fromMetatable(g, m, .mode).isNil,
               !g.pointee.finalization.weakTables.contains(t.downgrade()) {
                g.pointee.finalization.weakTables.append(t.downgrade())
            }
        }
    }
}

extension Lua {
    /// The global table (`_G`).
    public var globals: LuaTableRef {
        get throws(LuaScriptError) {
            try access { (mc, g) throws(LuaError) in LuaTableRef(LuaValue(g.pointee.globals).reference(mc, g)) }
        }
    }

    /// A new table with `array` at 1...n and the given fields.
    public func createTable(array: [LuaHostValue] = [], fields: [(LuaHostValue, LuaHostValue)] = []) throws(LuaScriptError) -> LuaTableRef {
        try access { (mc, g) throws(LuaError) in
            let t = try Lua.newTable(mc, arrayCapacity: array.count, hashCapacity: fields.count)
            for (i, v) in array.enumerated() { try LuaMeta.rawSet(mc, g, t, LuaValue(Int64(i + 1)), try self.vmValue(v, mc, g)) }
            for (k, v) in fields { try LuaMeta.rawSet(mc, g, t, try self.vmValue(k, mc, g), try self.vmValue(v, mc, g)) }
            return LuaTableRef(LuaValue(t).reference(mc, g))
        }
    }

    /// A new table with string-keyed fields: `lua.createTable(["name": "x", "port": 80])`.
    public func createTable(_ fields: KeyValuePairs<String, LuaHostValue>) throws(LuaScriptError) -> LuaTableRef {
        try createTable(fields: fields.map { (.string(Array($0.key.utf8)), $0.value) })
    }

    /// A new sequence table: `lua.createTable([1, 2, 3])`.
    public func createTable(_ array: [LuaHostValue]) throws(LuaScriptError) -> LuaTableRef {
        try createTable(array: array)
    }

    /// Evaluates a Lua expression and converts its value: `try lua.eval("1 + 2", as: Int.self)`.
    public func eval<T: LuaHostConvertible>(_ expression: String, as type: T.Type = T.self,
                                            limits: LuaLimits = LuaLimits()) throws(LuaScriptError) -> T {
        let values = try run("return " + expression, chunkName: "=(eval)", limits: limits)
        return try T.fromHost(values.first ?? .nil, self)
    }
}
