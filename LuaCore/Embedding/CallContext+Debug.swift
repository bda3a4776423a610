import GCArena

// The debug interface for host functions (PUC's lua_getstack, lua_getinfo, lua_getlocal,
// lua_setlocal, lua_getupvalue, lua_setupvalue, lua_upvalueid, lua_upvaluejoin, lua_sethook):
// what the `debug` library is built on.

// SAFETY: frame and stack accesses stay below the thread's frame count and frame tops (checked
// by `LuaDebug.findLocal`); closure upvalue slots are read below `upvalueCount`.

extension LuaCallContext {
    /// The active call `level` levels up in `thread` (0 = the running host function when
    /// `thread` is the running thread), or nil when there is no such level.
    public func stackLevel(_ level: Int, in thread: Gc<LuaThread>? = nil) -> LuaStackLevel? {
        let L = thread ?? self.thread
        guard level >= 0 else { return nil }
        let all = LuaDebug.levels(g, L)
        guard level < all.count else { return nil }
        return LuaStackLevel(thread: L, frameIndex: all[level])
    }

    /// Whether `options` holds only `getinfo` option letters (`S l u t n r L f`).
    public static func validDebugOptions(_ options: [UInt8]) -> Bool { LuaDebug.validOptions(options) }

    /// `lua_getinfo` for an active call.
    public func debugInfo(_ level: LuaStackLevel, options: [UInt8]) -> LuaDebugInfo {
        LuaDebug.frameInfo(g, level, options: options)
    }

    /// `lua_getinfo` for a function value (no name, line or transfer information).
    public func debugInfo(function: LuaValue, options: [UInt8]) -> LuaDebugInfo {
        LuaDebug.functionInfo(function, options: options)
    }

    /// A traceback of `thread` from `level`, in luaL_traceback's layout.
    public func traceback(of thread: Gc<LuaThread>, message: String?, level: Int) -> String {
        LuaDebug.traceback(g, mc, thread, message: message, level: level)
    }

    /// Local `n` of an active call: its name and value (`lua_getlocal`). Negative `n`
    /// reads the call's extra arguments (vararg functions).
    public func local(_ level: LuaStackLevel, _ n: Int) -> (name: String, value: LuaValue)? {
        guard let (name, slot) = LuaDebug.findLocal(level, n) else { return nil }
        return (name, level.thread.value.stack[slot])
    }

    /// Assigns local `n` of an active call; returns its name, or nil when there is none.
    public func setLocal(_ level: LuaStackLevel, _ n: Int, _ value: LuaValue) -> String? {
        guard let (name, slot) = LuaDebug.findLocal(level, n) else { return nil }
        level.thread.unsafeMutablePointer.pointee.stack[slot] = value
        mc.backwardBarrier(level.thread)
        return name
    }

    /// The name of parameter `n` of a Lua function (nil for other values or indices).
    public func parameterName(_ f: LuaValue, _ n: Int) -> String? {
        guard let p = LuaDebug.closureProto(f) else { return nil }
        return LuaDebug.localName(p, register: n - 1, pc: 0)
    }

    /// Upvalue `n` (1-based) of a function: its name ("" for host functions, "(no name)"
    /// when the chunk was stripped) and value.
    public func upvalue(of f: LuaValue, _ n: Int) -> (name: String, value: LuaValue)? {
        if f.tag == .luaFunction {
            let c = f.object.unsafeCast(to: LuaClosure.self).value
            guard n >= 1 && n <= c.upvalueCount else { return nil }
            let name = c.proto.value.debug.upvalues.indices.contains(n - 1) ? c.proto.value.debug.upvalues[n - 1].name : []
            return (name.isEmpty ? "(no name)" : String(decoding: name, as: UTF8.self), c.upvalues[n - 1].value.location.pointee)
        }
        if f.tag == .hostFunction {
            let h = f.object.unsafeCast(to: LuaHostFunction.self).value
            guard n >= 1 && n <= h.upvalues.count else { return nil }
            return ("", h.upvalues[n - 1])
        }
        return nil
    }

