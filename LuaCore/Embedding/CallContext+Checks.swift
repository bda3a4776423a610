import GCArena

// Argument checking with PUC's messages: "bad argument #1 to 'f' (number expected, got nil)".

extension LuaCallContext {
    /// "bad argument #n to 'name' (message)", naming the function as PUC's luaL_argerror
    /// does: by how the calling Lua code named it, else by where it sits in
    /// `package.loaded` ("coroutine.create"); for a method call the receiver is not counted.
    public func argumentError(_ n: Int, _ message: String) -> LuaError {
        let (name, isMethod) = callSiteName()
        if isMethod {
            if n == 1 { return .runtime("calling '\(name)' on bad self (\(message))") }
            return .runtime("bad argument #\(n - 1) to '\(name)' (\(message))")
        }
        return .runtime("bad argument #\(n) to '\(name)' (\(message))")
    }

    /// The running host function's name as PUC's `lua_getinfo(L, "n")` + `pushglobalfuncname` find it.
    func callSiteName() -> (name: String, isMethod: Bool) {
        let th = self.th
        let fr = frame
        // A host function reached through TAILCALL still has its caller's name (PUC's
        // precallC does not mark C frames as tail calls).
        if fr.pointee.flags & CallFrame.Flag.tail == 0, frameIndex > 0 {
            let caller = th.pointee.frames + (frameIndex - 1)
            if caller.pointee.isLua && fr.pointee.flags & CallFrame.Flag.metamethod == 0 {
                let p = LuaDebug.proto(thread, caller).value
                let pc = Int(caller.pointee.pc) - 1
                if pc >= 0 && pc < p.codeCount {
                    let i = p.code[pc]
                    switch LuaDebug.opcode(i) {
                    case .call, .tailCall:
                        if let found = LuaDebug.objectName(p, lastpc: pc, reg: argA(i)) {
                            return (found.name, found.kind == "method")
                        }
                    case .tForCall:
                        return ("for iterator", false)
                    default:
                        break
                    }
                }
            }
        }
        if let global = globalFunctionName(th.pointee.stack[Int(fr.pointee.function)]) { return (global, false) }
        return ("?", false)
    }

    /// "module.name" (or "name" for globals) of a function found in `package.loaded`.
    func globalFunctionName(_ f: LuaValue) -> String? {
        guard let key = try? g.pointee.strings.intern(mc, "_LOADED") else { return nil }
        let loaded = g.pointee.registry.get(LuaValue(key))
        guard loaded.tag == .table else {
            // No package library: look among the globals only.
            var k = LuaValue.nil
            while let (fk, v) = try? g.pointee.globals.next(after: k) {
                k = fk
                if fk.tag == .string && LuaValue.rawIdentical(v, f) { return fk.string.stringValue }
            }
            return nil
        }
        var moduleKey = LuaValue.nil
        while let (mk, module) = try? loaded.table.next(after: moduleKey) {
            moduleKey = mk
            guard mk.tag == .string, module.tag == .table else { continue }
            var fieldKey = LuaValue.nil
            while let (fk, v) = try? module.table.next(after: fieldKey) {
                fieldKey = fk
                if fk.tag == .string && LuaValue.rawIdentical(v, f) {
                    let m = mk.string.stringValue
                    return m == "_G" ? fk.string.stringValue : m + "." + fk.string.stringValue
                }
            }
        }
        return nil
    }

    /// "bad argument #n to 'name' (X expected, got Y)"; Y is the `__name` of a table's or
    /// userdata's metatable if it has one, and "light userdata" for a light userdata, as
    /// `luaL_typeerror` says.
    public func typeError(_ n: Int, expected: String) -> LuaError {
        let v = argument(n)
        let got: String
        if n > argumentCount {
            got = "no value"
        } else if v.tag == .lightUserdata {
            got = LuaDebug.metatableName(g, v) ?? "light userdata"
        } else {
            got = LuaDebug.typeName(g, v)
        }
        return argumentError(n, "\(expected) expected, got \(got)")
    }

    /// Argument `n`, which must be present (of any type, nil included).
    @inlinable @inline(__always)
    public func checkAny(_ n: Int) throws(LuaError) -> LuaValue {
        if n > argumentCount { throw argumentError(n, "value expected") }
        return argument(n)
    }

