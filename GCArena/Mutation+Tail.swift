// Variable-size objects: a fixed `T` followed by raw trailing bytes in the same block.
//
// A Lua string is its length and hash followed by its bytes; a closure is its prototype
// followed by its upvalues. Allocating the tail inside the object's block saves a second
// allocation and a pointer chase on every access.

extension Mutation {
    /// Allocates `value` followed by `tailBytes` uninitialized bytes in the same block.
    ///
    /// The tail starts at ``Gc/tail``, 8-byte aligned (or aligned as `T` if that is more). The collector does not look inside
    /// it: handles stored there must be reported by `T.trace`, which can reach the tail
    /// through the value's own bookkeeping (for example a count) and `tail` of its handle —
    /// or, more simply, by keeping a pointer to the tail in the value. Memory is freed with
    /// the object; anything in the tail that needs deinitialization is `T`'s to release in
    /// ``Collect/releaseExternalMemory()``.
    @inlinable
    public func allocate<T: Collect>(_ value: consuming T, tailBytes: Int) throws(GCAllocationError) -> Gc<T> {
        try _allocate(value, blockSize: _tailBlockSize(T.self, tailBytes: tailBytes))
    }
}

/// The block size for a `T` with `tailBytes` trailing bytes, at most `UInt32.max` (the
/// header's size field). One unsigned compare bounds the tail (a negative count wraps to a
/// huge one and fails it), so the sums below cannot overflow and need no overflow checks.
@inlinable @inline(__always)
func _tailBlockSize<T>(_: T.Type, tailBytes: Int) -> Int {
    precondition(UInt(bitPattern: tailBytes) <= UInt(UInt32.max) - UInt(_headerSize + _tailOffset(T.self) + 24),
                 "GCArena: object larger than 4 GiB")
    return ((_headerSize &+ _tailOffset(T.self) &+ tailBytes &+ 8 &+ 15) & ~15) &- 8
}

/// Offset of the tail from the payload start: `T`'s stride rounded up to 8 (or to `T`'s
/// alignment if larger).
@inlinable @inline(__always)
func _tailOffset<T>(_: T.Type) -> Int {
    let a = Swift.max(8, MemoryLayout<T>.alignment)
    return (MemoryLayout<T>.stride + (a - 1)) & ~(a - 1)
}

extension Gc {
    /// The trailing bytes of an object allocated with ``Mutation/allocate(_:tailBytes:)``.
    ///
    /// Unsafe: valid only for such objects, and only for the `tailBytes` requested.
    /// Writing handles into the tail needs a barrier (``Mutation/backwardBarrier(_:)-(Gc<T>)``).
    @inlinable
    public var tail: UnsafeMutableRawPointer {
        // SAFETY: for tail-allocated objects the tail begins right after `T`, 8-aligned
        // (see `allocate(_:tailBytes:)`); the caller asserts this is such an object.
        _raw + _tailOffset(T.self)
    }
}
