import GCArena

// `Encodable` Swift values to Lua values (mlua's `LuaSerdeExt::to_value`):
//
//     struct Config: Codable { var name: String; var port: Int; var tags: [String] }
//     let value = try LuaEncoder().encode(Config(name: "moon", port: 80, tags: ["a"]), in: lua)
//     try lua.globals.set("config", value)          // config = {name = "moon", port = 80, tags = {"a"}}
//
// Encoding runs in two steps: the value's `encode(to:)` builds a Swift tree (no Lua state
// involved, so it may run any Swift code), then one mutation of the state turns the tree
// into tables. A memory-limit failure in the second step throws a ``LuaScriptError``.

/// Encodes `Encodable` Swift values as Lua values: keyed containers (structs, `[String: V]`,
/// `[Int: V]`) become tables with string (or integer) keys, unkeyed containers (arrays)
/// become sequences `{v1, ..., vn}`, `nil` becomes an absent field (or a hole in a sequence),
/// integers become Lua integers, floating-point numbers Lua floats.
///
/// ```swift
/// let value = try LuaEncoder().encode(["port": 8080], in: lua)
/// ```
///
/// ``LuaHostValue``, ``LuaTableRef`` and ``LuaFunction`` fields are stored as they are, and
/// ``LuaBytes`` as a Lua string. Unsigned integers above `Int64.max`, and values nested more
/// than ``maxDepth`` levels deep (a cyclic object graph never ends), throw an `EncodingError`.
public struct LuaEncoder {
    /// The deepest nesting of containers encoded before an `EncodingError` is thrown.
    public var maxDepth = 128
    /// Contextual information for `encode(to:)` implementations.
    public var userInfo: [CodingUserInfoKey: Any] = [:]

    /// Creates an encoder with the default options.
    public init() {}

    /// Encodes `value` as a Lua value of `lua` (tables are created in that state).
    ///
    /// Throws an `EncodingError` for a value Lua cannot represent, or a ``LuaScriptError``
    /// (kind `memory`) when the state has no memory left for the tables.
    public func encode<T: Encodable>(_ value: T, in lua: Lua) throws -> LuaHostValue {
        let tree = try LuaEncodingTree.encode(value, options: self, codingPath: [], depth: 0)
        return try lua.access { (mc, g) throws(LuaError) in
            try tree.build(mc, g, lua).hostValue(mc, g)
        }
    }
}

/// A value being encoded: a finished host value, a table, or the result of a nested
/// encoder (filled in when that encoder's value finishes).
indirect enum LuaEncodedValue {
    case host(LuaHostValue)
    case table(LuaEncodedTable)
    case slot(LuaEncodingSlot)
}

/// Where one encoder puts its value.
final class LuaEncodingSlot {
    var value: LuaEncodedValue?
}

/// A table under construction: sequence elements (nil for holes) and keyed fields.
final class LuaEncodedTable {
    var sequence: [LuaEncodedValue?] = []
    var fields: [(key: LuaHostValue, value: LuaEncodedValue)] = []
}

enum LuaEncodingTree {
    /// Encodes `value` into a tree, handling the types Lua stores natively first.
    static func encode<T: Encodable>(_ value: T, options: LuaEncoder, codingPath: [any CodingKey],
                                     depth: Int) throws -> LuaEncodedValue {
        if let bytes = value as? LuaBytes { return .host(.string(bytes.bytes)) }
        if let dictionary = value as? any LuaIntegerKeyedDictionary {
            return try dictionary.luaEncoded(options: options, codingPath: codingPath, depth: depth)
        }
        guard depth < options.maxDepth else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: codingPath,
                debugDescription: "nesting deeper than \(options.maxDepth) levels (is the value cyclic?)"))
        }
        let encoder = LuaEncoderState(options: options, codingPath: codingPath, depth: depth)
        try value.encode(to: encoder)
        return encoder.slot.value ?? .table(LuaEncodedTable())
    }

    static func integer<T: BinaryInteger>(_ value: T, _ codingPath: [any CodingKey]) throws -> LuaHostValue {
        guard let i = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: codingPath, debugDescription: "\(value) does not fit a Lua integer (64-bit signed)"))
        }
        return .integer(i)
    }
}

