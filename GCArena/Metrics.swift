/// A snapshot of the arena's memory use and collector activity.
public struct GCMetrics: Sendable, Equatable {
    /// Bytes of object blocks, headers included.
    public var heapBytes: Int
    /// Bytes objects reported owning outside the arena.
    public var externalBytes: Int
    /// `heapBytes + externalBytes`: what the memory limit and pacing see.
    public var liveBytes: Int { heapBytes + externalBytes }
    /// Objects allocated and not yet freed (dropped-but-weakly-held blocks included).
    public var objectCount: Int
    /// Bytes ever allocated, external growth included.
    public var totalAllocatedBytes: Int
    /// Objects ever freed.
    public var freedObjects: Int
    /// Completed collection cycles.
    public var cyclesCompleted: Int
    /// Nanoseconds spent in incremental marking steps.
    public var markNanoseconds: UInt64
    /// Nanoseconds spent in atomic phases (root re-scan, gray-again drain, ephemerons).
    public var atomicNanoseconds: UInt64
    /// Nanoseconds spent in the finalization window.
    public var finalizeNanoseconds: UInt64
    /// Nanoseconds spent sweeping.
    public var sweepNanoseconds: UInt64
    /// The longest single collector call, in nanoseconds.
    public var maxPauseNanoseconds: UInt64
    /// The phase the collector is in.
    public var phase: GCPhase
    /// The debt the host owes right now, in work units.
    public var allocationDebt: Double
    /// The heap size at which a sleeping collector wakes.
    public var wakeUpBytes: Int
    /// The collector's mode.
    public var collectorMode: GCCollectorMode = .incremental
    /// Minor (young-only) collections completed in generational mode.
    public var minorCollections = 0
    /// Major (whole-heap) collections completed in generational mode, the one entering it included.
    public var majorCollections = 0
    /// Major collections in generational mode that freed too little (less than half of what
    /// the heap grew since the major before, or, for a fallback full collection, traced at
    /// least 9/8 of what the last bad one traced): after each, the collector sleeps for
    /// ``GCPacing/pause`` and the next collection is a full one.
    public var badMajorCollections = 0
    /// Objects traced (their `trace` called, or blackened if they hold no handles) so far.
    ///
    /// The difference across one minor collection is what that collection traced: the young
    /// objects reached and the old objects it had to re-trace, not the old heap.
    public var tracedObjects = 0

    /// Counters only the collector updates.
    @usableFromInline
    struct Counters: Sendable {
        @usableFromInline var markedBytes = 0
        @usableFromInline var sweptBytes = 0
        var freedObjects = 0
        var cyclesCompleted = 0
        var markNanoseconds: UInt64 = 0
        var atomicNanoseconds: UInt64 = 0
        var finalizeNanoseconds: UInt64 = 0
        var sweepNanoseconds: UInt64 = 0
        var maxPauseNanoseconds: UInt64 = 0
        var minorCollections = 0
        var majorCollections = 0
        var badMajorCollections = 0
        @usableFromInline var tracedObjects = 0
        @usableFromInline init() {}
    }
}
