import GCArena
import GCSequence

// Calls and returns without Swift recursion.
//
// A Lua call pushes a frame and the loop continues in it; a host call pushes a host frame,
// which the loop runs when it reaches the top. A host function that wants to call Lua
// returns `.call` with a continuation: the callee's frame goes on top, and when it returns
// the continuation runs with its results. Returning therefore walks down the frame stack
// in a loop (`finishReturn`), delivering results to whatever waits below.

extension VM {
    /// Pushes a call of the value at stack index `f`, with arguments in `f+1 ..< top`.
    ///
    /// Non-function values go through `__call` (the metamethod becomes the function and the
    /// value its first argument).
    func pushCall(_ f: Int, top: Int, wanted: Int, flags: UInt16 = 0) throws(LuaError) {
        var top = top
        var attempts = 0
        while true {
            let fv = stack[f]
            switch fv.tag {
            case .luaFunction:
                try pushLuaFrame(f, top: top, wanted: wanted, flags: flags)
                return
            case .hostFunction:
                try ensureStack(top + 20)
                raiseHighWater(top)
                var frame = CallFrame(
                    function: Int32(f), base: Int32(f + 1), top: Int32(top), pc: 0,
                    wanted: Int16(wanted), flags: flags, varargCount: 0, continuation: -1)
                frame.hostDepth = currentHostDepth
                try th.pushFrame(mc, frame)
                return
            default:
                let tm = LuaMeta.metamethod(g, fv, .call)
                attempts += 1
                if tm.isNil || attempts > 100 {
                    throw try callError(f)
                }
                // Insert the metamethod below the value: it becomes the first argument.
                try ensureStack(top + 1)
                let s = stack
                var i = top
                while i > f { s[i] = s[i - 1]; i -= 1 }
                s[f] = tm
                top += 1
                raiseHighWater(top)
            }
        }
    }

    /// Pushes the frame of a Lua function at `f` whose arguments end at `top`.
    @inline(__always)
    func pushLuaFrame(_ f: Int, top: Int, wanted: Int, flags: UInt16) throws(LuaError) {
        _ = try pushLuaFrame(f, top: top, wanted: wanted, flags: flags, hostDepth: currentHostDepth)
    }

    /// Pushes the frame of a Lua function at `f` whose arguments end at `top`, at host-call
    /// depth `hostDepth` (the caller's), and returns it.
    @inline(__always)
    func pushLuaFrame(_ f: Int, top: Int, wanted: Int, flags: UInt16,
                      hostDepth: Int32) throws(LuaError) -> UnsafeMutablePointer<CallFrame> {
        // The slot first (PUC's `next_ci` before the stack check): the frame then goes
        // straight into it, with fewer values held across the check (fib -1.1% instructions).
        let slot = try th.reserveFrame(mc)
        slot.initialize(to: try luaFrame(f, top: top, wanted: wanted, flags: flags, hostDepth: hostDepth))
        th.pointee.frameCount &+= 1   // below frameCapacity, checked by reserveFrame
        return slot
    }

    /// Pushes the frame of a Lua function at `f` whose arguments end at `top`, called by the
    /// Lua frame on top (CALL), at that frame's host-call depth, and returns it.
    @inline(__always)
    func pushLuaFrame(calledByTopFrame f: Int, top: Int, wanted: Int) throws(LuaError) -> UnsafeMutablePointer<CallFrame> {
        // The steps of `pushLuaFrame(_:top:wanted:flags:hostDepth:)`, with the depth stored
        // before the frame is counted: calling that and storing it after cost fib +0.4%.
        let slot = try th.reserveFrame(mc)
        slot.initialize(to: try luaFrame(f, top: top, wanted: wanted, flags: 0, hostDepth: 0))
        // Read from the caller (below the slot; a Lua frame runs CALL, so there is one) after
        // the stack check rather than held across it (fib -0.8% instructions).
        slot.pointee.hostDepth = (slot - 1).pointee.hostDepth
        th.pointee.frameCount &+= 1   // below frameCapacity, checked by reserveFrame
        return slot
    }

