/// The mutation context: proof that the arena is being mutated and no collection is running.
///
/// A `Mutation` exists only inside ``Arena/mutate(_:)`` (and the finalization window). It
/// is `~Escapable`: the compiler rejects returning it from `mutate`, storing it in a
/// global, a class property or a collection, and capturing it in an escaping closure.
/// Every allocation, write barrier and dynamic-root access takes it.
public struct Mutation: ~Escapable {
    @usableFromInline let _state: UnsafeMutablePointer<_HeapState>

    @inlinable @inline(__always) @_lifetime(immortal)
    init(_state: UnsafeMutablePointer<_HeapState>) { self._state = _state }

    /// Allocates `value` as a new arena object.
    ///
    /// Throws ``GCAllocationError/memoryLimitExceeded(requested:limit:)`` when the object
    /// would push the arena past its memory limit: nothing is allocated and the arena is
    /// unchanged, so the caller can report the error and carry on.
    @inlinable
    public func allocate<T: Collect>(_ value: consuming T) throws(GCAllocationError) -> Gc<T> {
        try _allocate(value, blockSize: _blockSize(payloadSize: MemoryLayout<T>.size))
    }

    /// Allocates a block of `size` bytes (header included) and moves `value` into it;
    /// `kindHint` is a ``GCKind``'s bits, if the caller has one.
    @inlinable @inline(__always)
    func _allocate<T: Collect>(_ value: consuming T, blockSize size: Int,
                               kindHint: UInt64? = nil) throws(GCAllocationError) -> Gc<T> {
        let payload = try _allocateBlock(T.self, key: UInt(bitPattern: ObjectIdentifier(T.self)),
                                         alignment: MemoryLayout<T>.alignment, blockSize: size,
                                         kindHint: kindHint)
        // SAFETY: the payload has room and alignment for a `T` (checked in `_allocateBlock`).
        payload.initializeMemory(as: T.self, to: value)
        return Gc(_raw: payload)
    }

    /// Allocates a block of `size` bytes (at most `UInt32.max`, which `_blockSize` and
    /// `_tailBlockSize` guarantee) for an object of kind `K` (registered under `key`),
    /// links it into the heap and returns its uninitialized payload, which the caller
    /// initializes at once. `kindHint` is a ``GCKind``'s bits: its kind is used if it names
    /// this arena, else `K` is looked up out of line; without one, `K` is looked up in line.
    @inlinable @inline(__always)
    func _allocateBlock<K: Collect>(_ kind: K.Type, key: UInt, alignment: Int, blockSize size: Int,
                                    kindHint: UInt64? = nil) throws(GCAllocationError) -> UnsafeMutableRawPointer {
        precondition(alignment <= _payloadAlignment,
                     "GCArena: objects aligned beyond 16 bytes are not supported")
        // `size` fits the header's 32-bit field: `_blockSize` and `_tailBlockSize` check it.
        let s = _state
        if _slowPath(s.pointee.liveBytes &+ size > s.pointee.memoryLimit) {
            s.pointee.limitFailures &+= 1
            throw .memoryLimitExceeded(requested: size, limit: s.pointee.memoryLimit)
        }
        guard let block = s.pointee.pool.allocate(size: size) else {
            throw .outOfMemory(requested: size)
        }
        let kind: UInt8
        if let hint = kindHint {
            kind = _fastPath(hint >> 8 == UInt64(s.pointee.arenaID))
                ? UInt8(truncatingIfNeeded: hint) : s.pointee.kinds.kindOutOfLine(for: K.self, key: key)
        } else {
            kind = s.pointee.kinds.kind(for: K.self, key: key)
        }
        let o = _ObjectRef(block)
        // SAFETY: `block` holds `size` >= `_headerSize + payload` bytes with 16-byte
        // alignment; the header is initialized here and the payload by the caller before the
        // handle escapes.
        o.header.initialize(to: _ObjectHeader(
            next: s.pointee.allObjects, kind: kind, color: s.pointee.allocationColor,
            flags: (K.needsTrace ? 0 : _Flag.leaf) | (K._gcNeedsRelease ? _Flag.releases : 0),
            size: UInt32(truncatingIfNeeded: size),
            arenaID: s.pointee.arenaID))
        if s.pointee.allObjects == nil { s.pointee.allObjectsTail = block }
        s.pointee.allObjects = block
        s.pointee.heapBytes &+= size
        s.pointee.objectCount &+= 1
        s.pointee.allocatedTotal &+= size
        return o.payload
    }

    /// Reports that objects grew (positive) or shrank (negative) their memory outside the arena.
    ///
    /// Growth counts toward the allocation debt and the memory limit; growth that would
    /// pass the limit throws and is not recorded, so report it before allocating the buffer.
    @inlinable
    public func reportExternalMemory(_ delta: Int) throws(GCAllocationError) {
        let s = _state
        if delta > 0 {
            if _slowPath(s.pointee.liveBytes &+ delta > s.pointee.memoryLimit) {
                s.pointee.limitFailures &+= 1
                throw .memoryLimitExceeded(requested: delta, limit: s.pointee.memoryLimit)
            }
            s.pointee.allocatedTotal &+= delta
        }
        s.pointee.externalBytes &+= delta
    }

    /// The collection work owed so far, in work units (what ``Arena/collectDebt()`` would pay).
    ///
    /// A stepping interpreter can end its slice once this passes a threshold, so that long
    /// allocation-heavy steps hand control back to the collector in time.
    public var allocationDebt: Double { _Collector.debt(_state) }

    /// Whether ``Arena/collectDebt()`` is switched off (see ``Arena/isAutomaticCollectionPaused``).
    public var isAutomaticCollectionPaused: Bool {
        get { _state.pointee.automaticCollectionPaused }
        nonmutating set { _state.pointee.automaticCollectionPaused = newValue }
    }

    /// The collector phase this mutation runs in.
    @inlinable public var phase: GCPhase { _state.pointee.phase }

    /// Bytes in use: object blocks plus reported external memory.
    @inlinable public var liveBytes: Int { _state.pointee.liveBytes }
}

/// Why an allocation failed. The arena is unchanged after either error.
public enum GCAllocationError: Error, Equatable, Sendable {
    /// The allocation would pass the arena's hard memory limit.
    case memoryLimitExceeded(requested: Int, limit: Int)
    /// The system allocator returned no memory.
    case outOfMemory(requested: Int)
}
