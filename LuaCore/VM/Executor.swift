import GCArena

// The executor: runs the VM in fuel-bounded slices inside one `mutate` call each, switches
// between coroutines, and unwinds errors to the nearest protected host frame. Everything
// here is a loop over state stored in the arena, so nothing grows the Swift stack: a
// coroutine resume, a yield, a pcall and an error are all transitions of this loop.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

/// How a slice ended.
enum SliceResult {
    /// More work remains (fuel ran out, or the host was asked to step in).
    case pending
    /// The entry call on the main thread returned `count` values at stack index `at`.
    case finished(at: Int, count: Int)
    /// The entry call raised an error nothing caught.
    case failed(LuaError)
}

extension VM {
    /// Runs until the entry call finishes, fails, or `fuel` is spent.
    static func runSlice(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                         fuel: inout Int) -> SliceResult {
        var pending: ExecResult? = nil
        while true {
            let vm = VM(mc: mc, g: g, L: g.pointee.running)
            do throws(LuaError) {
                let r: ExecResult
                if let p = pending {
                    r = p
                    pending = nil
                } else if g.pointee.services.resumeSuspended {
                    // An awaited async operation finished: its host frame continues.
                    g.pointee.services.resumeSuspended = false
                    pending = vm.exitOf(try vm.deliver(.returned(count: 0)))
                    continue
                } else {
                    if g.pointee.returnToHost || fuel <= 0 || g.pointee.services.asyncRequest != nil {
                        vm.settle()
                        return .pending
                    }
                    r = try vm.execute(fuel: &fuel)
                }
                // `execute` may have switched threads (coroutine switches run inside the loop).
                let vm = VM(mc: mc, g: g, L: g.pointee.running)
                switch r {
                case .paused:
                    vm.settle()
                    return .pending
                case .finished(let at, let count):
                    if vm.L.value.isMain {
                        vm.settle(extra: at + count)
                        return .finished(at: at, count: count)
                    }
                    pending = try vm.finishCoroutine(at: at, count: count)
                case .yielded(let at, let count):
                    pending = try vm.yieldToResumer(at: at, count: count)
                case .resume(let thread, let at, let count):
                    pending = try vm.resume(thread, at: at, count: count)
                }
            } catch {
                // Unwind on whichever thread is running now: a coroutine switch may have
                // happened before the error (it may come from a resumer's continuation).
                var failure = error
                while true {
                    let current = VM(mc: mc, g: g, L: g.pointee.running)
                    switch current.unwind(failure) {
                    case .handled(let next):
                        pending = next
                    case .unhandled(let e):
                        if current.th.pointee.isMain {
                            current.settle()
                            return .failed(e)
                        }
                        do throws(LuaError) {
                            pending = try current.killCoroutine(with: e)
                        } catch {
                            failure = error
                            continue
                        }
                    }
                    break
                }
            }
        }
    }

    /// Records the live part of the stack and applies the thread's write barrier: the
    /// thread is about to be left alone with the collector.
    func settle(extra: Int = 0) {
        let t = th
        var live = extra
        if t.pointee.frameCount > 0 {
            let frame = t.currentFrame
            live = max(live, Int(frame.pointee.top))
            // `top` marks open results only between Lua instructions; under a host frame the
            // caller's registers above the call are dead, as PUC's stack top says.
            if frame.pointee.isLua {
                live = max(live, t.pointee.top)
                // A vararg function paused before its VARARGPREP (fuel can run out right after
                // the call) still has all its arguments above `base`, perhaps beyond `top`.
                if frame.pointee.pc == 0 { live = max(live, Int(frame.pointee.base) &+ Int(frame.pointee.varargCount)) }
            }
        } else {
            live = max(live, t.pointee.top)
        }
        t.pointee.liveTop = min(max(live, 0), t.pointee.highWater)
        mc.backwardBarrier(L)
    }

    // MARK: Coroutines

