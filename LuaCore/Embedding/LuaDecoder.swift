import GCArena

// Lua values to `Decodable` Swift values (mlua's `LuaSerdeExt::from_value`):
//
//     try lua.run("config = {name = 'moon', port = 80, tags = {'a'}}")
//     let config = try LuaDecoder().decode(Config.self, from: lua.globals.get("config"))
//
// Every conversion is checked: a wrong type, a float with a fractional part for an integer,
// an integer out of the field's range, a missing key, a sparse or cyclic table each throw a
// `DecodingError` whose context has the coding path, never a trap. Tables are read lazily,
// one level when the decoded type asks for it (each level is one raw snapshot of the
// table's pairs; metamethods are not consulted).

/// Decodes Lua values into `Decodable` Swift values.
///
/// A table decodes as a struct, class or dictionary (string keys, and integer keys for
/// `[Int: V]` or `[String: V]`), or as an array when its keys are `1...n` (holes decode as
/// `nil`, for arrays of optionals). A missing field and a `nil` decode as `nil` for
/// optionals. Integers decode into any integer type they fit, floats into integer types only
/// when they have an exact integer value; numbers decode into `Double`/`Float`. Strings and
/// booleans are taken as they are (no coercion from numbers or truthiness).
///
/// ```swift
/// let ports = try LuaDecoder().decode([Int].self, from: lua.eval("{80, 443}"))
/// ```
///
/// ``LuaHostValue``, ``LuaTableRef`` and ``LuaFunction`` fields receive the Lua value itself.
/// A table that contains itself, or nesting deeper than ``maxDepth``, throws.
public struct LuaDecoder {
    /// The deepest nesting of tables decoded before a `DecodingError` is thrown.
    public var maxDepth = 128
    /// Whether a sequence may have holes (decoded as `nil`). Even then, one whose largest
    /// index is more than twice its number of elements is rejected as sparse (Lua's own
    /// rule for a table's array part), so `{[1e9] = 1}` cannot make a billion-element array.
    public var allowsSparseSequences = true
    /// Contextual information for `init(from:)` implementations.
    public var userInfo: [CodingUserInfoKey: Any] = [:]

    /// Creates a decoder with the default options.
    public init() {}

    /// Decodes a `T` from a Lua value.
    ///
    /// Throws a `DecodingError` when the value does not fit `T` (its context's `codingPath`
    /// says where), or a ``LuaScriptError`` when the value's state is gone.
    public func decode<T: Decodable>(_ type: T.Type, from value: LuaHostValue) throws -> T {
        try LuaDecoderState(value: value, options: self, codingPath: [], ancestors: [], depth: 0).decode(T.self)
    }
}

/// The `Decoder` handed to `init(from:)`: one Lua value at one coding path.
final class LuaDecoderState: Decoder {
    let value: LuaHostValue
    let options: LuaDecoder
    let codingPath: [any CodingKey]
    /// The tables being decoded around this value, outermost first (to catch cycles).
    let ancestors: [LuaReference]
    /// Nesting so far: tables entered plus values decoded through a single-value container.
    let depth: Int
    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    init(value: LuaHostValue, options: LuaDecoder, codingPath: [any CodingKey], ancestors: [LuaReference], depth: Int) {
        self.value = value
        self.depth = depth
        self.options = options
        self.codingPath = codingPath
        self.ancestors = ancestors
    }

    /// Decodes `T` from this value.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard depth <= options.maxDepth else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath, debugDescription: "nesting deeper than \(options.maxDepth) levels"))
        }
        return try T(from: self)
    }

    /// A decoder for a value one level down.
    func child(_ value: LuaHostValue, _ key: any CodingKey) -> LuaDecoderState {
        var ancestors = self.ancestors
        if case .object(let r) = self.value, r.tag == .table { ancestors.append(r) }
        return LuaDecoderState(value: value, options: options, codingPath: codingPath + [key],
                               ancestors: ancestors, depth: depth + 1)
    }

    /// This value's table entries, checked: a table, not one of its own ancestors.
    func entries() throws -> [(key: LuaHostValue, value: LuaHostValue)] {
        guard let t = value.table else {
            throw DecodingError.typeMismatch(LuaTableRef.self, .init(
                codingPath: codingPath, debugDescription: "table expected, got \(value.typeName)"))
        }
        if ancestors.contains(t.reference) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath, debugDescription: "cyclic table (it contains itself)"))
        }
        return try t.pairs()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try LuaKeyedDecoding<Key>(decoder: self, entries: entries()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try LuaUnkeyedDecoding(decoder: self, entries: entries())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { LuaSingleValueDecoding(decoder: self) }
}

