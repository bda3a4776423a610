import GCArena

// Debug hooks (debug.sethook) without Swift recursion and without cost when unused.
//
// A hook is an ordinary call: the VM pushes the hook function as a frame flagged
// `hookCall` on top of the hooked frame, and the loop runs it like any other call; when it
// returns (`hookReturned`), the hooked frame carries on. Nothing here runs unless some
// thread has a hook: the interpreter enters `hookCheck` only through the flag byte it
// already tests whenever it (re)enters a frame (`slowPathFlags`).
//
// - Call hooks fire when a frame is first entered (frames not yet flagged `hooked`).
// - Return hooks fire in `finishReturn` for `hooked` frames (the flag sends RETURN0/RETURN1
//   to the slow path), before the results move.
// - Line and count hooks single-step the interpreter: `hookCheck` decides the events of the
//   instruction at the frame's pc, then runs exactly that instruction by lending the loop a
//   fuel of 1; the loop's fuel check, already on the slow path, comes back here after it.

// SAFETY: frame pointers are re-derived from the thread after anything that can grow the
// frame array or the stack; stack slots written are below the capacity ensured just before.

/// What the interpreter does after `hookCheck`.
enum HookStep {
    /// Run the top frame now.
    case proceed
    /// A hook frame was pushed (or the frame changed): restart the loop.
    case run
    /// The fuel of the slice is spent.
    case paused
}

extension VM {
    /// Runs the thread until its entry frame returns, it yields or resumes another
    /// thread, or `fuel` runs out.
    func execute(fuel: inout Int) throws(LuaError) -> ExecResult {
        defer {
            if _slowPath(g.pointee.slowPathFlags & LuaGlobalState.hookStepBit != 0) { endStep(&fuel) }
        }
        // The fast loop has no per-instruction fuel check; a hook's single step runs in the
        // stepping loop. Each returns nil, right after `hookCheck`, when the other must take over.
        var hooksChecked = false
        // The loop may switch to another thread (a coroutine resume or yield): the executor
        // goes on with `g.pointee.running`.
        var vm = self
        while true {
            let stepping = g.pointee.slowPathFlags & LuaGlobalState.hookStepBit != 0
            if let r = stepping ? try vm.interpretStepping(fuel: &fuel, hooksChecked: hooksChecked)
                                : try vm.interpretFast(fuel: &fuel, hooksChecked: hooksChecked) { return r }
            hooksChecked = true
        }
    }

    func startStep(_ fuel: inout Int) {
        g.pointee.hookSavedFuel = fuel
        fuel = 1
        g.pointee.slowPathFlags |= LuaGlobalState.hookStepBit
    }

    /// Ends a single step: the real fuel minus what the step used.
    func endStep(_ fuel: inout Int) {
        g.pointee.slowPathFlags &= ~LuaGlobalState.hookStepBit
        fuel = g.pointee.hookSavedFuel &- (1 &- fuel)
    }

