import GCArena

/// The type tag of a ``LuaValue``.
///
/// Ordered so the hot tests are single comparisons: `tag <= .false` is "falsy", and
/// `tag >= .string` is "holds a handle to an arena object" (light userdata, a bare pointer
/// that is never collected, sits below `.string`).
///
/// The raw values are not part of any format: dumped chunks and the per-type metatables
/// number types their own way.
@frozen
public enum LuaTag: UInt8, Sendable, Comparable {
    case `nil` = 0
    case `false` = 1
    case `true` = 2
    case integer = 3
    case float = 4
    /// A light userdata: a pointer-sized value the host chose (PUC's `LUA_TLIGHTUSERDATA`).
    /// `type()` calls it "userdata"; it is compared by address and never collected.
    case lightUserdata = 5
    case string = 6
    case table = 7
    case luaFunction = 8
    case hostFunction = 9
    case userdata = 10
    case thread = 11

    @inlinable public static func < (a: LuaTag, b: LuaTag) -> Bool { a.rawValue < b.rawValue }

    /// The name `type()` returns.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .false, .true: return "boolean"
        case .integer, .float: return "number"
        case .string: return "string"
        case .table: return "table"
        case .luaFunction, .hostFunction: return "function"
        case .userdata, .lightUserdata: return "userdata"
        case .thread: return "thread"
        }
    }
}

/// A Lua value: 8 bytes of payload and a one-byte tag, trivially copyable (16-byte stride).
///
/// Numbers and light userdata are stored inline (`Int64`, `Double` bits, an address);
/// booleans live in the tag; strings, tables, functions, userdata and threads are arena
/// handles (`Gc` payload pointers). The typed view is the accessors below; the interpreter
/// works on `tag` and `bits` directly.
@frozen
public struct LuaValue: BitwiseCopyable {
    /// The payload: an `Int64`, a `Double`'s bits, a light userdata's address, or an object's
    /// payload address.
    public var bits: UInt64
    /// What `bits` means.
    public var tag: LuaTag

    @inlinable @inline(__always)
    public init(tag: LuaTag, bits: UInt64) {
        self.tag = tag
        self.bits = bits
    }

    // The constants are computed and inlinable rather than stored: another module reads a
    // stored `static let` through its lazy-initialization addressor (a call per use; 57 of
    // them in `table.sort`'s machine alone), while these fold to two register moves.

    /// `nil`.
    @inlinable @inline(__always)
    public static var `nil`: LuaValue { LuaValue(tag: .nil, bits: 0) }
    /// `true`.
    @inlinable @inline(__always)
    public static var `true`: LuaValue { LuaValue(tag: .true, bits: 0) }
    /// `false`.
    @inlinable @inline(__always)
    public static var `false`: LuaValue { LuaValue(tag: .false, bits: 0) }

    /// A boolean.
    @inlinable @inline(__always)
    public init(_ b: Bool) { self.init(tag: b ? .true : .false, bits: 0) }

    /// An integer.
    @inlinable @inline(__always)
    public init(_ i: Int64) { self.init(tag: .integer, bits: UInt64(bitPattern: i)) }

    /// A float.
    @inlinable @inline(__always)
    public init(_ d: Double) { self.init(tag: .float, bits: d.bitPattern) }

    /// A light userdata holding `pointer` (PUC's `lua_pushlightuserdata`).
    ///
    /// Lua code sees a "userdata" value that is equal to another light userdata exactly when
    /// the addresses are equal. It can be a table key, it shares one metatable with every
    /// other light userdata, and it is never collected: the memory it points to (if any)
    /// belongs to the host, which must keep it valid for as long as it reads it back.
    @inlinable @inline(__always)
    public init(lightUserdata pointer: UnsafeRawPointer?) {
        self.init(tag: .lightUserdata, bits: UInt64(UInt(bitPattern: pointer)))
    }

    /// The address a light userdata holds (nil for other values, and for a light userdata
    /// made from a nil pointer: test ``tag`` to tell them apart).
    @inlinable public var lightUserdata: UnsafeRawPointer? {
        tag == .lightUserdata ? UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: bits)) : nil
    }

    /// A handle to an arena object with the given tag (`.string` … `.thread`).
    @inlinable @inline(__always)
    public init(tag: LuaTag, object: AnyGc) {
        self.init(tag: tag, bits: UInt64(UInt(bitPattern: object.unsafeRawPayload)))
    }

    /// A string.
    @inlinable @inline(__always)
    public init(_ s: Gc<LuaString>) { self.init(tag: .string, object: s.erased) }

    /// A table.
    @inlinable @inline(__always)
    public init(_ t: Gc<LuaTable>) { self.init(tag: .table, object: t.erased) }

    // MARK: Tests

    @inlinable @inline(__always) public var isNil: Bool { tag == .nil }
    /// `nil` or `false`: the values Lua treats as false.
    @inlinable @inline(__always) public var isFalsy: Bool { tag.rawValue <= LuaTag.false.rawValue }
    @inlinable @inline(__always) public var isNumber: Bool { tag == .integer || tag == .float }
    @inlinable @inline(__always) public var isCollectable: Bool { tag.rawValue >= LuaTag.string.rawValue }

    // MARK: Unchecked payload views (check `tag` first)

    /// The payload read as an integer (meaningful only when `tag == .integer`; never traps).
    @inlinable @inline(__always) public var integer: Int64 { Int64(bitPattern: bits) }
    /// The payload read as a float (meaningful only when `tag == .float`; never traps).
    @inlinable @inline(__always) public var float: Double { Double(bitPattern: bits) }

    // The object views below do no checking: on a value of the wrong tag they crash or read
    // garbage. The VM and the libraries of this package use them after testing `tag`; other
    // code uses the checked accessors (``asTable()``, ``tableObject`` ...) or the explicitly
    // named `unsafe...` forms.

    @inlinable @inline(__always) package var object: AnyGc {
        // SAFETY: for collectable tags `bits` is the payload address of a live object
        // (values are traced wherever they are stored).
        AnyGc(unsafeRawPayload: UnsafeMutableRawPointer(bitPattern: UInt(bits)).unsafelyUnwrapped)
    }

    @inlinable @inline(__always) package var string: Gc<LuaString> { object.unsafeCast(to: LuaString.self) }
    @inlinable @inline(__always) package var table: Gc<LuaTable> { object.unsafeCast(to: LuaTable.self) }

    /// The object handle, unchecked: the caller has tested that `tag >= .string`.
    @inlinable @inline(__always) public var unsafeObject: AnyGc { object }
    /// The string handle, unchecked: the caller has tested that `tag == .string`.
    @inlinable @inline(__always) public var unsafeString: Gc<LuaString> { string }
    /// The table handle, unchecked: the caller has tested that `tag == .table`.
    @inlinable @inline(__always) public var unsafeTable: Gc<LuaTable> { table }

    /// The number as a Double (integers converted), or nil for non-numbers.
    @inlinable public var asDouble: Double? {
        switch tag {
        case .integer: return Double(integer)
        case .float: return float
        default: return nil
        }
    }

    /// Identity of the payload, for raw equality of non-number values.
    @inlinable @inline(__always)
    public static func rawIdentical(_ a: LuaValue, _ b: LuaValue) -> Bool {
        a.tag == b.tag && a.bits == b.bits
    }
}

extension LuaValue: Collect {
    @inlinable @inline(__always)
    public func trace(_ tracer: inout Tracer) {
        if tag >= .string { tracer.trace(object) }
    }
}
