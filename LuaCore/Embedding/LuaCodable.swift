import GCArena

// `Codable` types in the typed APIs, and the Lua handles inside `Codable` types:
//
//     struct Order: LuaCodable { var item: String; var quantity: Int }
//     try lua.register("total") { (order: Order) -> Int in order.quantity * 3 }
//     let order = try lua.eval("{item = 'tea', quantity = 2}", as: Order.self)

/// A `Codable` type that typed host functions take and return, and that ``LuaTableRef``,
/// ``LuaFunction`` and ``Lua/eval(_:as:limits:)`` convert, through ``LuaEncoder`` and
/// ``LuaDecoder``: declare the conformance, there is nothing to implement.
///
/// A Lua value that does not decode fails as a bad argument naming the field
/// (`bad argument #1 to 'total' (quantity: integer expected, got string)`).
public protocol LuaCodable: Codable, LuaConvertible, LuaResultConvertible, LuaHostConvertible {}

extension LuaCodable {
    public static var luaTypeName: String { String(describing: Self.self) }

    public static func fromLua(_ v: LuaValue, _ ctx: borrowing LuaCallContext) throws -> Self? {
        do {
            return try LuaDecoder().decode(Self.self, from: v.hostValue(ctx.mc, ctx.g))
        } catch let error as DecodingError {
            throw LuaError.runtime(LuaDecoder.message(error))
        }
    }

    public func toLua(_ ctx: borrowing LuaCallContext) throws -> LuaValue {
        guard let lua = ctx.g.pointee.services.host else { throw LuaError.plain("the Lua state is gone") }
        return try encoded(in: lua).toLua(ctx)
    }

    public static func fromHost(_ value: LuaHostValue, _ lua: Lua) throws(LuaScriptError) -> Self {
        do {
            return try LuaDecoder().decode(Self.self, from: value)
        } catch let error as LuaScriptError {
            throw error
        } catch let error as DecodingError {
            throw LuaScriptError(kind: .runtime, message: LuaDecoder.message(error), cause: error)
        } catch {
            throw LuaScriptError(kind: .host, message: "\(error)", cause: error)
        }
    }

    public func toHost(_ lua: Lua) throws(LuaScriptError) -> LuaHostValue { try encoded(in: lua) }

    func encoded(in lua: Lua) throws(LuaScriptError) -> LuaHostValue {
        do {
            return try LuaEncoder().encode(self, in: lua)
        } catch let error as LuaScriptError {
            throw error
        } catch let error as EncodingError {
            throw LuaScriptError(kind: .runtime, message: LuaEncoder.message(error), cause: error)
        } catch {
            throw LuaScriptError(kind: .host, message: "\(error)", cause: error)
        }
    }
}

extension LuaDecoder {
    /// A one-line description of a decoding error: the coding path, then what was wrong
    /// (`servers[2].port: integer expected, got string`).
    public static func message(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return LuaCodingPath.prefix(c.codingPath) + c.debugDescription
        case .keyNotFound(let key, let c):
            return LuaCodingPath.prefix(c.codingPath) + "missing field '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}

extension LuaEncoder {
    /// A one-line description of an encoding error: the coding path, then what was wrong.
    public static func message(_ error: EncodingError) -> String {
        switch error {
        case .invalidValue(_, let c): return LuaCodingPath.prefix(c.codingPath) + c.debugDescription
        @unknown default: return "\(error)"
        }
    }
}

enum LuaCodingPath {
    /// `a.b[2].c: ` for a non-empty path (integer keys as indices), else nothing.
    static func prefix(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue, key.stringValue == String(i) {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "" : out + ": "
    }
}

// MARK: Lua values inside Codable types

/// The error for a Lua handle met by a coder other than ``LuaEncoder``/``LuaDecoder``.
func luaOnlyContext(_ what: String) -> String {
    "a Lua \(what) can only be encoded by LuaEncoder and decoded by LuaDecoder"
}

extension LuaHostValue: Codable {
    /// With ``LuaDecoder``, the Lua value as it is; with other decoders, a scalar (nil,
    /// boolean, integer, number or string).
    public init(from decoder: any Decoder) throws {
        if let lua = decoder as? LuaDecoderState {
            self = lua.value
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .nil }
        else if let b = try? c.decode(Bool.self) { self = .boolean(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(Array(try c.decode(String.self).utf8)) }
    }

    /// With ``LuaEncoder``, the value as it is; with other encoders, scalars only (a table
    /// or function throws an `EncodingError`).
    public func encode(to encoder: any Encoder) throws {
        if let lua = encoder as? LuaEncoderState {
            lua.slot.value = .host(self)
            return
        }
        var c = encoder.singleValueContainer()
        switch self {
        case .nil: try c.encodeNil()
        case .boolean(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let bytes): try c.encode(String(decoding: bytes, as: UTF8.self))
        case .object(let r):
            throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath,
                                                         debugDescription: luaOnlyContext(r.tag.typeName)))
        case .lightUserdata:
            throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath,
                                                         debugDescription: luaOnlyContext("userdata")))
        }
    }
}

/// The handle `extract` finds in a `LuaDecoder`'s current value: handles decode only from a
/// Lua value, and a value of another type is a type mismatch named `typeName`.
private func decodeLuaHandle<T>(_ decoder: any Decoder, _ typeName: String,
                                _ extract: (LuaHostValue) -> T?) throws -> T {
    guard let lua = decoder as? LuaDecoderState else {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: luaOnlyContext(typeName)))
    }
    guard let handle = extract(lua.value) else {
        throw LuaScalarDecoding.mismatch(T.self, typeName, lua.value, decoder.codingPath)
    }
    return handle
}

extension LuaTableRef: Codable {
    /// The table itself (only with ``LuaDecoder``).
    public init(from decoder: any Decoder) throws {
        self = try decodeLuaHandle(decoder, "table") { $0.table }
    }

    /// The table itself (only with ``LuaEncoder``).
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension LuaFunction: Codable {
    /// The function itself (only with ``LuaDecoder``).
    public init(from decoder: any Decoder) throws {
        self = try decodeLuaHandle(decoder, "function") { $0.function }
    }

    /// The function itself (only with ``LuaEncoder``).
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension LuaBytes: Codable {
    /// A Lua string's bytes; with other decoders, an array of bytes.
    public init(from decoder: any Decoder) throws {
        if let lua = decoder as? LuaDecoderState {
            guard case .string(let bytes) = lua.value else {
                throw LuaScalarDecoding.mismatch(LuaBytes.self, "string", lua.value, decoder.codingPath)
            }
            self.init(bytes)
            return
        }
        self.init(try decoder.singleValueContainer().decode([UInt8].self))
    }

    /// A Lua string (with ``LuaEncoder``); with other encoders, an array of bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(bytes)
    }
}
