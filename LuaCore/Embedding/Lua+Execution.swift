import GCArena

/// How a bounded run ended.
public enum LuaRunStatus: Equatable {
    /// The call returned these values.
    case finished([LuaHostValue])
    /// The fuel budget ran out; the execution can continue (``LuaExecution/step(fuel:)``) or be abandoned.
    case outOfFuel
}

/// A call in progress on the main thread, advanced in bounded steps.
public final class LuaExecution {
    let lua: Lua
    public private(set) var isFinished = false

    init(lua: Lua) { self.lua = lua }

    /// Runs at most about `fuel` instructions (the collector runs between slices).
    public func step(fuel: Int) throws(LuaScriptError) -> LuaRunStatus {
        precondition(!isFinished, "LuaExecution: already finished")
        do {
            let r = try lua.drive(fuel: fuel)
            if case .finished = r { isFinished = true; lua.executing = false }
            return r
        } catch {
            isFinished = true
            lua.executing = false
            throw error
        }
    }

    /// Drops the execution: its frames are discarded without running anything more.
    public func abandon() {
        guard !isFinished else { return }
        isFinished = true
        lua.resetMainThread()
        lua.executing = false
    }
}

extension Lua {
    /// Compiles a chunk into a function (its first upvalue, `_ENV`, is `env` or the globals).
    public func load(_ source: [UInt8], chunkName: String, env: LuaHostValue? = nil) throws(LuaScriptError) -> LuaHostValue {
        let proto: LuaPrototype
        if LuaUndump.isBinary(source) {
            do { proto = try LuaUndump.undump(source, chunkName: chunkName) } catch { throw LuaScriptError(message: error.message) }
        } else {
            do {
                proto = try LuaCompiler.compile(source, chunkName: chunkName, skipFileHeader: chunkName.hasPrefix("@"))
            } catch {
                throw LuaScriptError(message: error.message)
            }
        }
        return try withState { (mc, g) throws(LuaError) -> LuaHostValue in
            let e = try env.map { (h) throws(LuaError) -> LuaValue in try LuaValue.from(h, mc, &g.pointee.strings) }
            return try Lua.instantiate(mc, g, proto, env: e ?? LuaValue(g.pointee.globals)).hostValue(mc)
        }
    }

    /// Compiles and runs a chunk, returning its results.
    @discardableResult
    public func run(_ source: String, chunkName: String = "=(load)") throws(LuaScriptError) -> [LuaHostValue] {
        let f = try load(Array(source.utf8), chunkName: chunkName)
        return try call(f, [])
    }

    /// Calls a function to completion.
    @discardableResult
    public func call(_ function: LuaHostValue, _ arguments: [LuaHostValue]) throws(LuaScriptError) -> [LuaHostValue] {
        let execution = try start(function, arguments)
        while true {
            if case .finished(let values) = try execution.step(fuel: Int.max) { return values }
        }
    }

    /// Starts a call without running it; advance it with ``LuaExecution/step(fuel:)``.
    public func start(_ function: LuaHostValue, _ arguments: [LuaHostValue]) throws(LuaScriptError) -> LuaExecution {
        precondition(!executing, "Lua: a call is already running (host functions call Lua by returning .call)")
        try withState { (mc, g) throws(LuaError) in
            let L = g.pointee.mainThread
            let vm = VM(mc: mc, g: g, L: L)
            let f = vm.th.pointee.frameCount == 0 ? 0 : Int(vm.th.currentFrame.pointee.top)
            try vm.ensureStack(f + arguments.count + 1 + 20)
            vm.stack[f] = try LuaValue.from(function, mc, &g.pointee.strings)
            for (i, a) in arguments.enumerated() { vm.stack[f + 1 + i] = try LuaValue.from(a, mc, &g.pointee.strings) }
            vm.raiseHighWater(f + 1 + arguments.count)
            try vm.pushCall(f, top: f + 1 + arguments.count, wanted: -1, flags: CallFrame.Flag.entry)
            vm.settle()
        }
        executing = true
        return LuaExecution(lua: self)
    }

