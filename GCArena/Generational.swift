// The generational mode: minor collections of young objects, major ones of the whole heap.
//
// ## Ages and colors
//
// Every object carries an age (`_Age`, the header's `age` byte), as in Lua 5.4's `lgc.c`:
// `new` (allocated since the last collection), `survival` (survived one), `old1` (survived
// two), `old`, and `touched1`/`touched2` for old objects a barrier saw written. Between
// collections young objects (new, survival) are white and old ones black, except the
// `touched1` ones, which are gray and queued on the gray-again stack.
//
// The object list is kept ordered by age: allocation pushes at the head, so the list reads
// [new | survival | old1 | old], and `genSurvival`, `genOld1`, `genOld` name the first
// object of each segment. A minor collection sweeps only the first two segments.
//
// ## The invariant
//
//     An old object points to a young one only if the next minor collection re-traces it.
//
// - A barrier turns an old object written with a young child `touched1` (gray, gray-again):
//   the next minor collection traces it and it becomes `touched2` (black, `remembered`), so
//   the one after traces it again, when its young children have become old1. Then it is old.
// - A survival that survives becomes `old1`, but it may point to objects that were new
//   and have only now become survivals (white, young): the next minor collection traces
//   every old1 object (PUC's `markold`) and makes it old.
// - Objects asking to be re-traced at every atomic phase (the sticky list: a Lua state's
//   global record, written without barriers) are re-traced by every collection, minor or
//   major, as the root is.
//
// So a minor collection traces the roots, the sticky objects, the touched objects and the
// old1 objects, and whatever young objects they reach; the rest of the old heap is not
// looked at. Its sweep frees the white young objects, turns marked `new` objects into
// white `survival` ones and marked survivals into black `old1` ones.
//
// ## Major collections and pacing (PUC's `genstep`)
//
// After a collection leaving `L` live bytes the next runs once the heap has grown by
// `minorMultiplier`% of `L`. It is major when the heap has grown past `majorMultiplier`% over
// `B`, the live size after the last major collection (or on request: `collectAll`, entering
// the mode): every object turns white and young, the whole heap is marked and swept, and
// every survivor becomes old and black. Both kinds run to their end in one collector call
// (the incremental mode's bounded steps are not used here), with the same atomic phase and
// finalization window as an incremental cycle.
//
// A major collection that frees less than half of the growth since the last one is *bad*
// (`judgeMajor`): the heap is being built up, not churned. The collector then sleeps until
// the heap has grown by `pause` × the live size and runs full collections (`fallback`) until
// one traces less than 9/8 of what the bad one traced; then minor collections resume with
// that collection's live size as `B`. Without it, a big structure that became old and was
// then dropped stays until the heap reaches twice the size it had while the structure lived.

/// What a generational collection is (the heap state's `genKind`).
enum _GenKind {
    static let none: UInt8 = 0
    /// Young objects only.
    static let minor: UInt8 = 1
    /// The whole heap, on request (``Arena/collectAll()``, entering the mode).
    static let full: UInt8 = 2
    /// The whole heap, because it grew past the major threshold.
    static let major: UInt8 = 3
    /// The whole heap, because the last major collection was bad (see `judgeMajor`).
    static let fallback: UInt8 = 4
}

extension _Collector {
    /// Starts a generational collection: minor, or major when requested, when the heap has
    /// grown enough since the last major one, or after a bad major (the fallback).
    static func startGenCollection(_ s: UnsafeMutablePointer<_HeapState>, traceRoots: (inout Tracer) -> Void) {
        assert(s.pointee.phase == .sleeping && s.pointee.generational)
        let kind: UInt8
        switch s.pointee.genRequest {
        case 1: kind = _GenKind.minor
        case 2: kind = _GenKind.full
        default:
            if s.pointee.genLastAtomic != 0 {
                kind = _GenKind.fallback
            } else {
                kind = heapPassedMajorThreshold(s) ? _GenKind.major : _GenKind.minor
            }
        }
        let major = kind != _GenKind.minor
        s.pointee.genRequest = 0
        s.pointee.phase = .propagating
        s.pointee.allocationColor = s.pointee.currentWhite
        s.pointee.stats.markedBytes = 0
        s.pointee.stats.sweptBytes = 0
        s.pointee.windowCount = 0
        s.pointee.genKind = kind
        if major {
            whitenAll(s)
        } else {
            markOld1(s)
            markRemembered(s)
        }
        var tracer = Tracer(s)
        traceRoots(&tracer)
    }