    /// Switches from this thread to `co`, handing it `count` values at `at`.
    func resume(_ co: Gc<LuaThread>, at: Int, count: Int) throws(LuaError) -> ExecResult? {
        let cp = co.unsafeMutablePointer
        let problem: String?
        switch cp.pointee.status {
        case .dead: problem = "cannot resume dead coroutine"
        case .running, .normal: problem = "cannot resume non-suspended coroutine"
        case .suspended: problem = nil
        }
        if problem == nil && g.pointee.resumeDepth >= LuaThread.maxResumeDepth {
            // PUC's LUAI_MAXCCALLS: each nested resume costs a C call there.
            th.currentFrame.pointee.top = Int32(at + count)
            return try exitOf(deliver(.failed(.plain("C stack overflow"))))
        }
        if let problem {
            th.currentFrame.pointee.top = Int32(at + count)
            return try exitOf(deliver(.failed(.plain(problem))))
        }
        g.pointee.resumeDepth += 1
        th.pointee.status = .normal
        th.currentFrame.pointee.top = Int32(at)
        settle()
        cp.pointee.resumer = L
        cp.pointee.status = .running
        g.pointee.running = co
        let target = VM(mc: mc, g: g, L: co)
        let s = stack
        if cp.pointee.frameCount == 0 {
            try target.ensureStack(count + 2 + 20)
            let d = target.stack
            d[0] = cp.pointee.body
            for j in 0..<count { d[1 + j] = s[at + j] }
            target.raiseHighWater(1 + count)
            try target.pushCall(0, top: 1 + count, wanted: -1, flags: CallFrame.Flag.entry)
            return nil
        }
        // Suspended in a yield: the resume values are the yield's results.
        let top = Int(cp.currentFrame.pointee.top)
        try target.ensureStack(top + count + 20)
        let d = target.stack
        for j in 0..<count { d[top + j] = s[at + j] }
        cp.currentFrame.pointee.top = Int32(top + count)
        target.raiseHighWater(top + count)
        return try exitOf(target.deliver(.returned(count: count)))
    }

    /// Hands yielded values back to the resumer.
    func yieldToResumer(at: Int, count: Int) throws(LuaError) -> ExecResult? {
        guard let resumer = th.pointee.resumer else { throw .runtime("attempt to yield from outside a coroutine") }
        th.pointee.status = .suspended
        th.pointee.resumer = nil
        th.currentFrame.pointee.top = Int32(at)
        return try handOver(to: resumer, from: at, count: count, status: .yielded(count: count))
    }

    /// The coroutine's body returned: it is dead, and its results go to the resumer.
    func finishCoroutine(at: Int, count: Int) throws(LuaError) -> ExecResult? {
        let resumer = th.pointee.resumer!
        th.pointee.status = .dead
        th.pointee.resumer = nil
        return try handOver(to: resumer, from: at, count: count, status: .returned(count: count))
    }

    /// The coroutine raised an error nothing inside it caught: it dies and its resumer gets
    /// the error (an error that raises in turn comes out of here, on the resumer).
    func killCoroutine(with error: LuaError) throws(LuaError) -> ExecResult? {
        let resumer = th.pointee.resumer!
        th.pointee.status = .dead
        if case .value(let v) = error.payload { th.pointee.errorValue = v }
        th.pointee.resumer = nil
        closeUpvalues(0)
        // The frames stay (as in PUC) so that the debug library can inspect the dead
        // coroutine; coroutine.close drops them.
        return try handOver(to: resumer, from: 0, count: 0, status: .failed(error))
    }

    func handOver(to resumer: Gc<LuaThread>, from at: Int, count: Int, status: LuaCallStatus) throws(LuaError) -> ExecResult? {
        settle()
        g.pointee.resumeDepth = max(0, g.pointee.resumeDepth - 1)
        let rp = resumer.unsafeMutablePointer
        rp.pointee.status = .running
        g.pointee.running = resumer
        let target = VM(mc: mc, g: g, L: resumer)
        let top = Int(rp.currentFrame.pointee.top)
        try target.ensureStack(top + count + 20)
        let s = stack, d = target.stack
        for j in 0..<count { d[top + j] = s[at + j] }
        rp.currentFrame.pointee.top = Int32(top + count)
        target.raiseHighWater(top + count)
        return try exitOf(target.deliver(status))
    }

    func exitOf(_ next: Next) -> ExecResult? {
        switch next {
        case .run: return nil
        case .exit(let r): return r
        }
    }

    // MARK: Errors

    enum Unwound {
        case handled(ExecResult?)
        case unhandled(LuaError)
    }