    /// The frame of a Lua function at `f` whose arguments end at `top`, ready to run: the
    /// stack has room for its registers (a vararg function's VARARGPREP makes room for moving
    /// the frame above its arguments), missing fixed parameters are nil. Pushed by ``pushLuaFrame(_:top:wanted:flags:hostDepth:)``, written
    /// over the caller's slot by a tail call.
    ///
    /// Stack indices are below the thread's capacity (at most ``LuaThread/maxStack`` plus a
    /// little room once `ensureStack` succeeds), so the arithmetic wraps and the `Int32`
    /// conversions truncate without checks.
    @inline(__always)
    func luaFrame(_ f: Int, top: Int, wanted: Int, flags: UInt16, hostDepth: Int32) throws(LuaError) -> CallFrame {
        let closure = stack[f].object.unsafeCast(to: LuaClosure.self)
        let cl = closure.unsafeMutablePointer
        let p = cl.pointee.proto.unsafeMutablePointer
        let nargs = top &- f &- 1
        let numParams = p.pointee.numParams
        let frameTop = f &+ 1 &+ p.pointee.maxStackSize
        // Room for the registers only: a vararg function's VARARGPREP makes its own room when
        // it moves the frame above the arguments (PUC's luaT_adjustvarargs), and nothing runs
        // between the call and it.
        try ensureStack(frameTop &+ 5)
        if nargs < numParams {
            let s = stack
            for i in (f &+ 1 &+ nargs)..<(f &+ 1 &+ numParams) { s[i] = .nil }
        }
        // The arguments (up to `top`) were written by the caller, so they already lie below
        // the high-water mark (slots at or above it are nil): the frame's registers are new.
        raiseHighWater(frameTop)
        var frame = CallFrame(
            function: Int32(truncatingIfNeeded: f), base: Int32(truncatingIfNeeded: f &+ 1),
            top: Int32(truncatingIfNeeded: frameTop), pc: 0,
            wanted: Int16(truncatingIfNeeded: wanted), flags: CallFrame.Flag.lua | flags,
            varargCount: Int32(truncatingIfNeeded: nargs), continuation: -1,
            code: p.pointee.code, constants: p.pointee.constants, upvalues: cl.pointee.upvalues)
        frame.hostDepth = hostDepth
        return frame
    }

    /// The host-call depth of the frame on top (0 without frames); new frames inherit it.
    @inline(__always)
    var currentHostDepth: Int32 {
        let n = th.pointee.frameCount
        return n > 0 ? th.pointee.frames[n - 1].hostDepth : 0
    }

    /// Moves `n` results from `src` to the slot of the returning frame `fi`, pops it, and
    /// delivers them to the caller, repeating while callers are host frames that finish.
    /// Inlined: the common case is a few lines, the rest a call.
    @inline(__always)
    func finishReturn(_ fi: Int, src: Int, count n: Int) throws(LuaError) -> Next {
        if try returnToLuaCaller(th.pointee.frames + fi, fi, src: src, count: n) { return .run }
        return try finishReturnInGeneral(fi, src: src, count: n)
    }

    /// ``finishReturn(_:src:count:)``'s common case in a few lines: a plain Lua frame `fr` at
    /// index `fi` (perhaps tail-called) returning `n` results at `src` to a Lua caller that
    /// waits for no metamethod result — what the general loop does for these flags (no hook,
    /// entry, interrupt or host-tail bit to act on). False, with nothing done, otherwise.
    @inline(__always)
    func returnToLuaCaller(_ fr: UnsafeMutablePointer<CallFrame>, _ fi: Int, src: Int, count n: Int) throws(LuaError) -> Bool {
        guard fr.pointee.flags & ~CallFrame.Flag.tail == CallFrame.Flag.lua && fi > 0
            && (fr - 1).pointee.flags & (CallFrame.Flag.lua | CallFrame.Flag.finishOp) == CallFrame.Flag.lua else {
            return false
        }
        let dst = Int(fr.pointee.function)
        let wanted = Int(fr.pointee.wanted)
        let delivered: Int
        if wanted == 1 && n >= 1 {
            stack[dst] = stack[src]   // one result wanted, the common case: no loop
            delivered = 1
        } else {
            delivered = try moveResults(to: dst, from: src, count: n, wanted: wanted)
        }
        th.pointee.frameCount = fi
        th.pointee.top = dst &+ delivered
        return true
    }