    /// Decides and fires the hooks due before the top frame runs (see the file comment).
    @inline(never)
    func hookCheck(fuel: inout Int) throws(LuaError) -> HookStep {
        if g.pointee.slowPathFlags & LuaGlobalState.hookStepBit != 0 {
            endStep(&fuel)
            if fuel < 0 { return .paused }
        }
        let t = th
        let mask = t.pointee.hook.mask
        guard mask != 0, !t.pointee.hook.running, t.pointee.frameCount > 0 else { return .proceed }
        let fi = t.pointee.frameCount - 1
        let frame = t.currentFrame
        let isLua = frame.pointee.isLua
        let pc = Int(frame.pointee.pc)
        if frame.pointee.flags & CallFrame.Flag.hooked == 0 {
            if isLua {
                let p = LuaDebug.proto(L, frame).value
                // Hooks of a vararg function start after its VARARGPREP, as in PUC.
                if pc == 0 && p.isVararg {
                    startStep(&fuel)
                    return .proceed
                }
                t.pointee.hook.oldPC = pc
                t.pointee.hook.lastFrame = fi
                t.pointee.hook.skipOnce = false
                t.pointee.hook.queuedLine = LuaHookState.noLine
            }
            frame.pointee.flags |= CallFrame.Flag.hooked
            if mask & LuaHookState.Event.call != 0 {
                let event = frame.pointee.flags & CallFrame.Flag.tail != 0 ? "tail call" : "call"
                let count = isLua ? LuaDebug.proto(L, frame).value.numParams : Int(frame.pointee.top - frame.pointee.base)
                try callHook(event, line: nil, frameIndex: fi, at: nil, transfer: (1, count), instruction: false)
                return .run
            }
        }
        guard isLua, mask & (LuaHookState.Event.line | LuaHookState.Event.count) != 0 else { return .proceed }
        if fi != t.pointee.hook.lastFrame {
            // Back in a frame after a call: the calling instruction was traced last.
            t.pointee.hook.lastFrame = fi
            t.pointee.hook.oldPC = max(0, pc - 1)
            t.pointee.hook.skipOnce = false
            t.pointee.hook.queuedLine = LuaHookState.noLine
        }
        if t.pointee.hook.queuedLine != LuaHookState.noLine {
            let line = t.pointee.hook.queuedLine
            t.pointee.hook.queuedLine = LuaHookState.noLine
            try callHook("line", line: line >= 0 ? line : nil, frameIndex: fi, at: nil, transfer: nil, instruction: true)
            return .run
        }
        if t.pointee.hook.skipOnce {
            t.pointee.hook.skipOnce = false
            startStep(&fuel)
            return .proceed
        }
        var countEvent = false
        if mask & LuaHookState.Event.count != 0 {
            t.pointee.hook.count -= 1
            if t.pointee.hook.count <= 0 {
                t.pointee.hook.count = t.pointee.hook.baseCount
                countEvent = true
            }
        }
        var lineEvent = LuaHookState.noLine
        if mask & LuaHookState.Event.line != 0 {
            let p = LuaDebug.proto(L, frame).value
            let lines = p.debug.lineInfo
            func line(_ i: Int) -> Int { i >= 0 && i < lines.count ? Int(lines[i]) : -1 }
            let old = t.pointee.hook.oldPC < p.codeCount ? t.pointee.hook.oldPC : 0
            if pc <= old || line(old) != line(pc) { lineEvent = line(pc) }
            t.pointee.hook.oldPC = pc
        }
        if countEvent {
            t.pointee.hook.queuedLine = lineEvent
            try callHook("count", line: nil, frameIndex: fi, at: nil, transfer: nil, instruction: true)
            return .run
        }
        if lineEvent != LuaHookState.noLine {
            // A stripped function has no lines: its events carry nil (PUC's -1).
            try callHook("line", line: lineEvent >= 0 ? lineEvent : nil, frameIndex: fi, at: nil, transfer: nil, instruction: true)
            return .run
        }
        startStep(&fuel)
        return .proceed
    }

    /// Pushes a call of the thread's hook with (event, line) above frame `fi`.
    func callHook(_ event: String, line: Int?, frameIndex fi: Int, at position: Int?,
                  transfer: (first: Int, count: Int)?, instruction: Bool) throws(LuaError) {
        let t = th
        let frame = t.pointee.frames + fi
        var at = position ?? Int(frame.pointee.top)
        if frame.pointee.isLua && position == nil { at = max(at, t.pointee.top) }
        let eventName = try string(event)
        try ensureStack(at + 3 + 20)
        let s = stack
        s[at] = t.pointee.hook.function
        s[at + 1] = eventName
        s[at + 2] = line.map { LuaValue(Int64($0)) } ?? .nil
        raiseHighWater(at + 3)
        t.pointee.hook.running = true
        t.pointee.hook.savedTop = t.pointee.top
        t.pointee.hook.instructionHook = instruction
        if frame.pointee.isLua && position == nil {
            // The hooked instruction counts as under way (PUC's savedpc is past it).
            frame.pointee.pc += 1
            t.pointee.hook.restoreFrame = fi
        }
        if let transfer, transfer.count != 0 {
            t.pointee.hook.transferFrame = fi
            t.pointee.hook.firstTransfer = transfer.first
            t.pointee.hook.transferCount = transfer.count
        }
        // No yield inside a hook (PUC calls Lua hooks with lua_call).
        frame.pointee.flags |= CallFrame.Flag.noYield
        try pushCall(at, top: at + 3, wanted: 0, flags: CallFrame.Flag.hookCall)
    }

