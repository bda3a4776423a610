import GCArena

/// A stepper that finishes on its first poll with a value or an error fixed when it was made.
///
/// Made by ``Steps/done(_:)``, ``Steps/ok(_:as:)`` and ``Steps/err(_:as:)``. The value is
/// stored (and traced) until the first poll, so it may hold handles.
public struct Ready<Output: Collect, Failure: Error>: Stepper {
    @usableFromInline var _result: Result<Output, Failure>?

    @inlinable init(_ result: Result<Output, Failure>) { _result = result }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        guard let result = _result.take() else { return .request(.exhausted) }
        switch result {
        case .success(let value): return .ready(value)
        case .failure(let error): return .failed(error)
        }
    }

    @inlinable public static var needsTrace: Bool { Output.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        if case .success(let value)? = _result { tracer.trace(value) }
    }
}

extension Steps {
    /// A stepper that cannot fail and is ready at once with `value`.
    @inlinable
    public static func done<Output: Collect>(_ value: Output) -> Ready<Output, Never> {
        Ready(.success(value))
    }

    /// A stepper that is ready at once with `value`, typed to fail with `Failure` (inferred
    /// from context, or given as `as:`).
    @inlinable
    public static func ok<Output: Collect, Failure: Error>(
        _ value: Output, as failure: Failure.Type = Failure.self
    ) -> Ready<Output, Failure> {
        Ready(.success(value))
    }

    /// A stepper that fails at once with `error`, typed to produce `Output` (inferred from
    /// context, or given as `as:`).
    @inlinable
    public static func err<Output: Collect, Failure: Error>(
        _ error: Failure, as output: Output.Type = Output.self
    ) -> Ready<Output, Failure> {
        Ready(.failure(error))
    }
}