    /// Moves `n` results from stack index `src` down to `dst` as a caller wanting `wanted`
    /// of them (-1: all) takes them: extra ones dropped, missing ones nil. Returns how many
    /// were delivered.
    @inline(__always)
    func moveResults(to dst: Int, from src: Int, count n: Int, wanted: Int) throws(LuaError) -> Int {
        let s = stack
        let delivered = wanted < 0 ? n : wanted
        if delivered <= n {
            for i in 0..<delivered { s[dst &+ i] = s[src &+ i] }
        } else {
            for i in 0..<n { s[dst &+ i] = s[src &+ i] }
            try ensureStack(dst + wanted + 1)
            let s2 = stack
            for i in n..<wanted { s2[dst &+ i] = .nil }
            raiseHighWater(dst + wanted)
        }
        return delivered
    }

    /// ``finishReturn(_:src:count:)`` for every kind of frame and caller.
    @inline(never)
    private func finishReturnInGeneral(_ fi: Int, src: Int, count n: Int) throws(LuaError) -> Next {
        var fi = fi
        var src = src
        var n = n
        while true {
            let fr = th.pointee.frames + fi
            let dst = Int(fr.pointee.function)
            let flags = fr.pointee.flags
            if _slowPath(flags & CallFrame.Flag.hooked != 0), try returnHook(fi, src: src, count: n) { return .run }
            let delivered = try moveResults(to: dst, from: src, count: n, wanted: Int(fr.pointee.wanted))
            let newTop = dst + delivered
            if !fr.pointee.isLua { dropContinuation(fr) }
            th.pointee.frameCount = fi
            if flags & CallFrame.Flag.entry != 0 {
                return .exit(.finished(at: dst, count: delivered))
            }
            let caller = th.pointee.frames + (fi - 1)
            if flags & (CallFrame.Flag.interrupt | CallFrame.Flag.hookCall) != 0 {
                if flags & CallFrame.Flag.interrupt != 0 { return .run }
                // A hook returned: the hooked frame carries on (or finishes its return).
                guard let pending = hookReturned(fi) else { return .run }
                fi = pending.frame
                src = pending.source
                n = pending.count
                continue
            }
            if caller.pointee.isLua {
                if flags & CallFrame.Flag.tailHost != 0 {
                    // Finish the TAILCALL: the Lua frame returns what the host returned.
                    finishTailCallOfHost(caller)
                    fi -= 1
                    src = dst
                    n = delivered
                    continue
                }
                th.pointee.top = newTop
                if caller.pointee.flags & CallFrame.Flag.finishOp != 0 {
                    caller.pointee.flags &= ~CallFrame.Flag.finishOp
                    return try finishOp(caller, resultAt: dst)
                }
                return .run
            }
            // A host frame waits for these results.
            caller.pointee.top = Int32(newTop)
            caller.pointee.flags &= ~(CallFrame.Flag.protected | CallFrame.Flag.noYield)
            if caller.pointee.continuation == CallFrame.resumable {
                // A continuation object (a sort's comparisons): it stays in the slot.
                switch try continueResumable(fi - 1, delivered: delivered) {
                case .returned(let at, let count):
                    fi -= 1
                    src = at
                    n = count
                    continue
                case .next(let next):
                    return next
                }
            }
            let k = takeContinuation(caller)
            guard let k else {
                // A tail call from the host: the callee's results are the host's results.
                fi -= 1
                src = dst
                n = delivered
                continue
            }
            var ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi - 1)
            let outcome: LuaCallOutcome
            do { outcome = try k(&ctx, .returned(count: delivered)) } catch { throw asLuaError(error) }
            switch try handleOutcome(fi - 1, consume outcome) {
            case .returned(let at, let count):
                fi -= 1
                src = at
                n = count
            case .next(let next):
                return next
            }
        }
    }

    enum OutcomeAction {
        case returned(at: Int, count: Int)
        case next(Next)
    }

    /// Acts on what a host function (or continuation) at frame `fi` returned.
    func handleOutcome(_ fi: Int, _ outcome: consuming LuaCallOutcome) throws(LuaError) -> OutcomeAction {
        let fr = th.pointee.frames + fi
        let top = Int(fr.pointee.top)
        switch consume outcome {
        case .results(let n):
            // Host API misuse becomes a Lua error, not a trap.
            guard n >= 0 && n <= top - Int(fr.pointee.base) + 1 else {
                throw .plain("host function returned more results than it pushed")
            }
            return .returned(at: top - n, count: n)
        case .call(let arguments, let then, let protected, let yieldable):
            let f = try calleeSlot(fr, top: top, arguments: arguments)
            if let then { storeContinuation(fr, then) }
            if yieldable { fr.pointee.flags &= ~CallFrame.Flag.noYield } else { fr.pointee.flags |= CallFrame.Flag.noYield }
            if protected {
                fr.pointee.flags |= CallFrame.Flag.protected
                fr.pointee.pc = Int32(f)  // the level errors unwind to
            }
            return try pushCallFromHost(fr, f, top: top)
        case .callAgain(let arguments):
            let f = try calleeSlot(fr, top: top, arguments: arguments)
            guard fr.pointee.continuation == CallFrame.resumable else {
                throw .plain("host function called again without a resumable continuation")
            }
            fr.pointee.flags |= CallFrame.Flag.noYield
            return try pushCallFromHost(fr, f, top: top)
        case .callResuming(let arguments, let resumable):
            let f = try calleeSlot(fr, top: top, arguments: arguments)
            storeResumable(fr, resumable)
            fr.pointee.flags |= CallFrame.Flag.noYield
            return try pushCallFromHost(fr, f, top: top)
        case .yield(let count, let then):
            // No position: PUC raises these with a C function running (luaG_runerror).
            if th.pointee.isMain { throw .plain("attempt to yield from outside a coroutine") }
            if !isYieldable(below: fi) { throw .plain("attempt to yield across a C-call boundary") }
            if let then { storeContinuation(fr, then) }
            return .next(.exit(.yielded(at: top - count, count: count)))
        case .resume(let thread, let arguments, let then):
            storeContinuation(fr, then)
            return .next(.exit(.resume(thread: thread, at: top - arguments, count: arguments)))
        case .suspend(let then):
            storeContinuation(fr, then)
            g.pointee.services.resumeSuspended = true
            return .next(.exit(.paused))
        case .sequence(let stepper):
            let box: Gc<LuaUserdata>
            do { box = try mc.allocate(LuaUserdata(payload: LuaSequenceBox(stepper: stepper))) } catch {
                throw .outOfMemory(mc)
            }
            try ensureStack(top + 1 + 20)
            stack[top] = LuaValue(tag: .userdata, object: box.erased)
            raiseHighWater(top + 1)
            fr.pointee.top = Int32(top + 1)
            fr.pointee.varargCount = Int32(top)
            fr.pointee.flags |= CallFrame.Flag.sequence
            return .next(.run)
        }
    }

    /// The stack index of the function a host frame asks to call with `arguments` values.
    @inline(__always)
    func calleeSlot(_ fr: UnsafeMutablePointer<CallFrame>, top: Int, arguments: Int) throws(LuaError) -> Int {
        let f = top - arguments - 1
        guard arguments >= 0 && f >= Int(fr.pointee.base) else {
            throw .plain("host function called with too few stack values")
        }
        return f
    }

    /// Pushes the call a host frame `fr` asked for, of the function at `f`, one host-call
    /// level deeper.
    @inline(__always)
    func pushCallFromHost(_ fr: UnsafeMutablePointer<CallFrame>, _ f: Int, top: Int) throws(LuaError) -> OutcomeAction {
        // PUC's C-stack limit: without it `local function f() return pcall(f) end`
        // nests 100,000 deep and returns quadratically many results.
        let depth = fr.pointee.hostDepth &+ 1
        if depth >= LuaThread.maxHostCallDepth { throw .plain("C stack overflow") }
        if stack[f].tag == .luaFunction {
            // The common case (a comparator, a gsub replacement, a pcall body): the callee's
            // frame straight away, at its depth.
            _ = try pushLuaFrame(f, top: top, wanted: -1, flags: CallFrame.Flag.hostCaller, hostDepth: depth)
            return .next(.run)
        }
        try pushCall(f, top: top, wanted: -1)
        let pushed = th.pointee.frames + (th.pointee.frameCount - 1)
        pushed.pointee.hostDepth = depth
        // `__call` may have led to a Lua function.
        if pushed.pointee.isLua { pushed.pointee.flags |= CallFrame.Flag.hostCaller }
        return .next(.run)
    }

    /// Polls the sequence of the host frame on top once, with the slice's fuel.
    func pollSequence(fuel: inout Int) throws(LuaError) -> Next {
        let fi = th.pointee.frameCount - 1
        let fr = th.pointee.frames + fi
        let slot = Int(fr.pointee.varargCount)
        let u = stack[slot].object.unsafeCast(to: LuaUserdata.self)
        guard var box = u.value.payload as? LuaSequenceBox else { throw .runtime("corrupt sequence frame") }
        var f = Fuel(max(fuel, 1))
        let poll = box.stepper.poll(mc, &f)
        fuel -= max(1, max(fuel, 1) - f.remaining)
        u.write(mc).value.payload = box
        switch poll {
        case .ready(let values):
            fr.pointee.top = Int32(slot)
            let ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi)
            for v in values { try ctx.push(v) }
            fr.pointee.flags &= ~CallFrame.Flag.sequence
            return try finishReturn(fi, src: slot, count: values.count)
        case .pending:
            return .exit(.paused)
        case .failed(let e):
            throw e
        case .request(.async(let request)):
            g.pointee.services.asyncRequest = request
            return .exit(.paused)
        case .request(let other):
            throw .runtime("unsupported sequence request: \(other)")
        }
    }

    /// Whether no host frame below `fi` (down to the coroutine's entry) waits for a call that
    /// cannot be suspended.
    func isYieldable(below fi: Int) -> Bool {
        var i = fi - 1
        while i >= 0 {
            let f = th.pointee.frames + i
            if f.pointee.flags & CallFrame.Flag.noYield != 0 { return false }
            if f.pointee.flags & CallFrame.Flag.entry != 0 { break }
            i -= 1
        }
        return true
    }

    /// Calls the host function at `f` straight from a Lua CALL (PUC's `precallC`): pushes its
    /// frame, runs its body and, when it returns results at once, moves them to `f` and pops
    /// the frame, so the Lua caller carries on in the interpreter's inner loop.
    ///
    /// Returns nil when the results are in place; anything else the body asked for (a call,
    /// a yield, a sequence) goes through ``handleOutcome(_:_:)`` and the returned ``Next``
    /// says how to go on. Only called without hooks (`slowPathFlags == 0`), so unless the
    /// body flags its own frame the return needs none of `finishReturn`'s special cases: its
    /// caller is a Lua frame, no hook, no tail call, no pending operation.
    @inline(never)
    func callHost(_ f: Int, top: Int, wanted: Int, hostDepth: Int32) throws(LuaError) -> Next? {
        try ensureStack(top &+ 20)
        raiseHighWater(top)
        // Stack indices are below the stack limit, so the conversions cannot truncate.
        var newFrame = CallFrame(
            function: Int32(truncatingIfNeeded: f), base: Int32(truncatingIfNeeded: f &+ 1),
            top: Int32(truncatingIfNeeded: top), pc: 0, wanted: Int16(truncatingIfNeeded: wanted),
            flags: 0, varargCount: 0, continuation: -1)
        newFrame.hostDepth = hostDepth
        _ = try th.pushFrame(mc, newFrame)
        let fi = th.pointee.frameCount &- 1
        let fn = stack[f].object.unsafeCast(to: LuaHostFunction.self)
        let intrinsic = fn.value.intrinsic
        if _slowPath(intrinsic != .none), let next = startIntrinsic(intrinsic, fn, frame: fi, at: f, top: top) {
            return next
        }
        var ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi)
        let outcome: LuaCallOutcome
        do { outcome = try fn.value.body(&ctx) } catch { throw asLuaError(error) }
        switch consume outcome {
        case .results(let n):
            let fr = th.pointee.frames + fi   // re-derived: the body may have moved the frames
            let resultTop = Int(fr.pointee.top)
            // Host API misuse becomes a Lua error, not a trap (as in `handleOutcome`).
            guard n >= 0 && n <= resultTop - Int(fr.pointee.base) + 1 else {
                throw .plain("host function returned more results than it pushed")
            }
            let src = resultTop &- n
            // The body may have flagged its own frame (`debug.sethook` hooks the frames under
            // way, so its own return is hooked): then return the general way.
            if _slowPath(fr.pointee.flags != 0) { return try finishReturn(fi, src: src, count: n) }
            let delivered = try placeResults(at: f, from: src, count: n, wanted: wanted)
            th.pointee.frameCount = fi
            th.pointee.top = f &+ delivered
            return nil
        case let other:
            switch try handleOutcome(fi, consume other) {
            case .returned(let at, let count):
                return try finishReturn(fi, src: at, count: count)
            case .next(let next):
                return next
            }
        }
    }

    /// Moves `n` results from `src` down to `dst`, adjusted to `wanted` (-1: all), and
    /// returns how many there are then. Stack indices are below the stack limit, so the
    /// arithmetic cannot overflow.
    @inline(__always)
    func placeResults(at dst: Int, from src: Int, count n: Int, wanted: Int) throws(LuaError) -> Int {
        let s = stack
        if wanted < 0 || wanted <= n {
            let delivered = wanted < 0 ? n : wanted
            for j in 0..<delivered { s[dst &+ j] = s[src &+ j] }
            return delivered
        }
        for j in 0..<n { s[dst &+ j] = s[src &+ j] }
        try ensureStack(dst &+ wanted &+ 1)
        let s2 = stack
        for j in n..<wanted { s2[dst &+ j] = .nil }
        raiseHighWater(dst &+ wanted)
        return wanted
    }

    /// Returns `n` results at `src` from the host frame `fi` on top: in place when its
    /// caller is a Lua frame that waits for nothing else (as `callHost` does), otherwise
    /// the general way (``finishReturn(_:src:count:)``).
    @inline(__always)
    func returnFromHostFrame(_ fi: Int, src: Int, count n: Int) throws(LuaError) -> Next {
        let fr = th.pointee.frames + fi
        if _slowPath(fi == 0 || !CallFrame.returnsInPlace(fr)) {
            return try finishReturn(fi, src: src, count: n)
        }
        let dst = Int(fr.pointee.function)
        let delivered = try placeResults(at: dst, from: src, count: n, wanted: Int(fr.pointee.wanted))
        th.pointee.frameCount = fi
        th.pointee.top = dst &+ delivered
        return .run
    }

    /// Runs the body of the host frame on top of the stack.
    func runHostFrame() throws(LuaError) -> Next {
        let fi = th.pointee.frameCount - 1
        let fr = th.pointee.frames + fi
        let fn = stack[Int(fr.pointee.function)].object.unsafeCast(to: LuaHostFunction.self)
        let body = fn.value.body
        var ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi)
        let outcome: LuaCallOutcome
        do { outcome = try body(&ctx) } catch { throw asLuaError(error) }
        let action: OutcomeAction
        switch consume outcome {
        case .results(let n):
            if let next = try finishTailHost(fi, results: n) { return next }
            action = try handleOutcome(fi, .results(n))
        case let other:
            action = try handleOutcome(fi, consume other)
        }
        switch action {
        case .returned(let at, let count):
            return try finishReturn(fi, src: at, count: count)
        case .next(let next):
            return next
        }
    }

    /// `return f(...)` with a host function `f` (`return setmetatable(o, mt)`): when the host
    /// frame `fi` returned `n` results and is flagged only `tailHost`, the tail-calling Lua
    /// frame below returns them straight from where the host left them (PUC's
    /// `luaD_pretailcall` runs a C function at once, then OP_TAILCALL's `luaD_poscall`),
    /// instead of `finishReturnInGeneral` moving them to the host frame's slot first. Nil when
    /// the general way must run (hooks, a continuation, API misuse).
    @inline(__always)
    private func finishTailHost(_ fi: Int, results n: Int) throws(LuaError) -> Next? {
        let fr = th.pointee.frames + fi   // re-derived: the body may have moved the frames
        guard fr.pointee.flags == CallFrame.Flag.tailHost, fr.pointee.continuation == -1, fi > 0 else { return nil }
        let caller = fr - 1
        let resultTop = Int(fr.pointee.top)
        guard caller.pointee.isLua, n >= 0, n <= resultTop - Int(fr.pointee.base) + 1 else { return nil }
        th.pointee.frameCount = fi
        finishTailCallOfHost(caller)
        return try finishReturn(fi - 1, src: resultTop - n, count: n)
    }

    /// Delivers a status to the continuation of the host frame on top (after a resume or
    /// an unwound error), then carries on like a return.
    func deliver(_ status: LuaCallStatus) throws(LuaError) -> Next {
        let fi = th.pointee.frameCount - 1
        let fr = th.pointee.frames + fi
        if fr.pointee.continuation == CallFrame.intrinsicDelivery { return try deliverIntrinsic(fi, status) }
        if fr.pointee.continuation == CallFrame.resumable {
            switch try handleOutcome(fi, try runResumable(fi, status)) {
            case .returned(let at, let count):
                return try finishReturn(fi, src: at, count: count)
            case .next(let next):
                return next
            }
        }
        guard let k = takeContinuation(fr) else {
            // No continuation: a yield without one returns the resume values as results.
            switch status {
            case .returned(let n), .yielded(let n):
                return try returnFromHostFrame(fi, src: Int(fr.pointee.top) - n, count: n)
            case .failed(let e):
                throw e
            }
        }
        return try runContinuation(fi, k, status)
    }

    /// Runs continuation `k` of host frame `fi` with `status`, and acts on its outcome.
    func runContinuation(_ fi: Int, _ k: LuaContinuation, _ status: LuaCallStatus) throws(LuaError) -> Next {
        var ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi)
        let outcome: LuaCallOutcome
        do { outcome = try k(&ctx, status) } catch { throw asLuaError(error) }
        switch try handleOutcome(fi, consume outcome) {
        case .returned(let at, let count):
            return try finishReturn(fi, src: at, count: count)
        case .next(let next):
            return next
        }
    }

    // MARK: Continuation storage

    /// Stores `k` for frame `fr` (taking the caller's reference: no retain when the caller
    /// passes its last use).
    func storeContinuation(_ fr: UnsafeMutablePointer<CallFrame>, _ k: consuming @escaping LuaContinuation) {
        let i = fr - th.pointee.frames
        // SAFETY: `fr` is one of the thread's frames, so `i` < frameCapacity, the slot count.
        th.pointee.continuations[i].body = k
        // A continuation object this frame held is done with.
        if _slowPath(fr.pointee.continuation == CallFrame.resumable) { th.pointee.continuations[i].resumable = nil }
        fr.pointee.continuation = 1
    }

    /// Moves the continuation of frame `fr` out of its slot (no retain and release: the
    /// slot's reference becomes the caller's).
    func takeContinuation(_ fr: UnsafeMutablePointer<CallFrame>) -> LuaContinuation? {
        guard fr.pointee.continuation == 1 else { return nil }
        let i = fr - th.pointee.frames
        fr.pointee.continuation = -1
        // SAFETY: as in `storeContinuation`; the slot is left nil.
        return th.pointee.continuations[i].body.take()
    }

    func dropContinuation(_ fr: UnsafeMutablePointer<CallFrame>) {
        if fr.pointee.continuation == CallFrame.resumable {
            // SAFETY: as in `storeContinuation`.
            th.pointee.continuations[fr - th.pointee.frames].resumable = nil
            fr.pointee.continuation = -1
            return
        }
        _ = takeContinuation(fr)
    }

    /// "attempt to call a X value (global 'f')".
    func callError(_ f: Int) throws(LuaError) -> LuaError {
        let v = stack[f]
        let info = LuaDebug.callVariableInfo(g, L, functionSlot: f)
        let message = "attempt to call a \(LuaDebug.typeName(g, v)) value\(info)"
        // PUC's luaG_runerror: a position only when a Lua function is running (a host
        // function's failed call reports none, nor does an entry call on an idle thread, whose
        // `currentFrame` would lie before the frame buffer: AddressSanitizer caught the REPL
        // reading it when `print` was nil).
        let inLua = th.pointee.frameCount > 0 && th.currentFrame.pointee.isLua
        return inLua ? .runtime(message) : .plain(message)
    }
}
