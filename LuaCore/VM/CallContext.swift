import GCArena

// SAFETY: a context exists only during its host function's call (it is `~Escapable`); its frame
// index stays valid for that call, and frame/stack pointers are re-derived on every access.

/// What a host function sees: its arguments, the mutation context and the VM's state.
///
/// Arguments are numbered from 1, as in Lua. Results are pushed with ``push(_:)`` and
/// returned as ``LuaCallOutcome/results(_:)`` with their count.
public struct LuaCallContext: ~Escapable {
    /// The mutation context of the step this call runs in.
    public let mc: Mutation
    @usableFromInline let g: UnsafeMutablePointer<LuaGlobalState>
    @usableFromInline let thread: Gc<LuaThread>
    @usableFromInline let frameIndex: Int

    @_lifetime(copy mc)
    init(mc: borrowing Mutation, g: UnsafeMutablePointer<LuaGlobalState>, thread: Gc<LuaThread>, frameIndex: Int) {
        self.mc = copy mc
        self.g = g
        self.thread = thread
        self.frameIndex = frameIndex
    }

    @usableFromInline var th: UnsafeMutablePointer<LuaThread> { thread.unsafeMutablePointer }
    @usableFromInline var frame: UnsafeMutablePointer<CallFrame> { th.pointee.frames + frameIndex }

    /// The function being called, as a host function object.
    @inlinable
    public var function: Gc<LuaHostFunction> {
        let v = th.pointee.stack[Int(frame.pointee.function)]
        return v.object.unsafeCast(to: LuaHostFunction.self)
    }

    /// The function's name, for error messages.
    public var functionName: String { function.value.name }

    /// How many values are on this call's stack (arguments plus anything pushed since).
    @inlinable public var top: Int { Int(frame.pointee.top - frame.pointee.base) }

    /// The number of arguments the call received (before anything was pushed).
    @inlinable public var argumentCount: Int { top }

    /// Argument `n` (1-based), or nil when there are fewer arguments.
    @inlinable @inline(__always)
    public func argument(_ n: Int) -> LuaValue {
        let f = frame
        let base = Int(f.pointee.base)
        return n >= 1 && base + n <= Int(f.pointee.top) ? th.pointee.stack[base + n - 1] : .nil
    }

    /// Stack slot `n` (1-based) of this call, for reading values pushed earlier.
    @inlinable
    public subscript(n: Int) -> LuaValue {
        @inline(__always) get { argument(n) }
        nonmutating set {
            // Out of range is host misuse; ignoring it keeps the VM's stack intact.
            guard n >= 1 && n <= top else { return }
            th.pointee.stack[Int(frame.pointee.base) + n - 1] = newValue
        }
    }

    /// Pushes a value onto this call's stack.
    @inlinable @inline(__always)
    public func push(_ value: LuaValue) throws(LuaError) {
        let f = frame
        let t = Int(f.pointee.top)
        let p = th
        if _slowPath(t + 1 > p.pointee.stackCapacity) { try p.growStack(mc, to: t + 1 + 20) }
        p.pointee.stack[t] = value
        f.pointee.top += 1
        if t + 1 > p.pointee.highWater { p.pointee.highWater = t + 1 }
    }

    /// Pushes three values (a function and its two arguments, say) with one capacity check.
    @inlinable @inline(__always)
    public func push(_ a: LuaValue, _ b: LuaValue, _ c: LuaValue) throws(LuaError) {
        let f = frame
        let t = Int(f.pointee.top)
        let p = th
        if _slowPath(t + 3 > p.pointee.stackCapacity) { try p.growStack(mc, to: t + 3 + 20) }
        let s = p.pointee.stack
        s[t] = a
        s[t + 1] = b
        s[t + 2] = c
        f.pointee.top += 3
        if t + 3 > p.pointee.highWater { p.pointee.highWater = t + 3 }
    }

