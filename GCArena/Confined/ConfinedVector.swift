// A growable array of confined values, itself an arena object: what a `~Escapable` element
// type needs in place of a Swift `Array` (which requires `Escapable` elements).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// SAFETY: `_buffer` holds `_capacity` elements of `Element`, the first `_count` initialized;
// it is malloc'd memory owned by the vector object and freed when the collector frees the
// object (`_confinedReleaseObject`). Elements are `BitwiseCopyable`, so they are stored and
// dropped without deinitialization. Indices are checked against `_count` before every access.

/// A growable array of confined values, stored as one arena object.
///
/// Allocate it like any object (`try mc.allocate(ConfinedVector<Value>())`) and keep its
/// handle in the root or another object; its elements are read and written through that
/// handle, so they are confined like every other handle:
///
/// ```swift
/// let stack = root.value.stack               // Confined<ConfinedVector<Value>>
/// try stack.append(.int(1), mc)
/// let top = stack.removeLast()               // Optional<Value>, tied to `stack`
/// ```
///
/// Appending and setting run the backward barrier on the vector object. The buffer lives
/// outside the arena's blocks; its size counts toward the arena's external memory.
@frozen
public struct ConfinedVector<Element: ConfinedCollect & BitwiseCopyable & ~Escapable>: ConfinedCollect {
    @usableFromInline var _buffer: UnsafeMutableRawPointer?
    @usableFromInline var _count: Int
    @usableFromInline var _capacity: Int

    /// An empty vector (allocate it in an arena to use it).
    @inlinable
    public init() { _buffer = nil; _count = 0; _capacity = 0 }

    @inlinable @inline(__always)
    static var _stride: Int { MemoryLayout<Element>.stride }

    public func trace(_ tracer: inout Tracer) {
        guard Element.needsTrace, let buffer = _buffer else { return }
        // Each element is traced in place through its type's own (specialized) entry point:
        // this conformance is generic, so code here is not specialized, and loading an
        // element would copy it through a value witness.
        let stride = Self._stride
        for i in 0..<_count { Element._confinedTraceObject(buffer + i &* stride, &tracer) }
    }

    @inlinable
    public static var _confinedOwnsExternalMemory: Bool { true }

    public static func _confinedReleaseObject(_ payload: UnsafeMutableRawPointer) -> Int {
        let vector = payload.assumingMemoryBound(to: ConfinedVector<Element>.self)
        let bytes = vector.pointee._capacity &* _stride
        free(vector.pointee._buffer)
        vector.pointee._buffer = nil
        return bytes
    }
}

extension Confined {
    @inlinable @inline(__always)
    func _vector<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(_: E.Type) -> UnsafeMutablePointer<ConfinedVector<E>> where T == ConfinedVector<E> {
        _debugCheckHandle(_raw)
        return _raw.assumingMemoryBound(to: ConfinedVector<E>.self)
    }

    /// The number of elements.
    @inlinable
    public func count<E: ConfinedCollect & BitwiseCopyable & ~Escapable>() -> Int where T == ConfinedVector<E> { _vector(E.self).pointee._count }

    /// The element at `index`, which must be below the count (a precondition, as for `Array`).
    @inlinable @_lifetime(copy self)
    public func element<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(at index: Int) -> E where T == ConfinedVector<E> {
        let v = _vector(E.self)
        precondition(index >= 0 && index < v.pointee._count, "ConfinedVector: index out of range")
        return _confinedLoad(E.self, at: v.pointee._buffer.unsafelyUnwrapped + index &* ConfinedVector<E>._stride,
                             dependingOn: self)
    }

    /// The last element, or nil when empty.
    @inlinable @_lifetime(copy self)
    public func last<E: ConfinedCollect & BitwiseCopyable & ~Escapable>() -> Optional<E> where T == ConfinedVector<E> {
        let v = _vector(E.self)
        let n = v.pointee._count
        if n == 0 { return nil }
        return _confinedLoad(E.self, at: v.pointee._buffer.unsafelyUnwrapped + (n &- 1) &* ConfinedVector<E>._stride,
                             dependingOn: self)
    }

    /// Replaces the element at `index` (below the count), after the write barrier.
    @inlinable
    public func set<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(_ index: Int, to element: E, _ mc: borrowing Mutation) where T == ConfinedVector<E> {
        let v = _vector(E.self)
        precondition(index >= 0 && index < v.pointee._count, "ConfinedVector: index out of range")
        mc.backwardBarrier(Gc<Int>(_raw: _raw))
        _confinedInitialize(element, at: v.pointee._buffer.unsafelyUnwrapped + index &* ConfinedVector<E>._stride)
    }

    /// Appends `element`, after the write barrier; growing the buffer may throw at the
    /// arena's memory limit (nothing is appended then).
    @inlinable
    public func append<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(_ element: E, _ mc: borrowing Mutation) throws(GCAllocationError) where T == ConfinedVector<E> {
        let v = _vector(E.self)
        if _slowPath(v.pointee._count == v.pointee._capacity) { try _grow(E.self, mc) }
        mc.backwardBarrier(Gc<Int>(_raw: _raw))
        let n = v.pointee._count
        _confinedInitialize(element, at: v.pointee._buffer.unsafelyUnwrapped + n &* ConfinedVector<E>._stride)
        v.pointee._count = n &+ 1
    }

    @usableFromInline
    func _grow<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(_: E.Type, _ mc: borrowing Mutation) throws(GCAllocationError) where T == ConfinedVector<E> {
        let v = _vector(E.self)
        let stride = ConfinedVector<E>._stride
        let old = v.pointee._capacity
        let (doubled, overflow) = Swift.max(8, old).multipliedReportingOverflow(by: 2)
        let capacity = old == 0 ? 8 : doubled
        let (bytes, overflow2) = capacity.multipliedReportingOverflow(by: Swift.max(1, stride))
        if overflow || overflow2 { throw .outOfMemory(requested: Int.max) }
        try mc.reportExternalMemory(bytes &- old &* stride)
        guard let buffer = realloc(v.pointee._buffer, bytes) else {
            try? mc.reportExternalMemory(-(bytes &- old &* stride))
            throw .outOfMemory(requested: bytes)
        }
        v.pointee._buffer = buffer
        v.pointee._capacity = capacity
    }

    /// Removes and returns the last element, or nil when empty.
    @inlinable @_lifetime(copy self)
    public func removeLast<E: ConfinedCollect & BitwiseCopyable & ~Escapable>() -> Optional<E> where T == ConfinedVector<E> {
        let v = _vector(E.self)
        let n = v.pointee._count
        if n == 0 { return nil }
        v.pointee._count = n &- 1
        return _confinedLoad(E.self, at: v.pointee._buffer.unsafelyUnwrapped + (n &- 1) &* ConfinedVector<E>._stride,
                             dependingOn: self)
    }

    /// Keeps the first `count` elements (no-op if there are fewer); the capacity stays.
    @inlinable
    public func truncate<E: ConfinedCollect & BitwiseCopyable & ~Escapable>(to count: Int, _ type: E.Type = E.self) where T == ConfinedVector<E> {
        let v = _vector(E.self)
        if count >= 0 && count < v.pointee._count { v.pointee._count = count }
    }
}
