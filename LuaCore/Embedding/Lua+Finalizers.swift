#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import GCSequence

// When `__gc` finalizers run (PUC-Rio 5.4's rules, on a stackless VM):
//
// - `collectgarbage()`/"collect" and "step" run every pending finalizer before they return
//   (charged to the calling script, as in PUC where they run inside the call).
// - The collector, paying allocation debt between slices, marks dead objects for
//   finalization; the runner is pushed above the running Lua frame at the next slice, so
//   automatic finalizers run inside the script that is running (PUC runs them at its
//   allocation points).
// - When a top-level call ends (returns, fails or is abandoned), the finalizers still pending
//   run at once, on their own budget of ``Lua/finalizerFuel`` instructions: a runaway
//   finalizer is cut off there (and the other pending ones are dropped) instead of running
//   inside the next, unrelated call. ``Lua/interrupt`` stops them too.
// - ``Lua/close()`` finalizes every object that still has a finalizer, alive
//   or not, newest first, as `lua_close` does; the CLI closes at exit and on `os.exit(c, true)`;
//   releasing the last reference to an unclosed `Lua` closes it the same way (its `deinit`).
// - Finalizers the host runs itself (between calls, close, deinit) run synchronously: an async
//   host function called there raises an error (a warning) instead of suspending.
//
// Inside a finalizer the collector is not reentrant: `collectgarbage` returns fail.

// SAFETY: every `g` used below is the global state pointer of the running call context or of
// the state's own `mutate`, valid for the whole mutation; nothing here keeps it past that.
extension LuaCallContext {
    /// Whether `__gc` finalizers are running (PUC refuses `collectgarbage` then: it returns fail).
    public var isRunningFinalizers: Bool { g.pointee.finalizersRunning }

    /// Writes `bytes` where the state's `print` goes (``Lua/output``, standard output by
    /// default); usable while the `Lua` is being released, unlike the `Lua` object itself.
    public func writeOutput(_ bytes: UnsafeRawBufferPointer) { g.pointee.services.output(bytes) }

    /// Whether objects wait for their `__gc` finalizer.
    public var hasPendingFinalizers: Bool { !g.pointee.finalization.pending.isEmpty }

    /// Whether the last step requested with ``requestCollection(full:stepKilobytes:)`` ended a
    /// collection cycle (what `collectgarbage("step")` returns).
    public var lastStepFinishedCycle: Bool { g.pointee.lastStepFinishedCycle }

    /// Whether automatic collection is paused (`collectgarbage("stop")`); explicit
    /// collections still run.
    public var automaticCollectionPaused: Bool {
        get { mc.isAutomaticCollectionPaused }
        nonmutating set {
            mc.isAutomaticCollectionPaused = newValue
            g.pointee.collectorRunning = !newValue
        }
    }

    /// Ends the process with `status` once the host has closed the state (running every
    /// pending finalizer), as `os.exit(status, true)` does; the caller returns `.suspend`.
    public func requestCloseAndExit(_ status: Int32) {
        g.pointee.services.exitRequest = status
        g.pointee.returnToHost = true
    }

    /// Calls every pending `__gc` finalizer (newest marked first), then `then` with
    /// `.returned(count: 0)`. Without pending finalizers, or while they already run, `then`
    /// is called at once.
    public mutating func callPendingFinalizers(then: @escaping LuaContinuation) throws(LuaError) -> LuaCallOutcome {
        if g.pointee.finalization.pending.isEmpty || g.pointee.finalizersRunning {
            do { return try then(&self, .returned(count: 0)) } catch { throw asLuaError(error) }
        }
        let runner: Gc<LuaHostFunction>
        do { runner = try mc.allocate(LuaHostFunction(name: "__gc", body: LuaBuiltins.runFinalizers)) } catch {
            throw .outOfMemory(mc)
        }
        try push(LuaValue(tag: .hostFunction, object: runner.erased))
        g.pointee.finalizersRunning = true
        let g = self.g
        return .call(arguments: 0, then: { (ctx: inout LuaCallContext, status: LuaCallStatus) throws -> LuaCallOutcome in
            g.pointee.finalizersRunning = false
            if case .failed(let e) = status { throw e }
            return try then(&ctx, .returned(count: 0))
        }, protected: true)
    }
}

