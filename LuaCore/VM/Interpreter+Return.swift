import GCArena

// RETURN, TAILCALL, VARARG/VARARGPREP, CLOSE/TBC and the numeric for-loop preparation.
//
// Lua frames reuse the `continuation` field (unused by Lua code) as scratch: a pending
// result count for a RETURN that is closing variables, or the stack top of a CONCAT
// waiting for `__concat`.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

extension VM {
    /// RETURN. The common case runs here without callee-saved registers (papers/luacore-vm.md,
    /// thirteenth step): a plain Lua frame (perhaps tail-called) returning to a Lua caller
    /// that waits for no metamethod result, no to-be-closed variable pending, no upvalue to
    /// close that needs the write barrier's slow path, and a fixed result count (B > 0) of
    /// which the caller takes at most two and no more than there are (no stack room, nil
    /// filling or loop). It closes the frame's upvalues (`return function ... end` closing a
    /// captured parameter), drops a vararg frame by starting the results' destination below
    /// it, moves the results and pops the frame, as ``returnOpInGeneral(_:_:)`` does. Every
    /// other case goes there, perhaps with some upvalues already closed, which it would
    /// have closed first itself: the one call site keeps the prologue off the common case.
    @inline(never)
    func returnOp(_ i: UInt32, _ frame: UnsafeMutablePointer<CallFrame>, _ base: UnsafeMutablePointer<LuaValue>) throws(LuaError) -> Next {
        guard frame.pointee.flags & ~CallFrame.Flag.tail == CallFrame.Flag.lua,
              (frame - 1).pointee.flags & (CallFrame.Flag.lua | CallFrame.Flag.finishOp) == CallFrame.Flag.lua else {
            return try returnOpInGeneral(i, frame)
        }
        let level = Int(frame.pointee.base)
        if argK(i) {
            if _slowPath(pendingToBeClosed(above: level)) || !closeUpvaluesWithoutBarrier(level) {
                return try returnOpInGeneral(i, frame)
            }
        }
        // Checked after closing, so that the closing loop holds fewer values. A caller
        // wanting all (-1) takes `n`; `count < B` is `count <= n` and fails for B = 0 (results
        // up to the top), and at most two are moved.
        let n = argB(i) &- 1
        let count = frame.pointee.wanted < 0 ? n : Int(frame.pointee.wanted)
        guard UInt(bitPattern: count) < min(UInt(argB(i)), 3) else { return try returnOpInGeneral(i, frame) }
        var dst = Int(frame.pointee.function)
        if _slowPath(argC(i) != 0) { dst &-= Int(frame.pointee.varargCount) &+ argC(i) }
        let s = stack
        let from = s + (level &+ argA(i))
        if count != 0 {
            s[dst] = from[0]
            if count == 2 { s[dst &+ 1] = from[1] }
        }
        // The frame is not an entry frame, so one lies below it: the count stays positive.
        th.pointee.frameCount &-= 1
        th.pointee.top = dst &+ count
        return .run
    }

