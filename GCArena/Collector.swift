// The incremental tri-color mark–sweep collector.
//
// ## The invariant
//
// Every object is white (not reached), gray (reached, contents not yet traced) or black
// (reached and traced). Marking repeatedly takes a gray object, traces it (its white
// children turn gray) and blackens it; when no gray object is left, every white object is
// unreachable. Because the mutator runs between marking steps, the collector keeps one
// invariant at all times during propagation:
//
//     A black object never points to a white one.
//
// The write barriers (Barrier.swift) keep it across mutation. The root and the dynamic
// roots are not objects and have no barrier: the atomic phase re-traces them before
// marking is declared complete, together with every object on the gray-again queue.
// Consequence for hosts: whatever the root holds directly is traced in that one
// uninterruptible step, so a large root (a million-entry stack kept in the root) means a long
// atomic pause; keep bulky state in arena objects, which are traced incrementally.
//
// ## One cycle
//
// 1. sleeping → propagating: trace the roots (roots become gray children).
// 2. propagating: trace gray objects, budgeted by allocation debt.
// 3. atomic (one uninterrupted step): re-trace roots, drain gray and gray-again, then
//    re-trace ephemeron tables until no new object is marked.
// 4. marked: the finalization window. The host may ask what is about to die and resurrect
//    it; a resurrection sends the cycle back to 2.
// 5. sweeping: flip the current white, detach the object list and walk it: objects of the
//    old white die (or are dropped and kept, if a weak handle reached them), others turn
//    the new white. Objects allocated meanwhile go on a fresh list and are never swept by
//    this cycle, so they survive it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum _Collector {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Work units owed right now.
    static func debt(_ s: UnsafeMutablePointer<_HeapState>) -> Double {
        let p = s.pointee.pacing
        switch s.pointee.phase {
        case .sleeping:
            let over = s.pointee.liveBytes - s.pointee.wakeAt
            return over >= 0 ? Double(over) * p.stepMultiplier + 1 : 0
        case .propagating, .marked, .sweeping:
            // A generational collection runs to its end once started.
            if s.pointee.generational { return 1 }
            let owed = p.stepMultiplier * Double(s.pointee.allocatedTotal - s.pointee.cycleBaseline)
            return owed - Double(s.pointee.stats.markedBytes) - p.sweepCost * Double(s.pointee.stats.sweptBytes)
        }
    }

    static func startCycle(_ s: UnsafeMutablePointer<_HeapState>, traceRoots: (inout Tracer) -> Void) {
        assert(s.pointee.phase == .sleeping)
        s.pointee.phase = .propagating
        s.pointee.allocationColor = s.pointee.currentWhite
        s.pointee.cycleBaseline = s.pointee.allocatedTotal - Swift.max(0, s.pointee.liveBytes - s.pointee.wakeAt)
        s.pointee.stats.markedBytes = 0
        s.pointee.stats.sweptBytes = 0
        s.pointee.windowCount = 0
        var tracer = Tracer(s)
        traceRoots(&tracer)
    }

    /// Traces gray objects until `markedBytes` reaches `target`; true when none are left.
    static func propagate(_ s: UnsafeMutablePointer<_HeapState>, until target: Int) -> Bool {
        var tracer = Tracer(s)
        while s.pointee.stats.markedBytes < target {
            guard let raw = s.pointee.gray.pop() ?? s.pointee.grayAgain.pop() else { return true }
            traceGray(s, _ObjectRef(raw), &tracer)
        }
        return s.pointee.gray.count == 0 && s.pointee.grayAgain.count == 0
    }

    @inline(__always)
    static func traceGray(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef, _ tracer: inout Tracer) {
        o.color = _Color.black
        s.pointee.stats.markedBytes &+= o.size
        s.pointee.stats.tracedObjects &+= 1
        if _slowPath(o.age == _Age.touched1) { s.pointee.touchedNext.push(o.raw) }
        s.pointee.tracing = o.raw
        s.pointee.kinds.entry(o.kind).pointee.type._gcTraceObject(o.payload, &tracer)
        s.pointee.tracing = nil
    }

    static func drain(_ s: UnsafeMutablePointer<_HeapState>) {
        _ = propagate(s, until: Int.max)
    }

    /// Finishes marking in one step: roots, gray-again, ephemerons to a fixpoint.
    static func atomic(_ s: UnsafeMutablePointer<_HeapState>, traceRoots: (inout Tracer) -> Void) {
        var tracer = Tracer(s)
        traceRoots(&tracer)
        retraceSticky(s)
        drain(s)
        while s.pointee.ephemerons.count > 0 {
            let before = s.pointee.marks
            var pending = s.pointee.ephemerons
            s.pointee.ephemerons = _PointerStack()
            for i in 0..<pending.count {
                let o = _ObjectRef(pending[i])
                if o.color == _Color.black {
                    s.pointee.tracing = o.raw
                    s.pointee.kinds.entry(o.kind).pointee.type._gcTraceObject(o.payload, &tracer)
                    s.pointee.tracing = nil
                }
            }
            pending.release()
            drain(s)
            if s.pointee.marks == before { break }
        }
        s.pointee.ephemerons.removeAll()
        s.pointee.phase = .marked
        s.pointee.allocationColor = _Color.black
    }

    /// Re-grays every marked object that asked to be re-traced in each atomic phase; unmarked
    /// ones are left to marking (they live only if something reaches them).
    static func retraceSticky(_ s: UnsafeMutablePointer<_HeapState>) {
        let sticky = s.pointee.sticky
        for i in 0..<sticky.count {
            let o = _ObjectRef(sticky[i])
            if o.color == _Color.black && o.flags & (_Flag.dropped | _Flag.leaf) == 0 && o.kind != 0 {
                o.color = _Color.gray
                s.pointee.gray.push(o.raw)
            }
        }
    }

    /// Forgets the objects of the sticky list that this cycle's sweep will free (white ones).
    static func pruneSticky(_ s: UnsafeMutablePointer<_HeapState>) {
        var kept = 0
        for i in 0..<s.pointee.sticky.count {
            let raw = s.pointee.sticky[i]
            let o = _ObjectRef(raw)
            if !_Color.isWhite(o.color) && o.flags & _Flag.dropped == 0 {
                s.pointee.sticky.base.unsafelyUnwrapped[kept] = raw
                kept += 1
            }
        }
        s.pointee.sticky.count = kept
    }

    /// Leaves the finalization window: back to propagation if something was resurrected.
    static func leaveWindow(_ s: UnsafeMutablePointer<_HeapState>) {
        s.pointee.windowCount += 1
        if s.pointee.gray.count > 0 || s.pointee.grayAgain.count > 0 {
            s.pointee.phase = .propagating
            s.pointee.allocationColor = s.pointee.currentWhite
        } else if s.pointee.generational {
            genSweep(s)
        } else {
            beginSweep(s)
        }
    }

    static func beginSweep(_ s: UnsafeMutablePointer<_HeapState>) {
        pruneSticky(s)
        s.pointee.phase = .sweeping
        s.pointee.currentWhite ^= 1
        s.pointee.allocationColor = s.pointee.currentWhite
        s.pointee.sweepHead = s.pointee.allObjects
        s.pointee.sweepTail = nil
        s.pointee.allObjects = nil
        s.pointee.allObjectsTail = nil
        s.pointee.sweepLink = sweepHeadLink(s)
    }

    static func sweepHeadLink(_ s: UnsafeMutablePointer<_HeapState>) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        // SAFETY: `sweepHead` is a stored property of the heap state record, which lives at
        // a fixed malloc'd address for the arena's lifetime.
        (UnsafeMutableRawPointer(s) + MemoryLayout<_HeapState>.offset(of: \.sweepHead)!)
            .assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    /// Sweeps until `sweptBytes` reaches `target`; true when the sweep is complete.
    static func sweep(_ s: UnsafeMutablePointer<_HeapState>, until target: Int) -> Bool {
        let live = s.pointee.currentWhite
        let dead = live ^ 1
        while s.pointee.stats.sweptBytes < target {
            guard let link = s.pointee.sweepLink, let raw = link.pointee else {
                finishSweep(s)
                return true
            }
            let o = _ObjectRef(raw)
            s.pointee.stats.sweptBytes &+= o.size
            if o.color == dead && sweepUnmarked(s, o, link) { continue }
            o.color = live
            o.flags &= ~_Flag.weaklyReached
            // SAFETY: `o` stays allocated (it survived), so its `next` field is a stable link.
            s.pointee.sweepLink = UnsafeMutableRawPointer(o.header)
                .assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
            s.pointee.sweepTail = raw
        }
        return false
    }

    /// What every sweep (incremental, major, minor) does with an object marking did not
    /// reach: unlinks it from `link` and frees it (true), or, when a weak handle reached it
    /// this cycle, releases its value and keeps the block for the handle (false: the caller
    /// treats it as a survivor).
    @inline(__always)
    static func sweepUnmarked(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef,
                              _ link: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Bool {
        if o.flags & _Flag.weaklyReached == 0 {
            link.pointee = o.header.pointee.next
            freeObject(s, o)
            return true
        }
        if o.flags & _Flag.dropped == 0 { drop(s, o) }
        return false
    }

    /// Splices the survivors behind the objects allocated during the sweep.
    static func finishSweep(_ s: UnsafeMutablePointer<_HeapState>) {
        if let survivors = s.pointee.sweepHead {
            if let tail = s.pointee.allObjectsTail {
                _ObjectRef(tail).header.pointee.next = survivors
            } else {
                s.pointee.allObjects = survivors
            }
            s.pointee.allObjectsTail = s.pointee.sweepTail
        }
        s.pointee.sweepHead = nil
        s.pointee.sweepTail = nil
        s.pointee.sweepLink = nil
        s.pointee.phase = .sleeping
        s.pointee.stats.cyclesCompleted += 1
        setWakeUp(s)
        s.pointee.pool.trim(keep: s.pointee.heapBytes + (1 << 20))
    }

    /// Sets the heap size at which the sleeping collector wakes, from the live size now.
    static func setWakeUp(_ s: UnsafeMutablePointer<_HeapState>) {
        let live = s.pointee.liveBytes
        let p = s.pointee.pacing
        // Generational mode: the next minor collection after `minorMultiplier`% of growth;
        // after a bad major collection, the next (full) one after `pause`, as PUC's setpause.
        let minor = s.pointee.generational && s.pointee.genLastAtomic == 0
        let growth = minor ? Double(p.minorMultiplier) / 100 : p.pause
        let sleep = Swift.max(Double(p.minimumSleep), growth * Double(Swift.max(live, 0)))
        let room = Double(Int.max - Swift.max(live, 0))
        s.pointee.wakeAt = sleep >= room ? Int.max : live + Int(sleep)
    }

    /// Releases the value an object holds; its block stays for weak handles.
    static func drop(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef) {
        if o.flags & _Flag.releases != 0 {
            // Kind 0 is for types that release nothing, so a releasing object has an entry.
            let e = s.pointee.kinds.entry(o.kind)
            assert(o.kind != 0 && e.pointee.needsRelease)
            s.pointee.externalBytes -= e.pointee.type._gcReleaseObject(o.payload)
        }
        o.flags |= _Flag.dropped
        #if GCARENA_DEBUG
        _Heap.poison(o)
        #endif
    }

    /// Frees an object's block (releasing its value first if that has not happened).
    static func freeObject(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef) {
        if o.flags & _Flag.dropped == 0 { drop(s, o) }
        // Counts of what exists, far from overflowing: no overflow checks on the hot free path.
        s.pointee.heapBytes &-= o.size
        s.pointee.objectCount &-= 1
        s.pointee.stats.freedObjects &+= 1
        #if GCARENA_DEBUG
        _DebugQuarantine.add(s, o)
        #else
        s.pointee.pool.free(o.raw, size: o.size)
        #endif
    }

    /// Frees every object: the arena is going away.
    static func freeAll(_ s: UnsafeMutablePointer<_HeapState>) {
        for head in [s.pointee.allObjects, s.pointee.sweepHead] {
            var next = head
            while let raw = next {
                let o = _ObjectRef(raw)
                next = o.header.pointee.next
                if o.flags & _Flag.dropped == 0 { drop(s, o) }
                _Heap.freeBlock(raw)
            }
        }
        s.pointee.allObjects = nil
        s.pointee.sweepHead = nil
        #if GCARENA_DEBUG
        _DebugQuarantine.freeAll(s)
        #endif
    }
}