    /// Makes every object white and young (a major collection starts from scratch).
    static func whitenAll(_ s: UnsafeMutablePointer<_HeapState>) {
        s.pointee.grayAgain.removeAll()
        s.pointee.remembered.removeAll()
        s.pointee.touchedNext.removeAll()
        s.pointee.windowTouched.removeAll()
        let white = s.pointee.currentWhite
        var next = s.pointee.allObjects
        while let raw = next {
            let o = _ObjectRef(raw)
            o.color = white
            o.age = _Age.new
            next = o.header.pointee.next
        }
    }

    /// Re-traces the old1 objects (they may point to survivals) and makes them old.
    static func markOld1(_ s: UnsafeMutablePointer<_HeapState>) {
        var next = s.pointee.genOld1
        let end = s.pointee.genOld
        while let raw = next, raw != end {
            let o = _ObjectRef(raw)
            next = o.header.pointee.next
            guard o.age == _Age.old1 else { continue }
            o.age = _Age.old
            if o.color == _Color.black { regray(s, o) }
        }
    }

    /// Re-traces the objects touched before the last collection (`touched2`); they are old after.
    static func markRemembered(_ s: UnsafeMutablePointer<_HeapState>) {
        while let raw = s.pointee.remembered.pop() {
            let o = _ObjectRef(raw)
            // A touched2 object written again is touched1 and already on the gray-again stack.
            guard o.age == _Age.touched2 else { continue }
            o.age = _Age.old
            if o.color == _Color.black { regray(s, o) }
        }
    }

    @inline(__always)
    static func regray(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef) {
        if o.flags & (_Flag.dropped | _Flag.leaf) != 0 || o.kind == 0 { return }
        o.color = _Color.gray
        s.pointee.gray.push(o.raw)
    }

    /// The write barrier's slow path in generational mode; `o` is black.
    static func genBarrier(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef) {
        if s.pointee.phase == .marked {
            // Marking is over and everything reachable is black; but what is stored now is
            // young after the sweep, so an old object written here must be re-traced by the
            // next minor collections. It is queued once the sweep is done.
            if _Age.isOld(o.age) && o.age != _Age.touched1 {
                o.age = _Age.touched1
                s.pointee.windowTouched.push(o.raw)
            }
            return
        }
        // Between collections (or while a collection propagates again after a resurrection):
        // gray again, traced by the next minor collection. A touched2 object is also on the
        // remembered stack, which skips it once it is touched1.
        o.color = _Color.gray
        s.pointee.grayAgain.push(o.raw)
        if _Age.isOld(o.age) { o.age = _Age.touched1 }
    }

    /// Sweeps after the last finalization window of a generational collection and ends it.
    static func genSweep(_ s: UnsafeMutablePointer<_HeapState>) {
        pruneSticky(s)
        s.pointee.phase = .sweeping
        let start = now()
        let kind = s.pointee.genKind
        if kind == _GenKind.minor {
            sweepMinor(s)
            s.pointee.stats.minorCollections += 1
            s.pointee.genFallbackIdle = false
        } else {
            let marked = s.pointee.stats.markedBytes
            let previousBase = s.pointee.majorBase
            sweepMajor(s)
            s.pointee.stats.majorCollections += 1
            judgeMajor(s, kind, marked: marked, previousBase: previousBase)
        }
        correctTouched(s)
        s.pointee.genKind = _GenKind.none
        s.pointee.phase = .sleeping
        s.pointee.allocationColor = s.pointee.currentWhite
        s.pointee.stats.cyclesCompleted += 1
        s.pointee.genLiveAtEnd = s.pointee.liveBytes
        setWakeUp(s)
        // A minor collection frees what the mutator allocates again right away: the pool
        // keeps it. A major one frees old garbage, blocks of sizes the mutator may no longer
        // allocate much, scattered among survivors: malloc can coalesce and reuse them for
        // any size, the pool only for the same one (keeping them cost alloc_churn 6 MB of
        // peak RSS), so they go back but for 1 MiB.
        s.pointee.pool.trim(keep: kind == _GenKind.minor ? s.pointee.heapBytes + (1 << 20) : 1 << 20)
        s.pointee.stats.sweepNanoseconds &+= now() &- start
    }