    /// Argument `n` as an integer (floats with integral values and numeric strings convert).
    @inlinable @inline(__always)
    public func checkInteger(_ n: Int) throws(LuaError) -> Int64 {
        let v = argument(n)
        if v.tag == .integer { return v.integer }
        return try convertInteger(n, v)
    }

    /// `checkInteger` of a value that is not an integer.
    @usableFromInline
    func convertInteger(_ n: Int, _ v: LuaValue) throws(LuaError) -> Int64 {
        if let num = LuaVM.toNumber(v) {
            if num.tag == .integer { return num.integer }
            if let i = LuaArith.toInteger(num.float) { return i }
            throw argumentError(n, "number has no integer representation")
        }
        throw typeError(n, expected: "number")
    }

    /// Argument `n` as an integer, or `default` when absent or nil.
    @inlinable @inline(__always)
    public func optInteger(_ n: Int, _ default: Int64) throws(LuaError) -> Int64 {
        let v = argument(n)
        if v.tag == .integer { return v.integer }
        return v.isNil ? `default` : try convertInteger(n, v)
    }

    /// Argument `n` as a number (integer or float, numeric strings convert).
    public func checkNumber(_ n: Int) throws(LuaError) -> LuaValue {
        let v = argument(n)
        if v.isNumber { return v }
        if let num = LuaVM.toNumber(v) { return num }
        throw typeError(n, expected: "number")
    }

    /// Argument `n` as a Double.
    public func checkDouble(_ n: Int) throws(LuaError) -> Double {
        try checkNumber(n).asDouble!
    }

    /// Argument `n` as a string (numbers convert, as in PUC's luaL_checklstring).
    @inlinable @inline(__always)
    public func checkString(_ n: Int) throws(LuaError) -> Gc<LuaString> {
        let v = argument(n)
        if v.tag == .string { return v.string }
        return try convertString(n, v)
    }

    /// `checkString` of a value that is not a string.
    @usableFromInline
    func convertString(_ n: Int, _ v: LuaValue) throws(LuaError) -> Gc<LuaString> {
        if v.isNumber {
            let s = try string(LuaDebug.numberText(v))
            self[n] = s
            return s.string
        }
        throw typeError(n, expected: "string")
    }

    /// Argument `n` as bytes (numbers convert).
    public func checkBytes(_ n: Int) throws(LuaError) -> [UInt8] { Array(try checkString(n).bytes) }

    /// Argument `n` as bytes, or `default` when absent or nil.
    public func optBytes(_ n: Int, _ default: [UInt8]) throws(LuaError) -> [UInt8] {
        argument(n).isNil ? `default` : try checkBytes(n)
    }

    /// Argument `n` as a table.
    public func checkTable(_ n: Int) throws(LuaError) -> Gc<LuaTable> {
        let v = argument(n)
        if v.tag == .table { return v.table }
        throw typeError(n, expected: "table")
    }

    /// Argument `n` as a thread (coroutine).
    public func checkThread(_ n: Int) throws(LuaError) -> Gc<LuaThread> {
        let v = argument(n)
        if v.tag == .thread { return v.object.unsafeCast(to: LuaThread.self) }
        throw typeError(n, expected: "thread")
    }

    /// Checks that argument `n` is a function.
    public func checkFunction(_ n: Int) throws(LuaError) {
        let t = argument(n).tag
        if t != .luaFunction && t != .hostFunction { throw typeError(n, expected: "function") }
    }

    /// Argument `n` as a boolean (Lua truthiness).
    public func toBoolean(_ n: Int) -> Bool { !argument(n).isFalsy }

    /// Argument `n` as one of `options` (PUC's luaL_checkoption), returning its index.
    public func checkOption(_ n: Int, _ default: String?, _ options: [String]) throws(LuaError) -> Int {
        let name: String
        if let d = `default`, argument(n).isNil { name = d } else { name = try checkString(n).stringValue }
        if let i = options.firstIndex(of: name) { return i }
        throw argumentError(n, "invalid option '\(name)'")
    }
}