extension LuaEncodedValue {
    // SAFETY: `g` is the global state of the arena `mc` mutates (from `Lua.access`); every
    // table is created and filled inside that one mutation, so none can be collected early.
    /// Creates the Lua value: tables are allocated in the state that `mc` mutates.
    func build(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>, _ lua: Lua) throws(LuaError) -> LuaValue {
        switch self {
        case .host(let h): return try lua.vmValue(h, mc, g)
        case .slot(let s): return try (s.value ?? .table(LuaEncodedTable())).build(mc, g, lua)
        case .table(let t):
            let table = try Lua.newTable(mc, arrayCapacity: t.sequence.count, hashCapacity: t.fields.count)
            for (i, element) in t.sequence.enumerated() {
                guard let element else { continue }
                try LuaMeta.rawSet(mc, g, table, LuaValue(Int64(i + 1)), try element.build(mc, g, lua))
            }
            for (key, value) in t.fields {
                try LuaMeta.rawSet(mc, g, table, try lua.vmValue(key, mc, g), try value.build(mc, g, lua))
            }
            return LuaValue(table)
        }
    }
}

/// The `Encoder` handed to `encode(to:)`.
final class LuaEncoderState: Encoder {
    let options: LuaEncoder
    let codingPath: [any CodingKey]
    let depth: Int
    let slot = LuaEncodingSlot()
    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    init(options: LuaEncoder, codingPath: [any CodingKey], depth: Int) {
        self.options = options
        self.codingPath = codingPath
        self.depth = depth
    }

