import GCArena

/// A Swift type that converts to and from Lua values, for typed host functions.
///
/// Conformances: `Int`, `Int64`, `Double`, `Bool`, `String`, ``LuaBytes``, `Optional`,
/// `Array`, `Dictionary` with `String` keys, ``LuaValue`` (raw), ``LuaFunction`` and
/// ``LuaReference`` (kept alive for later use from Swift).
public protocol LuaConvertible {
    /// The name used in "X expected" messages.
    static var luaTypeName: String { get }
    /// Converts a Lua value, or returns nil when it has the wrong type.
    static func fromLua(_ value: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Self?
    /// Converts to a Lua value.
    func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue
    /// Argument `n` of the running call converted to this type, with PUC's "bad argument"
    /// message on failure. The default uses ``fromLua(_:_:)``; the scalar types implement it
    /// themselves so that typed host functions convert them without generic lookups.
    static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Self
}

extension LuaConvertible {
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Self {
        try ctx.convertArgument(n, as: Self.self)
    }
}

// The common cases inline into a typed function's body (an integer argument is a tag test
// and a load); everything else, and every error message, goes through `convertArgument`.
extension Int {
    @inlinable @inline(__always)
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Int {
        let v = ctx.argument(n)
        // Int is 64 bits wide on every platform Moonlet builds for, so this cannot trap.
        if v.tag == .integer { return Int(v.integer) }
        return try ctx.convertArgument(n, as: Int.self)
    }
}
extension Int64 {
    @inlinable @inline(__always)
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Int64 {
        let v = ctx.argument(n)
        if v.tag == .integer { return v.integer }
        return try ctx.convertArgument(n, as: Int64.self)
    }
}
extension Double {
    @inlinable @inline(__always)
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Double {
        let v = ctx.argument(n)
        if v.tag == .float { return v.float }
        if v.tag == .integer { return Double(v.integer) }
        return try ctx.convertArgument(n, as: Double.self)
    }
}
extension Bool {
    @inlinable @inline(__always)
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> Bool {
        !ctx.argument(n).isFalsy
    }
}
extension String {
    public static func luaArgument(_ n: Int, _ ctx: borrowing LuaCallContext) throws -> String { try ctx.convertArgument(n, as: String.self) }
}

/// A byte string (Lua strings are bytes, not necessarily UTF-8).
public struct LuaBytes: Equatable, Hashable, Sendable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// A Lua function held by the host (mlua's `Function`): call it with
/// `call(_:)` or `call(_:returning:)`; it stays alive while the handle does.
public struct LuaFunction: Equatable {
    public let reference: LuaReference
    /// The function as a host value, for ``Lua/call(_:_:limits:)``.
    public var value: LuaHostValue { .object(reference) }
}

extension LuaTableRef: LuaConvertible, LuaResultConvertible {
    public static var luaTypeName: String { "table" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> LuaTableRef? {
        guard v.tag == .table else { return nil }
        return LuaTableRef(v.reference(ctx.mc, ctx.g))
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try value.toLua(ctx) }
}

extension LuaHostValue: LuaConvertible, LuaResultConvertible {
    public static var luaTypeName: String { "value" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> LuaHostValue? { v.hostValue(ctx.mc, ctx.g) }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue {
        guard let lua = ctx.g.pointee.services.host else { throw LuaError.plain("the Lua state is gone") }
        return try lua.vmValue(self, ctx.mc, ctx.g)
    }
}

extension Int: LuaConvertible {
    public static var luaTypeName: String { "number" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Int? {
        guard let n = LuaVM.toNumber(v) else { return nil }
        if n.tag == .integer { return Int(n.integer) }
        guard let i = LuaArith.toInteger(n.float) else { throw LuaError.runtime("number has no integer representation") }
        return Int(i)
    }
    @inlinable public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { LuaValue(Int64(self)) }
}

extension Int64: LuaConvertible {
    public static var luaTypeName: String { "number" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Int64? {
        try Int.fromLua(v, ctx).map { Int64($0) }
    }
    @inlinable public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { LuaValue(self) }
}

extension Double: LuaConvertible {
    public static var luaTypeName: String { "number" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Double? {
        LuaVM.toNumber(v)?.asDouble
    }
    @inlinable public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { LuaValue(self) }
}

extension Bool: LuaConvertible {
    public static var luaTypeName: String { "boolean" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Bool? { !v.isFalsy }
    @inlinable public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { LuaValue(self) }
}

extension String: LuaConvertible {
    public static var luaTypeName: String { "string" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> String? {
        if v.tag == .string { return v.string.stringValue }
        if v.isNumber { return String(decoding: LuaDebug.numberText(v), as: UTF8.self) }
        return nil
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try ctx.string(self) }
}

extension LuaBytes: LuaConvertible {
    public static var luaTypeName: String { "string" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> LuaBytes? {
        if v.tag == .string { return LuaBytes(Array(v.string.bytes)) }
        if v.isNumber { return LuaBytes(LuaDebug.numberText(v)) }
        return nil
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try ctx.string(bytes) }
}

extension LuaValue: LuaConvertible {
    public static var luaTypeName: String { "value" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> LuaValue? { v }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { self }
}

extension LuaReference: LuaConvertible {
    public static var luaTypeName: String { "object" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Self? {
        guard v.isCollectable, case .object(let r) = v.hostValue(ctx.mc, ctx.g) else { return nil }
        return r as? Self
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try LuaHostValue.object(self).toLua(ctx) }
}

extension LuaFunction: LuaConvertible {
    public static var luaTypeName: String { "function" }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> LuaFunction? {
        guard v.tag == .luaFunction || v.tag == .hostFunction, case .object(let r) = v.hostValue(ctx.mc, ctx.g) else { return nil }
        return LuaFunction(reference: r)
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue { try value.toLua(ctx) }
}

extension Optional: LuaConvertible where Wrapped: LuaConvertible {
    public static var luaTypeName: String { Wrapped.luaTypeName }
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Wrapped?? {
        if v.isNil { return .some(nil) }
        return try Wrapped.fromLua(v, ctx).map { .some($0) }
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue {
        try self?.toLua(ctx) ?? .nil
    }
}

extension Array: LuaConvertible where Element: LuaConvertible {
    public static var luaTypeName: String { "table" }
    /// A sequence table `{v1, ..., vn}` (raw reads of 1...#t).
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> [Element]? {
        guard v.tag == .table else { return nil }
        let t = v.table
        let n = t.length()
        var out: [Element] = []
        out.reserveCapacity(Int(n))
        var i: Int64 = 1
        while i <= n {
            guard let e = try Element.fromLua(t.get(integer: i), ctx) else {
                throw LuaError.runtime("table of \(Element.luaTypeName) expected, got \(LuaDebug.typeName(ctx.g, t.get(integer: i))) at index \(i)")
            }
            out.append(e)
            i += 1
        }
        return out
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue {
        let t = try ctx.newTable(arrayCapacity: count)
        for (i, e) in enumerated() { try ctx.rawSet(t, LuaValue(Int64(i + 1)), try e.toLua(ctx)) }
        return LuaValue(t)
    }
}

extension Dictionary: LuaConvertible where Key == String, Value: LuaConvertible {
    public static var luaTypeName: String { "table" }
    /// The string-keyed entries of a table.
    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> [String: Value]? {
        guard v.tag == .table else { return nil }
        let t = v.table
        var out: [String: Value] = [:]
        var key = LuaValue.nil
        while let (k, value) = try? t.next(after: key) {
            key = k
            guard k.tag == .string else { continue }
            guard let converted = try Value.fromLua(value, ctx) else {
                throw LuaError.runtime("table of \(Value.luaTypeName) expected at key '\(k.string.stringValue)'")
            }
            out[k.string.stringValue] = converted
        }
        return out
    }
    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue {
        let t = try ctx.newTable(hashCapacity: count)
        for (k, v) in self { try ctx.rawSet(t, try ctx.string(k), try v.toLua(ctx)) }
        return LuaValue(t)
    }
}

/// What a typed host function returns: one value, or nothing (`Void`).
public protocol LuaResultConvertible {
    /// Pushes the results, returning how many.
    func pushLuaResults(_ ctx: borrowing LuaCallContext) throws -> Int
}

extension LuaResultConvertible where Self: LuaConvertible {
    @inlinable @inline(__always)
    public func pushLuaResults(_ ctx: borrowing LuaCallContext) throws -> Int {
        try ctx.push(try toLua(ctx))
        return 1
    }
}

extension Int: LuaResultConvertible {}
extension Int64: LuaResultConvertible {}
extension Double: LuaResultConvertible {}
extension Bool: LuaResultConvertible {}
extension String: LuaResultConvertible {}
extension LuaBytes: LuaResultConvertible {}
extension LuaValue: LuaResultConvertible {}
extension LuaFunction: LuaResultConvertible {}
extension Optional: LuaResultConvertible where Wrapped: LuaConvertible {}
extension Array: LuaResultConvertible where Element: LuaConvertible {}
extension Dictionary: LuaResultConvertible where Key == String, Value: LuaConvertible {}

/// The result of a host function that returns nothing.
public struct LuaNoResults: LuaResultConvertible {
    public init() {}
    public func pushLuaResults(_ ctx: borrowing LuaCallContext) throws -> Int { 0 }
}

extension LuaCallContext {
    /// Argument `n` converted to `T`, with PUC's "bad argument" message on failure.
    @inlinable @inline(__always)
    public func argument<T: LuaConvertible>(_ n: Int, as type: T.Type) throws -> T {
        try T.luaArgument(n, self)
    }

    /// The conversion behind ``argument(_:as:)`` (``LuaConvertible/luaArgument(_:_:)``).
    /// Out of line, so that the scalar fast paths that fall back to it stay small enough to
    /// inline into a typed function's body.
    @inlinable @inline(never)
    func convertArgument<T: LuaConvertible>(_ n: Int, as type: T.Type) throws -> T {
        let v = argument(n)
        do {
            if let converted = try T.fromLua(v, self) { return converted }
        } catch let e as LuaError {
            if case .message(let bytes, _) = e.payload {
                throw argumentError(n, String(decoding: bytes, as: UTF8.self))
            }
            throw e
        }
        throw typeError(n, expected: T.luaTypeName)
    }
}
