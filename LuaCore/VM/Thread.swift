import GCArena

/// The status of a thread (coroutine), as `coroutine.status` reports it.
public enum LuaThreadStatus: UInt8, Sendable {
    case suspended, running, normal, dead
    public var name: String {
        switch self {
        case .suspended: return "suspended"
        case .running: return "running"
        case .normal: return "normal"
        case .dead: return "dead"
        }
    }
}


/// A Lua thread: a value stack and a frame stack. The main thread and every coroutine.
///
/// ## Stack hygiene and the collector
///
/// `trace` reports the slots below `liveTop` (set by the executor at every safe point) and
/// overwrites the slots between `liveTop` and `highWater` with nil. Every slot below
/// `highWater` therefore holds either nil or a value that has been traced at every
/// collection since it was written, so a frame that later grows over stale slots never
/// exposes a handle to a freed object. Slots at or above `highWater` are always nil.
public struct LuaThread: Collect {
    public var stack: UnsafeMutablePointer<LuaValue>
    public var stackCapacity: Int
    /// One past the highest slot that may be non-nil.
    public var highWater: Int
    /// One past the highest slot in use at the last safe point.
    public var liveTop: Int
    /// One past the last value of the most recent open result list (PUC's `L->top` for
    /// CALL/VARARG with variable results).
    public var top: Int
    public var frames: UnsafeMutablePointer<CallFrame>
    public var frameCount: Int
    public var frameCapacity: Int
    /// The pending continuation of each host frame (parallel to `frames`; nil when none).
    var continuations: UnsafeMutablePointer<HostContinuationSlot>
    /// Open upvalues, highest level first.
    public var openUpvalues: Gc<LuaUpvalue>?
    /// Stack indices of to-be-closed variables, in increasing order.
    public var tbc: UnsafeMutablePointer<Int32>
    public var tbcCount: Int
    public var tbcCapacity: Int
    public var status: LuaThreadStatus
    public var isMain: Bool
    /// The thread that resumed this one, while it runs.
    public var resumer: Gc<LuaThread>?
    /// The body function of a coroutine that has not started yet.
    public var body: LuaValue
    /// The error that killed the coroutine, if one did.
    public var errorValue: LuaValue
    /// The most stack slots this thread may use ("stack overflow" beyond).
    public var stackLimit: Int
    /// The thread's debug hook and the bookkeeping of hook calls (debug.sethook).
    public var hook = LuaHookState()
    /// The block a new thread's frames, continuation slots and stack share (one allocation
    /// instead of two), and whether the frames and the stack still live in it (a buffer that
    /// grows moves out; the block is freed with the thread).
    var sharedBlock: UnsafeMutableRawPointer? = nil
    var framesInSharedBlock = false
    var stackInSharedBlock = false

    /// A new thread's stack slots: 44 keeps its one block (4 frames, their continuation
    /// slots and the stack: 992 bytes) in malloc's per-thread cache (at most 1,032 bytes),
    /// which a 64-slot stack alone missed on every coroutine creation. PUC starts with 45.
    public static let initialStack = 44
    /// The most stack slots a thread may use (PUC's LUAI_MAXSTACK).
    public static let maxStack = 1_000_000
    /// The most nested calls (frames) a thread may have.
    public static let maxFrames = 200_000
    /// The deepest nesting of host functions that call back into Lua (`pcall`, `xpcall`,
    /// `table.sort`'s comparator, ...), PUC's `LUAI_MAXCCALLS`; past it "C stack overflow".
    public static let maxHostCallDepth: Int32 = 200
    /// Stack slots and frames an xpcall message handler may use past the limits (PUC's
    /// EXTRA_STACK for errors: ERRORSTACKSIZE = LUAI_MAXSTACK + 200).
    public static let errorExtra = 200
    /// The most coroutines resumed inside one another (PUC's LUAI_MAXCCALLS).
    public static let maxResumeDepth = 200

    public static var ownsExternalMemory: Bool { true }

    public func trace(_ tracer: inout Tracer) {
        for i in 0..<liveTop { stack[i].trace(&tracer) }
        if highWater > liveTop {
            // SAFETY: slots in [liveTop, highWater) are initialized values (trivial type).
            (stack + liveTop).update(repeating: .nil, count: highWater - liveTop)
        }
        tracer.trace(openUpvalues)
        tracer.trace(resumer)
        body.trace(&tracer)
        errorValue.trace(&tracer)
        hook.function.trace(&tracer)
    }

