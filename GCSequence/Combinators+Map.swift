import GCArena

/// A stepper whose output is transformed by a function, in the same step that produced it.
///
/// Made by ``Stepper/map(_:)``. The transform is pure: it gets no mutation context. To
/// allocate or touch arena objects after a stepper finishes, use ``Stepper/then(_:)->Then<Self,U>``.
public struct Map<Base: Stepper, Output>: Stepper {
    public typealias Failure = Base.Failure
    @usableFromInline var _base: Base
    @usableFromInline let _transform: (Base.Output) -> Output

    @inlinable init(_ base: Base, _ transform: @escaping (Base.Output) -> Output) {
        _base = base
        _transform = transform
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        switch _base.poll(mc, &fuel) {
        case .ready(let value): return .ready(_transform(value))
        case .pending: return .pending
        case .failed(let error): return .failed(error)
        case .request(let request): return .request(request)
        }
    }

    @inlinable public static var needsTrace: Bool { Base.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_base) }
}

/// A stepper whose failure is transformed by a function.
///
/// Made by ``Stepper/mapError(_:)``.
public struct MapError<Base: Stepper, Failure: Error>: Stepper {
    public typealias Output = Base.Output
    @usableFromInline var _base: Base
    @usableFromInline let _transform: (Base.Failure) -> Failure

    @inlinable init(_ base: Base, _ transform: @escaping (Base.Failure) -> Failure) {
        _base = base
        _transform = transform
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        switch _base.poll(mc, &fuel) {
        case .ready(let value): return .ready(value)
        case .pending: return .pending
        case .failed(let error): return .failed(_transform(error))
        case .request(let request): return .request(request)
        }
    }

    @inlinable public static var needsTrace: Bool { Base.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_base) }
}

extension Stepper {
    /// Transforms the output with a pure function, in the step that produced it.
    @inlinable
    public func map<U>(_ transform: @escaping (Output) -> U) -> Map<Self, U> {
        Map(self, transform)
    }

    /// Transforms the failure, so steppers with different error types can be composed.
    @inlinable
    public func mapError<E: Error>(_ transform: @escaping (Failure) -> E) -> MapError<Self, E> {
        MapError(self, transform)
    }

    /// Types a stepper that cannot fail as failing with `E`, so it composes with others.
    @inlinable
    public func setFailureType<E: Error>(to: E.Type = E.self) -> MapError<Self, E> where Failure == Never {
        MapError(self, _absurd)
    }
}

/// The function out of `Never`: it can never be called.
@inlinable func _absurd<E>(_ never: Never) -> E {}