extension Lua {
    /// Where `__gc` errors are reported as warnings ("Lua warning: error in __gc (...)")
    /// while warnings are on; the standard library's `warn` sets it to its own output.
    public var warningSink: ((UnsafeRawBufferPointer) -> Void)? {
        get { services.warningSink }
        set { services.warningSink = newValue }
    }

    /// Closes the state as `lua_close` does: every object that still has a `__gc`
    /// finalizer, reachable or not, is finalized (pending ones first, then newest marked
    /// first), under ``finalizerFuel``. Afterwards no object is marked for finalization again.
    ///
    /// Calling it again does nothing. While a call is in progress it does nothing and
    /// returns false. Releasing the last reference to a `Lua` that was not closed closes it
    /// the same way (see `deinit`), so calling `close()` is needed only to finalize earlier.
    @discardableResult
    public func close() -> Bool {
        if closed { return true }
        if executing { return false }
        closed = true
        let any = arena.mutate { _, root in
            let f = root.global.value.finalization
            return !f.registered.isEmpty || !f.pending.isEmpty
        }
        guard any else { return true }
        // No collection first: as `separatetobefnz(g, 1)`, every registered object joins the
        // pending ones where it stands, dead or alive (a registered object is never doomed:
        // the finalization window resurrects the dead ones before anything could free them).
        arena.mutate { mc, root in
            let g = root.global.unsafeMutablePointer
            var all: [LuaValue] = []
            for entry in g.pointee.finalization.registered.reversed() {
                if let obj = entry.weak.upgrade(mc) { all.append(LuaValue(tag: entry.tag, object: obj)) }
            }
            g.pointee.finalization.registered = []
            g.pointee.finalization.pending.append(contentsOf: all)
            g.pointee.finalization.closing = true
            mc.backwardBarrier(root.global)
        }
        runPendingFinalizers()
        return true
    }

    /// `close()` from `deinit`: skipped when the state is released from inside its own
    /// collector or mutation (a finalizer cannot run there), which only a host function that
    /// drops the last reference to its own state can cause.
    func closeOnRelease() {
        guard !closed, !executing, !arena.isMutating, !arena.isCollecting else { return }
        close()
    }

    /// Whether `__gc` finalizers wait to be run by the host.
    static func finalizersPending(_ g: UnsafeMutablePointer<LuaGlobalState>) -> Bool {
        !g.pointee.finalization.pending.isEmpty && !g.pointee.finalizersRunning
    }

