// Allocation of confined objects: the same block layout and accounting as ``Gc`` objects,
// with the payload moved in through `_ConfinedStorage`.

extension Mutation {
    /// Allocates `value` as a new object of a ``ConfinedArena``.
    ///
    /// The handle lives as long as this mutation. Throws
    /// ``GCAllocationError/memoryLimitExceeded(requested:limit:)`` when the object would push
    /// the arena past its memory limit; nothing is allocated then.
    @inlinable @_lifetime(copy self)
    public func allocate<T: ConfinedCollect & ~Escapable>(_ value: consuming T) throws(GCAllocationError) -> Confined<T> {
        let payload = try _allocateBlock(_ConfinedKind<T>.self, alignment: MemoryLayout<T>.alignment,
                                         blockSize: _blockSize(payloadSize: MemoryLayout<T>.size))
        _confinedInitialize(value, at: payload)
        return _overrideLifetime(Confined<T>(_raw: payload), copying: self)
    }
}
