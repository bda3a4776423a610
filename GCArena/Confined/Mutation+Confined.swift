// Allocation of confined objects: the same block layout and accounting as ``Gc`` objects,
// with the payload moved in through `_ConfinedStorage`.

extension Mutation {
    /// Allocates `value` as a new object of a ``ConfinedArena``.
    ///
    /// The handle lives as long as this mutation. Throws
    /// ``GCAllocationError/memoryLimitExceeded(requested:limit:)`` when the object would push
    /// the arena past its memory limit; nothing is allocated then.
    @inlinable @inline(__always) @_lifetime(copy self)
    public func allocate<T: ConfinedCollect & ~Escapable>(_ value: consuming T) throws(GCAllocationError) -> Confined<T> {
        // Keyed by `T` itself: `_ConfinedKind<T>`'s metadata is instantiated only on first use.
        let payload = try _allocateBlock(_ConfinedKind<T>.self, key: UInt(bitPattern: ObjectIdentifier(T.self)),
                                         alignment: MemoryLayout<T>.alignment,
                                         blockSize: _blockSize(payloadSize: MemoryLayout<T>.size))
        _confinedInitialize(value, at: payload)
        return _overrideLifetime(Confined<T>(_raw: payload), copying: self)
    }
}
