import GCArena

// Checked views of a value's object: what host code uses instead of the unchecked
// `unsafeTable`/`unsafeString`. A wrong type is a Lua error ("table expected, got number"),
// which a host function may simply let propagate to the script.

extension LuaValue {
    /// The table this value holds, or nil when it holds something else.
    @inlinable public var tableObject: Gc<LuaTable>? { tag == .table ? table : nil }

    /// The string this value holds, or nil when it holds something else (numbers are not converted).
    @inlinable public var stringObject: Gc<LuaString>? { tag == .string ? string : nil }

    /// The userdata this value holds, or nil.
    @inlinable public var userdataObject: Gc<LuaUserdata>? {
        tag == .userdata ? object.unsafeCast(to: LuaUserdata.self) : nil
    }

    /// The thread (coroutine) this value holds, or nil.
    @inlinable public var threadObject: Gc<LuaThread>? {
        tag == .thread ? object.unsafeCast(to: LuaThread.self) : nil
    }

    /// The object handle of a collectable value (string, table, function, userdata, thread), or nil.
    @inlinable public var objectHandle: AnyGc? { tag >= .string ? object : nil }

    /// The table this value holds; throws the Lua error "table expected, got <type>" otherwise.
    public func asTable() throws(LuaError) -> Gc<LuaTable> {
        guard let t = tableObject else { throw LuaValue.typeMismatch("table", self) }
        return t
    }

    /// The string this value holds; throws the Lua error "string expected, got <type>" otherwise.
    public func asString() throws(LuaError) -> Gc<LuaString> {
        guard let s = stringObject else { throw LuaValue.typeMismatch("string", self) }
        return s
    }

    /// The value's text if it is a string (numbers are not converted); throws a Lua type error otherwise.
    public func asSwiftString() throws(LuaError) -> String {
        try asString().stringValue
    }

    /// The integer this value holds (floats with an exact integer value are converted);
    /// throws a Lua type error otherwise.
    public func asInteger() throws(LuaError) -> Int64 {
        switch tag {
        case .integer: return integer
        case .float:
            guard let i = LuaArith.toInteger(float) else { throw .runtime("number has no integer representation") }
            return i
        default: throw LuaValue.typeMismatch("integer", self)
        }
    }

    /// The number as a Double (integers converted); throws a Lua type error for other values.
    public func asNumber() throws(LuaError) -> Double {
        guard let d = asDouble else { throw LuaValue.typeMismatch("number", self) }
        return d
    }

    /// The userdata this value holds; throws a Lua type error otherwise.
    public func asUserdata() throws(LuaError) -> Gc<LuaUserdata> {
        guard let u = userdataObject else { throw LuaValue.typeMismatch("userdata", self) }
        return u
    }

    /// The thread this value holds; throws a Lua type error otherwise.
    public func asThread() throws(LuaError) -> Gc<LuaThread> {
        guard let t = threadObject else { throw LuaValue.typeMismatch("thread", self) }
        return t
    }

    static func typeMismatch(_ expected: String, _ v: LuaValue) -> LuaError {
        .runtime("\(expected) expected, got \(v.tag == .nil ? "nil" : v.tag.typeName)")
    }
}