    /// The table this encoder fills (created on first use; a second container shares it).
    func table() -> LuaEncodedTable {
        if case .table(let t) = slot.value { return t }
        let t = LuaEncodedTable()
        slot.value = .table(t)
        return t
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(LuaKeyedEncoding<Key>(encoder: self, table: table(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        LuaUnkeyedEncoding(encoder: self, table: table(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { LuaSingleValueEncoding(encoder: self) }

    /// Encodes a nested value one level deeper.
    func encodeNested<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> LuaEncodedValue {
        try LuaEncodingTree.encode(value, options: options, codingPath: path, depth: depth + 1)
    }

    /// A nested encoder whose value lands in the returned slot (for `superEncoder`).
    func nestedEncoder(at path: [any CodingKey]) -> LuaEncoderState {
        LuaEncoderState(options: options, codingPath: path, depth: depth + 1)
    }
}

/// A Lua key for a coding key: the string, or the integer of an integer-keyed dictionary.
struct LuaIntegerCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
    init(index: Int) { self.init(intValue: index) }
}

struct LuaKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: LuaEncoderState
    let table: LuaEncodedTable
    let codingPath: [any CodingKey]

    func put(_ key: Key, _ value: LuaEncodedValue) {
        table.fields.append((.string(Array(key.stringValue.utf8)), value))
    }

    /// Lua has no nil field: a nil is an absent key.
    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, .host(.boolean(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, .host(.string(Array(value.utf8)))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, .host(.number(value))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, .host(.number(Double(value)))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, .host(.integer(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        put(key, .host(try LuaEncodingTree.integer(value, codingPath + [key])))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key, .host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        put(key, .host(try LuaEncodingTree.integer(value, codingPath + [key])))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(key, try encoder.encodeNested(value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let t = LuaEncodedTable()
        put(key, .table(t))
        return KeyedEncodingContainer(LuaKeyedEncoding<NestedKey>(encoder: encoder, table: t, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let t = LuaEncodedTable()
        put(key, .table(t))
        return LuaUnkeyedEncoding(encoder: encoder, table: t, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let key = LuaIntegerCodingKey(stringValue: "super")
        let nested = encoder.nestedEncoder(at: codingPath + [key])
        table.fields.append((.string(Array("super".utf8)), .slot(nested.slot)))
        return nested
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nested = encoder.nestedEncoder(at: codingPath + [key])
        put(key, .slot(nested.slot))
        return nested
    }
}

struct LuaUnkeyedEncoding: UnkeyedEncodingContainer {
    let encoder: LuaEncoderState
    let table: LuaEncodedTable
    let codingPath: [any CodingKey]
    var count: Int { table.sequence.count }

    var nextPath: [any CodingKey] { codingPath + [LuaIntegerCodingKey(index: table.sequence.count)] }

    /// A nil element leaves a hole (the index is used, nothing is stored).
    mutating func encodeNil() throws { table.sequence.append(nil) }
    mutating func encode(_ value: Bool) throws { table.sequence.append(.host(.boolean(value))) }
    mutating func encode(_ value: String) throws { table.sequence.append(.host(.string(Array(value.utf8)))) }
    mutating func encode(_ value: Double) throws { table.sequence.append(.host(.number(value))) }
    mutating func encode(_ value: Float) throws { table.sequence.append(.host(.number(Double(value)))) }
    mutating func encode(_ value: Int) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { table.sequence.append(.host(.integer(value))) }
    mutating func encode(_ value: UInt) throws { table.sequence.append(.host(try LuaEncodingTree.integer(value, nextPath))) }
    mutating func encode(_ value: UInt8) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { table.sequence.append(.host(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt64) throws { table.sequence.append(.host(try LuaEncodingTree.integer(value, nextPath))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        table.sequence.append(try encoder.encodeNested(value, at: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath, t = LuaEncodedTable()
        table.sequence.append(.table(t))
        return KeyedEncodingContainer(LuaKeyedEncoding<NestedKey>(encoder: encoder, table: t, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath, t = LuaEncodedTable()
        table.sequence.append(.table(t))
        return LuaUnkeyedEncoding(encoder: encoder, table: t, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = encoder.nestedEncoder(at: nextPath)
        table.sequence.append(.slot(nested.slot))
        return nested
    }
}

struct LuaSingleValueEncoding: SingleValueEncodingContainer {
    let encoder: LuaEncoderState
    var codingPath: [any CodingKey] { encoder.codingPath }

    func set(_ v: LuaHostValue) { encoder.slot.value = .host(v) }

    mutating func encodeNil() throws { set(.nil) }
    mutating func encode(_ value: Bool) throws { set(.boolean(value)) }
    mutating func encode(_ value: String) throws { set(.string(Array(value.utf8))) }
    mutating func encode(_ value: Double) throws { set(.number(value)) }
    mutating func encode(_ value: Float) throws { set(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(try LuaEncodingTree.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(try LuaEncodingTree.integer(value, codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        // One level deeper, so a value that encodes itself through itself still ends.
        encoder.slot.value = try LuaEncodingTree.encode(value, options: encoder.options,
                                                        codingPath: codingPath, depth: encoder.depth + 1)
    }
}

/// `[Int: V]`: encoded with integer keys (Swift's own `Dictionary` encoding would write
/// keys that cannot be told apart from string keys such as `"1"`).
protocol LuaIntegerKeyedDictionary {
    func luaEncoded(options: LuaEncoder, codingPath: [any CodingKey], depth: Int) throws -> LuaEncodedValue
}

extension Dictionary: LuaIntegerKeyedDictionary where Key == Int, Value: Encodable {
    func luaEncoded(options: LuaEncoder, codingPath: [any CodingKey], depth: Int) throws -> LuaEncodedValue {
        guard depth < options.maxDepth else {
            throw EncodingError.invalidValue(self, EncodingError.Context(
                codingPath: codingPath, debugDescription: "nesting deeper than \(options.maxDepth) levels (is the value cyclic?)"))
        }
        let t = LuaEncodedTable()
        for (k, v) in self {
            let path = codingPath + [LuaIntegerCodingKey(intValue: k)]
            t.fields.append((.integer(Int64(k)), try LuaEncodingTree.encode(v, options: options, codingPath: path, depth: depth + 1)))
        }
        return .table(t)
    }
}
