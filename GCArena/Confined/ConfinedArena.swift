// The arena of confined objects: an ``Arena`` whose root is itself an arena object, lent to
// `mutate` as a ``Confined`` handle so that nothing reachable from it can leave the closure.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A garbage-collected heap whose handles the compiler confines to ``mutate(_:)``.
///
/// The root is an arena object of type `Root`; `mutate` lends the closure the mutation
/// context and a ``Confined`` handle to the root. Every handle obtained inside — allocated,
/// read from the root or from another object — depends on that call, so none can be used
/// after it returns: the use-after-free that ``Arena`` leaves to the user (keeping a ``Gc``
/// across `mutate` calls) does not compile.
///
/// ```swift
/// struct Root: ConfinedCollect, ~Escapable {
///     var head: Optional<Confined<Node>>
///     @_lifetime(immortal) init() { head = nil }
///     func trace(_ tracer: inout Tracer) { tracer.trace(head) }
/// }
/// let arena = try ConfinedArena<Root> { _ in Root() }
/// try arena.mutate { mc, root in
///     for i in 0..<1000 { root.write(mc).value.head = try mc.allocate(Node(value: i, next: root.value.head)) }
/// }
/// arena.collectAll()
/// ```
///
/// What the lifetime checker cannot see is checked at run time, in every build: `mutate` of
/// one confined arena cannot run inside `mutate` of another on the same thread, so a handle of
/// one arena can never meet another arena's mutation or objects. Debug builds also check every
/// dereference, as for ``Gc``. The arena is not thread-safe.
public final class ConfinedArena<Root: ConfinedCollect & ~Escapable> {
    @usableFromInline let _arena: Arena<_ConfinedRoot>

    /// Creates an arena whose root is built by `makeRoot` inside the first mutation.
    ///
    /// Throws what `makeRoot` throws, or ``GCAllocationError/outOfMemory(requested:)`` if the
    /// root object cannot be allocated.
    public init(_ makeRoot: (borrowing Mutation) throws -> Root) throws {
        _arena = try Arena<_ConfinedRoot> { mc in
            let previous = _ConfinedGuard.enter(mc._state.pointee.arenaID)
            defer { _ConfinedGuard.restore(previous) }
            let root = try mc.allocate(try makeRoot(mc))
            return _ConfinedRoot(raw: root._raw)
        }
    }

    /// Creates an arena whose root holds handles: `build` allocates what the root refers to and
    /// hands the root to `install`, exactly once.
    ///
    /// (``init(_:)`` cannot do this: a closure's result cannot depend on its parameter, so a
    /// root returned from it must be free of handles.)
    ///
    /// ```swift
    /// let arena = try ConfinedArena<Machine> { mc, install in try install(try Machine(mc)) }
    /// ```
    public init(building build: (borrowing Mutation, _ install: (consuming Root) throws -> Void) throws -> Void) throws {
        _arena = try Arena<_ConfinedRoot> { mc in
            let previous = _ConfinedGuard.enter(mc._state.pointee.arenaID)
            defer { _ConfinedGuard.restore(previous) }
            var installed: UnsafeMutableRawPointer? = nil
            try build(mc) { root in
                precondition(installed == nil, "GCArena: ConfinedArena root installed twice")
                installed = try mc.allocate(root)._raw
            }
            guard let raw = installed else { preconditionFailure("GCArena: ConfinedArena built without a root") }
            return _ConfinedRoot(raw: raw)
        }
    }

    /// Runs `body` with the mutation context and the root; no collection happens inside.
    ///
    /// Not re-entrant, and it traps if another confined arena is being mutated on this thread
    /// (the run-time half of the confinement). Calling a collection method from inside `body`
    /// is a precondition failure.
    @inlinable
    public func mutate<R>(_ body: (borrowing Mutation, Confined<Root>) throws -> R) rethrows -> R {
        try _arena.mutate { mc, r in
            let previous = _ConfinedGuard.enter(mc._state.pointee.arenaID)
            defer { _ConfinedGuard.restore(previous) }
            return try body(mc, Confined<Root>(_raw: r.raw))
        }
    }

