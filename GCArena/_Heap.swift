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

    // Accounting (bytes).
    @usableFromInline var heapBytes = 0
    @usableFromInline var externalBytes = 0
    @usableFromInline var objectCount = 0
    @usableFromInline var allocatedTotal = 0
    @usableFromInline var memoryLimit = Int.max

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

    // Debug quarantine of freed blocks (GCARENA_DEBUG only).
    var quarantine: UnsafeMutableRawPointer? = nil
    var quarantineTail: UnsafeMutableRawPointer? = nil
    var quarantineBytes = 0

    @inlinable var liveBytes: Int { heapBytes + externalBytes }
}

/// Owns the heap state record.
@usableFromInline
enum _HeapStateStorage {
    static func make(arenaID: UInt32) -> UnsafeMutablePointer<_HeapState> {
        let p = UnsafeMutablePointer<_HeapState>.allocate(capacity: 1)
        // SAFETY: freshly allocated, initialized exactly once here, freed in `destroy`.
        p.initialize(to: _HeapState())
        p.pointee.arenaID = arenaID
        p.pointee.wakeAt = p.pointee.pacing.minimumSleep
        return p
    }

    static func destroy(_ p: UnsafeMutablePointer<_HeapState>) {
        p.pointee.gray.release()
        p.pointee.grayAgain.release()
        p.pointee.ephemerons.release()
        p.pointee.kinds.release()
        // SAFETY: `p` came from `make`, and the arena owning it is being deinitialized.
        p.deinitialize(count: 1)
        p.deallocate()
    }
}
