// Variable-size objects: a fixed `T` followed by raw trailing bytes in the same block.
//
// A Lua string is its length and hash followed by its bytes; a closure is its prototype
// followed by its upvalues. Allocating the tail inside the object's block saves a second
// allocation and a pointer chase on every access.

extension Mutation {
    /// Allocates `value` followed by `tailBytes` uninitialized bytes in the same block.
    ///
    /// The tail starts at ``Gc/tail`` (16-byte aligned). The collector does not look inside
    /// it: handles stored there must be reported by `T.trace`, which can reach the tail
    /// through the value's own bookkeeping (for example a count) and `tail` of its handle —
    /// or, more simply, by keeping a pointer to the tail in the value. Memory is freed with
    /// the object; anything in the tail that needs deinitialization is `T`'s to release in
    /// ``Collect/releaseExternalMemory()``.
    @inlinable
    public func allocate<T: Collect>(_ value: consuming T, tailBytes: Int) throws(GCAllocationError) -> Gc<T> {
        precondition(tailBytes >= 0)
        let s = _state
        let size = _blockSize(payloadSize: _tailOffset(T.self) + tailBytes)
        if _slowPath(s.pointee.liveBytes &+ size > s.pointee.memoryLimit) {
            throw .memoryLimitExceeded(requested: size, limit: s.pointee.memoryLimit)
        }
        precondition(size <= Int(UInt32.max), "GCArena: object larger than 4 GiB")
        guard let block = s.pointee.pool.allocate(size: size) else { throw .outOfMemory(requested: size) }
        let kind = s.pointee.kinds.kind(for: T.self)
        let o = _ObjectRef(block)
        // SAFETY: the block holds the header, `T` and `tailBytes` more bytes; header and
        // value are initialized before the handle escapes; the tail is raw memory.
        o.header.initialize(to: _ObjectHeader(
            next: s.pointee.allObjects, kind: kind, color: s.pointee.allocationColor,
            flags: T.needsTrace ? 0 : _Flag.leaf, size: UInt32(truncatingIfNeeded: size),
            arenaID: s.pointee.arenaID))
        o.payload.initializeMemory(as: T.self, to: value)
        if s.pointee.allObjects == nil { s.pointee.allObjectsTail = block }
        s.pointee.allObjects = block
        s.pointee.heapBytes &+= size
        s.pointee.objectCount &+= 1
        s.pointee.allocatedTotal &+= size
        return Gc(_raw: o.payload)
    }
}

/// Offset of the tail from the payload start: `T`'s stride rounded up to 16.
@inlinable @inline(__always)
func _tailOffset<T>(_: T.Type) -> Int {
    (MemoryLayout<T>.stride + (_payloadAlignment - 1)) & ~(_payloadAlignment - 1)
}

extension Gc {
    /// The trailing bytes of an object allocated with ``Mutation/allocate(_:tailBytes:)``.
    ///
    /// Unsafe: valid only for such objects, and only for the `tailBytes` requested.
    /// Writing handles into the tail needs a barrier (``Mutation/backwardBarrier(_:)``).
    @inlinable
    public var tail: UnsafeMutableRawPointer {
        // SAFETY: for tail-allocated objects the tail begins right after `T`, 16-aligned
        // (see `allocate(_:tailBytes:)`); the caller asserts this is such an object.
        _raw + _tailOffset(T.self)
    }
}