    /// Makes room for `extra` more values (`lua_checkstack`); false when that would pass
    /// the stack limit (callers raise their own message, as `table.unpack` does).
    public func checkStack(_ extra: Int) -> Bool {
        let needed = Int(frame.pointee.top) + extra
        if extra < 0 || needed > LuaThread.maxStack { return false }
        if needed > th.pointee.stackCapacity {
            do { try th.growStack(mc, to: needed) } catch { return false }
        }
        return true
    }

    /// Drops values so that `count` remain on this call's stack.
    @inlinable
    public func setTop(_ count: Int) throws(LuaError) {
        let f = frame
        if _fastPath(count >= 0 && count <= Int(f.pointee.top - f.pointee.base)) {
            f.pointee.top = f.pointee.base + Int32(truncatingIfNeeded: count)
            return
        }
        try growTop(count)
    }

    /// `setTop` past the current top: pushes nils.
    @usableFromInline
    func growTop(_ count: Int) throws(LuaError) {
        guard count >= 0 else { throw .plain("setTop: negative count \(count)") }
        while top < count { try push(.nil) }
        frame.pointee.top = frame.pointee.base + Int32(count)
    }

    /// Removes the value at slot `n`, shifting the ones above down.
    public func remove(at n: Int) {
        let base = Int(frame.pointee.base)
        let t = top
        guard n >= 1 && n <= t else { return }
        let s = th.pointee.stack
        for i in n..<t { s[base + i - 1] = s[base + i] }
        frame.pointee.top -= 1
    }

    /// Inserts `value` at slot `n`, shifting the ones at and above it up.
    public func insert(_ value: LuaValue, at n: Int) throws(LuaError) {
        guard n >= 1 && n <= top + 1 else { throw .plain("insert: position \(n) out of range") }
        try push(.nil)
        let base = Int(frame.pointee.base)
        let s = th.pointee.stack
        var i = top
        while i > n { s[base + i - 1] = s[base + i - 2]; i -= 1 }
        s[base + n - 1] = value
    }

    // MARK: VM state

    /// The global table.
    public var globals: Gc<LuaTable> { g.pointee.globals }
    /// The registry table.
    public var registry: Gc<LuaTable> { g.pointee.registry }
    /// The running thread.
    public var runningThread: Gc<LuaThread> { thread }
    /// The main thread.
    public var mainThread: Gc<LuaThread> { g.pointee.mainThread }

    /// Interns a string.
    public func string(_ s: String) throws(LuaError) -> LuaValue {
        do { return LuaValue(try g.pointee.strings.intern(mc, s)) } catch { throw .outOfMemory(mc) }
    }

    /// Interns a byte string.
    public func string(bytes: UnsafeRawBufferPointer) throws(LuaError) -> LuaValue {
        do { return LuaValue(try g.pointee.strings.intern(mc, bytes)) } catch { throw .outOfMemory(mc) }
    }

    /// Interns a byte string.
    public func string(_ bytes: [UInt8]) throws(LuaError) -> LuaValue {
        do { return LuaValue(try g.pointee.strings.intern(mc, bytes)) } catch { throw .outOfMemory(mc) }
    }

    /// Creates a table.
    public func newTable(arrayCapacity: Int = 0, hashCapacity: Int = 0) throws(LuaError) -> Gc<LuaTable> {
        do { return try LuaTable.allocate(mc, arrayCapacity: arrayCapacity, hashCapacity: hashCapacity) } catch {
            throw .outOfMemory(mc)
        }
    }

    /// The metatable of any value (tables and userdata have their own; other types share one per type).
    public func metatable(of v: LuaValue) -> Gc<LuaTable>? { LuaMeta.metatable(g, v) }

    /// Sets the shared metatable of a basic type (for example the string metatable).
    public func setTypeMetatable(_ tag: LuaTag, _ mt: Gc<LuaTable>?) {
        g.pointee.typeMetatables[LuaMeta.typeIndex(tag)] = mt
    }

    /// The metamethod `event` of `v`, or nil.
    public func metamethod(_ v: LuaValue, _ event: LuaMetamethod) -> LuaValue {
        LuaMeta.metamethod(g, v, event)
    }

