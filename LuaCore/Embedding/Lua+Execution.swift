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
/// Runs under a GCSequence `GCSequence.Driver`: each step is one VM slice inside one
/// `mutate`, followed by the collector paying its debt.
public final class LuaExecution {
    let lua: Lua
    let driver: Driver<LuaRoot, LuaCallStepper>
    public private(set) var isFinished = false

    init(lua: Lua, driver: Driver<LuaRoot, LuaCallStepper>) {
        self.lua = lua
        self.driver = driver
    }

    /// Dropping an unfinished execution abandons it, so the state is free for the next call.
    deinit { abandon() }

    /// Runs at most about `fuel` instructions (the collector runs between slices).
    ///
    /// Throws if a host function awaits an `async` operation (use `Lua.callAsync(_:_:limits:)`),
    /// and a ``LuaScriptError/Kind/misuse`` error if the execution already ended.
    public func step(fuel: Int) throws(LuaScriptError) -> LuaRunStatus {
        guard !isFinished else {
            throw LuaScriptError(kind: .misuse, message: "LuaExecution.step: the execution has already finished or been abandoned")
        }
        var remaining = fuel
        while true {
            if remaining <= 0 { return .outOfFuel }
            switch try stepOnce(fuel: &remaining) {
            case .ready(let values): return .finished(values)
            case .pending: continue
            case .awaiting:
                finish(reset: true)
                throw LuaScriptError(kind: .misuse, message: "a host function awaits an async operation: run the call with Lua.callAsync")
            case .interrupted:
                finish(reset: true)
                throw LuaScriptError(kind: .interrupted, message: "interrupted")
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
            case .interrupted: throw LuaScriptError(kind: .interrupted, message: "interrupted")
            default: throw LuaScriptError(kind: .misuse, message: "\(error)")
            }
        }
        remaining -= max(1, driver.progress.fuelSpent - before)
        lua.afterSlice()
        if case .ready = status { finish(reset: false) }
        return status
    }

    /// Drops the execution: its frames are discarded without running anything more.
    ///
    /// From inside one of its own host functions (while it runs) it cannot drop frames that
    /// are executing; it requests an interrupt instead, and the run ends with that error.
    public func abandon() {
        guard !isFinished else { return }
        if lua.arena.isMutating || lua.arena.isCollecting {
            lua.interrupt.request()
            return
        }
        driver.cancel()
        finish(reset: true)
    }

    func finish(reset: Bool) {
        guard !isFinished else { return }
        isFinished = true
        lua.endCall(reset: reset)
    }
}

extension Lua {
    /// Compiles a chunk into a function (its first upvalue, `_ENV`, is `env` or the globals).
    public func load(_ source: [UInt8], chunkName: String, env: LuaHostValue? = nil) throws(LuaScriptError) -> LuaHostValue {
        let proto: LuaPrototype
        if LuaUndump.isBinary(source) {
            guard binaryChunksAllowed else {
                throw LuaScriptError(kind: .syntax, message: "attempt to load a binary chunk (mode is 't')")
            }
            do { proto = try LuaUndump.undump(source, chunkName: chunkName) } catch {
                throw LuaScriptError(kind: .syntax, message: error.message)
            }
        } else {
            do {
                proto = try LuaCompiler.compile(source, chunkName: chunkName, skipFileHeader: chunkName.hasPrefix("@"))
            } catch {
                throw LuaScriptError(kind: .syntax, message: error.message, isIncompleteInput: error.message.hasSuffix("<eof>"))
            }
        }
        return try withEmergencyRetry { () throws(LuaScriptError) -> LuaHostValue in
            try access { (mc, g) throws(LuaError) -> LuaHostValue in
                let e = try env.map { (h) throws(LuaError) -> LuaValue in try self.vmValue(h, mc, g) }
                return try Lua.instantiate(mc, g, proto, env: e ?? LuaValue(g.pointee.globals)).hostValue(mc, g)
            }
        }
    }

    /// Compiles and runs a chunk, returning its results.
    ///
    /// `limits` bounds the run: past its fuel it throws ``LuaScriptError/Kind/outOfFuel``,
    /// past its deadline ``LuaScriptError/Kind/interrupted``; either way the state stays usable.
    @discardableResult
    public func run(_ source: String, chunkName: String = "=(load)", limits: LuaLimits = LuaLimits()) throws(LuaScriptError) -> [LuaHostValue] {
        let f = try load(Array(source.utf8), chunkName: chunkName)
        return try call(f, [], limits: limits)
    }

