import GCArena
import GCSequence

// SAFETY: pointers into threads and the global state are used only inside the `mutate` that
// derived them, so no collection or stack reallocation can happen behind them.

/// How a bounded run ended.
public enum LuaRunStatus: Equatable {
    /// The call returned these values.
    case finished([LuaHostValue])
    /// The fuel budget ran out; the execution can continue (``LuaExecution/step(fuel:)``) or be abandoned.
    case outOfFuel
}

/// A call in progress on the main thread, advanced in bounded steps.
///
/// Runs under a GCSequence ``GCSequence/Driver``: each step is one VM slice inside one
/// `mutate`, followed by the collector paying its debt.
public final class LuaExecution {
    let lua: Lua
    let driver: Driver<LuaRoot, LuaCallStepper>
    public private(set) var isFinished = false

    init(lua: Lua, driver: Driver<LuaRoot, LuaCallStepper>) {
        self.lua = lua
        self.driver = driver
    }

    /// Runs at most about `fuel` instructions (the collector runs between slices).
    ///
    /// Throws if a host function awaits an `async` operation (use ``Lua/callAsync(_:_:)``).
    public func step(fuel: Int) throws(LuaScriptError) -> LuaRunStatus {
        precondition(!isFinished, "LuaExecution: already finished")
        var remaining = fuel
        while true {
            if remaining <= 0 { return .outOfFuel }
            switch try stepOnce(fuel: &remaining) {
            case .ready(let values): return .finished(values)
            case .pending: continue
            case .awaiting:
                finish(reset: true)
                throw LuaScriptError(message: "a host function awaits an async operation: run the call with Lua.callAsync")
            case .interrupted:
                finish(reset: true)
                throw LuaScriptError(message: "interrupted")
            }
        }
    }

    /// One driver step with up to `remaining` fuel; handles the collector requests scripts make.
    func stepOnce(fuel remaining: inout Int) throws(LuaScriptError) -> StepStatus<[LuaHostValue]> {
        driver.slice = max(1, min(lua.fuelPerSlice, remaining))
        let before = driver.progress.fuelSpent
        let status: StepStatus<[LuaHostValue]>
        do throws(DriverError<LuaScriptError>) {
            status = try driver.step { mc, root, result in Lua.results(mc, &root, result) }
        } catch {
            finish(reset: true)
            switch error {
            case .failed(let e): throw e
            case .interrupted: throw LuaScriptError(message: "interrupted")
            default: throw LuaScriptError(message: "\(error)")
            }
        }
        remaining -= max(1, driver.progress.fuelSpent - before)
        lua.afterSlice()
        if case .ready = status { finish(reset: false) }
        return status
    }

    /// Drops the execution: its frames are discarded without running anything more.
    public func abandon() {
        guard !isFinished else { return }
        driver.cancel()
        finish(reset: true)
    }