    /// A unique id for this arena.
    public var id: UInt32 { _arena.id }

    /// The phase of the current collection cycle.
    public var phase: GCPhase { _arena.phase }

    /// A hard limit on live bytes: allocations that would pass it throw (see ``Arena/memoryLimit``).
    public var memoryLimit: Int? {
        get { _arena.memoryLimit }
        set { _arena.memoryLimit = newValue }
    }

    /// The pacing factors (see ``Arena/pacing``).
    public var pacing: GCPacing {
        get { _arena.pacing }
        set { _arena.pacing = newValue }
    }

    /// The work the host owes the collector now.
    public var allocationDebt: Double { _arena.allocationDebt }

    /// A snapshot of memory use and collector activity.
    public var metrics: GCMetrics { _arena.metrics }

    /// Does the collection work the allocation debt calls for (see ``Arena/collectDebt()``).
    public func collectDebt() { _arena.collectDebt() }

    /// Does about `work` units of collection (see ``Arena/collectStep(work:)``).
    public func collectStep(work: Int) { _arena.collectStep(work: work) }

    /// Finishes the running cycle, or runs a whole one (see ``Arena/finishCycle()``).
    public func finishCycle() { _arena.finishCycle() }

    /// Collects all garbage (see ``Arena/collectAll()``).
    public func collectAll() { _arena.collectAll() }

    /// Checks the heap's invariants (see ``Arena/verifyHeap()``).
    public func verifyHeap() -> GCHeapReport { _arena.verifyHeap() }

    /// The collector's mode (see ``Arena/collectorMode``).
    public var collectorMode: GCCollectorMode { _arena.collectorMode }

    /// Switches the collector's mode, returning the previous one (see ``Arena/setCollectorMode(_:)``).
    @discardableResult
    public func setCollectorMode(_ mode: GCCollectorMode) -> GCCollectorMode { _arena.setCollectorMode(mode) }

    /// Runs a minor collection in generational mode (see ``Arena/collectMinor()``).
    public func collectMinor() { _arena.collectMinor() }
}

// SAFETY: `_ConfinedRoot.raw` is the payload address of the root object allocated by the
// arena it roots; it is marked every cycle, so it stays valid for the arena's life, and it is
// only turned back into a handle inside that arena's `mutate`.
/// The escapable root of the underlying arena: the address of the confined root object.
@usableFromInline
struct _ConfinedRoot: Collect {
    @usableFromInline let raw: UnsafeMutableRawPointer

    @usableFromInline init(raw: UnsafeMutableRawPointer) { self.raw = raw }

    @usableFromInline func trace(_ tracer: inout Tracer) { tracer._mark(_ObjectRef(payload: raw)) }
}

/// Which confined arena this thread is mutating: at most one at a time.
///
/// Handles are confined to a `mutate` closure by the compiler, and objects can only be
/// changed through the mutation; so if no two confined mutations overlap on one thread (and
/// handles cannot cross threads, being `~Escapable` and not `Sendable`), no handle of one
/// arena can reach another. This check replaces a per-handle arena id in release builds.
@usableFromInline
enum _ConfinedGuard {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Records that arena `id` is being mutated; traps if another confined arena already is.
    @usableFromInline
    static func enter(_ id: UInt32) -> UInt32 {
        let current = UInt32(truncatingIfNeeded: UInt(bitPattern: pthread_getspecific(key)))
        precondition(current == 0,
                     "GCArena: mutate of confined arena \(id) inside mutate of confined arena \(current)")
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(id)))
        return current
    }

    /// Ends the mutation recorded by `enter`.
    @usableFromInline
    static func restore(_ previous: UInt32) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(previous)))
    }
}
