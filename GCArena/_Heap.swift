// Raw memory for the arena: object blocks, the collector's pointer stacks and the heap
// state record. Allocation and freeing of raw memory happen only in this file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable stack of object pointers in malloc'd memory (no ARC, no exclusivity checks).
@usableFromInline @frozen
struct _PointerStack {
    @usableFromInline var base: UnsafeMutablePointer<UnsafeMutableRawPointer>?
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int

    @inlinable init() { base = nil; count = 0; capacity = 0 }

    @inlinable @inline(__always)
    mutating func push(_ p: UnsafeMutableRawPointer) {
        if _slowPath(count == capacity) { grow() }
        // SAFETY: `grow` guarantees `count < capacity`, and `base` holds `capacity` slots.
        base.unsafelyUnwrapped[count] = p
        count += 1
    }

    @inlinable @inline(__always)
    mutating func pop() -> UnsafeMutableRawPointer? {
        if count == 0 { return nil }
        count -= 1
        // SAFETY: slots below `count` were initialized by `push`.
        return base.unsafelyUnwrapped[count]
    }

    @inlinable subscript(i: Int) -> UnsafeMutableRawPointer {
        // SAFETY: callers index below `count` (checked in debug builds).
        assert(i >= 0 && i < count)
        return base.unsafelyUnwrapped[i]
    }

    @usableFromInline @inline(never)
    mutating func grow() {
        let newCapacity = Swift.max(64, capacity * 2)
        let newBase = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: newCapacity)
        if let old = base {
            // SAFETY: the first `count` slots of `old` are initialized pointers (trivial type).
            newBase.moveInitialize(from: old, count: count)
            old.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    mutating func removeAll() { count = 0 }

    mutating func release() {
        base?.deallocate()
        base = nil; count = 0; capacity = 0
    }
}

/// Recycles small object blocks: one free list per size class up to 520 bytes (block sizes
/// are `16k + 8`, see `_blockSize`; class `k` = size >> 4).
///
/// A collector frees objects in bursts and the mutator allocates them right back; glibc's
/// malloc pays a slow path for both (measured ~45% of an allocation-heavy Lua benchmark).
/// Freed blocks go on the list of their size and are handed out again first. The pool keeps
/// at most as many bytes as the live heap (plus 1 MiB); `trim` returns the rest to malloc
/// after each cycle, and all but 1 MiB after a generational major collection (see `genSweep`).
@usableFromInline @frozen
struct _BlockPool {
    @usableFromInline static let classCount = 33  // size classes 8, 24, ..., 520 (index size >> 4)
    @usableFromInline var lists: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    @usableFromInline var pooledBytes = 0

    init() {
        lists = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: _BlockPool.classCount)
        // SAFETY: fresh allocation, every list starts empty.
        lists.initialize(repeating: nil, count: _BlockPool.classCount)
    }

    /// A block of `size` bytes (16k + 8): recycled if possible, else from malloc.
    @inlinable @inline(__always)
    mutating func allocate(size: Int) -> UnsafeMutableRawPointer? {
        let c = size >> 4
        if c < _BlockPool.classCount, let block = lists[c] {
            // SAFETY: a pooled block's first word links to the next block of its class.
            lists[c] = block.load(as: UnsafeMutableRawPointer?.self)
            pooledBytes &-= size
            return block
        }
        return _Heap.allocateBlock(size: size)
    }

    /// Returns a block of `size` bytes to its list (large blocks go straight back to malloc).
    @inlinable @inline(__always)
    mutating func free(_ block: UnsafeMutableRawPointer, size: Int) {
        let c = size >> 4
        if c < _BlockPool.classCount {
            // SAFETY: the block is dead and at least 16 bytes; its first word becomes the link.
            block.storeBytes(of: lists[c], as: UnsafeMutableRawPointer?.self)
            lists[c] = block
            pooledBytes &+= size
        } else {
            _Heap.freeBlock(block)
        }
    }

    /// Gives pooled blocks back to malloc until at most `keep` bytes remain pooled.
    mutating func trim(keep: Int) {
        var c = _BlockPool.classCount - 1
        while pooledBytes > keep && c > 0 {
            while pooledBytes > keep, let block = lists[c] {
                // SAFETY: as in `allocate`.
                lists[c] = block.load(as: UnsafeMutableRawPointer?.self)
                pooledBytes -= c << 4 | 8
                _Heap.freeBlock(block)
            }
            c -= 1
        }
    }

