import GCArena

// Conversions between Swift types and host values (``LuaHostValue``), for code that works
// on a state from outside the VM: `table.get("x", as: Int.self)`, `f.call(1, "a")`,
// `lua.eval("1 + 1", as: Int.self)`. (Typed host functions use ``LuaConvertible``, which
// converts VM values inside a call.)

/// A Swift type that converts to and from ``LuaHostValue`` outside the VM.
public protocol LuaHostConvertible {
    /// Converts a host value; throws a ``LuaScriptError`` (kind `runtime`) on a type mismatch.
    static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Self
    /// Converts to a host value (tables and other objects are created in `lua`).
    func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue
}

extension LuaHostValue {
    /// The Lua type name (`type(v)`).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .object(let r): return r.tag.typeName
        case .lightUserdata: return "userdata"
        }
    }

    /// The value as a table handle, or nil.
    public var table: LuaTableRef? {
        if case .object(let r) = self, r.tag == .table { return LuaTableRef(r) }
        return nil
    }

    /// The value as a function handle, or nil.
    public var function: LuaFunction? {
        if case .object(let r) = self, r.tag == .luaFunction || r.tag == .hostFunction { return LuaFunction(reference: r) }
        return nil
    }

    /// The value converted to `T`; throws a Lua type error when it does not fit.
    public func converted<T: LuaHostConvertible>(to type: T.Type, in lua: Lua) throws(LuaScriptError) -> T {
        try T.fromHost(self, lua)
    }

    static func mismatch(_ expected: String, _ v: LuaHostValue) -> LuaScriptError {
        LuaScriptError(kind: .runtime, message: "\(expected) expected, got \(v.typeName)")
    }
}

extension LuaHostValue: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> LuaHostValue { value }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { self }
}

extension Int: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Int {
        Int(try Int64.fromHost(value, lua))
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .integer(Int64(self)) }
}

extension Int64: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Int64 {
        switch value {
        case .integer(let i): return i
        case .number(let d):
            guard let i = LuaArith.toInteger(d) else {
                throw LuaScriptError(kind: .runtime, message: "number has no integer representation")
            }
            return i
        default: throw LuaHostValue.mismatch("integer", value)
        }
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .integer(self) }
}

extension Double: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: throw LuaHostValue.mismatch("number", value)
        }
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .number(self) }
}

extension Bool: LuaHostConvertible {
    /// Lua truthiness: only `nil` and `false` are false.
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Bool {
        switch value {
        case .nil, .boolean(false): return false
        default: return true
        }
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .boolean(self) }
}

extension String: LuaHostConvertible {
    /// Strings, and numbers in Lua's text form (as `tostring` writes them).
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> String {
        switch value {
        case .string(let b): return String(decoding: b, as: UTF8.self)
        case .integer, .number: return value.description
        default: throw LuaHostValue.mismatch("string", value)
        }
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .string(Array(utf8)) }
}

extension LuaBytes: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> LuaBytes {
        if case .string(let b) = value { return LuaBytes(b) }
        throw LuaHostValue.mismatch("string", value)
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { .string(bytes) }
}

extension Optional: LuaHostConvertible where Wrapped: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Wrapped? {
        if case .nil = value { return nil }
        return try Wrapped.fromHost(value, lua)
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue {
        guard let self else { return .nil }
        return try self.toHost(lua)
    }
}

extension Array: LuaHostConvertible where Element: LuaHostConvertible {
    /// A sequence table `{v1, ..., vn}` (raw reads of 1...#t).
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> [Element] {
        guard let t = value.table else { throw LuaHostValue.mismatch("table", value) }
        var out: [Element] = []
        for v in try t.sequence() { out.append(try Element.fromHost(v, lua)) }
        return out
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue {
        var values: [LuaHostValue] = []
        values.reserveCapacity(count)
        for e in self { values.append(try e.toHost(lua)) }
        return .object(try lua.createTable(array: values).reference)
    }
}

extension Dictionary: LuaHostConvertible where Key == String, Value: LuaHostConvertible {
    /// The string-keyed entries of a table (other keys are skipped).
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> [String: Value] {
        guard let t = value.table else { throw LuaHostValue.mismatch("table", value) }
        var out: [String: Value] = [:]
        for (k, v) in try t.pairs() {
            guard case .string(let b) = k else { continue }
            out[String(decoding: b, as: UTF8.self)] = try Value.fromHost(v, lua)
        }
        return out
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue {
        var fields: [(LuaHostValue, LuaHostValue)] = []
        fields.reserveCapacity(count)
        for (k, v) in self { fields.append((.string(Array(k.utf8)), try v.toHost(lua))) }
        return .object(try lua.createTable(fields: fields).reference)
    }
}

extension LuaTableRef: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> LuaTableRef {
        guard let t = value.table else { throw LuaHostValue.mismatch("table", value) }
        return t
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { value }
}

extension LuaFunction: LuaHostConvertible {
    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> LuaFunction {
        guard let f = value.function else { throw LuaHostValue.mismatch("function", value) }
        return f
    }
    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { value }
}

/// Several results of a call, converted one by one (`f.call(x, returning: (Int, String).self)`).
struct HostResultCursor {
    let values: HostValueList
    let lua: Lua
    var next = 0
    init(_ values: HostValueList, _ lua: Lua) { self.values = values; self.lua = lua }
    init(_ values: [LuaHostValue], _ lua: Lua) { self.init(HostValueList(values), lua) }
    mutating func take<T: LuaHostConvertible>(_ type: T.Type) throws(LuaScriptError) -> T {
        let v = values[next]
        next += 1
        return try T.fromHost(v, lua)
    }
}
