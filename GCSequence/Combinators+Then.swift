import GCArena

/// A stepper that runs a closure with the mutation context after its base finishes, as a
/// separate step.
///
/// Made by ``Stepper/then(_:)->Then<Self,U>``. Between the base finishing and the closure running there
/// is a safe point: the base's output is stored and traced meanwhile, which is why it must be
/// `Collect`. The closure receives that output as a parameter.
public struct Then<Base: Stepper, Output>: Stepper where Base.Output: Collect {
    public typealias Failure = Base.Failure
    @usableFromInline var _base: Base?
    @usableFromInline var _output: Base.Output?
    @usableFromInline let _body: (borrowing Mutation, Base.Output) throws(Failure) -> Output

    @inlinable
    init(_ base: Base, _ body: @escaping (borrowing Mutation, Base.Output) throws(Failure) -> Output) {
        _base = base
        _body = body
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if let output = _output.take() {
            fuel.consume()
            do { return .ready(try _body(mc, output)) } catch { return .failed(error) }
        }
        // Polling in place through the optional keeps the base unique (no copy per step).
        guard let poll = _base?.poll(mc, &fuel) else { return .request(.exhausted) }
        switch poll {
        case .ready(let value):
            _base = nil
            _output = value
            return .pending
        case .pending: return .pending
        case .failed(let error):
            _base = nil
            return .failed(error)
        case .request(let request): return .request(request)
        }
    }

    @inlinable public static var needsTrace: Bool { Base.needsTrace || Base.Output.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(_base)
        tracer.trace(_output)
    }
}

extension Stepper {
    /// Runs `body` with the mutation context and this stepper's output, as a separate step
    /// after it finishes.
    ///
    /// ```swift
    /// Steps.done(3).then { mc, n in try mc.allocate(Node(value: n, next: nil)) }
    /// ```
    @inlinable
    public func then<U>(
        _ body: @escaping (borrowing Mutation, Output) throws(Failure) -> U
    ) -> Then<Self, U> where Output: Collect {
        Then(self, body)
    }

    /// Runs `body` with the mutation context as a separate step after this `Void` stepper
    /// finishes.
    @inlinable
    public func then<U>(
        _ body: @escaping (borrowing Mutation) throws(Failure) -> U
    ) -> Then<Map<Self, Unit>, U> where Output == Void {
        Then(Map(self) { _ in Unit() }) { (mc: borrowing Mutation, _: Unit) throws(Failure) -> U in try body(mc) }
    }
}