    /// Calls a function to completion (within `limits`).
    ///
    /// The first slice runs without a `Driver` (`callFirstSlice`); a call that
    /// needs more slices goes on under one, as ``start(_:_:)`` does.
    @discardableResult
    public func call(_ function: LuaHostValue, _ arguments: [LuaHostValue], limits: LuaLimits) throws(LuaScriptError) -> [LuaHostValue] {
        try call(function, arguments, budget: LimitBudget(limits))
    }

    /// Calls a function to completion, without limits.
    @discardableResult
    public func call(_ function: LuaHostValue, _ arguments: [LuaHostValue]) throws(LuaScriptError) -> [LuaHostValue] {
        try call(function, arguments, budget: .unlimited)
    }

    /// Calls a function to completion within `budget`.
    func call(_ function: LuaHostValue, _ arguments: [LuaHostValue], budget: consuming LimitBudget) throws(LuaScriptError) -> [LuaHostValue] {
        var budget = budget
        if let values = try callFirstSlice(function, HostValueList(arguments), budget: &budget) { return values.array }
        return try finishCall(budget: &budget)
    }

    /// Drives a call whose first slice did not finish it to its end, under a `Driver`.
    func finishCall(budget: inout LimitBudget) throws(LuaScriptError) -> [LuaHostValue] {
        let execution = try makeExecution()
        while true {
            try budget.check(execution)
            switch try execution.stepOnce(fuel: &budget.fuel) {
            case .ready(let values): return values
            case .pending: continue
            case .awaiting:
                execution.finish(reset: true)
                throw LuaScriptError(kind: .misuse, message: "a host function awaits an async operation: run the call with Lua.callAsync")
            case .interrupted:
                if let message = interruptErrorMessage, raiseInterruptError(message) { continue }
                execution.finish(reset: true)
                throw LuaScriptError(kind: .interrupted, message: "interrupted")
            }
        }
    }