    /// Delivers `error` to the nearest protected host frame of this thread, closing
    /// upvalues and to-be-closed variables on the way.
    func unwind(_ error: LuaError) -> Unwound {
        var error = error
        let value = errorValue(&error)
        let t = th
        // Search for a protected frame above the thread's entry frame.
        var p = t.pointee.frameCount - 1
        var protected: Int? = nil
        while p >= 0 {
            let f = t.pointee.frames + p
            if f.pointee.flags & CallFrame.Flag.protected != 0 && !f.pointee.isLua { protected = p; break }
            if f.pointee.flags & CallFrame.Flag.entry != 0 { break }
            p -= 1
        }
        guard let pi = protected else {
            if error.traceback == nil {
                error.traceback = Array(LuaDebug.traceback(g, mc, L, message: nil, level: 0).utf8)
            }
            // Unhandled on the main thread: drop the frames of this entry call.
            if t.pointee.isMain {
                var e = t.pointee.frameCount - 1
                while e > 0 && (t.pointee.frames + e).pointee.flags & CallFrame.Flag.entry == 0 { e -= 1 }
                let level = Int((t.pointee.frames + max(e, 0)).pointee.function)
                closeUpvalues(level)
                while t.pointee.tbcCount > 0 && Int(t.pointee.tbc[t.pointee.tbcCount - 1]) >= level { t.pointee.tbcCount -= 1 }
                popFrames(to: max(e, 0))
                t.pointee.top = level
            }
            var unhandled = LuaError(value: value)
            unhandled.traceback = error.traceback
            unhandled.cause = error.cause
            return .unhandled(unhandled)
        }
        var frame = t.pointee.frames + pi
        let level = Int(frame.pointee.pc)
        if frame.pointee.flags & CallFrame.Flag.handler != 0 && frame.pointee.flags & CallFrame.Flag.handlerActive == 0,
           let runner = g.pointee.handlerRunner {
            // xpcall: the handler runs on top of the failed frames, so it can see the stack.
            frame.pointee.flags |= CallFrame.Flag.handlerActive
            do throws(LuaError) {
                var position = max(t.pointee.top, level)
                if t.pointee.frameCount > 0 { position = max(position, Int(t.currentFrame.pointee.top)) }
                try ensureStack(position + 3 + 20)
                let s = stack
                s[position] = LuaValue(tag: .hostFunction, object: runner.erased)
                s[position + 1] = s[Int(frame.pointee.base)]
                s[position + 2] = value
                raiseHighWater(position + 3)
                try pushCall(position, top: position + 3, wanted: 0)
                return .handled(nil)
            } catch {
                return unwind(error)
            }
        }
        let handled = frame.pointee.flags & CallFrame.Flag.handlerActive != 0
        frame.pointee.flags &= ~(CallFrame.Flag.handler | CallFrame.Flag.handlerActive | CallFrame.Flag.noYield)
        closeUpvalues(level)
        popFrames(to: pi + 1)
        if handled && !pendingToBeClosed(above: level) {
            t.shrinkAfterError(mc, live: level)
            frame = t.pointee.frames + pi  // the frame array may have moved
        }
        do throws(LuaError) {
            if pendingToBeClosed(above: level), let closer = g.pointee.closer {
                // Run the __close methods (with the error) before the handler sees the error.
                let position = Int(t.pointee.tbc[t.pointee.tbcCount - 1]) + 1
                try ensureStack(position + 4 + 20)
                let s = stack
                s[position] = LuaValue(tag: .hostFunction, object: closer.erased)
                s[position + 1] = value
                s[position + 2] = LuaValue(Int64(level))
                frame.pointee.top = Int32(position + 3)
                raiseHighWater(position + 3)
                try pushCall(position, top: position + 3, wanted: 0)
                return .handled(nil)
            }
            frame.pointee.flags &= ~CallFrame.Flag.protected
            frame.pointee.top = Int32(level)
            return .handled(exitOf(try deliver(.failed(LuaError(value: value)))))
        } catch {
            return unwind(error)
        }
    }

    /// Pops frames down to `count`, dropping host continuations in order.
    func popFrames(to count: Int) {
        let t = th
        while t.pointee.frameCount > count {
            let f = t.currentFrame
            if !f.pointee.isLua { dropContinuation(f) }
            if _slowPath(f.pointee.flags & CallFrame.Flag.hookCall != 0) { hookAbandoned(t.pointee.frameCount - 1) }
            t.pointee.frameCount -= 1
        }
    }

    /// The error as a Lua value, interning a pending message with its source position.
    func errorValue(_ error: inout LuaError) -> LuaValue {
        switch error.payload {
        case .value(let v):
            return v
        case .message(let bytes, let position):
            var text = bytes
            if position {
                let t = th
                var fi = t.pointee.frameCount - 1
                if fi >= 0 && !(t.pointee.frames + fi).pointee.isLua { fi -= 1 }
                let where_ = LuaDebug.location(g, L, frameIndex: fi)
                if !where_.isEmpty { text = Array((where_ + " ").utf8) + bytes }
            }
            // Interning can fail when memory is exhausted: fall back to the preallocated message.
            let v = (try? g.pointee.strings.intern(mc, text)).map { LuaValue($0) }
                ?? g.pointee.memoryErrorMessage.map { LuaValue($0) } ?? .nil
            error.payload = .value(v)
            return v
        }
    }
}
