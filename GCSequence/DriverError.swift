/// Why a ``Driver`` stopped without a result.
public enum DriverError<Failure: Error>: Error {
    /// The stepper failed with its own error.
    case failed(Failure)
    /// The driver's ``Interrupt`` was requested. The stepper is intact: reset the flag and
    /// step or run again to resume it.
    case interrupted
    /// The awaiting Swift task was cancelled, or ``Driver/cancel()`` was called; the stepper
    /// has been dropped (its arena objects become garbage).
    case cancelled
    /// The driver has already finished (with a result, a failure or a cancellation).
    case finished
    /// The synchronous ``Driver/run(progress:)`` met an `async` request: use the `async` run.
    case needsAsync
    /// The stepper made a custom request the driver has no ``Driver/requestHandler`` for.
    case unhandledRequest(String)
    /// The ``Driver/requestHandler`` threw.
    case requestFailed(any Error)
    /// The stepper reported it was polled after finishing (a bug in a hand-written stepper).
    case exhausted
    /// The driver is awaiting an `async` request already (re-entrant use from the same actor).
    case busy
}

extension DriverError: CustomStringConvertible {
    /// A readable description of the error.
    public var description: String {
        switch self {
        case .failed(let error): "stepper failed: \(error)"
        case .interrupted: "interrupted"
        case .cancelled: "cancelled"
        case .finished: "driver already finished"
        case .needsAsync: "async request in a synchronous run"
        case .unhandledRequest(let name): "unhandled request: \(name)"
        case .requestFailed(let error): "request handler failed: \(error)"
        case .exhausted: "stepper polled after it finished"
        case .busy: "driver is awaiting an async request"
        }
    }
}
