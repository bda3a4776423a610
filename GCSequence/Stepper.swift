import GCArena

/// A computation over arena data that runs in steps, returning to the host between them so the
/// collector can run.
///
/// No collection happens inside `Arena.mutate(_:)`, so a long computation over
/// garbage-collected data must be cut into pieces that each fit in one `mutate` call. A
/// `Stepper` is such a computation written as a resumable state machine: a driver stores it
/// in the arena (it is `Collect`, so the handles it holds between steps are traced),
/// and calls ``poll(_:_:)`` with the mutation context and a ``Fuel`` budget until it returns
/// ``Poll/ready(_:)`` or ``Poll/failed(_:)``.
///
/// DESIGN.md calls these values *sequences*; the protocol is named `Stepper` so that it clashes
/// neither with `Swift.Sequence` nor with the module name `GCSequence` (a type named like its
/// module makes `GCSequence.Poll` unwritable).
///
/// ## The polling contract
///
/// 1. Every return from `poll` is a *GC safe point*: the driver may leave `mutate` and collect
///    before polling again. Handles that must survive belong in stored properties reported by
///    `Collect.trace(_:)`, never in closure captures or locals.
/// 2. `poll` does a bounded amount of work: it spends ``Fuel`` for what it does and returns
///    ``Poll/pending`` once ``Fuel/shouldContinue`` is false.
/// 3. After `poll` returned `ready` or `failed` it is not called again. A stepper that is polled
///    anyway returns ``Poll/request(_:)`` with ``StepRequest/exhausted``, never traps.
/// 4. ``Poll/request(_:)`` asks the driver for a service (an `async` operation, or a request its
///    host defines, such as "call this Lua function"); the answer arrives through state the
///    stepper owns, and the driver polls the stepper again once it has been delivered.
/// 5. `Failure` values are not traced: they cross steps as plain Swift values, so they must not
///    hold handles (`Error` is `Sendable`, which `Gc` is not, so this is the default).
///
/// Write a stepper by hand as a struct (a state machine, the fastest form), or compose one
/// from the combinators on ``Steps`` and on this protocol (`map`, `then`, `andThen`, ...).
public protocol Stepper<Output, Failure>: Collect {
    /// The value the computation produces.
    associatedtype Output
    /// The error the computation can fail with.
    associatedtype Failure: Error

    /// Advances the computation by at most the work `fuel` allows and reports where it stands.
    mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure>
}
