import GCArena

/// A Lua value as the host holds it outside the VM: scalars by value, objects by reference.
public enum LuaHostValue: Equatable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// A Lua string (bytes; use ``stringValue`` for Swift text).
    case string([UInt8])
    /// A table, function, userdata or thread, kept alive while this value exists.
    case object(LuaReference)

    /// The value as Swift text if it is a string.
    public var stringValue: String? {
        if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }

    public var description: String {
        switch self {
        case .nil: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(decoding: LuaNumber.format(d), as: UTF8.self)
        case .string(let b): return String(decoding: b, as: UTF8.self)
        case .object(let r): return "\(r.tag.typeName): \(r.id)"
        }
    }
}

/// A host-side reference to a Lua object (a dynamic root: the object lives while it does).
public final class LuaReference: Equatable {
    let root: DynamicRoot<Int>
    public let tag: LuaTag

    init(root: DynamicRoot<Int>, tag: LuaTag) {
        self.root = root
        self.tag = tag
    }

    /// An identity for display.
    public var id: ObjectIdentifier { ObjectIdentifier(self) }

    public static func == (a: LuaReference, b: LuaReference) -> Bool { a.root === b.root }

    func value(_ mc: borrowing Mutation) -> LuaValue {
        LuaValue(tag: tag, object: mc.fetch(root).erased)
    }
}

extension LuaValue {
    /// Converts to a host value, stashing objects as references.
    func hostValue(_ mc: borrowing Mutation) -> LuaHostValue {
        switch tag {
        case .nil: return .nil
        case .false: return .boolean(false)
        case .true: return .boolean(true)
        case .integer: return .integer(integer)
        case .float: return .number(float)
        case .string: return .string(Array(string.bytes))
        default:
            let gc = object.unsafeCast(to: Int.self)
            return .object(LuaReference(root: mc.stash(gc), tag: tag))
        }
    }

    /// Converts a host value into the VM.
    static func from(_ h: LuaHostValue, _ mc: borrowing Mutation, _ strings: inout LuaStringTable) throws(LuaError) -> LuaValue {
        switch h {
        case .nil: return .nil
        case .boolean(let b): return LuaValue(b)
        case .integer(let i): return LuaValue(i)
        case .number(let d): return LuaValue(d)
        case .string(let bytes):
            do { return LuaValue(try strings.intern(mc, bytes)) } catch { throw .outOfMemory(mc) }
        case .object(let r): return r.value(mc)
        }
    }
}

extension LuaHostValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
                        ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(Array(value.utf8)) }
}
