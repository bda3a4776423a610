import GCArena

/// What one call to ``Stepper/poll(_:_:)`` produced: a value, an error, a pause or a request.
///
/// Every case is a GC safe point (see ``Stepper``). `Poll` is returned on every step, so its
/// common cases (`pending`, `ready`) carry no boxes; only ``request(_:)`` carries a payload the
/// driver must interpret.
@frozen
public enum Poll<Output, Failure: Error> {
    /// The computation finished with a value.
    case ready(Output)
    /// The computation made progress (or ran out of fuel) and wants to be polled again.
    case pending
    /// The computation failed.
    case failed(Failure)
    /// The computation needs the driver to do something before it can continue.
    case request(StepRequest)
}

extension Poll {
    /// Transforms a ready value, passing every other case through unchanged.
    @inlinable
    public func map<U>(_ transform: (Output) throws(Failure) -> U) -> Poll<U, Failure> {
        switch self {
        case .ready(let value):
            do { return .ready(try transform(value)) } catch { return .failed(error) }
        case .pending: return .pending
        case .failed(let error): return .failed(error)
        case .request(let request): return .request(request)
        }
    }

    /// Transforms a failure, passing every other case through unchanged.
    @inlinable
    public func mapError<E: Error>(_ transform: (Failure) -> E) -> Poll<Output, E> {
        switch self {
        case .ready(let value): return .ready(value)
        case .pending: return .pending
        case .failed(let error): return .failed(transform(error))
        case .request(let request): return .request(request)
        }
    }

    /// Whether this is ``ready(_:)``.
    @inlinable
    public var isReady: Bool { if case .ready = self { true } else { false } }

    /// Whether this is ``pending``.
    @inlinable
    public var isPending: Bool { if case .pending = self { true } else { false } }
}

/// A service a stepper asks its driver for, answered before the stepper is polled again.
///
/// The answer never travels in the request: the stepper keeps a place for it in its own state
/// (an ``AsyncSlot`` for `async` results, or for ``custom(_:)`` requests whatever the host
/// defines, typically a handle to an arena object the host writes the results into).
///
/// ## Extension point: host requests
///
/// ``custom(_:)`` is how a language runtime built on this library (LuaCore) adds its own
/// requests without changing `Poll`. A Lua host function that wants to call a Lua function
/// and continue with its results returns a stepper whose poll yields
/// `.request(.custom(LuaCall(function: f, arguments: args, results: slot)))`; the Lua executor
/// recognises the type, pushes a Lua frame, runs it over as many steps as it needs, writes the
/// results into `slot` (an arena object the stepper stores and traces) and polls the stepper
/// again. A coroutine yield is the same shape (`LuaYield(values:)`). ``Driver`` forwards custom
/// requests to its ``Driver/requestHandler`` and fails with
/// ``DriverError/unhandledRequest(_:)`` when there is none.
///
/// A request is consumed inside the `mutate` call that produced it; if the host keeps it
/// across steps, it must trace the handles it holds.
public enum StepRequest {
    /// Run a Swift `async` operation while the arena is idle, then poll again.
    case async(AsyncRequest)
    /// A request defined by the host (see the type's discussion).
    case custom(any CustomStepRequest)
    /// The stepper was polled after it had already returned `ready` or `failed`.
    case exhausted
}

/// A request type a host (for example a language runtime) defines for its own executor.
///
/// Conforming types carry whatever the host needs; ``description`` names the request in
/// ``DriverError/unhandledRequest(_:)`` errors.
public protocol CustomStepRequest {
    /// A short name for the request, used in error messages.
    var description: String { get }
}

extension CustomStepRequest {
    /// The type's name.
    public var description: String { String(describing: Self.self) }
}