    public mutating func releaseExternalMemory() -> Int {
        let bytes = externalBytes
        if !stackInSharedBlock { _ThreadBuffers.release(UnsafeMutableRawPointer(stack)) }
        // SAFETY: every continuation slot was initialized (to nil) when allocated or grown;
        // the slots share the frames' block (`allocateFrames`, or the shared block), and a
        // thread that never had a to-be-closed variable has no tbc buffer.
        continuations.deinitialize(count: frameCapacity)
        if !framesInSharedBlock { _ThreadBuffers.release(UnsafeMutableRawPointer(frames)) }
        if let sharedBlock { _ThreadBuffers.release(sharedBlock) }
        if tbcCapacity > 0 { tbc.deallocate() }
        return bytes
    }

    var externalBytes: Int {
        stackCapacity * MemoryLayout<LuaValue>.stride + frameCapacity * MemoryLayout<CallFrame>.stride
            + tbcCapacity * 4
    }

    /// Allocates room for `capacity` frames and their continuation slots in one block (the
    /// frames first): two buffers that always grow together. The slots are not initialized.
    static func allocateFrames(capacity: Int) -> (UnsafeMutablePointer<CallFrame>, UnsafeMutablePointer<HostContinuationSlot>) {
        let frameBytes = capacity * MemoryLayout<CallFrame>.stride
        // SAFETY: one block sized for both arrays; CallFrame's stride is a multiple of the
        // slots' alignment, so the slots start aligned. Freed through the frames pointer.
        let raw = _ThreadBuffers.allocate(byteCount: frameBytes + capacity * MemoryLayout<HostContinuationSlot>.stride)
        return (raw.bindMemory(to: CallFrame.self, capacity: capacity),
                (raw + frameBytes).bindMemory(to: HostContinuationSlot.self, capacity: capacity))
    }

    /// The tbc pointer of a thread without a tbc buffer (`tbcCapacity` 0): never read,
    /// written or freed, since every access is below `tbcCount`, which is 0.
    static var noTBC: UnsafeMutablePointer<Int32> {
        UnsafeMutablePointer(bitPattern: MemoryLayout<Int32>.alignment).unsafelyUnwrapped
    }

    /// One block for a new thread's `frameCapacity` frames, their continuation slots (not
    /// initialized) and `stackCapacity` stack slots, in that order; the stack is filled with
    /// nil as zeroed words (`LuaValue.nil` is all zero bits; a word fill is a quarter of the
    /// stores of a per-value loop, which writes each payload and tag separately).
    static func allocateSharedBlock(frameCapacity: Int, stackCapacity: Int)
        -> (UnsafeMutableRawPointer, UnsafeMutablePointer<CallFrame>, UnsafeMutablePointer<HostContinuationSlot>, UnsafeMutablePointer<LuaValue>) {
        precondition(LuaValue.nil.bits == 0 && LuaValue.nil.tag.rawValue == 0
                     && MemoryLayout<LuaValue>.stride % MemoryLayout<UInt64>.stride == 0
                     && MemoryLayout<HostContinuationSlot>.stride % MemoryLayout<UInt64>.stride == 0)
        let frameBytes = frameCapacity * MemoryLayout<CallFrame>.stride
        let stackOffset = frameBytes + frameCapacity * MemoryLayout<HostContinuationSlot>.stride
        let words = stackCapacity * (MemoryLayout<LuaValue>.stride / MemoryLayout<UInt64>.stride)
        // SAFETY: a fresh block sized for the three arrays; CallFrame's and the slots' strides
        // are multiples of 8 and malloc aligns to 16, so each array starts aligned. The stack
        // part is zeroed as words and then bound to LuaValue, a trivial type whose all-zero bit
        // pattern is `.nil` (checked above). Freed once, through the block pointer.
        let raw = _ThreadBuffers.allocate(byteCount: stackOffset + words * MemoryLayout<UInt64>.stride)
        (raw + stackOffset).initializeMemory(as: UInt64.self, repeating: 0, count: words)
        return (raw, raw.bindMemory(to: CallFrame.self, capacity: frameCapacity),
                (raw + frameBytes).bindMemory(to: HostContinuationSlot.self, capacity: frameCapacity),
                (raw + stackOffset).bindMemory(to: LuaValue.self, capacity: stackCapacity))
    }

    /// Allocates a thread with an empty stack.
    static func allocate(_ mc: borrowing Mutation, isMain: Bool, body: LuaValue,
                         stackLimit: Int = LuaThread.maxStack) throws(GCAllocationError) -> Gc<LuaThread> {
        let stackCapacity = initialStack
        let frameCapacity = 4
        try mc.reportExternalMemory(stackCapacity * MemoryLayout<LuaValue>.stride
                                    + frameCapacity * MemoryLayout<CallFrame>.stride)
        // SAFETY: fresh buffers; the stack is fully initialized to nil (the hygiene
        // invariant), frames are written before they are read, the continuation slots start
        // nil. The tbc buffer comes with the first to-be-closed variable (`pushTBC`).
        let (block, frames, continuations, stack) = allocateSharedBlock(frameCapacity: frameCapacity,
                                                                        stackCapacity: stackCapacity)
        continuations.initialize(repeating: HostContinuationSlot(), count: frameCapacity)
        return try mc.allocate(LuaThread(
            stack: stack, stackCapacity: stackCapacity, highWater: 0, liveTop: 0, top: 0, frames: frames,
            frameCount: 0, frameCapacity: frameCapacity, continuations: continuations, openUpvalues: nil,
            tbc: noTBC, tbcCount: 0, tbcCapacity: 0, status: isMain ? .running : .suspended, isMain: isMain, resumer: nil,
            body: body, errorValue: .nil, stackLimit: stackLimit,
            sharedBlock: block, framesInSharedBlock: true, stackInSharedBlock: true))
    }
}