    /// Runs slices until the entry call finishes or `fuel` is spent.
    func drive(fuel: Int) throws(LuaScriptError) -> LuaRunStatus {
        var remaining = fuel
        while true {
            if interrupt.isRequested {
                interrupt.reset()
                resetMainThread()
                throw LuaScriptError(message: "interrupted")
            }
            if remaining <= 0 { return .outOfFuel }
            let slice = min(fuelPerSlice, remaining)
            var used = 0
            var request: LuaCollectionRequest = .none
            let outcome = arena.mutate { mc, root -> Result<[LuaHostValue]?, LuaScriptError> in
                let g = root.global.unsafeMutablePointer
                Lua.injectFinalizers(mc, g)
                var f = slice
                let r = VM.runSlice(mc, g, fuel: &f)
                used = slice - max(f, 0)
                request = g.pointee.collectionRequest
                g.pointee.collectionRequest = .none
                g.pointee.returnToHost = false
                switch r {
                case .pending:
                    return .success(nil)
                case .finished(let at, let count):
                    let th = g.pointee.mainThread.unsafeMutablePointer
                    let values = (0..<count).map { th.pointee.stack[at + $0].hostValue(mc) }
                    th.pointee.top = at
                    VM(mc: mc, g: g, L: g.pointee.mainThread).settle()
                    return .success(values)
                case .failed(let e):
                    return .failure(Lua.scriptError(mc, g, e))
                }
            }
            remaining -= max(used, 1)
            switch request {
            case .none: break
            case .full: arena.collectAll()
            case .step(let n): arena.collectStep(work: max(n, 1) * 1024)
            }
            if gcStressMode {
                arena.finishCycle()
            } else if arena.mutate({ _, root in root.global.value.collectorRunning }) {
                arena.collectDebt()
            }
            switch outcome {
            case .success(let values?): return .finished(values)
            case .success(nil): continue
            case .failure(let e): throw e
            }
        }
    }

    /// Discards whatever runs on the main thread.
    func resetMainThread() {
        arena.mutate { mc, root in
            let g = root.global.unsafeMutablePointer
            let vm = VM(mc: mc, g: g, L: g.pointee.mainThread)
            vm.closeUpvalues(0)
            vm.popFrames(to: 0)
            vm.th.pointee.tbcCount = 0
            vm.th.pointee.top = 0
            g.pointee.running = g.pointee.mainThread
            vm.settle()
        }
    }

    /// Runs `body` inside a mutation with the global state, mapping Lua errors to script errors.
    func withState<R>(_ body: (borrowing Mutation, UnsafeMutablePointer<LuaGlobalState>) throws(LuaError) -> R) throws(LuaScriptError) -> R {
        let r = arena.mutate { mc, root -> Result<R, LuaScriptError> in
            let g = root.global.unsafeMutablePointer
            do throws(LuaError) {
                return .success(try body(mc, g))
            } catch {
                return .failure(Lua.scriptError(mc, g, error))
            }
        }
        return try r.get()
    }

    /// The host's view of an error: its message as lua.c would print it, and its traceback.
    static func scriptError(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>, _ e: LuaError) -> LuaScriptError {
        let message: String
        switch e.payload {
        case .message(let bytes, _):
            message = String(decoding: bytes, as: UTF8.self)
        case .value(let v):
            switch v.tag {
            case .string: message = v.string.stringValue
            case .integer, .float: message = String(decoding: LuaDebug.numberText(v), as: UTF8.self)
            default: message = "(error object is a \(LuaDebug.typeName(g, v)) value)"
            }
        }
        let traceback = e.traceback.map { String(decoding: $0, as: UTF8.self) }
        return LuaScriptError(message: message, traceback: traceback)
    }

    /// Makes a closure of a freshly loaded main chunk whose `_ENV` is `env`.
    static func instantiate(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                            _ proto: LuaPrototype, env: LuaValue) throws(LuaError) -> LuaValue {
        do {
            let p = try LuaProto.load(mc, from: proto, strings: &g.pointee.strings)
            var upvalues: [Gc<LuaUpvalue>] = []
            for i in 0..<p.value.upvalueCount {
                let u = try mc.allocate(LuaUpvalue(location: UnsafeMutablePointer(bitPattern: 16)!,
                                                   closed: i == 0 ? env : .nil, level: -1, nextOpen: nil, thread: nil))
                u.closeInPlace()
                upvalues.append(u)
            }
            let c = try LuaClosure.allocate(mc, proto: p) { slots in
                for (i, u) in upvalues.enumerated() { (slots + i).initialize(to: u) }
            }
            return LuaValue(tag: .luaFunction, object: c.erased)
        } catch {
            throw .outOfMemory(mc)
        }
    }

    /// Pushes the finalizer runner above the running Lua frame when objects await `__gc`.
    static func injectFinalizers(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>) {
        guard !g.pointee.finalization.pending.isEmpty, !g.pointee.finalizersRunning else { return }
        let L = g.pointee.running
        let vm = VM(mc: mc, g: g, L: L)
        let th = vm.th
        guard th.pointee.frameCount > 0, th.currentFrame.pointee.isLua else { return }
        guard let runner = try? mc.allocate(LuaHostFunction(name: "__gc", body: LuaBuiltins.runFinalizers)) else { return }
        let position = max(Int(th.currentFrame.pointee.top), th.pointee.top)
        do throws(LuaError) {
            try vm.ensureStack(position + 24)
            vm.stack[position] = LuaValue(tag: .hostFunction, object: runner.erased)
            vm.raiseHighWater(position + 1)
            try th.pushFrame(mc, CallFrame(function: Int32(position), base: Int32(position + 1), top: Int32(position + 1),
                                           pc: 0, wanted: 0, flags: CallFrame.Flag.interrupt, varargCount: 0,
                                           continuation: -1))
            g.pointee.finalizersRunning = true
        } catch {
            return
        }
    }
}
