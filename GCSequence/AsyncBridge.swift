import GCArena

// The async bridge: a stepper asks for a Swift `async` operation by returning
// `.request(.async(request))`; the driver leaves `mutate`, awaits the operation with the arena
// idle, stores its result in the stepper's `AsyncSlot`, and polls the stepper again.
//
// Isolation. The arena is not Sendable, so everything that touches it (the driver, the
// stepper, the slot) stays in the driver's isolation domain. The operation itself is a
// `@Sendable` async function that runs wherever Swift puts a nonisolated async function (the
// global concurrent executor) and hands back a `Sendable` result; the code that stores the
// result into the slot is `nonisolated(nonsending)`, so it runs back in the caller's domain.

/// A place a stepper keeps for the result of an `async` operation it requested.
///
/// The slot is an ordinary Swift object (not an arena object): the result is `Sendable` and
/// holds no handles, so nothing about it needs tracing. It is not `Sendable` itself: only the
/// driver's isolation domain touches it.
public final class AsyncSlot<Value: Sendable, Failure: Error> {
    @usableFromInline var _result: Result<Value, Failure>?

    /// Creates an empty slot.
    public init() {}

    /// Whether a result has been delivered and not yet taken.
    public var isFilled: Bool { _result != nil }

    /// Takes the delivered result, leaving the slot empty.
    public func take() -> Result<Value, Failure>? { _result.take() }

    /// Stores `result` (the driver does this when the operation finishes).
    public func fill(_ result: Result<Value, Failure>) { _result = result }

    /// A request that runs `operation` and fills this slot with its outcome.
    public func request(
        _ operation: @escaping @Sendable () async throws(Failure) -> Value
    ) -> AsyncRequest {
        AsyncRequest { [self] () async -> Void in
            let result: Result<Value, Failure>
            do throws(Failure) { result = .success(try await operation()) } catch { result = .failure(error) }
            self.fill(result)
        }
    }
}

/// An `async` operation a stepper asks its driver to await, with the arena idle.
///
/// Made by ``AsyncSlot/request(_:)``; a driver calls ``perform()`` exactly once, then polls the
/// stepper that asked, which finds the outcome in its slot.
public struct AsyncRequest {
    @usableFromInline let _perform: nonisolated(nonsending) () async -> Void

    /// Wraps a closure that performs the operation and delivers its outcome to a slot.
    public init(_ perform: nonisolated(nonsending) @escaping () async -> Void) { _perform = perform }

    /// Runs the operation and delivers its outcome, in the caller's isolation domain.
    public nonisolated(nonsending) func perform() async { await _perform() }
}

/// A stepper that awaits a Swift `async` operation and finishes with its result.
///
/// Made by ``Steps/async(_:)``. The first poll returns an ``StepRequest/async(_:)`` request;
/// the poll after the driver delivered the outcome returns it. Compose it like any stepper:
/// `Steps.async { try await fetch(url) }.andThen { mc, bytes in parse(mc, bytes) }`.
public struct AsyncStep<Output: Sendable, Failure: Error>: Stepper {
    @usableFromInline let _operation: @Sendable () async throws(Failure) -> Output
    @usableFromInline var _slot: AsyncSlot<Output, Failure>?
    @usableFromInline var _finished = false

    @inlinable
    init(_ operation: @escaping @Sendable () async throws(Failure) -> Output) { _operation = operation }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _finished { return .request(.exhausted) }
        guard let slot = _slot else {
            let slot = AsyncSlot<Output, Failure>()
            _slot = slot
            return .request(.async(slot.request(_operation)))
        }
        // Not delivered yet: a driver that polls before performing the request only spins.
        guard let result = slot.take() else { return .pending }
        _finished = true
        _slot = nil
        switch result {
        case .success(let value): return .ready(value)
        case .failure(let error): return .failed(error)
        }
    }

    @inlinable public static var needsTrace: Bool { false }
    @inlinable public func trace(_ tracer: inout Tracer) {}
}

extension Steps {
    /// A stepper that awaits `operation` (with the arena idle) and finishes with its result.
    ///
    /// The operation must not touch the arena: it runs outside `mutate`, possibly while other
    /// steppers use the arena. Hand it `Sendable` inputs and get a `Sendable` result back.
    @inlinable
    public static func async<Output: Sendable, Failure: Error>(
        _ operation: @escaping @Sendable () async throws(Failure) -> Output
    ) -> AsyncStep<Output, Failure> {
        AsyncStep(operation)
    }
}