/// Checked conversions of one Lua value to Swift scalars.
enum LuaScalarDecoding {
    static func mismatch<T>(_ type: T.Type, _ expected: String, _ value: LuaHostValue,
                            _ path: [any CodingKey]) -> DecodingError {
        if case .nil = value {
            return DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "\(expected) expected, got nil"))
        }
        return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "\(expected) expected, got \(value.typeName)"))
    }

    static func bool(_ v: LuaHostValue, _ path: [any CodingKey]) throws -> Bool {
        if case .boolean(let b) = v { return b }
        throw mismatch(Bool.self, "boolean", v, path)
    }

    static func string(_ v: LuaHostValue, _ path: [any CodingKey]) throws -> String {
        if case .string(let bytes) = v { return String(decoding: bytes, as: UTF8.self) }
        throw mismatch(String.self, "string", v, path)
    }

    static func double(_ v: LuaHostValue, _ path: [any CodingKey]) throws -> Double {
        switch v {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: throw mismatch(Double.self, "number", v, path)
        }
    }

    static func float(_ v: LuaHostValue, _ path: [any CodingKey]) throws -> Float {
        let d = try double(v, path)
        let f = Float(d)
        if f.isInfinite && d.isFinite {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "number \(v) does not fit Float"))
        }
        return f
    }

    /// An integer of type `T`: a Lua integer in `T`'s range, or a float with that exact value.
    static func integer<T: FixedWidthInteger>(_ v: LuaHostValue, as type: T.Type, _ path: [any CodingKey]) throws -> T {
        let wide: Int64
        switch v {
        case .integer(let i): wide = i
        case .number(let d):
            guard let i = LuaArith.toInteger(d) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: path, debugDescription: "number \(v) has no integer representation"))
            }
            wide = i
        default: throw mismatch(T.self, "integer", v, path)
        }
        guard let result = T(exactly: wide) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: path, debugDescription: "integer \(wide) out of range for \(T.self)"))
        }
        return result
    }
}

