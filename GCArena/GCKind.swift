// Kind tokens: a type's kind byte in one arena, looked up once by a hot allocation site.
//
// Every allocation finds its type's kind byte (what marking dispatches on) in the arena's type
// table, a hashed probe of about a dozen instructions. A site that allocates one type over and
// over (the Lua VM's CLOSURE) can look the kind up once, keep the token, and pass it to
// `allocateInline(_:kind:)`, which then costs a compare. A token names its arena: used with
// any other arena it is ignored and the type is looked up as usual, so a stale or foreign
// token can never give an object the wrong kind.

/// A type's kind in one arena, looked up once (``Mutation/kind(of:)``) so that allocations
/// through ``Mutation/allocateInline(_:kind:)`` skip the per-allocation type lookup.
///
/// A token is a hint, never trusted blindly: with an arena other than the one that made it,
/// the allocation looks the type up as ``Mutation/allocate(_:)->Gc<T>`` does.
@frozen
public struct GCKind<T: Collect>: BitwiseCopyable, Sendable {
    /// `arenaID << 8 | kind`; `UInt64.max` (an arena ID no arena has) for ``unresolved``.
    @usableFromInline let bits: UInt64

    @inlinable init(bits: UInt64) { self.bits = bits }

    /// A token that matches no arena: allocations through it look their type up.
    @inlinable public static var unresolved: GCKind<T> { GCKind(bits: UInt64.max) }
}

extension Mutation {
    /// `T`'s kind in this arena, registering the type on first use.
    public func kind<T: Collect>(of type: T.Type) -> GCKind<T> {
        let kind = _state.pointee.kinds.kind(for: T.self)
        return GCKind(bits: UInt64(_state.pointee.arenaID) << 8 | UInt64(kind))
    }

    /// ``allocate(_:)->Gc<T>`` compiled into the caller, with the kind looked up beforehand
    /// (see ``kind(of:)``): for the few allocation sites hot enough that the call, its
    /// argument copies and the type lookup show (the Lua VM's CLOSURE and NEWTABLE). The same
    /// contract and errors, paid in code size at each use.
    @inlinable @inline(__always)
    public func allocateInline<T: Collect>(_ value: consuming T, kind: GCKind<T>) throws(GCAllocationError) -> Gc<T> {
        try _allocate(value, blockSize: _blockSize(payloadSize: MemoryLayout<T>.size), kindHint: kind.bits)
    }

    /// ``allocate(_:tailBytes:)`` compiled into the caller, with the kind looked up beforehand
    /// (see ``allocateInline(_:kind:)``).
    @inlinable @inline(__always)
    public func allocateInline<T: Collect>(_ value: consuming T, tailBytes: Int,
                                           kind: GCKind<T>) throws(GCAllocationError) -> Gc<T> {
        try _allocate(value, blockSize: _tailBlockSize(T.self, tailBytes: tailBytes), kindHint: kind.bits)
    }
}
