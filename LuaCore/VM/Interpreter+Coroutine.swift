import GCArena

// Coroutine switches the VM performs itself (PUC's lua_resume/lua_yield as seen from a Lua
// CALL): when a Lua instruction calls `coroutine.resume`, `coroutine.yield` or a
// `coroutine.wrap` function, `callHost` asks `startIntrinsic` before running the body. The
// host frame is pushed as for any call (tracebacks and `debug.getinfo` see it), but no body
// runs, no outcome is built and no continuation is stored: the frame is marked with
// `CallFrame.intrinsicDelivery`, and the values the coroutine yields or returns are put in
// place by `deliverIntrinsic`. Only an error goes through the library's continuation
// (`LuaHostFunction.intrinsicFailure`), as it would without the intrinsic.
//
// The switch itself is the executor's (`resume`, `yieldToResumer`, `handOver`): the loop
// still leaves `execute` once per switch, so every switch stays a safe point.
//
// SAFETY: frame pointers here point into a thread's frame array (the running thread's, or
// the thread being switched to), and stack pointers into that thread's stack. They are
// re-derived after anything that can grow an array (`ensureStack`); the direct switches check
// the room they need first and take the general path rather than grow anything.

extension CallFrame {
    /// `continuation` of a host frame whose coroutine's results the VM delivers itself.
    static let intrinsicDelivery: Int32 = -2

    /// Whether host frame `fr` (not a thread's first frame) can return its results in place:
    /// it has no flags, and its caller is a Lua frame that waits for no pending operation.
    @inline(__always)
    static func returnsInPlace(_ fr: UnsafeMutablePointer<CallFrame>) -> Bool {
        fr.pointee.flags == 0
            && (fr - 1).pointee.flags & (Flag.lua | Flag.finishOp) == Flag.lua
    }
}

extension VM {
    /// Starts the switch of intrinsic `kind`, called at stack index `f` with arguments up to
    /// `top` by host frame `fi` (already pushed), or returns nil when the function's body
    /// must run instead (a non-thread argument, a yield that is not allowed: the body raises
    /// the error).
    @inline(never)
    func startIntrinsic(_ kind: LuaHostIntrinsic, _ fn: Gc<LuaHostFunction>, frame fi: Int,
                        at f: Int, top: Int) -> Next? {
        let fr = th.pointee.frames + fi
        let nargs = top &- f &- 1
        switch kind {
        case .none:
            return nil
        case .yield:
            if th.pointee.isMain || !isYieldable(below: fi) { return nil }
            return .exit(.yielded(at: f &+ 1, count: nargs))
        case .resume:
            guard nargs >= 1, stack[f &+ 1].tag == .thread else { return nil }
            fr.pointee.continuation = CallFrame.intrinsicDelivery
            let co = stack[f &+ 1].object.unsafeCast(to: LuaThread.self)
            return .exit(.resume(thread: co, at: f &+ 2, count: nargs &- 1))
        case .wrap:
            guard let first = fn.value.upvalues.first, first.tag == .thread else { return nil }
            fr.pointee.continuation = CallFrame.intrinsicDelivery
            return .exit(.resume(thread: first.object.unsafeCast(to: LuaThread.self), at: f &+ 1, count: nargs))
        }
    }

    /// Delivers what the coroutine resumed by the intrinsic host frame `fi` (the top frame)
    /// yielded, returned or raised: the values sit at the frame's top.
    func deliverIntrinsic(_ fi: Int, _ status: LuaCallStatus) throws(LuaError) -> Next {
        let fr = th.pointee.frames + fi
        fr.pointee.continuation = -1
        let fn = stack[Int(fr.pointee.function)].object.unsafeCast(to: LuaHostFunction.self)
        switch status {
        case .returned(let n), .yielded(let n):
            let top = Int(fr.pointee.top)
            if fn.value.intrinsic != .resume { return try returnFromHostFrame(fi, src: top &- n, count: n) }
            // `true` goes below the values: into the coroutine argument's slot, which
            // `resume` left just below them.
            var src = top &- n &- 1
            if _slowPath(src < Int(fr.pointee.base)) {
                try ensureStack(top &+ 1 &+ 20)
                let s = stack
                var j = top
                while j > top &- n { s[j] = s[j &- 1]; j &-= 1 }
                raiseHighWater(top &+ 1)
                src = top &- n
            }
            stack[src] = .true
            return try returnFromHostFrame(fi, src: src, count: n &+ 1)
        case .failed(let e):
            guard let k = fn.value.intrinsicFailure else { throw e }
            return try runContinuation(fi, k, status)
        }
    }
}

extension VM {
    /// Carries out inside the interpreter loop the coroutine switch that `r` asks for, as
    /// the executor would: returns nil when the loop goes on with the thread now running
    /// (which `self` becomes), or the result for the executor (`r` itself when it is no
    /// switch: a pause, or the main thread's entry call finishing).
    @inline(never)
    mutating func switchThreads(_ r: ExecResult) throws(LuaError) -> ExecResult? {
        let next: ExecResult?
        switch r {
        case .resume(let co, let at, let count):
            if resumeDirectly(co, at: at, count: count) {
                L = co
                return nil
            }
            next = try resume(co, at: at, count: count)
        case .yielded(let at, let count):
            if let resumer = yieldDirectly(at: at, count: count) {
                L = resumer
                return nil
            }
            next = try yieldToResumer(at: at, count: count)
        case .finished(let at, let count) where !th.pointee.isMain:
            next = try finishCoroutine(at: at, count: count)
        default:
            return r
        }
        L = g.pointee.running
        return next
    }
}

