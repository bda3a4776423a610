import Synchronization

/// A budget of work units a stepper spends while polled; when it runs out, control returns to
/// the host within a bounded amount of work.
///
/// A driver hands each step a fresh slice (`Fuel(slice)`). Steppers call ``consume(_:)`` for
/// the work they do (the built-in loops charge one unit per iteration, the driver one unit per
/// `pending` poll) and stop once ``shouldContinue`` is false. What a unit is worth is the
/// host's choice: a Lua VM charges one per instruction, a list walk one per node.
///
/// Fuel also carries an optional ``Interrupt``: another thread can request it, and
/// ``shouldContinue`` turns false at the next check, so a runaway computation stops as fast as
/// if its fuel had run out.
public struct Fuel {
    /// Units left in this slice; zero or negative means exhausted.
    public var remaining: Int
    /// The interrupt flag checked by ``shouldContinue``, if any.
    public let interrupt: Interrupt?

    /// Creates a budget of `units`, optionally watching `interrupt`.
    @inlinable
    public init(_ units: Int, interrupt: Interrupt? = nil) {
        remaining = units
        self.interrupt = interrupt
    }

    /// Spends `units` (default 1); saturates instead of overflowing.
    @inlinable @inline(__always)
    public mutating func consume(_ units: Int = 1) {
        let (r, overflow) = remaining.subtractingReportingOverflow(units)
        remaining = overflow ? (units > 0 ? Int.min : Int.max) : r
    }

    /// Adds `units` to the budget; saturates instead of overflowing.
    @inlinable
    public mutating func refill(_ units: Int) {
        let (r, overflow) = remaining.addingReportingOverflow(units)
        remaining = overflow ? (units > 0 ? Int.max : Int.min) : r
    }

    /// Ends the slice at the next check, so the driver reaches a safe point (for example after a
    /// large allocation whose debt should be paid now).
    @inlinable
    public mutating func yieldNow() { if remaining > 0 { remaining = 0 } }

    /// Whether the interrupt has been requested.
    @inlinable @inline(__always)
    public var isInterrupted: Bool { interrupt?.isRequested ?? false }

    /// Whether the budget still allows work: fuel remains and no interrupt is pending.
    @inlinable @inline(__always)
    public var shouldContinue: Bool { remaining > 0 && !isInterrupted }
}

/// A flag any thread may set to stop a running computation at its next fuel check.
///
/// One `Interrupt` can be shared by many drivers (for example every script a host runs): a
/// drivers's step ends early and reports ``StepStatus/interrupted`` while it is set. The
/// computation is left intact: ``reset()`` the flag and keep stepping to resume it.
public final class Interrupt: Sendable {
    @usableFromInline let _flag = Atomic<Bool>(false)

    /// Creates a flag that is not requested.
    public init() {}

    /// Asks every computation watching this flag to stop.
    public func request() { _flag.store(true, ordering: .releasing) }

    /// Clears the request, so stepping can resume.
    public func reset() { _flag.store(false, ordering: .releasing) }

    /// Whether a stop has been requested and not reset.
    @inlinable @inline(__always)
    public var isRequested: Bool { _flag.load(ordering: .relaxed) }
}
