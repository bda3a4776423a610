import LuaCore

// The call's arguments as the string-library engines read them (`string.format`, `pack`).
//
// The engines cannot reach the call context, so the binding copies the argument values
// once and converts on demand: numbers only when a numeric conversion asks (strings are
// parsed then), type names only when an error is raised (the binding appends the name,
// see `LuaStringLibError.typeNameArgument`), `tostring` forms only for arguments that are
// neither strings nor numbers (those are written directly).

/// The call's arguments for one engine call (never kept across steps).
struct StringArguments: LuaFormatArguments {
    /// How `%s` shows one argument.
    enum Display {
        /// A string, or a number without a metatable: written from the value itself.
        case direct
        /// `tostring` without metamethods, computed up front (it needs the call context).
        case text([UInt8])
        /// The value has `__tostring`: the binding must call it first.
        case pending
    }

    /// How many arguments are kept inline (no allocation for calls with at most this many).
    static let inlineCount = 8
    let count: Int
    /// The arguments when `count <= inlineCount`.
    let inlineValues: InlineArray<8, LuaValue>
    /// The arguments when there are more.
    let moreValues: [LuaValue]
    /// Per argument, or empty when every argument is `.direct` (the common case).
    let displays: [Display]
    /// PUC's `str_pack` pushes a nil above its arguments: the first missing one is "nil".
    let packQuirk: Bool

    /// The total length of the string arguments after the first, and how many there are
    /// (for `string.format`'s bound on its result).
    let stringBytes: Int
    let stringCount: Int

    /// Copies the call's arguments; `displaying` prepares `%s` forms (format only).
    init(_ ctx: inout LuaCallContext, displaying: Bool, packQuirk: Bool = false) {
        let n = ctx.argumentCount
        let isInline = n <= Self.inlineCount
        var inline = InlineArray<8, LuaValue>(repeating: .nil)
        var more: [LuaValue] = []
        if !isInline { more.reserveCapacity(n) }
        var displays: [Display] = []
        var stringBytes = 0, stringCount = 0
        // Whether numbers are written directly (no metatable for numbers): asked once.
        var numbersDirect: Bool?
        for k in stride(from: 1, through: n, by: 1) {
            let v = ctx[k]
            if isInline { inline[k - 1] = v } else { more.append(v) }
            if v.tag == .string {
                if k > 1 {
                    stringBytes &+= v.string.count
                    stringCount &+= 1
                }
                continue
            }
            guard displaying else { continue }
            if v.isNumber {
                if numbersDirect == nil { numbersDirect = ctx.metatable(of: v) == nil }
                if numbersDirect == true { continue }
            }
            let display: Display = ctx.metamethod(v, .tostring).isNil ? .text(ctx.basicToString(v)) : .pending
            if displays.isEmpty { displays = Array(repeating: .direct, count: n) }
            displays[k - 1] = display
        }
        self.count = n
        self.inlineValues = inline
        self.moreValues = more
        self.displays = displays
        self.packQuirk = packQuirk
        self.stringBytes = stringBytes
        self.stringCount = stringCount
    }

    /// An upper bound on `string.format`'s result for `format` and these arguments: each
    /// conversion gives at most 512 bytes (widths and precisions have two digits), or its
    /// string argument's length (times 4 for `%q`, which may escape every byte as `\ddd`).
    func formatBound(_ format: UnsafeBufferPointer<UInt8>) -> Int {
        let quoted = format.contains(UInt8(ascii: "q"))
        let bound = format.count &* 512 &+ stringBytes &* (quoted ? 4 : 1) &+ stringCount &* 2
        return min(max(bound, 0), LuaScratchAccount.maxBytes)
    }

    /// Argument `position` (1-based, at most `count`).
    @inline(__always)
    func value(_ position: Int) -> LuaValue {
        count <= Self.inlineCount ? inlineValues[position - 1] : moreValues[position - 1]
    }

    func expected(_ what: String, _ position: Int) -> LuaStringLibError {
        if position <= count {
            var error = LuaStringLibError(argument: position, message: Array("\(what) expected, got ".utf8))
            error.typeNameArgument = position
            return error
        }
        let got = packQuirk && position == count + 1 ? "nil" : "no value"
        return LuaStringLibError(argument: position, message: Array("\(what) expected, got \(got)".utf8))
    }

    /// Argument `position` as a number (numeric strings converted), or nil.
    @inline(__always)
    func number(_ position: Int) -> LuaValue? {
        guard position >= 1 && position <= count else { return nil }
        let v = value(position)
        if v.isNumber { return v }
        return v.tag == .string ? LuaNumber.parse(v.string.bytes) : nil
    }

    func integer(at position: Int) throws(LuaStringLibError) -> Int64 {
        guard let v = number(position) else { throw expected("number", position) }
        if v.tag == .integer { return v.integer }
        if let i = LuaArith.toInteger(v.float) { return i }
        throw LuaStringLibError(argument: position, message: Array("number has no integer representation".utf8))
    }

    func number(at position: Int) throws(LuaStringLibError) -> Double {
        guard let v = number(position) else { throw expected("number", position) }
        return v.tag == .integer ? Double(v.integer) : v.float
    }

    func withString<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(LuaStringLibError) -> R {
        guard position >= 1 && position <= count else { throw expected("string", position) }
        let v = value(position)
        if v.tag == .string { return body(v.string.bytes) }
        if v.isNumber { return StringArguments.withNumberText(v, body) }
        throw expected("string", position)
    }

    /// Calls `body` with a number's `tostring` form, formatted on the stack.
    static func withNumberText<R>(_ v: LuaValue, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        v.tag == .integer ? LuaNumber.withFormatted(v.integer, body) : LuaNumber.withFormatted(v.float, body)
    }

    func withDisplayString<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(LuaStringLibError) -> R {
        guard position >= 1 && position <= count else { throw expected("value", position) }
        let v = value(position)
        if v.tag == .string { return body(v.string.bytes) }
        switch displays.isEmpty ? .direct : displays[position - 1] {
        case .direct:
            return StringArguments.withNumberText(v, body)
        case .text(let text):
            return text.withUnsafeBufferPointer(body)
        case .pending:
            var error = LuaStringLibError(message: [])
            error.tostringArgument = position
            throw error
        }
    }

    func literal(at position: Int) throws(LuaStringLibError) -> LuaFormatLiteral {
        let v = value(position)
        switch v.tag {
        case .integer: return .integer(v.integer)
        case .float: return .float(v.float)
        case .string: return .string
        case .nil: return .nilOrBoolean(Array("nil".utf8))
        case .true: return .nilOrBoolean(Array("true".utf8))
        case .false: return .nilOrBoolean(Array("false".utf8))
        default: return .other
        }
    }

    func pointer(at position: Int) throws(LuaStringLibError) -> UInt {
        let v = value(position)
        return v.isCollectable || v.tag == .lightUserdata ? UInt(truncatingIfNeeded: v.bits) : 0
    }
}