    /// Whether the heap has grown past `majorMultiplier`% over its size after the last major
    /// collection (PUC's test in `genstep`).
    ///
    /// PUC sleeps `minorMultiplier`% of the live size between collections; the arena sleeps at
    /// least `minimumSleep`. The room that adds is not counted (else every collection would be
    /// major while the heap is small next to `minimumSleep`): the heap is taken as what PUC's
    /// would be, unless it grew further (an explicit step, a stopped collector).
    static func heapPassedMajorThreshold(_ s: UnsafeMutablePointer<_HeapState>) -> Bool {
        let p = s.pointee.pacing
        let base = Double(Swift.max(s.pointee.majorBase, 0))
        let threshold = base + base * Double(p.majorMultiplier) / 100
        let lastLive = Double(Swift.max(s.pointee.genLiveAtEnd, 0))
        let extraRoom = Swift.max(Double(p.minimumSleep) - lastLive * Double(p.minorMultiplier) / 100, 0)
        return Double(s.pointee.liveBytes) - extraRoom > threshold
    }

    /// Decides after a major collection whether the next one falls back to a full collection
    /// (PUC's "bad collection", `genstep` and `stepgenfull`).
    ///
    /// A major collection started by the heap's growth is bad when it did not free at least
    /// half of that growth: the program is building something big and minor collections
    /// would only waste time, while the garbage it does make (a big structure dropped) would
    /// wait for the next major threshold, twice the now larger size. Then the collector
    /// sleeps for `pause` × the live size, and the next collection is a full one. A full one
    /// is good when it traced less than 9/8 of the bytes the bad one traced (the heap stopped
    /// growing); then minor collections resume. A requested major (``Arena/collectAll()``,
    /// entering the mode) clears the state.
    static func judgeMajor(_ s: UnsafeMutablePointer<_HeapState>, _ kind: UInt8, marked: Int, previousBase: Int) {
        let marked = Swift.max(marked, 1)
        switch kind {
        case _GenKind.major:
            let base = Double(Swift.max(previousBase, 0))
            let increase = base * Double(s.pointee.pacing.majorMultiplier) / 100
            if Double(s.pointee.liveBytes) >= base + increase / 2 {
                s.pointee.genLastAtomic = marked
                s.pointee.stats.badMajorCollections += 1
            }
            s.pointee.genFallbackIdle = false
        case _GenKind.fallback:
            let last = s.pointee.genLastAtomic
            if marked < last + last / 8 {
                s.pointee.genLastAtomic = 0
                s.pointee.genFallbackIdle = false
            } else {
                s.pointee.genLastAtomic = marked
                s.pointee.stats.badMajorCollections += 1
                s.pointee.genFallbackIdle = true
            }
        default:
            s.pointee.genLastAtomic = 0
            s.pointee.genFallbackIdle = false
        }
    }