    mutating func release() {
        trim(keep: 0)
        lists.deallocate()
    }
}

/// Allocates and frees object blocks. Blocks come from the C allocator, 16-byte aligned.
@usableFromInline enum _Heap {
    /// Returns an uninitialized block of `size` bytes, or nil when the system is out of memory.
    @inlinable @inline(__always)
    static func allocateBlock(size: Int) -> UnsafeMutableRawPointer? {
        // SAFETY: glibc's malloc returns 16-byte aligned memory on 64-bit targets, which
        // `_payloadAlignment` relies on; a nil result is reported to the caller.
        malloc(size)
    }

    /// Returns a block to the C allocator.
    @usableFromInline
    static func freeBlock(_ block: UnsafeMutableRawPointer) {
        // SAFETY: `block` came from `allocateBlock` and its payload was deinitialized.
        free(block)
    }

    /// Overwrites a dead block's payload so a stale read sees garbage, not old data.
    static func poison(_ object: _ObjectRef) {
        // SAFETY: the payload spans `size - _headerSize` bytes of the block.
        memset(object.payload, 0xA5, object.size - _headerSize)
    }
}

/// The collector's phases, in cycle order.
public enum GCPhase: UInt8, Sendable {
    /// No cycle is running; allocation debt accrues only once the heap passes its wake-up size.
    case sleeping
    /// Gray objects are being traced incrementally.
    case propagating
    /// Marking is complete: unmarked objects are doomed unless resurrected in the finalization window.
    case marked
    /// Dead objects are being freed incrementally; new objects survive this sweep.
    case sweeping
}

/// The heap's mutable state, kept in malloc'd memory so that the mutator's fast paths
/// (allocation, barriers, handle checks) reach it through a raw pointer: no ARC traffic and
/// no dynamic exclusivity checks, unlike stored properties of a class.
@usableFromInline
struct _HeapState {
    @usableFromInline var phase: GCPhase = .sleeping
    @usableFromInline var currentWhite: UInt8 = _Color.white0
    /// Color of new objects: the current white, except black in the finalization window
    /// (marking is over, so a white newcomer would be swept).
    @usableFromInline var allocationColor: UInt8 = _Color.white0
    @usableFromInline var inMutation = false
    @usableFromInline var inCollection = false
    @usableFromInline var verifying = false
    @usableFromInline var arenaID: UInt32 = 0

    // Object lists. Allocation pushes onto `allObjects`; a sweep detaches the old list into
    // `sweepHead` and walks it through `sweepLink`, so objects allocated meanwhile are untouched.
    @usableFromInline var allObjects: UnsafeMutableRawPointer? = nil
    @usableFromInline var allObjectsTail: UnsafeMutableRawPointer? = nil
    @usableFromInline var sweepHead: UnsafeMutableRawPointer? = nil
    @usableFromInline var sweepLink: UnsafeMutablePointer<UnsafeMutableRawPointer?>? = nil
    @usableFromInline var sweepTail: UnsafeMutableRawPointer? = nil

    // Marking.
    @usableFromInline var gray = _PointerStack()
    @usableFromInline var grayAgain = _PointerStack()
    @usableFromInline var ephemerons = _PointerStack()
    @usableFromInline var tracing: UnsafeMutableRawPointer? = nil
    @usableFromInline var marks = 0
    @usableFromInline var windowCount = 0
    @usableFromInline var verifyViolations = 0
    @usableFromInline var verifyDropped = 0
    /// Verifier counters for the generational checks: strong edges to `new` white objects,
    /// weak edges to white objects, weak edges to `new` white objects.
    @usableFromInline var verifyNewChildren = 0
    @usableFromInline var verifyWeakWhite = 0
    @usableFromInline var verifyWeakNew = 0
    /// Objects re-traced in every atomic phase (``Mutation/retraceEveryCollection(_:)``).
    @usableFromInline var sticky = _PointerStack()