extension UnsafeMutablePointer where Pointee == LuaThread {
    /// Makes room for `needed` slots at and above stack index `from`; may move the stack.
    ///
    /// Rebases open upvalues. Returns false when the thread would pass ``LuaThread/maxStack``.
    @usableFromInline @inline(never)
    func growStack(_ mc: borrowing Mutation, to needed: Int) throws(LuaError) {
        let old = pointee.stackCapacity
        if needed <= old { return }
        var limit = pointee.stackLimit
        if needed > limit {
            guard needed <= limit + LuaThread.errorExtra && handlingError else { throw LuaError.stackOverflow(mc) }
            limit += LuaThread.errorExtra
        }
        var capacity = old * 2
        while capacity < needed { capacity *= 2 }
        capacity = Swift.min(capacity, limit)
        do {
            try mc.reportExternalMemory((capacity - old) * MemoryLayout<LuaValue>.stride)
        } catch {
            throw LuaError.outOfMemory(mc)
        }
        moveStack(toCapacity: capacity)
    }

    /// Moves the stack into a buffer of `capacity` slots (growing, or shrinking when nothing
    /// live is at or above `capacity`) and points the open upvalues into it.
    private func moveStack(toCapacity capacity: Int) {
        let old = pointee.stackCapacity
        let kept = Swift.min(old, capacity)
        let newStack = _ThreadBuffers.allocate(byteCount: capacity * MemoryLayout<LuaValue>.stride)
            .bindMemory(to: LuaValue.self, capacity: capacity)
        // SAFETY: the old buffer is fully initialized (trivial values), so moving its first
        // `kept` slots and dropping the rest leaks nothing; a grown tail is initialized to
        // nil, keeping the hygiene invariant.
        newStack.moveInitialize(from: pointee.stack, count: kept)
        if capacity > old { (newStack + old).initialize(repeating: .nil, count: capacity - old) }
        if pointee.stackInSharedBlock {
            pointee.stackInSharedBlock = false
        } else {
            _ThreadBuffers.release(UnsafeMutableRawPointer(pointee.stack))
        }
        pointee.stack = newStack
        pointee.stackCapacity = capacity
        var uv = pointee.openUpvalues
        while let u = uv {
            let p = u.unsafeMutablePointer
            p.pointee.location = newStack + p.pointee.level
            uv = p.pointee.nextOpen
        }
    }

    /// Moves the frames and their continuation slots into buffers of `capacity` entries
    /// (growing, or shrinking when no frame is at or above `capacity`).
    private func moveFrames(toCapacity capacity: Int) {
        let old = pointee.frameCapacity
        let kept = Swift.min(old, capacity)
        let (frames, continuations) = LuaThread.allocateFrames(capacity: capacity)
        // SAFETY: the first `frameCount` (<= `capacity`) frames are initialized (trivial type).
        frames.moveInitialize(from: pointee.frames, count: pointee.frameCount)
        // SAFETY: all `old` slots are initialized; the first `kept` move, the ones past a
        // shrunk capacity hold no continuation (their frames were popped) and are
        // deinitialized, and a grown tail starts as nil. Then the old block (frames and
        // slots) is freed through its frames pointer.
        continuations.moveInitialize(from: pointee.continuations, count: kept)
        if old > capacity { (pointee.continuations + capacity).deinitialize(count: old - capacity) }
        if capacity > old { (continuations + old).initialize(repeating: HostContinuationSlot(), count: capacity - old) }
        if pointee.framesInSharedBlock {
            pointee.framesInSharedBlock = false
        } else {
            _ThreadBuffers.release(UnsafeMutableRawPointer(pointee.frames))
        }
        pointee.frames = frames
        pointee.continuations = continuations
        pointee.frameCapacity = capacity
    }

    /// Whether an xpcall message handler runs on this thread: like PUC (ERRORSTACKSIZE), it
    /// may use `errorExtra` slots and frames past the limits, so that a handler still runs
    /// after a stack overflow; overflowing those too fails the handler ("error in error
    /// handling"). Scans the frames, but only when a limit is reached.
    var handlingError: Bool {
        var i = pointee.frameCount - 1
        while i >= 0 {
            if (pointee.frames + i).pointee.flags & CallFrame.Flag.handlerActive != 0 { return true }
            i -= 1
        }
        return false
    }