    /// The return hook of frame `fi`, whose `n` results are at `src`; true when a hook
    /// call was pushed (the return finishes when it returns).
    func returnHook(_ fi: Int, src: Int, count n: Int) throws(LuaError) -> Bool {
        let t = th
        let fr = t.pointee.frames + fi
        fr.pointee.flags &= ~CallFrame.Flag.hooked
        guard t.pointee.hook.mask & LuaHookState.Event.return != 0, !t.pointee.hook.running else { return false }
        t.pointee.hook.returnFrame = fi
        t.pointee.hook.returnSource = src
        t.pointee.hook.returnCount = n
        let first = src - Int(fr.pointee.base) + 1
        try callHook("return", line: nil, frameIndex: fi, at: max(Int(fr.pointee.top), src + n),
                     transfer: (first, n), instruction: false)
        return true
    }

    /// The hook frame that was at index `fi` returned: hooks are on again and the hooked
    /// frame resumes. Returns the interrupted return to finish, if the hook was a return hook.
    func hookReturned(_ fi: Int) -> (frame: Int, source: Int, count: Int)? {
        let t = th
        let hooked = fi - 1
        t.pointee.hook.running = false
        t.pointee.top = t.pointee.hook.savedTop
        t.pointee.hook.transferFrame = -1
        let frame = t.pointee.frames + hooked
        frame.pointee.flags &= ~CallFrame.Flag.noYield
        if t.pointee.hook.restoreFrame == hooked {
            frame.pointee.pc -= 1
            t.pointee.hook.restoreFrame = -1
        }
        if t.pointee.hook.instructionHook { t.pointee.hook.skipOnce = true }
        if t.pointee.hook.returnFrame == hooked {
            t.pointee.hook.returnFrame = -1
            return (hooked, t.pointee.hook.returnSource, t.pointee.hook.returnCount)
        }
        return nil
    }

    /// The hook frame at index `fi` is popped by an error: hooks are on again.
    func hookAbandoned(_ fi: Int) {
        let t = th
        t.pointee.hook.running = false
        t.pointee.hook.restoreFrame = -1
        t.pointee.hook.returnFrame = -1
        t.pointee.hook.transferFrame = -1
        t.pointee.hook.queuedLine = LuaHookState.noLine
        if fi > 0 { (t.pointee.frames + fi - 1).pointee.flags &= ~CallFrame.Flag.noYield }
    }
}

extension LuaCallContext {
    /// Sets (or, with a nil function or an empty mask, removes) the debug hook of `thread`
    /// (`lua_sethook`): `mask` holds ``LuaHookState/Event`` bits; `count` > 0 adds count events.
    public func setHook(_ thread: Gc<LuaThread>, function: LuaValue, mask: UInt8, count: Int) {
        let t = thread.unsafeMutablePointer
        var mask = mask
        if count > 0 { mask |= LuaHookState.Event.count } else { mask &= ~LuaHookState.Event.count }
        if function.isNil || mask == 0 { mask = 0 }
        let had = t.pointee.hook.mask != 0
        t.pointee.hook.function = mask == 0 ? .nil : function
        t.pointee.hook.mask = mask
        t.pointee.hook.baseCount = count
        t.pointee.hook.count = count
        mc.backwardBarrier(thread)
        if mask != 0 {
            // The calls already under way get no call hook, but their returns are hooked.
            for i in 0..<t.pointee.frameCount { (t.pointee.frames + i).pointee.flags |= CallFrame.Flag.hooked }
            // Outside a hook, the next traced instruction follows a call (PUC's rethook sets
            // `oldpc` when sethook returns); inside one, tracing resumes where it was.
            if !t.pointee.hook.running { t.pointee.hook.lastFrame = -1 }
            if !had { g.pointee.hookedThreads += 1 }
        } else if had {
            g.pointee.hookedThreads -= 1
        }
        if g.pointee.hookedThreads > 0 {
            g.pointee.slowPathFlags |= LuaGlobalState.hooksBit
        } else {
            g.pointee.slowPathFlags &= ~LuaGlobalState.hooksBit
        }
    }

    /// The debug hook of `thread`: its function, event mask and count (`lua_gethook`).
    public func hook(of thread: Gc<LuaThread>) -> (function: LuaValue, mask: UInt8, count: Int) {
        let h = thread.value.hook
        return (h.function, h.mask, h.baseCount)
    }
}