    // Generational mode (Generational.swift).
    /// Whether the arena runs in generational mode (``GCCollectorMode/generational``).
    @usableFromInline var generational = false
    /// The generational collection under way (`_GenKind`).
    @usableFromInline var genKind: UInt8 = 0
    /// What the next generational collection must be: 0 as the heap size says, 1 minor, 2 major.
    var genRequest: UInt8 = 0
    /// First objects of the survival, old1 and old segments of `allObjects` (nil: the end).
    /// The list is ordered by age: new objects at the head, then survivals, old1, old.
    var genSurvival: UnsafeMutableRawPointer? = nil
    var genOld1: UnsafeMutableRawPointer? = nil
    var genOld: UnsafeMutableRawPointer? = nil
    /// `touched2` objects, re-traced by the next minor collection.
    var remembered = _PointerStack()
    /// `touched1` objects traced by the collection under way (they become `touched2`).
    var touchedNext = _PointerStack()
    /// Old objects a barrier touched in the finalization window (queued after the sweep).
    var windowTouched = _PointerStack()
    /// Live bytes after the last major collection.
    var majorBase = 0
    /// Live bytes when the last generational collection ended.
    var genLiveAtEnd = 0
    /// Bytes the last major collection traced if it was bad, else 0 (PUC's `lastatomic`):
    /// while nonzero, every collection is a full one (Generational.swift, `judgeMajor`).
    var genLastAtomic = 0
    /// Whether the last collection was a fallback full one that was bad again (PUC then
    /// sits in its incremental pause; `collectgarbage("step")` answers true).
    var genFallbackIdle = false

    // Accounting (bytes).
    @usableFromInline var heapBytes = 0
    @usableFromInline var externalBytes = 0
    @usableFromInline var objectCount = 0
    @usableFromInline var allocatedTotal = 0
    @usableFromInline var memoryLimit = Int.max
    /// Allocations (and external growth reports) refused by `memoryLimit` so far.
    @usableFromInline var limitFailures = 0
    /// Whether `collectDebt` is switched off (Lua's `collectgarbage("stop")`).
    @usableFromInline var automaticCollectionPaused = false

    // Pacing.
    @usableFromInline var pacing = GCPacing()
    @usableFromInline var wakeAt = 0
    @usableFromInline var cycleBaseline = 0
    @usableFromInline var workDone = 0.0

    // Types.
    @usableFromInline var kinds = _KindTable()
    @usableFromInline var dynamicRoots: Unmanaged<_DynamicRootSet>? = nil

    // Metrics that only the collector updates.
    @usableFromInline var stats = GCMetrics.Counters()

    // Recycled small blocks.
    @usableFromInline var pool = _BlockPool()

    // Debug quarantine of freed blocks (GCARENA_DEBUG only).
    var quarantine: UnsafeMutableRawPointer? = nil
    var quarantineTail: UnsafeMutableRawPointer? = nil
    var quarantineBytes = 0

    /// Object blocks plus external memory. Both are byte counts of memory that exists, far
    /// from overflowing, so the sum wraps rather than paying an overflow check on every allocation.
    @inlinable var liveBytes: Int { heapBytes &+ externalBytes }
}

/// Owns the heap state record.
@usableFromInline
enum _HeapStateStorage {
    static func make(arenaID: UInt32) -> UnsafeMutablePointer<_HeapState> {
        let p = UnsafeMutablePointer<_HeapState>.allocate(capacity: 1)
        // SAFETY: freshly allocated, initialized exactly once here, freed in `destroy`.
        p.initialize(to: _HeapState())
        p.pointee.arenaID = arenaID
        p.pointee.kinds.allocateSlots()
        p.pointee.wakeAt = p.pointee.pacing.minimumSleep
        return p
    }

    static func destroy(_ p: UnsafeMutablePointer<_HeapState>) {
        p.pointee.gray.release()
        p.pointee.grayAgain.release()
        p.pointee.ephemerons.release()
        p.pointee.sticky.release()
        p.pointee.remembered.release()
        p.pointee.touchedNext.release()
        p.pointee.windowTouched.release()
        p.pointee.kinds.release()
        p.pointee.pool.release()
        // SAFETY: `p` came from `make`, and the arena owning it is being deinitialized.
        p.deinitialize(count: 1)
        p.deallocate()
    }
}