    /// Field `event` of the metatable `mt` (a raw read). For `__index` … `__eq` (`__gc` and
    /// `__mode` among them) an absent field is remembered in `mt`'s flags, as the VM does, so
    /// asking again costs a bit test until `mt` is next written.
    public func metafield(_ mt: Gc<LuaTable>, _ event: LuaMetamethod) -> LuaValue {
        LuaMeta.fromMetatable(g, mt, event)
    }

    /// Raw table read.
    public func rawGet(_ t: Gc<LuaTable>, _ key: LuaValue) -> LuaValue { t.get(key) }

    /// Raw table write.
    public func rawSet(_ t: Gc<LuaTable>, _ key: LuaValue, _ value: LuaValue) throws(LuaError) {
        try LuaMeta.rawSet(mc, g, t, key, value)
    }

    /// A host function value.
    ///
    /// `ownedBytes` is the memory `body` keeps outside the arena (state it captures, such as
    /// an iterator's buffers): it counts toward the memory limit, and is released, for as
    /// long as the function lives.
    public func function(
        _ name: String, upvalues: [LuaValue] = [], ownedBytes: Int = 0, _ body: @escaping LuaHostBody
    ) throws(LuaError) -> LuaValue {
        let owned = max(ownedBytes, 0)
        do {
            try mc.reportExternalMemory(owned)
        } catch { throw .outOfMemory(mc) }
        do {
            var function = LuaHostFunction(name: name, upvalues: upvalues, body: body)
            function.externalBytes = owned
            let f = try mc.allocate(function)
            return LuaValue(tag: .hostFunction, object: f.erased)
        } catch {
            try? mc.reportExternalMemory(-owned)
            throw .outOfMemory(mc)
        }
    }

    /// Makes the host function `f` a coroutine intrinsic the VM runs without its body (see
    /// ``LuaHostIntrinsic``); `onFailure` is the continuation its body's `.resume` would give.
    /// Nothing happens when `f` is not a host function.
    package func setIntrinsic(_ f: LuaValue, _ kind: LuaHostIntrinsic, onFailure: LuaContinuation? = nil) {
        guard f.tag == .hostFunction else { return }
        let w = f.object.unsafeCast(to: LuaHostFunction.self).write(mc)
        w.value.intrinsic = kind
        w.value.intrinsicFailure = onFailure
    }

    /// Upvalue `n` (1-based) of the running host function, or nil when it has fewer.
    @inlinable @inline(__always)
    public func upvalue(_ n: Int) -> LuaValue {
        // Read in place (no copy of the array, so no retain and release per read).
        let f = function
        return n >= 1 && n <= f.value.upvalues.count ? f.value.upvalues[n - 1] : .nil
    }

    /// Replaces upvalue `n` (1-based) of the running host function (nothing happens when it has fewer).
    public func setUpvalue(_ n: Int, _ v: LuaValue) {
        guard n >= 1 && n <= function.value.upvalues.count else { return }
        function.write(mc).value.upvalues[n - 1] = v
    }

    /// Registers an object whose metatable has `__gc`, so its finalizer runs when it dies.
    public func registerFinalizer(_ v: LuaValue) {
        g.pointee.finalization.register(v)
    }

    /// Charges `units` of fuel for work done outside the interpreter loop.
    ///
    /// Saturates: a charge larger than any budget simply ends the slice.
    public func chargeFuel(_ units: Int) {
        guard units > 0 else { return }
        let (sum, overflow) = g.pointee.pendingFuelCharge.addingReportingOverflow(units)
        g.pointee.pendingFuelCharge = overflow ? Int.max : sum
    }

    /// The message prefix "chunk:line:" for the Lua function `level` levels up (1 = caller).
    /// Empty, as luaL_where, when that function has no line information (a stripped chunk).
    public func location(level: Int) -> String {
        let s = LuaDebug.location(g, thread, frameIndex: frameIndex - level)
        return s.hasSuffix(":-1:") ? "" : s
    }
}