    /// Runs the pending `__gc` finalizers now, outside any script, with at most
    /// ``finalizerFuel`` instructions; those left when the budget runs out or the
    /// ``interrupt`` is requested are dropped (their objects are freed without them).
    ///
    /// `known` is the answer to "are any pending?" when the caller has it (no collection ran
    /// since it looked), which saves a `mutate`.
    func runPendingFinalizers(known: Bool? = nil) {
        guard !executing else { return }
        let pending = known ?? arena.mutate { _, root in Lua.finalizersPending(root.global.unsafeMutablePointer) }
        guard pending else { return }
        let prepared: Void? = try? withState { (mc, g) throws(LuaError) in
            let runner: Gc<LuaHostFunction>
            do { runner = try mc.allocate(LuaHostFunction(name: "__gc", body: LuaBuiltins.runFinalizers)) } catch {
                throw .outOfMemory(mc)
            }
            g.pointee.finalizersRunning = true
            try Lua.pushEntryCall(mc, g, LuaValue(tag: .hostFunction, object: runner.erased), [])
        }
        guard prepared != nil else { return }
        executing = true
        services.hostRunsFinalizers = true
        defer {
            executing = false
            services.hostRunsFinalizers = false
            interrupt.reset()
        }
        let driver: Driver<LuaRoot, LuaCallStepper>
        do {
            driver = try Driver(arena, slice: fuelPerSlice, interrupt: interrupt) { _, root in
                LuaCallStepper(global: root.global)
            }
        } catch {
            dropPendingFinalizers()
            return
        }
        var remaining = max(1, finalizerFuel)
        while remaining > 0 {
            driver.slice = max(1, min(fuelPerSlice, remaining))
            let before = driver.progress.fuelSpent
            let status: StepStatus<[LuaHostValue]>
            do throws(DriverError<LuaScriptError>) {
                status = try driver.step { mc, root, result in Lua.results(mc, &root, result) }
            } catch {
                dropPendingFinalizers()
                return
            }
            remaining -= max(1, driver.progress.fuelSpent - before)
            afterSlice()
            switch status {
            case .ready:
                arena.mutate { _, root in root.global.unsafeMutablePointer.pointee.finalizersRunning = false }
                return
            case .pending: continue
            case .awaiting, .interrupted:
                driver.cancel()
                dropPendingFinalizers()
                return
            }
        }
        driver.cancel()
        dropPendingFinalizers()
    }

    /// `os.exit(status, true)`: abandons the running call, closes the state, ends the process.
    /// As `lua_close` does, the main thread's pending to-be-closed variables are closed first
    /// (newest first, each `__close(value, nil)`; after an error in one, the rest still run and
    /// receive that error, as `luaD_closeprotected` passes it on), then every finalizer.
    func closeAndExit(_ status: Int32) -> Never {
        let pendingCloses = arena.mutate { mc, root -> [(LuaHostValue, LuaHostValue)] in
            let g = root.global.unsafeMutablePointer
            let th = g.pointee.mainThread.unsafeMutablePointer
            var closes: [(LuaHostValue, LuaHostValue)] = []
            var i = th.pointee.tbcCount
            while i > 0 {
                i -= 1
                let v = th.pointee.stack[Int(th.pointee.tbc[i])]
                let tm = LuaMeta.metamethod(g, v, .close)
                if !tm.isNil { closes.append((tm.hostValue(mc, g), v.hostValue(mc, g))) }
            }
            root.global.value.services.exitRequest = nil
            return closes
        }
        resetMainThread()
        executing = false
        var error = LuaHostValue.nil
        for (tm, v) in pendingCloses {
            do { _ = try call(tm, [v, error]) } catch let e { error = e.value ?? .string(Array(e.message.utf8)) }
        }
        close()
        Lua.flushStandardOutput()
        fflush(nil)
        exit(status)
    }

    /// Discards the running finalizer and the pending ones (their budget is spent).
    func dropPendingFinalizers() {
        resetMainThread()
        arena.mutate { _, root in
            let g = root.global.unsafeMutablePointer
            g.pointee.finalization.pending = []
            g.pointee.finalizersRunning = false
        }
    }

    /// Pushes `function(arguments...)` as an entry call on the main thread.
    static func pushEntryCall(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                              _ function: LuaValue, _ arguments: [LuaValue]) throws(LuaError) {
        let vm = VM(mc: mc, g: g, L: g.pointee.mainThread)
        let f = vm.th.pointee.frameCount == 0 ? 0 : Int(vm.th.currentFrame.pointee.top)
        try vm.ensureStack(f + arguments.count + 1 + 20)
        vm.stack[f] = function
        for (i, a) in arguments.enumerated() { vm.stack[f + 1 + i] = a }
        vm.raiseHighWater(f + 1 + arguments.count)
        try vm.pushCall(f, top: f + 1 + arguments.count, wanted: -1, flags: CallFrame.Flag.entry)
        vm.settle()
    }
}
