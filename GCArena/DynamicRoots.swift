// SAFETY: a dynamic root's payload pointer stays valid because the root set traces it: the
// object cannot be collected while the root (or any copy of it) exists.

/// A handle kept alive outside `mutate`: the way to hold an arena object across calls.
///
/// ``Mutation/stash(_:)`` turns a ``Gc`` into a `DynamicRoot`, an ordinary reference-counted
/// Swift object the host may store anywhere; the object stays alive while any reference to
/// the root remains. ``Mutation/fetch(_:)`` turns it back into a handle, and traps if the
/// root belongs to another arena.
public final class DynamicRoot<T: Collect> {
    let _set: _DynamicRootSet
    let _slot: Int
    let _raw: UnsafeMutableRawPointer

    init(set: _DynamicRootSet, slot: Int, raw: UnsafeMutableRawPointer) {
        _set = set; _slot = slot; _raw = raw
    }

    deinit { _set.remove(_slot) }

    /// The id of the arena this root belongs to.
    public var arenaID: UInt32 { _set.arenaID }
}

/// The arena's table of dynamic roots; traced with the root.
@usableFromInline
final class _DynamicRootSet {
    let arenaID: UInt32
    var arenaAlive = true
    var slots: [UnsafeMutableRawPointer?] = []
    var freeSlots: [Int] = []

    init(arenaID: UInt32) { self.arenaID = arenaID }

    func insert(_ raw: UnsafeMutableRawPointer) -> Int {
        if let i = freeSlots.popLast() {
            slots[i] = raw
            return i
        }
        slots.append(raw)
        return slots.count - 1
    }

    func remove(_ slot: Int) {
        slots[slot] = nil
        freeSlots.append(slot)
    }

    var count: Int { slots.count - freeSlots.count }

    func trace(_ tracer: inout Tracer) {
        for case let raw? in slots { tracer._mark(_ObjectRef(payload: raw)) }
    }
}

extension Mutation {
    /// Keeps `gc` alive outside `mutate` until the returned root is released.
    public func stash<T>(_ gc: Gc<T>) -> DynamicRoot<T> {
        let set = _state.pointee.dynamicRoots.unsafelyUnwrapped.takeUnretainedValue()
        return DynamicRoot(set: set, slot: set.insert(gc._raw), raw: gc._raw)
    }

    /// The handle a dynamic root keeps alive.
    ///
    /// Traps if `root` was stashed in a different arena.
    public func fetch<T>(_ root: DynamicRoot<T>) -> Gc<T> {
        precondition(root._set.arenaID == _state.pointee.arenaID,
                     "GCArena: dynamic root from arena \(root._set.arenaID) fetched in arena \(_state.pointee.arenaID)")
        return Gc(_raw: root._raw)
    }

    /// How many dynamic roots are alive.
    public var dynamicRootCount: Int {
        _state.pointee.dynamicRoots.unsafelyUnwrapped.takeUnretainedValue().count
    }
}
