import LuaCore

// The call's arguments as the string-library engines read them (`string.format`, `pack`).
//
// The engines cannot reach the call context, so the binding copies the argument values
// once and converts on demand: numbers only when a numeric conversion asks (strings are
// parsed then), type names only when an error is raised (the binding appends the name,
// see `LuaStringLibError.typeNameArgument`), `tostring` forms only for arguments that are
// neither strings nor numbers (those are written directly).

/// Where `format` found a `%s` argument whose `__tostring` must run first.
final class PendingTostring {
    var position: Int?
}

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

    let values: [LuaValue]
    /// Per argument, or empty when every argument is `.direct` (the common case).
    let displays: [Display]
    let pending: PendingTostring?
    /// PUC's `str_pack` pushes a nil above its arguments: the first missing one is "nil".
    let packQuirk: Bool

    init(_ ctx: inout LuaCallContext, pending: PendingTostring?, packQuirk: Bool = false) {
        let n = ctx.argumentCount
        var values: [LuaValue] = []
        values.reserveCapacity(n)
        var displays: [Display] = []
        for k in stride(from: 1, through: n, by: 1) {
            let v = ctx[k]
            values.append(v)
            guard pending != nil else { continue }
            if v.tag == .string || (v.isNumber && ctx.metatable(of: v) == nil) { continue }
            let display: Display = ctx.metamethod(v, .tostring).isNil ? .text(ctx.basicToString(v)) : .pending
            if displays.isEmpty { displays = Array(repeating: .direct, count: n) }
            displays[k - 1] = display
        }
        self.values = values
        self.displays = displays
        self.pending = pending
        self.packQuirk = packQuirk
    }

    var count: Int { values.count }

    func expected(_ what: String, _ position: Int) -> LuaStringLibError {
        if position <= values.count {
            var error = LuaStringLibError(argument: position, message: Array("\(what) expected, got ".utf8))
            error.typeNameArgument = position
            return error
        }
        let got = packQuirk && position == values.count + 1 ? "nil" : "no value"
        return LuaStringLibError(argument: position, message: Array("\(what) expected, got \(got)".utf8))
    }

    /// Argument `position` as a number (numeric strings converted), or nil.
    func number(_ position: Int) -> LuaValue? {
        guard position >= 1 && position <= values.count else { return nil }
        let v = values[position - 1]
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
        guard position >= 1 && position <= values.count else { throw expected("string", position) }
        let v = values[position - 1]
        if v.tag == .string { return body(v.string.bytes) }
        if v.isNumber { return StringArguments.withNumberText(v, body) }
        throw expected("string", position)
    }

    /// Calls `body` with a number's `tostring` form, formatted on the stack.
    static func withNumberText<R>(_ v: LuaValue, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        v.tag == .integer ? LuaNumber.withFormatted(v.integer, body) : LuaNumber.withFormatted(v.float, body)
    }

    func withDisplayString<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(LuaStringLibError) -> R {
        guard position >= 1 && position <= values.count else { throw expected("value", position) }
        let v = values[position - 1]
        if v.tag == .string { return body(v.string.bytes) }
        switch displays.isEmpty ? .direct : displays[position - 1] {
        case .direct:
            return StringArguments.withNumberText(v, body)
        case .text(let text):
            return text.withUnsafeBufferPointer(body)
        case .pending:
            pending?.position = position
            throw LuaStringLibError(message: [])
        }
    }

    func literal(at position: Int) throws(LuaStringLibError) -> LuaFormatLiteral {
        let v = values[position - 1]
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
        let v = values[position - 1]
        return v.isCollectable || v.tag == .lightUserdata ? UInt(truncatingIfNeeded: v.bits) : 0
    }
}
