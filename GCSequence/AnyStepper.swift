import GCArena

/// A stepper with its concrete type erased: for lists of mixed steppers and for APIs that
/// return "some stepper" chosen at run time (a host function table).
///
/// Erasure costs an existential open per poll; keep concrete types on hot paths.
public struct AnyStepper<Output, Failure: Error>: Stepper {
    @usableFromInline var _base: any Stepper<Output, Failure>

    /// Wraps `base`.
    @inlinable
    public init(_ base: some Stepper<Output, Failure>) { _base = base }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        _base.poll(mc, &fuel)
    }

    @inlinable public func trace(_ tracer: inout Tracer) { _base.trace(&tracer) }
}

extension Stepper {
    /// This stepper with its type erased.
    @inlinable
    public func eraseToAnyStepper() -> AnyStepper<Output, Failure> { AnyStepper(self) }
}