// The common switches, fused: a coroutine suspended in a `yield` called from Lua code, and
// a resumer waiting in an intrinsic `resume`/wrap call from Lua code. The values go straight
// into the registers of the Lua frame that waits for them and the host frame in between is
// popped: what `resume`/`handOver` + `deliver` + `finishReturn` do, without the copy to the
// waiting frame's top and the general cases. Anything else (a first resume, a hook, a
// continuation, an open result count the stack cannot hold yet) takes the general way.

extension VM {
    /// Resumes `co` with the `count` values at `at` when it waits in a yield called from
    /// a Lua frame; returns false, having changed nothing, otherwise.
    @inline(__always)
    func resumeDirectly(_ co: Gc<LuaThread>, at: Int, count: Int) -> Bool {
        let cp = co.unsafeMutablePointer
        let fi = cp.pointee.frameCount &- 1
        guard g.pointee.slowPathFlags == 0, cp.pointee.status == .suspended, fi >= 1,
              g.pointee.resumeDepth < LuaThread.maxResumeDepth else { return false }
        let yf = cp.pointee.frames + fi
        guard yf.pointee.continuation == -1, CallFrame.returnsInPlace(yf) else { return false }
        let dst = Int(yf.pointee.function)
        let wanted = Int(yf.pointee.wanted)
        let delivered = wanted < 0 ? count : wanted
        let end = dst &+ max(count, delivered)
        guard end &+ 20 <= cp.pointee.stackCapacity else { return false }
        // This thread waits in the resume.
        g.pointee.resumeDepth &+= 1
        th.pointee.status = .normal
        th.currentFrame.pointee.top = Int32(truncatingIfNeeded: at)
        settle()
        cp.pointee.resumer = L
        cp.pointee.status = .running
        g.pointee.running = co
        moveValues(from: stack + at, count: count, to: cp, at: dst, delivered: delivered)
        cp.pointee.frameCount = fi
        cp.pointee.top = dst &+ delivered
        return true
    }

    /// Hands the `count` values at `at` this coroutine yields to its resumer when it waits
    /// in an intrinsic resume or wrap call from a Lua frame, and returns the resumer; returns
    /// nil, having changed nothing, otherwise.
    @inline(__always)
    func yieldDirectly(at: Int, count: Int) -> Gc<LuaThread>? {
        guard g.pointee.slowPathFlags == 0, let resumer = th.pointee.resumer else { return nil }
        let rp = resumer.unsafeMutablePointer
        let fi = rp.pointee.frameCount &- 1
        guard fi >= 1 else { return nil }
        let rf = rp.pointee.frames + fi
        guard rf.pointee.continuation == CallFrame.intrinsicDelivery, CallFrame.returnsInPlace(rf) else { return nil }
        let dst = Int(rf.pointee.function)
        let fn = rp.pointee.stack[dst].object.unsafeCast(to: LuaHostFunction.self)
        // resume's results start with `true`.
        let first = fn.value.intrinsic == .resume ? 1 : 0
        let n = count &+ first
        let wanted = Int(rf.pointee.wanted)
        let delivered = wanted < 0 ? n : wanted
        guard dst &+ max(n, delivered) &+ 20 <= rp.pointee.stackCapacity else { return nil }
        th.pointee.status = .suspended
        th.pointee.resumer = nil
        th.currentFrame.pointee.top = Int32(truncatingIfNeeded: at)
        settle()
        g.pointee.resumeDepth = max(0, g.pointee.resumeDepth &- 1)
        rp.pointee.status = .running
        g.pointee.running = resumer
        if first == 1 && delivered > 0 { rp.pointee.stack[dst] = .true }
        if delivered > first {
            moveValues(from: stack + at, count: count, to: rp, at: dst &+ first, delivered: delivered &- first)
        }
        rf.pointee.continuation = -1
        rp.pointee.frameCount = fi
        rp.pointee.top = dst &+ delivered
        return resumer
    }

    /// Copies `count` values to thread `t`'s stack at `dst`, as `delivered` results (cut, or
    /// padded with nil); the caller checked the room.
    @inline(__always)
    func moveValues(from src: UnsafeMutablePointer<LuaValue>, count: Int, to t: UnsafeMutablePointer<LuaThread>,
                    at dst: Int, delivered: Int) {
        let d = t.pointee.stack + dst
        let copied = min(count, delivered)
        for j in 0..<copied { d[j] = src[j] }
        if delivered > copied { for j in copied..<delivered { d[j] = .nil } }
        if dst &+ delivered > t.pointee.highWater { t.pointee.highWater = dst &+ delivered }
    }
}
