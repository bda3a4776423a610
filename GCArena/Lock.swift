/// A single mutable cell for an arena object: `Gc<GcLock<T>>` reads with ``Gc/get()`` and
/// writes with ``Gc/set(_:_:)``, which applies the write barrier.
@frozen
public struct GcLock<T: Collect>: Collect {
    @usableFromInline var _value: T

    /// Creates a cell holding `value`.
    @inlinable public init(_ value: T) { _value = value }

    @inlinable public static var needsTrace: Bool { T.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_value) }
}

extension Gc {
    /// The cell's value.
    @inlinable
    public func get<V>() -> V where T == GcLock<V> { value._value }

    /// Replaces the cell's value, applying the write barrier.
    @inlinable
    public func set<V>(_ mc: borrowing Mutation, _ newValue: V) where T == GcLock<V> {
        write(mc).value._value = newValue
    }
}

/// A cell with dynamically checked borrows for an arena object: `Gc<GcRefLock<T>>` reads
/// with ``Gc/borrow(_:)`` and writes with ``Gc/borrowMut(_:_:)``, which applies the barrier.
///
/// Like Rust's `RefCell`, any number of shared borrows or one exclusive borrow may be
/// active; a conflicting borrow is a precondition failure, never silent aliasing.
@frozen
public struct GcRefLock<T: Collect>: Collect {
    @usableFromInline var _borrows: Int
    @usableFromInline var _value: T

    /// Creates a cell holding `value`.
    @inlinable public init(_ value: T) { _borrows = 0; _value = value }

    @inlinable public static var needsTrace: Bool { T.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_value) }
}

extension Gc {
    /// Runs `body` with shared access to the cell's value.
    @inlinable
    public func borrow<V, R>(_ body: (borrowing V) throws -> R) rethrows -> R where T == GcRefLock<V> {
        let p = unsafeMutablePointer
        _debugCheckHandle(_raw)
        precondition(p.pointee._borrows >= 0, "GcRefLock: already mutably borrowed")
        p.pointee._borrows += 1
        defer { p.pointee._borrows -= 1 }
        return try body(p.pointee._value)
    }

    /// Runs `body` with exclusive, barrier-protected access to the cell's value.
    @inlinable
    public func borrowMut<V, R>(_ mc: borrowing Mutation, _ body: (inout V) throws -> R) rethrows -> R
    where T == GcRefLock<V> {
        _debugCheckHandle(_raw)
        let p = unsafeMutablePointer
        precondition(p.pointee._borrows == 0, "GcRefLock: already borrowed")
        mc.backwardBarrier(self)
        p.pointee._borrows = -1
        defer { p.pointee._borrows = 0 }
        return try body(&p.pointee._value)
    }
}