extension LuaCallContext {
    /// `tostring` without metamethods: numbers, strings, booleans, nil, and "type: 0x..." for
    /// objects (using `__name` for tables and userdata).
    public func basicToString(_ v: LuaValue) -> [UInt8] {
        switch v.tag {
        case .nil: return Array("nil".utf8)
        case .false: return Array("false".utf8)
        case .true: return Array("true".utf8)
        case .integer, .float: return LuaDebug.numberText(v)
        case .string: return Array(v.string.bytes)
        case .lightUserdata:
            // The shared metatable's `__name` counts too (`luaL_tolstring`); glibc's %p
            // writes a null pointer as "(nil)".
            let name = LuaDebug.metatableName(g, v) ?? "userdata"
            return Array("\(name): \(v.bits == 0 ? "(nil)" : "0x" + String(UInt(v.bits), radix: 16))".utf8)
        default:
            // glibc's %p: 0x and the hex digits, no padding.
            return Array("\(LuaDebug.typeName(g, v)): 0x\(String(UInt(v.bits), radix: 16))".utf8)
        }
    }

    /// The type name `type()` reports (no `__name`).
    public func typeName(_ v: LuaValue) -> String { v.tag.typeName }

    /// The name used in messages (with `__name`).
    public func displayTypeName(_ v: LuaValue) -> String { LuaDebug.typeName(g, v) }

    /// Whether two values are raw-equal.
    public func rawEquals(_ a: LuaValue, _ b: LuaValue) -> Bool { LuaVM.rawEquals(a, b) }

    /// Converts a value to a number like `tonumber` without a base (strings are parsed).
    public func toNumber(_ v: LuaValue) -> LuaValue? { LuaVM.toNumber(v) }

    /// The current heap size in bytes (objects plus owned buffers).
    public var memoryInUse: Int { mc.liveBytes }

    /// Asks the executor to collect garbage before running more Lua code.
    public func requestCollection(full: Bool, stepKilobytes: Int = 0) {
        g.pointee.collectionRequest = full ? .full : .step(stepKilobytes)
        g.pointee.returnToHost = true
    }

    /// The collector mode scripts last selected ("incremental" or "generational").
    public var collectorMode: String {
        get { g.pointee.collectorGenerational ? "generational" : "incremental" }
        nonmutating set {
            let generational = newValue == "generational"
            if generational != g.pointee.collectorGenerational {
                g.pointee.collectorGenerational = generational
                g.pointee.returnToHost = true  // the arena switches at the next safe point
            }
        }
    }

    /// The collector parameters scripts last set (`collectgarbage("setpause")`, the
    /// parameters of `"incremental"` and `"generational"`); setting them changes the arena's
    /// pacing at the next safe point.
    public var collectorParameters: LuaCollectorParameters {
        get { g.pointee.collectorParameters }
        nonmutating set {
            g.pointee.collectorParameters = newValue
            g.pointee.collectorParametersChanged = true
            g.pointee.returnToHost = true
        }
    }

    /// Whether automatic collection runs ("stop"/"restart").
    public var collectorRunning: Bool {
        get { g.pointee.collectorRunning }
        nonmutating set { g.pointee.collectorRunning = newValue }
    }

    /// Registers a table whose metatable has `__mode`.
    public func registerWeakTable(_ t: Gc<LuaTable>) {
        if !g.pointee.finalization.weakTables.contains(t.downgrade()) {
            g.pointee.finalization.weakTables.append(t.downgrade())
        }
    }

    /// Compiles (text) or undumps (binary, starting with "\x1b") and instantiates a chunk,
    /// with `_ENV` = `env` or the globals. `skipFileHeader` skips a `#` first line (files).
    public func load(_ source: [UInt8], chunkName: String, env: LuaValue?,
                     skipFileHeader: Bool = false) throws(LuaError) -> Result<LuaValue, LuaError> {
        let proto: LuaPrototype
        if LuaUndump.isBinary(source) {
            do { proto = try LuaUndump.undump(source, chunkName: chunkName) } catch { return .failure(.plain(error.message)) }
        } else {
            do {
                proto = try LuaCompiler.compile(source, chunkName: chunkName, skipFileHeader: skipFileHeader)
            } catch {
                return .failure(.plain(error.message))
            }
        }
        return .success(try Lua.instantiate(mc, g, proto, env: env ?? LuaValue(g.pointee.globals)))
    }

    /// A traceback of the running thread (innermost first), as `debug.traceback` prints.
    public func traceback(message: String?, level: Int = 1) -> String {
        LuaDebug.traceback(g, mc, thread, message: message, level: level)
    }