    /// Calls a function to completion (within `limits`), awaiting the `async` operations its
    /// host functions request with the arena idle (other work on this actor may run meanwhile).
    ///
    /// Cancelling the task ends the call with an ``LuaScriptError/Kind/interrupted`` error.
    @discardableResult
    public nonisolated(nonsending) func callAsync(_ function: LuaHostValue, _ arguments: [LuaHostValue],
                                                  limits: LuaLimits = LuaLimits()) async throws(LuaScriptError) -> [LuaHostValue] {
        let execution = try start(function, arguments)
        let clock = ContinuousClock()
        var lastYield = clock.now
        var budget = LimitBudget(limits)
        while true {
            if Task.isCancelled {
                execution.abandon()
                throw LuaScriptError(kind: .interrupted, message: "cancelled")
            }
            try budget.check(execution)
            switch try execution.stepOnce(fuel: &budget.fuel) {
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
                    throw LuaScriptError(kind: .interrupted, message: "cancelled")
                }
            case .interrupted:
                execution.finish(reset: true)
                throw LuaScriptError(kind: .interrupted, message: "interrupted")
            }
        }
    }

    /// Compiles and runs a chunk with ``callAsync(_:_:limits:)``.
    @discardableResult
    public nonisolated(nonsending) func runAsync(_ source: String, chunkName: String = "=(load)",
                                                 limits: LuaLimits = LuaLimits()) async throws(LuaScriptError) -> [LuaHostValue] {
        let f = try load(Array(source.utf8), chunkName: chunkName)
        return try await callAsync(f, [], limits: limits)
    }

    /// Converts the results of a finished call and clears them from the main thread.
    static func results(_ mc: borrowing Mutation, _ root: inout LuaRoot, _ r: LuaCallResult) -> [LuaHostValue] {
        let g = root.global.unsafeMutablePointer
        let th = g.pointee.mainThread.unsafeMutablePointer
        let values = (0..<r.count).map { th.pointee.stack[r.at + $0].hostValue(mc, g) }
        th.pointee.top = r.at
        VM(mc: mc, g: g, L: g.pointee.mainThread).settle()
        return values
    }

    /// What a slice asked the host to do at the safe point after it (``afterSlice()``).
    struct SliceRequests {
        var collection: LuaCollectionRequest
        var exitStatus: Int32?
        var generational: Bool
        var parameters: LuaCollectorParameters?
    }

    /// Takes the requests the last slice left in the global state (inside its `mutate`).
    static func takeSliceRequests(_ g: UnsafeMutablePointer<LuaGlobalState>) -> SliceRequests {
        let r = g.pointee.collectionRequest
        g.pointee.collectionRequest = .none
        g.pointee.returnToHost = false
        let changed = g.pointee.collectorParametersChanged
        g.pointee.collectorParametersChanged = false
        return SliceRequests(collection: r, exitStatus: g.pointee.services.exitRequest,
                             generational: g.pointee.collectorGenerational,
                             parameters: changed ? g.pointee.collectorParameters : nil)
    }

    /// The safe point after every slice: collections the script asked for, the emergency
    /// collection after a refused allocation, `os.exit(code, true)`, GC stress mode.
    func afterSlice() {
        afterSlice(arena.mutate { _, root in Lua.takeSliceRequests(root.global.unsafeMutablePointer) })
    }

    /// The safe point after a slice whose requests were taken with ``takeSliceRequests(_:)``.
    /// Returns whether it may have run the collector.
    @inline(__always) @discardableResult
    func afterSlice(_ requests: SliceRequests) -> Bool {
        // The common case, nothing to do, without a call.
        if case .none = requests.collection, requests.exitStatus == nil, requests.parameters == nil,
           !gcStressMode, requests.generational == (arena.collectorMode == .generational),
           arena.memoryLimitFailures == limitFailuresSeen {
            return false
        }
        return afterSliceRequests(requests)
    }

    /// ``afterSlice(_:)`` when the slice asked for something.
    @inline(never)
    func afterSliceRequests(_ requests: SliceRequests) -> Bool {
        let seen = limitFailuresSeen
        var collected = gcStressMode
        let request = requests.collection, generational = requests.generational
        if let exitStatus = requests.exitStatus { closeAndExit(exitStatus) }
        if let parameters = requests.parameters, !gcStressMode { arena.pacing = parameters.pacing }
        // collectgarbage("generational"/"incremental") switches the arena here, at the safe point.
        if generational != (arena.collectorMode == .generational) {
            arena.setCollectorMode(generational ? .generational : .incremental)
            collected = true
        }
        switch request {
        case .none: break
        case .full:
            arena.collectAll()
            collected = true
        case .step(let n):
            // PUC: a step of n KiB of work (a basic step for 0), true when a cycle ended.
            let (kilobytes, overflow) = Swift.max(n, 0).multipliedReportingOverflow(by: 1024)
            let finished: Bool
            if arena.collectorMode == .generational {
                // PUC's lua_gc(LUA_GCSTEP) in generational mode: 0 collects now (minor, or the
                // fallback full collection after a bad major); n adds n KiB of debt and
                // collects if that brings the heap to its next collection. True only when a
                // fallback collection was bad again (PUC then ends in its incremental pause).
                finished = arena.collectGenerationalStep(debt: n <= 0 ? 0 : overflow ? Int.max : kilobytes)
            } else {
                finished = arena.collectWork(n <= 0 ? 64 * 1024 : overflow ? Int.max : kilobytes)
            }
            arena.mutate { _, root in root.global.unsafeMutablePointer.pointee.lastStepFinishedCycle = finished }
            collected = true
        }
        collectAfterLimitFailure()
        if gcStressMode { arena.finishCycle() }
        return collected || limitFailuresSeen != seen
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
        try pushEntry(function, arguments)
        return try makeExecution()
    }

    /// Pushes the entry call of `function` on the main thread and marks the state executing.
    func pushEntry(_ function: LuaHostValue, _ arguments: [LuaHostValue]) throws(LuaScriptError) {
        try checkIdle("call")
        try withEmergencyRetry { () throws(LuaScriptError) in
            try withState { (mc, g) throws(LuaError) in
                let f = try self.vmValue(function, mc, g)
                var args: [LuaValue] = []
                for a in arguments { args.append(try self.vmValue(a, mc, g)) }
                try Lua.pushEntryCall(mc, g, f, args)
            }
        }
        executing = true
    }

    /// Wraps the entry call ``pushEntry(_:_:)`` pushed (and any slices run of it) in an
    /// execution driven by a GCSequence `Driver`.
    func makeExecution() throws(LuaScriptError) -> LuaExecution {
        do {
            let driver = try Driver(arena, slice: fuelPerSlice, interrupt: interrupt) { _, root in
                LuaCallStepper(global: root.global)
            }
            return LuaExecution(lua: self, driver: driver)
        } catch {
            executing = false
            resetMainThread()
            throw LuaScriptError(kind: .memory, message: "not enough memory")
        }
    }

    /// Throws a misuse error when the state cannot start a call now: a host function is
    /// running (the call would re-enter the VM on the Swift stack) or another call is suspended.
    func checkIdle(_ api: String) throws(LuaScriptError) {
        if arena.isMutating || arena.isCollecting {
            throw LuaScriptError(kind: .misuse, message: """
                Lua.\(api) cannot run Lua from inside a host function: return \
                .call(arguments:then:protected:) from a synchronous host function, or register an \
                async host function (registerAsync) and await LuaFunction.call there
                """)
        }
        if executing {
            throw LuaScriptError(kind: .misuse, message: """
                Lua.\(api): another call is in progress on this state (a LuaExecution that has not \
                finished): step it to the end or abandon() it first
                """)
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
        try access(body)
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
        var value: LuaHostValue? = nil
        if case .value(let v) = e.payload { value = v.hostValue(mc, g) }
        let kind: LuaScriptError.Kind
        if e.cause != nil {
            kind = .host
        } else if case .value(let v) = e.payload, v.tag == .string,
                  let m = g.pointee.memoryErrorMessage, v.string == m {
            kind = .memory
        } else if case .message(let bytes, _) = e.payload, bytes == Array("not enough memory".utf8) {
            kind = .memory
        } else {
            kind = .runtime
        }
        return LuaScriptError(kind: kind, message: message, traceback: traceback, value: value, cause: e.cause)
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
        if injectHostCall(mc, g, LuaHostFunction(name: "__gc", body: LuaBuiltins.runFinalizers)) {
            g.pointee.finalizersRunning = true
        }
    }

    /// Pushes a call of `function` above the running thread's Lua frame, as if that frame had
    /// been interrupted to run it (a frame hidden from the debug library, whose results are
    /// dropped). False when the running frame is not a Lua function or memory is short.
    static func injectHostCall(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                               _ function: LuaHostFunction) -> Bool {
        let vm = VM(mc: mc, g: g, L: g.pointee.running)
        let th = vm.th
        guard th.pointee.frameCount > 0, th.currentFrame.pointee.isLua else { return false }
        guard let runner = try? mc.allocate(function) else { return false }
        let position = max(Int(th.currentFrame.pointee.top), th.pointee.top)
        do throws(LuaError) {
            try vm.ensureStack(position + 24)
            vm.stack[position] = LuaValue(tag: .hostFunction, object: runner.erased)
            vm.raiseHighWater(position + 1)
            try th.pushFrame(mc, CallFrame(function: Int32(position), base: Int32(position + 1), top: Int32(position + 1),
                                           pc: 0, wanted: 0, flags: CallFrame.Flag.interrupt, varargCount: 0,
                                           continuation: -1))
            return true
        } catch {
            return false
        }
    }

    /// Turns the pending interrupt into the Lua error `message`, raised where the running Lua
    /// function stands (prefixed with its caller's position, as `luaL_error` in lua.c's
    /// `lstop` hook). The call goes on, so `pcall` can catch it. False when the running frame
    /// is not Lua code; the caller then ends the call as an ordinary interrupt.
    func raiseInterruptError(_ message: String) -> Bool {
        let injected = arena.mutate { mc, root in
            Lua.injectHostCall(mc, root.global.unsafeMutablePointer, LuaHostFunction(name: "interrupt") { ctx in
                let position = ctx.location(level: 2)
                throw LuaError.plain(position.isEmpty ? message : position + " " + message)
            })
        }
        if injected { interrupt.reset() }
        return injected
    }
}
