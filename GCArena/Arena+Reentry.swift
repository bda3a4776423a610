// Re-entry for embedding APIs: a host callback runs inside `mutate`, and an API it calls
// (reading a table through a handle the host kept) must join that mutation rather than
// start a second one, which `mutate` forbids.

extension Arena {
    /// Whether a ``mutate(_:)`` call is in progress (a callback running inside it may use
    /// ``mutateOrJoin(_:)``).
    public var isMutating: Bool { _state.pointee.inMutation }

    /// Whether the collector is running a step (no mutation can start or be joined).
    public var isCollecting: Bool { _state.pointee.inCollection }

    /// Runs `body` inside the mutation in progress, or inside a new ``mutate(_:)`` call when
    /// there is none; returns nil (without running `body`) while the collector runs.
    ///
    /// The root is not lent: the mutation in progress holds it. Joining keeps the arena's
    /// guarantee (no collection while `body` runs), so handles stay valid as in `mutate`.
    @inlinable
    public func mutateOrJoin<R>(_ body: (borrowing Mutation) throws -> R) rethrows -> R? {
        let s = _state
        if s.pointee.inCollection { return nil }
        if s.pointee.inMutation {
            return try body(Mutation(_state: s))
        }
        return try mutate { mc, _ in try body(mc) }
    }
}