    /// Pushes a frame, growing the frame array when needed, and returns it.
    @inline(__always) @discardableResult
    func pushFrame(_ mc: borrowing Mutation, _ frame: CallFrame) throws(LuaError) -> UnsafeMutablePointer<CallFrame> {
        let slot = try reserveFrame(mc)
        slot.initialize(to: frame)
        pointee.frameCount &+= 1   // below frameCapacity, checked by reserveFrame
        return slot
    }

    /// The slot the next pushed frame takes, growing the frame array when it is full; the
    /// frame count is unchanged, so the caller writes the slot and then counts it. Only
    /// `growFrames` moves frames (the stack has its own buffer once it grows), so the slot
    /// stays valid while the caller grows the stack.
    @inline(__always)
    func reserveFrame(_ mc: borrowing Mutation) throws(LuaError) -> UnsafeMutablePointer<CallFrame> {
        if _slowPath(pointee.frameCount == pointee.frameCapacity) { try growFrames(mc) }
        return pointee.frames + pointee.frameCount
    }

    @inline(never)
    func growFrames(_ mc: borrowing Mutation) throws(LuaError) {
        let old = pointee.frameCapacity
        let limit = old >= LuaThread.maxFrames && handlingError ? LuaThread.maxFrames + LuaThread.errorExtra : LuaThread.maxFrames
        if old >= limit { throw LuaError.stackOverflow(mc) }
        let capacity = Swift.min(old * 2, limit)
        do {
            try mc.reportExternalMemory((capacity - old) * MemoryLayout<CallFrame>.stride)
        } catch {
            throw LuaError.outOfMemory(mc)
        }
        moveFrames(toCapacity: capacity)
    }

    /// Gives back the extra room an xpcall message handler used past the limits (PUC's
    /// luaD_shrinkstack after an error), once the error has reached the xpcall: otherwise
    /// ordinary code could use that room and the next handler would find none.
    /// Slots from `live` up are dead (the failed frames are popped).
    func shrinkAfterError(_ mc: borrowing Mutation, live: Int) {
        let limit = pointee.stackLimit
        if pointee.stackCapacity > limit && live <= limit {
            pointee.top = Swift.min(pointee.top, live)
            let old = pointee.stackCapacity
            // Nothing live is above the top, which is below `limit`.
            moveStack(toCapacity: limit)
            pointee.highWater = Swift.min(pointee.highWater, limit)
            pointee.liveTop = Swift.min(pointee.liveTop, limit)
            try? mc.reportExternalMemory(-(old - limit) * MemoryLayout<LuaValue>.stride)
        }
        let frameLimit = LuaThread.maxFrames
        if pointee.frameCapacity > frameLimit && pointee.frameCount <= frameLimit {
            let old = pointee.frameCapacity
            moveFrames(toCapacity: frameLimit)
            try? mc.reportExternalMemory(-(old - frameLimit) * MemoryLayout<CallFrame>.stride)
        }
    }

    /// The running (topmost) frame.
    @inline(__always)
    var currentFrame: UnsafeMutablePointer<CallFrame> { pointee.frames + (pointee.frameCount - 1) }

    /// Records a to-be-closed variable at stack index `level`.
    func pushTBC(_ mc: borrowing Mutation, _ level: Int) throws(LuaError) {
        if pointee.tbcCount == pointee.tbcCapacity {
            let capacity = Swift.max(pointee.tbcCapacity * 2, 4)
            do { try mc.reportExternalMemory((capacity - pointee.tbcCapacity) * 4) } catch { throw LuaError.outOfMemory(mc) }
            let n = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            // SAFETY: the first tbcCount entries are initialized Int32s; without a buffer
            // yet (capacity 0) there is nothing to move or free.
            n.moveInitialize(from: pointee.tbc, count: pointee.tbcCount)
            if pointee.tbcCapacity > 0 { pointee.tbc.deallocate() }
            pointee.tbc = n
            pointee.tbcCapacity = capacity
        }
        pointee.tbc[pointee.tbcCount] = Int32(level)
        pointee.tbcCount += 1
    }
}

/// One host frame's pending continuation, kept in a concrete struct: stored directly as the
/// element of a generic pointer, a closure is held at the generic (maximal) abstraction, and
/// every store and load goes through a reabstraction thunk allocated on the heap — one
/// allocation per coroutine resume, measured.
struct HostContinuationSlot {
    var body: LuaContinuation? = nil
    /// The continuation as an object (`CallFrame.resumable`), kept across the frame's calls.
    var resumable: LuaResumable? = nil
}