struct LuaKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: LuaDecoderState
    var strings: [String: LuaHostValue] = [:]
    var integers: [Int64: LuaHostValue] = [:]
    let allKeys: [Key]
    var codingPath: [any CodingKey] { decoder.codingPath }

    /// String keys by their text; integer keys by value (as `Key(intValue:)`, so `[Int: V]`
    /// and `[String: V]` see them); other keys (floats, booleans, objects) are not listed.
    init(decoder: LuaDecoderState, entries: [(key: LuaHostValue, value: LuaHostValue)]) {
        self.decoder = decoder
        var keys: [Key] = []
        for (k, v) in entries {
            switch k {
            case .string(let bytes):
                let s = String(decoding: bytes, as: UTF8.self)
                strings[s] = v
                if let key = Key(stringValue: s) { keys.append(key) }
            case .integer(let i):
                integers[i] = v
                if let n = Int(exactly: i), let key = Key(intValue: n) { keys.append(key) }
            default: continue
            }
        }
        allKeys = keys
    }

    /// The value at `key`: its string first, then its integer value.
    func lookup(_ key: Key) -> LuaHostValue? {
        if let v = strings[key.stringValue] { return v }
        if let n = key.intValue, let v = integers[Int64(n)] { return v }
        return nil
    }

    func require(_ key: Key) throws -> LuaHostValue {
        guard let v = lookup(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                       debugDescription: "no value for key '\(key.stringValue)'"))
        }
        return v
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }
    /// An absent key is nil (Lua tables cannot hold nil).
    func decodeNil(forKey key: Key) throws -> Bool { lookup(key) == nil }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try LuaScalarDecoding.bool(require(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try LuaScalarDecoding.string(require(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try LuaScalarDecoding.double(require(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try LuaScalarDecoding.float(require(key), codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try int(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try int(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try int(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try int(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try int(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try int(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try int(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try int(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try int(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try int(key) }

    func int<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try LuaScalarDecoding.integer(require(key), as: T.self, codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.child(require(key), key).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(require(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(require(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = LuaIntegerCodingKey(stringValue: "super")
        return decoder.child(strings["super"] ?? .nil, key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(lookup(key) ?? .nil, key) }
}

struct LuaUnkeyedDecoding: UnkeyedDecodingContainer {
    let decoder: LuaDecoderState
    /// Elements 1...n (nil for holes).
    let elements: [LuaHostValue]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// Checks that the keys are `1...n`: positive integers, with holes only while the
    /// table stays at least half full (else it is a sparse table, not a sequence).
    init(decoder: LuaDecoderState, entries: [(key: LuaHostValue, value: LuaHostValue)]) throws {
        self.decoder = decoder
        var largest: Int64 = 0
        for (k, _) in entries {
            guard case .integer(let i) = k, i >= 1 else {
                throw DecodingError.typeMismatch([LuaHostValue].self, .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "sequence expected, table has key \(LuaUnkeyedDecoding.show(k))"))
            }
            largest = max(largest, i)
        }
        if largest > Int64(entries.count) {
            let tolerated = decoder.options.allowsSparseSequences && largest <= 2 * Int64(entries.count)
            guard tolerated else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "sparse table: largest index \(largest) with \(entries.count) elements"))
            }
        }
        var elements = [LuaHostValue](repeating: .nil, count: Int(largest))
        for (k, v) in entries {
            if case .integer(let i) = k { elements[Int(i) - 1] = v }
        }
        self.elements = elements
    }

    static func show(_ key: LuaHostValue) -> String {
        if case .string = key { return "'\(key)'" }
        return key.description
    }

    var currentPath: [any CodingKey] { codingPath + [LuaIntegerCodingKey(index: currentIndex + 1)] }

    mutating func next() throws -> LuaHostValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(LuaHostValue.self, .init(
                codingPath: currentPath, debugDescription: "sequence has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .nil = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func scalar<T>(_ convert: (LuaHostValue, [any CodingKey]) throws -> T) throws -> T {
        let path = currentPath
        return try convert(try next(), path)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(LuaScalarDecoding.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(LuaScalarDecoding.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(LuaScalarDecoding.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(LuaScalarDecoding.float) }
    mutating func decode(_ type: Int.Type) throws -> Int { try int() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try int() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try int() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try int() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try int() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try int() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try int() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try int() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try int() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try int() }

    mutating func int<T: FixedWidthInteger>() throws -> T {
        try scalar { v, path in try LuaScalarDecoding.integer(v, as: T.self, path) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let key = LuaIntegerCodingKey(index: currentIndex + 1)
        return try decoder.child(try next(), key).decode(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let key = LuaIntegerCodingKey(index: currentIndex + 1)
        return try decoder.child(try next(), key).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let key = LuaIntegerCodingKey(index: currentIndex + 1)
        return try decoder.child(try next(), key).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let key = LuaIntegerCodingKey(index: currentIndex + 1)
        return decoder.child(try next(), key)
    }
}

struct LuaSingleValueDecoding: SingleValueDecodingContainer {
    let decoder: LuaDecoderState
    var codingPath: [any CodingKey] { decoder.codingPath }
    var value: LuaHostValue { decoder.value }

    func decodeNil() -> Bool {
        if case .nil = value { return true }
        return false
    }
    func decode(_ type: Bool.Type) throws -> Bool { try LuaScalarDecoding.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try LuaScalarDecoding.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try LuaScalarDecoding.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try LuaScalarDecoding.float(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try LuaScalarDecoding.integer(value, as: type, codingPath) }
    /// The same value again, one level deeper (so a type decoding itself through itself ends).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try LuaDecoderState(value: value, options: decoder.options, codingPath: codingPath,
                            ancestors: decoder.ancestors, depth: decoder.depth + 1).decode(T.self)
    }
}