    /// The status of a coroutine as `coroutine.status` reports it.
    public func status(of co: Gc<LuaThread>) -> LuaThreadStatus {
        co == thread ? .running : co.value.status
    }

    /// Creates a coroutine whose body is `f`.
    public func newThread(body f: LuaValue) throws(LuaError) -> Gc<LuaThread> {
        do {
            return try LuaThread.allocate(mc, isMain: false, body: f, stackLimit: g.pointee.mainThread.value.stackLimit)
        } catch { throw .outOfMemory(mc) }
    }
}

extension LuaCallContext {
    /// Marks this (protected-calling) host frame as having a message handler in slot 1.
    public func setMessageHandler() { frame.pointee.flags |= CallFrame.Flag.handler }

    /// The running thread as a value.
    public var runningThreadValue: LuaValue { LuaValue(tag: .thread, object: thread.erased) }

    /// Whether the running thread is the main thread.
    public var isMainThread: Bool { thread.value.isMain }

    /// Whether the running code may yield: a coroutine with no host call below it that
    /// cannot be suspended (PUC's `lua_isyieldable`).
    public var isYieldable: Bool {
        !thread.value.isMain && VM(mc: mc, g: g, L: thread).isYieldable(below: frameIndex)
    }

    /// Closes a suspended or dead coroutine (`coroutine.close`): marks it dead and returns
    /// its pending to-be-closed values, newest first, and the error that killed it (if any).
    public func closeThread(_ co: Gc<LuaThread>) throws(LuaError) -> (pending: [LuaValue], error: LuaValue) {
        let status = self.status(of: co)
        switch status {
        case .running: throw LuaError.runtime("cannot close a running coroutine")
        case .normal: throw LuaError.runtime("cannot close a normal coroutine")
        case .suspended, .dead: break
        }
        let vm = VM(mc: mc, g: g, L: co)
        let t = co.unsafeMutablePointer
        var pending: [LuaValue] = []
        while t.pointee.tbcCount > 0 {
            t.pointee.tbcCount -= 1
            pending.append(t.pointee.stack[Int(t.pointee.tbc[t.pointee.tbcCount])])
        }
        vm.closeUpvalues(0)
        vm.popFrames(to: 0)
        let error = t.pointee.errorValue
        t.pointee.status = .dead
        t.pointee.top = 0
        t.pointee.errorValue = .nil
        vm.settle()
        return (pending, error)
    }

    /// Whether coroutine `co` died of an error that ``closeThread(_:)`` has not consumed
    /// yet (PUC: its status is an error status), as `coroutine.close` and `coroutine.wrap`
    /// must know to report that error even when the error value is nil.
    public func diedOfError(_ co: Gc<LuaThread>) -> Bool {
        co.value.status == .dead && (co.value.frameCount > 0 || !co.value.errorValue.isNil)
    }

    /// Makes `co`, just closed by ``closeThread(_:)``, run the `__close` metamethods of its
    /// pending to-be-closed values inside itself the next time it is resumed, as PUC's
    /// `lua_closethread` runs them on the closed thread (so there `coroutine.running()` is
    /// `co`, `co` is "running" and cannot be closed again, and they cannot yield). Pushes the
    /// arguments of that resume and returns their count: resume `co` with them; it returns
    /// nothing, or raises the error (the first one, or the last raised by a `__close`) when
    /// `failed` or when a `__close` failed. Close it again with ``closeThread(_:)`` after.
    public func prepareClosing(_ co: Gc<LuaThread>, pending: [LuaValue], error: LuaValue,
                               failed: Bool) throws(LuaError) -> Int {
        guard let closer = g.pointee.threadCloser else { throw .runtime("cannot close coroutine") }
        let t = co.unsafeMutablePointer
        t.pointee.status = .suspended
        t.pointee.body = LuaValue(tag: .hostFunction, object: closer.erased)
        mc.backwardBarrier(co)
        try push(LuaValue(failed))
        try push(error)
        // The closer takes the newest from the end of its arguments.
        for v in pending.reversed() { try push(v) }
        return 2 + pending.count
    }
}

extension LuaCallContext {
    /// The interned name of a metamethod field ("__index", "__gc", ...), without hashing.
    public func name(_ event: LuaMetamethod) -> LuaValue { LuaValue(g.pointee.metamethodNames[event.rawValue]) }
}
