import GCArena
import GCSequence

// A call from Swift usually finishes within its first slice (a callback, a handler, a small
// function). So `Lua.call` pushes the call and runs its first slice in one `mutate`, without
// a GCSequence `Driver`: a driver is a generic class holding its stepper in a dynamic root,
// and making one per call (allocating it, its `DynamicRoot` and `_StepperCell`, instantiating
// their generic metadata, stashing and unstashing) cost more than the Lua call itself. The
// slice does what the driver's first `step` does (the interrupt test, the same stepper with
// the same fuel, the collector's debt paid after it, then the safe point of `afterSlice`), so
// fuel, interrupts, memory limits, finalizers and errors behave as before; a call that needs a
// second slice, or awaits an `async` host function, goes on under a driver
// (``Lua/makeExecution()``) from the state the first slice left.

// SAFETY: the thread and global-state pointers here are derived inside the `mutate` that uses
// them, after the last call that could grow the stack (the slice), and are not kept past it.

extension Lua {
    /// What the first slice of a call came to.
    enum FirstSliceOutcome {
        /// The call could not be pushed (the error, and whether the memory limit refused).
        case notPushed(LuaScriptError)
        /// Pushed, not run: the general path checks the interrupt and the budget.
        case notStarted
        /// Finished (its results read): the requests, and whether finalizers were pending.
        case finished(SliceRequests, finalizersPending: Bool)
        case pending(spent: Int, SliceRequests)
        case failed(LuaScriptError)
        case awaiting(SliceRequests)
    }

    /// Pushes the call of `function` and runs its first slice; returns the results when it
    /// finished there, nil when it needs the general path (more slices, an interrupt
    /// requested before it started, a spent budget or a passed deadline, which the general
    /// path reports). The state is marked executing unless this throws.
    func callFirstSlice(_ function: LuaHostValue, _ arguments: HostValueList,
                        budget: inout LimitBudget) throws(LuaScriptError) -> HostValueList? {
        try checkIdle("call")
        let run = !interrupt.isRequested && budget.allowsSlice
        let slice = Swift.max(1, Swift.min(fuelPerSlice, budget.fuel))
        let failures = arena.memoryLimitFailures
        executing = true
        // Written by the slice, not carried in the outcome: an enum holding the list was copied
        // and destroyed field by field.
        var results = HostValueList()
        let outcome = arena.mutate { mc, root -> FirstSliceOutcome in
            let g = root.global.unsafeMutablePointer
            do throws(LuaError) {
                // A slice that runs settles the thread at its end, in this same `mutate`.
                try Lua.pushEntryCall(mc, g, try self.vmValue(function, mc, g), arguments, self, settle: !run)
            } catch {
                return .notPushed(Lua.scriptError(mc, g, error))
            }
            guard run else { return .notStarted }
            // `LuaCallStepper.poll` without its generic `Poll` (copied through value witnesses).
            Lua.injectFinalizers(mc, g)
            var fuel = slice
            let r = VM.runSlice(mc, g, fuel: &fuel)
            // Billed as the driver bills a step: the overdraft saturates, at most the slice is
            // billed, and a request to return to the host bills the whole slice.
            let (used, overflow) = slice.subtractingReportingOverflow(fuel)
            var remaining = overflow ? Int.min : slice.subtractingSaturated(Swift.max(1, used))
            if g.pointee.returnToHost && remaining > 0 { remaining = 0 }
            let spent = slice &- Swift.max(remaining, 0)
            let asyncRequested = g.pointee.services.asyncRequest != nil
            g.pointee.services.asyncRequest = nil
            let requests = Lua.takeSliceRequests(g)
            if asyncRequested { return .awaiting(requests) }
            switch r {
            case .finished(let at, let count):
                let th = g.pointee.mainThread.unsafeMutablePointer
                for i in at..<(at + count) { results.append(th.pointee.stack[i].hostValue(mc, g)) }
                th.pointee.top = at
                VM(mc: mc, g: g, L: g.pointee.mainThread).settle()
                return .finished(requests, finalizersPending: Lua.finalizersPending(g))
            case .pending: return .pending(spent: spent, requests)
            case .failed(let e): return .failed(Lua.scriptError(mc, g, e))
            }
        }
        switch outcome {
        case .notPushed(let e):
            executing = false
            // As `withEmergencyRetry`: a refused allocation is retried once after a collection.
            guard arena.memoryLimitFailures != failures else { throw e }
            collectAfterLimitFailure()
            try withState { (mc, g) throws(LuaError) in
                try Lua.pushEntryCall(mc, g, try self.vmValue(function, mc, g), arguments, self)
            }
            executing = true
            return nil
        case .notStarted:
            return nil
        case .finished(let requests, let pending):
            let collected = payDebt()
            // Without a collection since the slice looked, its answer about finalizers holds.
            let known: Bool? = afterSlice(requests) || collected ? nil : pending
            endCall(reset: false, finalizersPending: known)
            return results
        case .pending(let spent, let requests):
            payDebt()
            budget.fuel -= Swift.max(1, spent)
            afterSlice(requests)
            return nil
        case .failed(let e):
            payDebt()
            endCall(reset: true)
            throw e
        case .awaiting(let requests):
            payDebt()
            afterSlice(requests)
            endCall(reset: true)
            throw LuaScriptError(kind: .misuse, message: "a host function awaits an async operation: run the call with Lua.callAsync")
        }
    }

    /// The driver's safe point: the collector pays the debt the slice ran up.
    /// Returns whether it ran.
    @inline(__always) @discardableResult
    func payDebt() -> Bool {
        guard arena.allocationDebt > 0 else { return false }
        arena.collectDebt()
        return true
    }

    /// Ends a call on the main thread (with or without an execution): the state is idle again.
    /// `finalizersPending` is passed on to ``runPendingFinalizers(known:)``.
    @inline(__always)
    func endCall(reset: Bool, finalizersPending: Bool? = nil) {
        if reset { resetMainThread() }
        interrupt.reset()
        executing = false
        // The finalizers this call left pending run now, on their own budget, not inside
        // the next call.
        if finalizersPending != false { runPendingFinalizers(known: finalizersPending) }
    }

    /// Pushes an entry call of `function` with host-value arguments on the main thread.
    static func pushEntryCall(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                              _ function: LuaValue, _ arguments: HostValueList, _ lua: Lua,
                              settle: Bool = true) throws(LuaError) {
        let vm = VM(mc: mc, g: g, L: g.pointee.mainThread)
        let f = vm.th.pointee.frameCount == 0 ? 0 : Int(vm.th.currentFrame.pointee.top)
        try vm.ensureStack(f + arguments.count + 1 + 20)
        vm.stack[f] = function
        for i in 0..<arguments.count { vm.stack[f + 1 + i] = try lua.vmValue(arguments[i], mc, g) }
        vm.raiseHighWater(f + 1 + arguments.count)
        try vm.pushCall(f, top: f + 1 + arguments.count, wanted: -1, flags: CallFrame.Flag.entry)
        if settle { vm.settle() }
    }
}

extension Int {
    /// `self - n`, clamped to `Int.min ... Int.max` instead of trapping.
    @inline(__always)
    func subtractingSaturated(_ n: Int) -> Int {
        let (r, overflow) = subtractingReportingOverflow(n)
        return overflow ? (n > 0 ? Int.min : Int.max) : r
    }
}
