import Synchronization

// SAFETY: `_state` is the heap-state record created in `init` and destroyed only in `deinit`;
// every access happens while the arena is alive.

/// A garbage-collected heap with a single root, mutated in closures and collected between them.
///
/// Objects live in the arena and are named by ``Gc`` handles. All access happens inside
/// ``mutate(_:)``, which lends the closure a ``Mutation`` context and the root. No
/// collection runs during `mutate`; between calls the host pays the allocation debt
/// (``collectDebt()``) or drives the collector explicitly, and everything not reachable from
/// the root (or a ``DynamicRoot``) is freed.
///
/// ```swift
/// struct Node: Collect {
///     var value: Int
///     var next: Gc<Node>?
///     func trace(_ tracer: inout Tracer) { tracer.trace(next) }
/// }
/// struct Root: Collect {
///     var head: Gc<Node>?
///     func trace(_ tracer: inout Tracer) { tracer.trace(head) }
/// }
/// let arena = Arena<Root> { _ in Root(head: nil) }
/// try arena.mutate { mc, root in
///     for i in 0..<1000 { root.head = try mc.allocate(Node(value: i, next: root.head)) }
/// }
/// arena.collectAll()
/// ```
///
/// An arena is not thread-safe: use it from one thread (or one actor) at a time.
public final class Arena<Root: Collect> {
    @usableFromInline let _state: UnsafeMutablePointer<_HeapState>
    /// Unchecked for exclusivity: every `inout` access to it happens inside `mutate` or a
    /// collection, which the re-entry precondition already keeps from overlapping; the
    /// dynamic check (`swift_beginAccess`) cost every `mutate` about 120 instructions.
    @exclusivity(unchecked) @usableFromInline var _root: Root
    let _dynamicRoots: _DynamicRootSet

    /// Called at every finalization window the collector reaches while paying debt.
    ///
    /// The window opens once marking is complete: ``GCFinalization/isDead(_:)-(GcWeak<T>)``
    /// tells what is about to be freed, and ``GCFinalization/resurrect(_:)-(GcWeak<T>)`` keeps
    /// an object (and everything it reaches) alive for one more cycle. After a
    /// resurrection, marking resumes and the window opens again with a higher
    /// ``GCFinalization/windowIndex``.
    public var finalizationHook: ((borrowing GCFinalization, inout Root) -> Void)?

    /// Creates an arena whose root is built by `makeRoot` inside the first mutation.
    public init(_ makeRoot: (borrowing Mutation) throws -> Root) rethrows {
        let id = _nextArenaID.wrappingAdd(1, ordering: .relaxed).oldValue
        let state = _HeapStateStorage.make(arenaID: id)
        _state = state
        let roots = _DynamicRootSet(arenaID: id)
        _dynamicRoots = roots
        state.pointee.dynamicRoots = Unmanaged.passUnretained(roots)
        let previous = _DebugContext.enter(id)
        defer { _DebugContext.restore(previous) }
        state.pointee.inMutation = true
        defer { state.pointee.inMutation = false }
        do {
            _root = try makeRoot(Mutation(_state: state))
        } catch {
            _Collector.freeAll(state)
            _HeapStateStorage.destroy(state)
            throw error
        }
    }

    deinit {
        _dynamicRoots.arenaAlive = false
        _Collector.freeAll(_state)
        _HeapStateStorage.destroy(_state)
    }

    /// Runs `body` with the mutation context and the root; no collection happens inside.
    ///
    /// `mutate` is not re-entrant, and calling a collection method from inside `body` is a
    /// precondition failure.
    @inlinable
    public func mutate<R>(_ body: (borrowing Mutation, inout Root) throws -> R) rethrows -> R {
        let s = _state
        precondition(!s.pointee.inMutation && !s.pointee.inCollection,
                     "GCArena: mutate called inside mutate or during collection")
        s.pointee.inMutation = true
        defer { s.pointee.inMutation = false }
        let previous = _DebugContext.enter(s.pointee.arenaID)
        defer { _DebugContext.restore(previous) }
        return try body(Mutation(_state: s), &_root)
    }

    /// A unique id for this arena (what debug checks compare against object headers).
    public var id: UInt32 { _state.pointee.arenaID }

    /// The phase of the current collection cycle.
    public var phase: GCPhase { _state.pointee.phase }

    /// A hard limit on live bytes: allocations that would pass it throw.
    ///
    /// Garbage counts until it is collected: on a limit error, return from `mutate`, collect
    /// (``collectAll()``) and try again.
    public var memoryLimit: Int? {
        get { _state.pointee.memoryLimit == Int.max ? nil : _state.pointee.memoryLimit }
        set { _state.pointee.memoryLimit = newValue ?? Int.max }
    }

    /// How many allocations (and external-memory reports) the ``memoryLimit`` has refused
    /// since the arena was created.
    ///
    /// A host that cannot collect at the failing allocation (it happens inside `mutate`)
    /// compares this count across a `mutate` call and runs an emergency ``collectAll()``
    /// when it grew, so that the garbage behind the failure is gone before the next try.
    public var memoryLimitFailures: Int { _state.pointee.limitFailures }

    /// Whether ``collectDebt()`` does nothing (the allocation debt keeps growing).
    ///
    /// Explicit drivers (``collectAll()``, ``collectStep(work:)``, ``finishCycle()``) still
    /// run. Lua's `collectgarbage("stop")` sets it; `"restart"` clears it.
    public var isAutomaticCollectionPaused: Bool {
        get { _state.pointee.automaticCollectionPaused }
        set { _state.pointee.automaticCollectionPaused = newValue }
    }

    /// The pacing factors: when cycles start and how much work each allocated byte buys.
    public var pacing: GCPacing {
        get { _state.pointee.pacing }
        set {
            _state.pointee.pacing = newValue
            if _state.pointee.phase == .sleeping { _Collector.setWakeUp(_state) }
        }
    }

    /// The work the host owes the collector now; positive means ``collectDebt()`` has work to do.
    public var allocationDebt: Double {
        _state.pointee.automaticCollectionPaused ? 0 : _Collector.debt(_state)
    }

    /// A snapshot of memory use and collector activity.
    public var metrics: GCMetrics {
        let s = _state.pointee
        return GCMetrics(
            heapBytes: s.heapBytes, externalBytes: s.externalBytes, objectCount: s.objectCount,
            totalAllocatedBytes: s.allocatedTotal, freedObjects: s.stats.freedObjects,
            cyclesCompleted: s.stats.cyclesCompleted, markNanoseconds: s.stats.markNanoseconds,
            atomicNanoseconds: s.stats.atomicNanoseconds,
            finalizeNanoseconds: s.stats.finalizeNanoseconds,
            sweepNanoseconds: s.stats.sweepNanoseconds,
            maxPauseNanoseconds: s.stats.maxPauseNanoseconds, phase: s.phase,
            allocationDebt: _Collector.debt(_state), wakeUpBytes: s.wakeAt,
            collectorMode: s.generational ? .generational : .incremental,
            minorCollections: s.stats.minorCollections, majorCollections: s.stats.majorCollections,
            badMajorCollections: s.stats.badMajorCollections, tracedObjects: s.stats.tracedObjects)
    }
}

let _nextArenaID = Atomic<UInt32>(1)
