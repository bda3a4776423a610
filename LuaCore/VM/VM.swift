import GCArena

// SAFETY: `th` and `stack` are re-read from the thread object on every access, so they are
// never stale across stack growth; `g` points at the global-state arena object, which lives as
// long as the arena and never moves.

/// Why `execute` returned to the executor.
enum ExecResult {
    /// The fuel slice ran out (or the host asked for control); the thread can continue.
    case paused
    /// The thread's entry frame returned `count` values starting at stack index `at`.
    case finished(at: Int, count: Int)
    /// The running coroutine yields the `count` values at stack index `at`.
    case yielded(at: Int, count: Int)
    /// The running thread resumes `thread` with the `count` values at stack index `at`.
    case resume(thread: Gc<LuaThread>, at: Int, count: Int)
}

/// What the call machinery tells the interpreter loop to do next.
enum Next {
    /// Run (or keep running) the top frame.
    case run
    /// Leave `execute` with this result.
    case exit(ExecResult)
}

/// The VM working on one thread during one step: the mutation context, the global state
/// and the thread. All state lives in arena objects reached through raw pointers.
struct VM: ~Escapable {
    let mc: Mutation
    let g: UnsafeMutablePointer<LuaGlobalState>
    /// The thread; the interpreter loop moves to another one at a coroutine switch.
    var L: Gc<LuaThread>

    @_lifetime(copy mc)
    init(mc: borrowing Mutation, g: UnsafeMutablePointer<LuaGlobalState>, L: Gc<LuaThread>) {
        self.mc = copy mc
        self.g = g
        self.L = L
    }

    @inline(__always) var th: UnsafeMutablePointer<LuaThread> { L.unsafeMutablePointer }
    @inline(__always) var stack: UnsafeMutablePointer<LuaValue> { th.pointee.stack }

    func string(_ s: String) throws(LuaError) -> LuaValue {
        do { return LuaValue(try g.pointee.strings.intern(mc, s)) } catch { throw .outOfMemory(mc) }
    }

    func string(bytes: UnsafeRawBufferPointer) throws(LuaError) -> Gc<LuaString> {
        do { return try g.pointee.strings.intern(mc, bytes) } catch { throw .outOfMemory(mc) }
    }

    /// Ensures the stack has `count` slots from index `from`; may move the stack.
    @inline(__always)
    func ensureStack(_ needed: Int) throws(LuaError) {
        if _slowPath(needed > th.pointee.stackCapacity) { try th.growStack(mc, to: needed) }
    }

    @inline(__always)
    func raiseHighWater(_ top: Int) {
        if top > th.pointee.highWater { th.pointee.highWater = top }
    }
}