    /// Assigns upvalue `n` of a function; returns its name, or nil when there is none.
    public func setUpvalue(of f: LuaValue, _ n: Int, _ value: LuaValue) -> String? {
        guard let (name, _) = upvalue(of: f, n) else { return nil }
        if f.tag == .luaFunction {
            let uv = f.object.unsafeCast(to: LuaClosure.self).value.upvalues[n - 1]
            uv.unsafeMutablePointer.pointee.location.pointee = value
            if let t = uv.value.thread, uv.value.isOpen { mc.backwardBarrier(t) } else { mc.backwardBarrier(uv) }
        } else {
            f.object.unsafeCast(to: LuaHostFunction.self).write(mc).value.upvalues[n - 1] = value
        }
        return name
    }

    /// An identity for upvalue `n` of a function, equal for closures sharing the variable
    /// (`lua_upvalueid`): a light userdata holding the upvalue's address (for a host
    /// function, an address inside the function object, one per upvalue), valid while the
    /// upvalue is alive; nil when there is no such upvalue.
    public func upvalueIdentity(of f: LuaValue, _ n: Int) -> LuaValue? {
        if f.tag == .luaFunction {
            let c = f.object.unsafeCast(to: LuaClosure.self).value
            guard n >= 1 && n <= c.upvalueCount else { return nil }
            return LuaValue(tag: .lightUserdata, bits: LuaValue(tag: .userdata, object: c.upvalues[n - 1].erased).bits)
        }
        if f.tag == .hostFunction {
            let h = f.object.unsafeCast(to: LuaHostFunction.self).value
            guard n >= 1 && n <= h.upvalues.count else { return nil }
            return LuaValue(tag: .lightUserdata, bits: f.bits &+ UInt64(n) &* 8)
        }
        return nil
    }

    /// Makes upvalue `n1` of Lua function `f1` refer to upvalue `n2` of Lua function `f2`.
    public func joinUpvalues(_ f1: LuaValue, _ n1: Int, _ f2: LuaValue, _ n2: Int) {
        guard f1.tag == .luaFunction, f2.tag == .luaFunction else { return }
        let c1 = f1.object.unsafeCast(to: LuaClosure.self)
        let c2 = f2.object.unsafeCast(to: LuaClosure.self).value
        guard n1 >= 1 && n1 <= c1.value.upvalueCount && n2 >= 1 && n2 <= c2.upvalueCount else { return }
        c1.value.upvalues[n1 - 1] = c2.upvalues[n2 - 1]
        mc.backwardBarrier(c1)
    }

    /// Sets the metatable of any value, ignoring `__metatable` (`lua_setmetatable`): a
    /// table's or userdata's own, or the one shared by every value of a basic type.
    public func setAnyMetatable(_ v: LuaValue, _ mt: Gc<LuaTable>?) {
        switch v.tag {
        case .table:
            v.table.setMetatable(mc, mt)
        case .userdata:
            v.object.unsafeCast(to: LuaUserdata.self).write(mc).value.metatable = mt
        default:
            setTypeMetatable(v.tag, mt)
        }
    }

    /// User value `n` of a full userdata (`lua_getiuservalue`): nil when `v` is not a full
    /// userdata, `.some(nil)` when it has no such user value.
    public func userValue(_ v: LuaValue, _ n: Int) -> LuaValue?? {
        guard v.tag == .userdata else { return nil }
        let u = v.object.unsafeCast(to: LuaUserdata.self).value
        return n >= 1 && n <= u.userValueCount ? .some(u.userValue) : .some(nil)
    }

    /// Sets user value `n` of a full userdata; false when it has no such user value.
    public func setUserValue(_ v: LuaValue, _ n: Int, _ value: LuaValue) -> Bool {
        guard v.tag == .userdata else { return false }
        let u = v.object.unsafeCast(to: LuaUserdata.self)
        guard n >= 1 && n <= u.value.userValueCount else { return false }
        u.write(mc).value.userValue = value
        return true
    }
}
