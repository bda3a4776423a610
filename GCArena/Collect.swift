/// A type whose values can live in a garbage-collected arena and report the handles they hold.
///
/// The collector finds live objects by tracing: starting from the arena's root, it asks
/// each reachable value to report every ``Gc`` handle it holds. `Collect` is that report.
///
/// ## The tracing contract
///
/// A conformance is a promise the collector relies on for memory safety. Break one of
/// these rules and a handle may point at freed memory (debug builds trap instead):
///
/// 1. `trace(_:)` reports **every** ``Gc`` the value holds, directly or inside stored
///    properties, by calling `tracer.trace(_:)` (or `trace(&tracer)` on the field). Handles
///    held weakly are reported with `tracer.traceWeak(_:)`.
/// 2. ``needsTrace`` is `false` only when the type can never hold a handle.
/// 3. Handles are never hidden where tracing cannot see them: not in closure captures, not
///    in class instances outside the arena, not in globals. To keep a handle across
///    `mutate` calls, stash it in a ``DynamicRoot``.
/// 4. `trace(_:)` only reports: it does not allocate, mutate objects, or stash handles.
/// 5. Every mutation of an arena object goes through ``Gc/write(_:)`` (or a ``GcLock`` /
///    ``GcRefLock``), which applies the write barrier. The only way around it is the
///    explicitly unsafe ``Gc/unsafeMutablePointer`` plus a manual barrier.
///
/// Types that hold no handles can conform to ``CollectLeaf`` and write nothing.
public protocol Collect {
    /// Whether values of this type can hold handles; `false` lets the collector skip them.
    static var needsTrace: Bool { get }

    /// Reports every handle this value holds to `tracer`.
    func trace(_ tracer: inout Tracer)

    /// Whether values own memory outside the arena (buffers) that the collector must release.
    static var ownsExternalMemory: Bool { get }

    /// Releases memory this value owns outside the arena, returning how many bytes that was.
    ///
    /// Called once, by the collector, just before the object's storage is deinitialized.
    /// Such types report growth and shrinkage while alive with
    /// ``Mutation/reportExternalMemory(_:)``, and return the same total here.
    mutating func releaseExternalMemory() -> Int

    /// Traces the value stored at `payload` (collector entry point; do not implement).
    static func _gcTraceObject(_ payload: UnsafeMutableRawPointer, _ tracer: inout Tracer)

    /// Releases and deinitializes the value stored at `payload` (collector entry point; do not implement).
    static func _gcReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int
}

extension Collect {
    @inlinable public static var needsTrace: Bool { true }
    @inlinable public static var ownsExternalMemory: Bool { false }
    @inlinable public mutating func releaseExternalMemory() -> Int { 0 }

    @inlinable static var _gcNeedsRelease: Bool { !_isPOD(Self.self) || ownsExternalMemory }

    @inlinable
    public static func _gcTraceObject(_ payload: UnsafeMutableRawPointer, _ tracer: inout Tracer) {
        // SAFETY: the collector calls this only with the payload of a live object whose
        // header kind was registered for `Self`, so the memory holds an initialized `Self`.
        payload.assumingMemoryBound(to: Self.self).pointee.trace(&tracer)
    }

    @inlinable
    public static func _gcReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int {
        // SAFETY: as above; the collector calls this exactly once per object, after which
        // the payload is never read as `Self` again.
        let p = payload.assumingMemoryBound(to: Self.self)
        let external = ownsExternalMemory ? p.pointee.releaseExternalMemory() : 0
        p.deinitialize(count: 1)
        return external
    }
}

/// A type that holds no handles: conforming is all it takes to be stored in an arena.
public protocol CollectLeaf: Collect {}

extension CollectLeaf {
    @inlinable public static var needsTrace: Bool { false }
    @inlinable public func trace(_ tracer: inout Tracer) {}
}

/// The collector's view during tracing: values report their handles to it.
///
/// A tracer exists only while the collector calls ``Collect/trace(_:)``; it cannot be
/// copied or kept.
public struct Tracer: ~Copyable {
    @usableFromInline let _state: UnsafeMutablePointer<_HeapState>

    @inlinable init(_ state: UnsafeMutablePointer<_HeapState>) { _state = state }

    /// Reports a strongly held handle.
    @inlinable @inline(__always)
    public mutating func trace<T>(_ gc: Gc<T>) {
        _mark(_ObjectRef(payload: gc._raw))
    }

    /// Reports every handle inside `value`.
    @inlinable @inline(__always)
    public mutating func trace<T: Collect>(_ value: T) {
        if T.needsTrace { value.trace(&self) }
    }

    /// Reports a weakly held handle: it keeps the block addressable but not the value alive.
    @inlinable @inline(__always)
    public mutating func traceWeak<T>(_ weak: GcWeak<T>) {
        let o = _ObjectRef(payload: weak._raw)
        if _Color.isWhite(o.color) {
            if _slowPath(_state.pointee.verifying) {
                _state.pointee.verifyWeakWhite += 1
                if o.age == _Age.new { _state.pointee.verifyWeakNew += 1 }
            } else {
                o.flags |= _Flag.weaklyReached
            }
        }
    }

    /// Whether the object has been reached by marking so far (for ephemeron tables).
    ///
    /// An ephemeron holds its value only while its key is reachable from elsewhere. A table
    /// of ephemerons traces keys weakly, traces a value only when `isMarked(key)`, and calls
    /// ``retraceAfterPropagation()`` when some key is not marked yet, so the collector asks
    /// again once everything else has been traced (repeating until nothing changes).
    @inlinable
    public func isMarked<T>(_ weak: GcWeak<T>) -> Bool {
        !_Color.isWhite(_ObjectRef(payload: weak._raw).color)
    }

    /// Whether the object has been reached by marking so far.
    @inlinable
    public func isMarked<T>(_ gc: Gc<T>) -> Bool {
        !_Color.isWhite(_ObjectRef(payload: gc._raw).color)
    }

    /// Asks the collector to trace the object being traced again after propagation, when
    /// more ephemeron keys may have been marked.
    public mutating func retraceAfterPropagation() {
        guard !_state.pointee.verifying, let current = _state.pointee.tracing else { return }
        _state.pointee.ephemerons.push(current)
    }

    @inlinable @inline(__always)
    mutating func _mark(_ o: _ObjectRef) {
        if _Color.isWhite(o.color) { _markWhite(o) }
    }

    @inlinable @inline(__always)
    mutating func _markWhite(_ o: _ObjectRef) {
        let s = _state
        if _slowPath(s.pointee.verifying) {
            s.pointee.verifyViolations += 1
            if o.flags & _Flag.dropped != 0 { s.pointee.verifyDropped += 1 }
            if o.age == _Age.new { s.pointee.verifyNewChildren += 1 }
            return
        }
        s.pointee.marks += 1
        if o.flags & _Flag.leaf != 0 {
            o.color = _Color.black
            s.pointee.stats.markedBytes += o.size
            s.pointee.stats.tracedObjects &+= 1
        } else {
            o.color = _Color.gray
            s.pointee.gray.push(o.raw)
        }
    }
}
