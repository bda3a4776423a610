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
    /// A light userdata: an address the host chose, compared by identity and never
    /// collected (see ``LuaValue/init(lightUserdata:)``).
    case lightUserdata(UnsafeRawPointer?)

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
        case .lightUserdata(let p): return "userdata: \(p.map { String(describing: $0) } ?? "(nil)")"
        }
    }
}

/// A host-side reference to a Lua object (a dynamic root: the object lives while it does).
///
/// The reference is registry-like: it keeps its object alive across collections, and
/// dropping the last Swift reference releases it (the next collection may free the object).
/// It remembers its state weakly: using it after the state is gone throws a
/// ``LuaScriptError/Kind/misuse`` error instead of crashing.
public final class LuaReference: Equatable {
    let root: DynamicRoot<Int>
    public let tag: LuaTag
    /// The state's token (nil when the reference was made without a host state).
    let token: LuaStateToken?
    /// The object's address, for identity only (never dereferenced; valid while `root` lives).
    let address: UInt

    init(root: DynamicRoot<Int>, tag: LuaTag, token: LuaStateToken?, address: UInt) {
        self.root = root
        self.tag = tag
        self.token = token
        self.address = address
    }

    /// The state, while it exists.
    var owner: Lua? { token?.lua }

    /// An identity for display.
    public var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Whether both references name the same Lua object.
    public static func == (a: LuaReference, b: LuaReference) -> Bool {
        a.root === b.root || (a.root.arenaID == b.root.arenaID && a.address == b.address)
    }

    /// The VM value (the reference must belong to the arena `mc` mutates).
    func value(_ mc: borrowing Mutation) -> LuaValue {
        LuaValue(tag: tag, object: mc.fetch(root).erased)
    }

    /// The state this reference belongs to, or a misuse error when it is gone.
    func state() throws(LuaScriptError) -> Lua {
        guard let lua = owner else {
            throw LuaScriptError(kind: .misuse, message: "the Lua state this \(tag.typeName) belongs to no longer exists")
        }
        return lua
    }
}

// SAFETY: `g` is the global state of the arena `mc` mutates (callers pass both from one
// `mutate`); the object handle is stashed as a dynamic root before the mutation ends, so the
// reference keeps it alive.
extension LuaValue {
    /// Converts to a host value, stashing objects as references.
    func hostValue(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>) -> LuaHostValue {
        switch tag {
        case .nil: return .nil
        case .false: return .boolean(false)
        case .true: return .boolean(true)
        case .integer: return .integer(integer)
        case .float: return .number(float)
        case .string: return .string(Array(string.bytes))
        case .lightUserdata: return .lightUserdata(lightUserdata)
        default:
            return .object(reference(mc, g))
        }
    }

    /// A host reference to this collectable value.
    func reference(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>) -> LuaReference {
        let gc = object.unsafeCast(to: Int.self)
        return LuaReference(root: mc.stash(gc), tag: tag, token: g.pointee.services.hostToken, address: UInt(bits))
    }
}

extension Lua {
    /// Converts a host value into the VM; a reference from another state is a misuse error.
    func vmValue(_ h: LuaHostValue, _ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>) throws(LuaError) -> LuaValue {
        switch h {
        case .nil: return .nil
        case .boolean(let b): return LuaValue(b)
        case .integer(let i): return LuaValue(i)
        case .number(let d): return LuaValue(d)
        case .string(let bytes):
            do { return LuaValue(try g.pointee.strings.intern(mc, bytes)) } catch { throw .outOfMemory(mc) }
        case .object(let r):
            guard r.root.arenaID == arena.id else {
                throw .plain("a \(r.tag.typeName) from another Lua state cannot be used in this one")
            }
            return r.value(mc)
        case .lightUserdata(let p): return LuaValue(lightUserdata: p)
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

/// How handles reach their state without keeping it alive: a handle holds the token
/// strongly, the token points at the state without owning it, and the state clears the
/// pointer in its `deinit`. (A `weak` reference would do the same, but an object that has
/// one keeps its reference counts in a side table, which made every retain and release of
/// the state a slow atomic path: 40% of a table access from Swift.)
///
/// A `Lua` is used from one isolation domain at a time, so the pointer cannot be read while
/// the state's `deinit` clears it.
final class LuaStateToken {
    // SAFETY: set by `Lua.init` once the state is complete and cleared first thing in its
    // `deinit`, so a non-nil value always points at a live state.
    unowned(unsafe) var lua: Lua?
}