    func finish(reset: Bool) {
        guard !isFinished else { return }
        isFinished = true
        if reset { lua.resetMainThread() }
        lua.interrupt.reset()
        lua.executing = false
        // The finalizers this call left pending run now, on their own budget, not inside
        // the next call.
        lua.runPendingFinalizers()
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
        return try withEmergencyRetry { () throws(LuaScriptError) -> LuaHostValue in
            try withState { (mc, g) throws(LuaError) -> LuaHostValue in
                let e = try env.map { (h) throws(LuaError) -> LuaValue in try LuaValue.from(h, mc, &g.pointee.strings) }
                return try Lua.instantiate(mc, g, proto, env: e ?? LuaValue(g.pointee.globals)).hostValue(mc)
            }
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

    /// Calls a function to completion, awaiting the `async` operations its host functions
    /// request with the arena idle (other work on this actor may run meanwhile).
    @discardableResult
    public nonisolated(nonsending) func callAsync(_ function: LuaHostValue, _ arguments: [LuaHostValue]) async throws(LuaScriptError) -> [LuaHostValue] {
        let execution = try start(function, arguments)
        let clock = ContinuousClock()
        var lastYield = clock.now
        while true {
            if Task.isCancelled {
                execution.abandon()
                throw LuaScriptError(message: "cancelled")
            }
            var fuel = Int.max
            switch try execution.stepOnce(fuel: &fuel) {
            case .ready(let values): return values
            case .pending:
                if clock.now - lastYield >= .milliseconds(1) {
                    await Task.yield()
                    lastYield = clock.now
                }
            case .awaiting:
                await execution.driver.awaitRequest()
                if Task.isCancelled {
                    execution.abandon()
                    throw LuaScriptError(message: "cancelled")
                }
            case .interrupted:
                execution.finish(reset: true)
                throw LuaScriptError(message: "interrupted")
            }
        }
    }

    /// Compiles and runs a chunk with ``callAsync(_:_:)``.
    @discardableResult
    public nonisolated(nonsending) func runAsync(_ source: String, chunkName: String = "=(load)") async throws(LuaScriptError) -> [LuaHostValue] {
        let f = try load(Array(source.utf8), chunkName: chunkName)
        return try await callAsync(f, [])
    }

    /// Registers a Swift `async` function as global `name`. Lua calls it like any function;
    /// the calling Lua thread is suspended (no thread is blocked) until it returns.
    public func registerAsync(_ name: String, _ body: @escaping @Sendable ([LuaSendableValue]) async throws -> [LuaSendableValue]) {
        register(name) { ctx in
            var args: [LuaSendableValue] = []
            for i in 0..<ctx.argumentCount { args.append(try ctx.sendableArgument(i + 1)) }
            let captured = args
            return ctx.awaitAsync { try await body(captured) }
        }
    }

    /// Converts the results of a finished call and clears them from the main thread.
    static func results(_ mc: borrowing Mutation, _ root: inout LuaRoot, _ r: LuaCallResult) -> [LuaHostValue] {
        let g = root.global.unsafeMutablePointer
        let th = g.pointee.mainThread.unsafeMutablePointer
        let values = (0..<r.count).map { th.pointee.stack[r.at + $0].hostValue(mc) }
        th.pointee.top = r.at
        VM(mc: mc, g: g, L: g.pointee.mainThread).settle()
        return values
    }

    /// The safe point after every slice: collections the script asked for, the emergency
    /// collection after a refused allocation, `os.exit(code, true)`, GC stress mode.
    func afterSlice() {
        let (request, exitStatus) = arena.mutate { _, root -> (LuaCollectionRequest, Int32?) in
            let g = root.global.unsafeMutablePointer
            let r = g.pointee.collectionRequest
            g.pointee.collectionRequest = .none
            g.pointee.returnToHost = false
            return (r, g.pointee.services.exitRequest)
        }
        if let exitStatus { closeAndExit(exitStatus) }
        switch request {
        case .none: break
        case .full: arena.collectAll()
        case .step(let n):
            // PUC: a step of n KiB of work (a basic step for 0), true when a cycle ended.
            let (kilobytes, overflow) = Swift.max(n, 0).multipliedReportingOverflow(by: 1024)
            let generational = arena.mutate { _, root in root.global.value.collectorGenerational }
            let finished: Bool
            if generational {
                // A generational step is a (minor) collection; PUC's answer is false there.
                arena.collectAll()
                finished = false
            } else {
                finished = arena.collectWork(n <= 0 ? 64 * 1024 : overflow ? Int.max : kilobytes)
            }
            arena.mutate { _, root in root.global.unsafeMutablePointer.pointee.lastStepFinishedCycle = finished }
        }
        collectAfterLimitFailure()
        if gcStressMode { arena.finishCycle() }
    }

    /// PUC collects fully before it fails an allocation; the arena cannot collect inside
    /// `mutate`, so after an allocation the memory limit refused, the garbage goes at the
    /// next safe point (the error has been raised by then; a retry finds the memory free).
    func collectAfterLimitFailure() {
        let failures = arena.memoryLimitFailures
        if failures != limitFailuresSeen {
            arena.collectAll()
            limitFailuresSeen = arena.memoryLimitFailures
        }
    }

    /// Runs `body`; if the memory limit refused an allocation in it, collects fully and runs
    /// it once more (host entry points allocate only before they change anything).
    func withEmergencyRetry<R>(_ body: () throws(LuaScriptError) -> R) throws(LuaScriptError) -> R {
        let before = arena.memoryLimitFailures
        do {
            return try body()
        } catch {
            guard arena.memoryLimitFailures != before else { throw error }
            collectAfterLimitFailure()
            return try body()
        }
    }

    /// Starts a call without running it; advance it with ``LuaExecution/step(fuel:)``.
    public func start(_ function: LuaHostValue, _ arguments: [LuaHostValue]) throws(LuaScriptError) -> LuaExecution {
        precondition(!executing, "Lua: a call is already running (host functions call Lua by returning .call)")
        try withEmergencyRetry { () throws(LuaScriptError) in
            try withState { (mc, g) throws(LuaError) in
                let f = try LuaValue.from(function, mc, &g.pointee.strings)
                var args: [LuaValue] = []
                for a in arguments { args.append(try LuaValue.from(a, mc, &g.pointee.strings)) }
                try Lua.pushEntryCall(mc, g, f, args)
            }
        }
        executing = true
        do {
            let driver = try Driver(arena, slice: fuelPerSlice, interrupt: interrupt) { _, root in
                LuaCallStepper(global: root.global)
            }
            return LuaExecution(lua: self, driver: driver)
        } catch {
            executing = false
            resetMainThread()
            throw LuaScriptError(message: "not enough memory")
        }
    }

    /// Discards whatever runs on the main thread.
    func resetMainThread() {
        arena.mutate { mc, root in
            let g = root.global.unsafeMutablePointer
            // Coroutines on the abandoned resume chain can never continue: they are dead.
            var co = g.pointee.running
            while !co.value.isMain {
                let cp = co.unsafeMutablePointer
                let next = cp.pointee.resumer
                let cvm = VM(mc: mc, g: g, L: co)
                cvm.closeUpvalues(0)
                cvm.popFrames(to: 0)
                cp.pointee.status = .dead
                cp.pointee.resumer = nil
                cvm.settle()
                guard let next else { break }
                co = next
            }
            let vm = VM(mc: mc, g: g, L: g.pointee.mainThread)
            vm.closeUpvalues(0)
            vm.popFrames(to: 0)
            vm.th.pointee.tbcCount = 0
            vm.th.pointee.top = 0
            g.pointee.running = g.pointee.mainThread
            g.pointee.mainThread.unsafeMutablePointer.pointee.status = .running
            g.pointee.services.asyncRequest = nil
            g.pointee.services.resumeSuspended = false
            g.pointee.resumeDepth = 0
            g.pointee.returnToHost = false
            g.pointee.collectionRequest = .none
            g.pointee.finalizersRunning = false
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
