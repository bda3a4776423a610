import GCArena

/// A stepper that runs its base, hands the output to a closure that makes the next stepper,
/// and runs that one: sequential composition (flat-map).
///
/// Made by ``Stepper/andThen(_:)`` and ``Stepper/flatten()``. The base's output is passed
/// straight to the closure in the step that produced it, so it needs no `Collect` conformance;
/// whatever the next stepper must remember, it stores (and traces) itself.
public struct AndThen<Base: Stepper, Next: Stepper>: Stepper where Next.Failure == Base.Failure {
    public typealias Output = Next.Output
    public typealias Failure = Base.Failure
    @usableFromInline var _base: Base?
    @usableFromInline var _next: Next?
    @usableFromInline let _makeNext: (borrowing Mutation, Base.Output) throws(Failure) -> Next

    @inlinable
    init(_ base: Base, _ makeNext: @escaping (borrowing Mutation, Base.Output) throws(Failure) -> Next) {
        _base = base
        _makeNext = makeNext
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _next == nil {
            guard let poll = _base?.poll(mc, &fuel) else { return .request(.exhausted) }
            switch poll {
            case .ready(let value):
                _base = nil
                do { _next = try _makeNext(mc, value) } catch { return .failed(error) }
                // Continue into the next stepper only while the slice allows; otherwise the
                // driver polls it next time (the new stepper is stored, so that is safe).
                if !fuel.shouldContinue { return .pending }
            case .pending: return .pending
            case .failed(let error):
                _base = nil
                return .failed(error)
            case .request(let request): return .request(request)
            }
        }
        // `_next` is non-nil here; polling through the optional mutates it in place.
        guard let poll = _next?.poll(mc, &fuel) else { return .request(.exhausted) }
        switch poll {
        case .ready, .failed: _next = nil
        case .pending, .request: break
        }
        return poll
    }

    @inlinable public static var needsTrace: Bool { Base.needsTrace || Next.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(_base)
        tracer.trace(_next)
    }
}

/// A stepper whose output is itself a stepper, run to completion: `AndThen` with an identity
/// closure.
public typealias Flatten<Base: Stepper> = AndThen<Base, Base.Output>
    where Base.Output: Stepper, Base.Output.Failure == Base.Failure

extension Stepper {
    /// Runs this stepper, makes the next one from its output, and runs that.
    ///
    /// ```swift
    /// Steps.done(10).andThen { mc, n in countDown(from: n) }
    /// ```
    @inlinable
    public func andThen<Next: Stepper>(
        _ makeNext: @escaping (borrowing Mutation, Output) throws(Failure) -> Next
    ) -> AndThen<Self, Next> where Next.Failure == Failure {
        AndThen(self, makeNext)
    }

    /// Runs this stepper, then the stepper it produced.
    @inlinable
    public func flatten() -> Flatten<Self> where Output: Stepper, Output.Failure == Failure {
        AndThen(self) { (_: borrowing Mutation, next: Output) throws(Failure) -> Output in next }
    }
}
