import GCArena

/// Constructors for steppers: `Steps.done(1)`, `Steps.fromFn { mc in ... }`, `Steps.loop(...)`.
///
/// The combinators that transform an existing stepper (`map`, `then`, `andThen`, `flatten`,
/// `mapError`, `eraseToAnyStepper`) are methods on ``Stepper``.
public enum Steps {}

/// `Void` as a value an arena can store: the output of steppers that produce nothing.
///
/// Swift tuples cannot conform to protocols, so `()` cannot be `Collect`; combinators
/// that keep an output across a safe point (``Stepper/then(_:)->Then<Self,U>``, ``Steps/sequence(_:)``) need
/// a `Collect` output. Use `Unit()` where you would write `()`.
@frozen
public struct Unit: CollectLeaf, Sendable, Hashable {
    /// The unit value.
    @inlinable public init() {}
}