    /// The link field holding the head of the object list.
    static func allObjectsLink(_ s: UnsafeMutablePointer<_HeapState>) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        // SAFETY: `allObjects` is a stored property of the heap state record, which lives at
        // a fixed malloc'd address for the arena's lifetime.
        (UnsafeMutableRawPointer(s) + MemoryLayout<_HeapState>.offset(of: \.allObjects)!)
            .assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    @inline(__always)
    static func nextLink(_ o: _ObjectRef) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        // SAFETY: `o` stays allocated (it survived), so its `next` field is a stable link.
        UnsafeMutableRawPointer(o.header).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    /// Frees the white objects of the whole list and makes every survivor old and black.
    static func sweepMajor(_ s: UnsafeMutablePointer<_HeapState>) {
        var link = allObjectsLink(s)
        var last: UnsafeMutableRawPointer? = nil
        while let raw = link.pointee {
            let o = _ObjectRef(raw)
            s.pointee.stats.sweptBytes &+= o.size
            if _Color.isWhite(o.color) && sweepUnmarked(s, o, link) { continue }
            o.flags &= ~_Flag.weaklyReached
            o.color = _Color.black
            o.age = _Age.old
            last = raw
            link = nextLink(o)
        }
        s.pointee.allObjectsTail = last
        s.pointee.genSurvival = s.pointee.allObjects
        s.pointee.genOld1 = s.pointee.allObjects
        s.pointee.genOld = s.pointee.allObjects
        s.pointee.majorBase = s.pointee.liveBytes
    }

    /// Sweeps the new and survival segments: white objects die, marked new objects become
    /// white survivals, marked survivals become black old1 objects.
    static func sweepMinor(_ s: UnsafeMutablePointer<_HeapState>) {
        var last: UnsafeMutableRawPointer? = nil
        let survivalLink = sweepYoung(s, from: allObjectsLink(s), until: s.pointee.genSurvival, last: &last)
        _ = sweepYoung(s, from: survivalLink, until: s.pointee.genOld1, last: &last)
        if s.pointee.genOld1 == nil { s.pointee.allObjectsTail = last }
        s.pointee.genOld = s.pointee.genOld1
        s.pointee.genOld1 = survivalLink.pointee
        s.pointee.genSurvival = s.pointee.allObjects
    }

    /// Sweeps from `link` up to the object `limit` (nil: the end); returns the link reached.
    static func sweepYoung(_ s: UnsafeMutablePointer<_HeapState>, from start: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                           until limit: UnsafeMutableRawPointer?,
                           last: inout UnsafeMutableRawPointer?) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        let white = s.pointee.currentWhite
        var link = start
        while let raw = link.pointee, raw != limit {
            let o = _ObjectRef(raw)
            s.pointee.stats.sweptBytes &+= o.size
            // Dead but weakly reached: the value goes, the block ages like a survivor.
            if _Color.isWhite(o.color) && sweepUnmarked(s, o, link) { continue }
            o.flags &= ~_Flag.weaklyReached
            if o.age == _Age.new {
                o.age = _Age.survival
                o.color = white
            } else {
                o.age = _Age.old1
                o.color = _Color.black
            }
            last = raw
            link = nextLink(o)
        }
        return link
    }

    /// After a sweep: objects touched before this collection and traced by it stay
    /// remembered for one more; objects touched in the finalization window wait, gray, for
    /// the next one.
    static func correctTouched(_ s: UnsafeMutablePointer<_HeapState>) {
        while let raw = s.pointee.touchedNext.pop() {
            let o = _ObjectRef(raw)
            guard o.age == _Age.touched1 && o.color == _Color.black else { continue }
            o.age = _Age.touched2
            s.pointee.remembered.push(raw)
        }
        while let raw = s.pointee.windowTouched.pop() {
            let o = _ObjectRef(raw)
            guard o.age == _Age.touched1 && o.color == _Color.black else { continue }
            o.color = _Color.gray
            s.pointee.grayAgain.push(raw)
        }
    }

    /// Leaves generational mode: every object white and young again, the collector asleep.
    static func leaveGenerational(_ s: UnsafeMutablePointer<_HeapState>) {
        assert(s.pointee.phase == .sleeping)
        whitenAll(s)
        s.pointee.gray.removeAll()
        s.pointee.genSurvival = nil
        s.pointee.genOld1 = nil
        s.pointee.genOld = nil
        s.pointee.genRequest = 0
        s.pointee.genLastAtomic = 0
        s.pointee.genFallbackIdle = false
        s.pointee.generational = false
        s.pointee.allocationColor = s.pointee.currentWhite
        setWakeUp(s)
    }
}