    /// ``returnOp(_:_:_:)`` for every case.
    @inline(never)
    private func returnOpInGeneral(_ i: UInt32, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Next {
        let first = Int(frame.pointee.base) + argA(i)
        var n = argB(i) - 1
        if n < 0 {
            n = frame.pointee.continuation > 0 ? Int(frame.pointee.continuation) - 1 : th.pointee.top - first
        }
        if argK(i) {
            closeUpvalues(Int(frame.pointee.base))
            if pendingToBeClosed(above: Int(frame.pointee.base)) {
                frame.pointee.continuation = Int32(n + 1)
                let above = max(Int(frame.pointee.top), first + n)
                _ = try closeOne(frame, at: above, repeatAt: Int(frame.pointee.pc) - 1, error: .nil)
                return .run
            }
            frame.pointee.continuation = -1
        }
        dropVarargFrame(frame, c: argC(i))
        return try finishReturn(th.pointee.frameCount - 1, src: first, count: n)
    }

    /// RETURN0/RETURN1 when the fast path does not apply.
    @inline(never)
    func returnValues(_ frame: UnsafeMutablePointer<CallFrame>, first: Int, count: Int) throws(LuaError) -> Next {
        // `frame` is the top frame; deriving it again keeps the loop's call unchanged (the
        // compiler drops the unused argument, as before).
        try finishReturn(th.pointee.frameCount &- 1, src: first, count: count)
    }

    /// TAILCALL: replaces `frame` with the callee's, in its slot, when the callee is a Lua
    /// function and returns it; nil when the outer loop must run what was pushed above
    /// `frame` (a host function, or a `__call` chain). The loop goes round its outer loop
    /// either way: entering the callee in place, as CALL does, moved the loop's dispatch
    /// (papers/luacore-vm.md, eighth step).
    ///
    /// The common case runs here without callee-saved registers (papers/luacore-vm.md, tenth
    /// step): no upvalues to close, no vararg frame to drop, a Lua callee without varargs
    /// given all its fixed parameters, and stack room already there. It builds the frame
    /// ``tailCallInGeneral(_:_:)`` builds with ``luaFrame(_:top:wanted:flags:hostDepth:)``
    /// for that case, leaving the fields a tail call keeps (function, base, wanted) alone.
    /// Stack indices are below the thread's capacity, so the arithmetic wraps and the
    /// `Int32` conversions truncate without checks.
    @inline(never)
    func tailCall(_ i: UInt32, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> UnsafeMutablePointer<CallFrame>? {
        // Bit k (upvalues to close) and C (the vararg frame's size) are both zero.
        guard i & (1 << 15 | 0xFF00_0000) == 0 else { return try tailCallInGeneral(frame) }
        let t = th
        let ra = Int(frame.pointee.base) &+ argA(i)
        let b = argB(i)
        let n = b != 0 ? b &- 1 : t.pointee.top &- ra &- 1
        let callee = t.pointee.stack + ra
        guard callee.pointee.tag == .luaFunction else { return try tailCallInGeneral(frame) }
        let p = callee.pointee.object.unsafeCast(to: LuaClosure.self).value.proto.unsafeMutablePointer
        guard !p.pointee.isVararg, n >= p.pointee.numParams else { return try tailCallInGeneral(frame) }
        // Without a vararg frame to drop, `function` is `base - 1`.
        guard Int(frame.pointee.base) &+ p.pointee.maxStackSize &+ 5 <= t.pointee.stackCapacity else {
            return try tailCallInGeneral(frame)
        }
        let s = t.pointee.stack + Int(frame.pointee.function)
        var j = 0
        repeat { s[j] = callee[j]; j &+= 1 } while j <= n
        let frameTop = Int(frame.pointee.base) &+ p.pointee.maxStackSize
        // As in `luaFrame`: the arguments, moved down, already lie below the high-water mark.
        raiseHighWater(frameTop)
        // The frame `luaFrame` builds in this case (whose stack growth and nil filling the
        // checks above make dead code, which the compiler does not see after the copy),
        // every field through `CallFrame`'s initializer as there.
        var callFrame = CallFrame(
            function: frame.pointee.function, base: frame.pointee.base,
            top: Int32(truncatingIfNeeded: frameTop), pc: 0, wanted: frame.pointee.wanted,
            flags: CallFrame.Flag.lua | CallFrame.Flag.tail | frame.pointee.flags & CallFrame.Flag.keptByTailCall,
            varargCount: Int32(truncatingIfNeeded: n), continuation: -1,
            code: p.pointee.code, constants: p.pointee.constants,
            upvalues: s.pointee.object.unsafeCast(to: LuaClosure.self).value.upvalues)
        callFrame.hostDepth = t.pointee.frameCount > 1 ? (frame - 1).pointee.hostDepth : 0
        frame.pointee = callFrame
        return frame
    }

    /// ``tailCall(_:_:)`` for every case.
    @inline(never)
    private func tailCallInGeneral(_ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> UnsafeMutablePointer<CallFrame>? {
        let i = frame.pointee.code.unsafelyUnwrapped[Int(frame.pointee.pc) &- 1]  // the TAILCALL (pc saved past it)
        let ra = Int(frame.pointee.base) + argA(i)
        let b = argB(i)
        let n = b != 0 ? b - 1 : th.pointee.top - ra - 1
        if argK(i) { closeUpvalues(Int(frame.pointee.base)) }
        if stack[ra].tag != .luaFunction {
            // A host function runs on top of this frame (so it can see its caller, as
            // PUC's precallC does); its results then return from this frame.
            try pushCall(ra, top: ra + 1 + n, wanted: -1, flags: CallFrame.Flag.tailHost)
            return nil
        }
        dropVarargFrame(frame, c: argC(i))
        let f = Int(frame.pointee.function)
        let s = stack
        for j in 0...n { s[f &+ j] = s[ra &+ j] }
        // The callee takes this frame's slot in place (PUC's `luaD_pretailcall`) instead of a
        // pop and a push, at the depth of the frame below, as a pushed frame would be.
        let fi = th.pointee.frameCount &- 1
        frame.pointee = try luaFrame(
            f, top: f &+ 1 &+ n, wanted: Int(frame.pointee.wanted),
            flags: CallFrame.Flag.tail | frame.pointee.flags & CallFrame.Flag.keptByTailCall,
            hostDepth: fi > 0 ? (frame - 1).pointee.hostDepth : 0)
        return frame
    }

    /// RETURN's and TAILCALL's C: a vararg function's frame (C > 0, its fixed parameter count
    /// plus one) starts below its extra arguments, where VARARGPREP left them.
    @inline(__always)
    func dropVarargFrame(_ frame: UnsafeMutablePointer<CallFrame>, c: Int) {
        if c > 0 { frame.pointee.function -= frame.pointee.varargCount + Int32(c) }
    }

    /// Finishes the TAILCALL in the Lua frame `caller` whose host callee has returned (the
    /// host frame is flagged `tailHost`): the frame returns its callee's results, as RETURN
    /// would, so it drops its vararg frame first.
    @inline(__always)
    func finishTailCallOfHost(_ caller: UnsafeMutablePointer<CallFrame>) {
        dropVarargFrame(caller, c: argC(currentCode(caller)[Int(caller.pointee.pc) - 1]))
    }

    @inline(never)
    func varargs(_ frame: UnsafeMutablePointer<CallFrame>, into a: Int, wanted: Int) throws(LuaError) {
        let n = Int(frame.pointee.varargCount)
        let dst = Int(frame.pointee.base) + a
        let count = wanted < 0 ? n : wanted
        try ensureStack(dst + count + 1)
        let s = stack
        let src = Int(frame.pointee.function) - n
        for j in 0..<count { s[dst + j] = j < n ? s[src + j] : .nil }
        if wanted < 0 { th.pointee.top = dst + n }
        raiseHighWater(dst + count)
    }

    /// Moves the function and fixed parameters above the actual arguments, leaving the
    /// extra arguments below the new frame (PUC's luaT_adjustvarargs).
    @inline(never)
    func varargPrep(_ frame: UnsafeMutablePointer<CallFrame>, fixed: Int, maxStack: Int) throws(LuaError) {
        let f = Int(frame.pointee.function)
        // The arguments passed (set by `luaFrame`); missing fixed parameters were nil-filled.
        let actual = max(Int(frame.pointee.varargCount), fixed)
        let newF = f + actual + 1
        try ensureStack(newF + 1 + maxStack + 5)
        let s = stack
        s[newF] = s[f]
        if fixed > 0 {
            for j in 1...fixed {
                s[newF + j] = s[f + j]
                s[f + j] = .nil
            }
        }
        frame.pointee.function = Int32(newF)
        frame.pointee.base = Int32(newF + 1)
        frame.pointee.top = Int32(newF + 1 + maxStack)
        frame.pointee.varargCount = Int32(actual - fixed)
        raiseHighWater(newF + 1 + maxStack)
    }

    /// FORPREP: checks and prepares a numeric loop; true when the loop runs zero times.
    @inline(never)
    func forPrep(_ ra: UnsafeMutablePointer<LuaValue>) throws(LuaError) -> Bool {
        let initV = ra[0], limitV = ra[1], stepV = ra[2]
        if initV.tag == .integer && stepV.tag == .integer {
            let initial = initV.integer, step = stepV.integer
            if step == 0 { throw .runtime("'for' step is zero") }
            ra[3] = initV
            guard let limitN = LuaVM.toNumber(limitV) else { throw forError("limit", limitV) }
            let limit: Int64
            if limitN.tag == .integer {
                limit = limitN.integer
            } else {
                let fl = limitN.float
                if fl.isNaN { return true }
                if let li = step < 0 ? LuaArith.floatToIntegerCeil(fl) : LuaArith.floatToIntegerFloor(fl) {
                    limit = li
                } else if fl > 0 {
                    if step < 0 { return true }
                    limit = Int64.max
                } else {
                    if step > 0 { return true }
                    limit = Int64.min
                }
            }
            if step > 0 ? initial > limit : initial < limit { return true }
            var count: UInt64
            if step > 0 {
                count = UInt64(bitPattern: limit) &- UInt64(bitPattern: initial)
                if step != 1 { count /= UInt64(bitPattern: step) }
            } else {
                count = UInt64(bitPattern: initial) &- UInt64(bitPattern: limit)
                count /= UInt64(bitPattern: -(step &+ 1)) &+ 1
            }
            ra[1] = LuaValue(Int64(bitPattern: count))
            return false
        }
        guard let i0 = LuaVM.toNumber(initV)?.asDouble else { throw forError("initial value", initV) }
        guard let l0 = LuaVM.toNumber(limitV)?.asDouble else { throw forError("limit", limitV) }
        guard let s0 = LuaVM.toNumber(stepV)?.asDouble else { throw forError("step", stepV) }
        if s0 == 0 { throw .runtime("'for' step is zero") }
        if s0 > 0 ? l0 < i0 : i0 < l0 { return true }
        ra[0] = LuaValue(i0)
        ra[1] = LuaValue(l0)
        ra[2] = LuaValue(s0)
        ra[3] = LuaValue(i0)
        return false
    }

    func forError(_ what: String, _ v: LuaValue) -> LuaError {
        .runtime("bad 'for' \(what) (number expected, got \(LuaDebug.typeName(g, v)))")
    }

    // MARK: To-be-closed variables

    /// TBC: registers the variable at `level` (nil and false are ignored).
    @inline(never)
    func markToBeClosed(_ level: Int) throws(LuaError) {
        let v = stack[level]
        if v.isFalsy { return }
        if LuaMeta.metamethod(g, v, .close).isNil {
            let name = LuaDebug.localName(g, L, stackLevel: level) ?? "?"
            throw .runtime("variable '\(name)' got a non-closable value")
        }
        try th.pushTBC(mc, level)
    }

    func pendingToBeClosed(above level: Int) -> Bool {
        th.pointee.tbcCount > 0 && Int(th.pointee.tbc[th.pointee.tbcCount - 1]) >= level
    }

    /// CLOSE: closes upvalues and the next pending to-be-closed variable at or above
    /// `level`; the instruction repeats until none is left. True when `__close` was called.
    @inline(never)
    func closeLevel(_ level: Int, _ frame: UnsafeMutablePointer<CallFrame>, repeatAt: Int) throws(LuaError) -> Bool {
        closeUpvalues(level)
        guard pendingToBeClosed(above: level) else { return false }
        return try closeOne(frame, at: Int(frame.pointee.top), repeatAt: repeatAt, error: .nil)
    }

    /// Calls `__close` of the newest pending to-be-closed variable; when it returns, the
    /// instruction that closes (CLOSE or RETURN, just before the frame's pc) runs again.
    func closeOne(_ frame: UnsafeMutablePointer<CallFrame>, at position: Int, repeatAt: Int, error: LuaValue) throws(LuaError) -> Bool {
        th.pointee.tbcCount -= 1
        let level = Int(th.pointee.tbc[th.pointee.tbcCount])
        let v = stack[level]
        let tm = LuaMeta.metamethod(g, v, .close)
        frame.pointee.flags |= CallFrame.Flag.finishOp
        return try callMetamethod(tm, v, error, frame, wanted: 0, at: position, event: .close)
    }
}
