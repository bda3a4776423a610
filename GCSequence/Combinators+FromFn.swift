import GCArena

/// A stepper that runs a closure once, with the mutation context and its stored state.
///
/// Made by ``Steps/fromFn(_:)`` and ``Steps/fromFn(with:_:)``. The state is stored and traced
/// until the closure runs: that is how GC state reaches a closure across a safe point (as a
/// parameter, never as a capture).
public struct FromFn<State: Collect, Output, Failure: Error>: Stepper {
    @usableFromInline var _state: State?
    @usableFromInline let _body: (borrowing Mutation, State) throws(Failure) -> Output

    @inlinable
    init(_ state: State, _ body: @escaping (borrowing Mutation, State) throws(Failure) -> Output) {
        _state = state
        _body = body
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        guard let state = _state.take() else { return .request(.exhausted) }
        fuel.consume()
        do { return .ready(try _body(mc, state)) } catch { return .failed(error) }
    }

    @inlinable public static var needsTrace: Bool { State.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_state) }
}

/// A stepper whose every poll is a closure over its stored, traced state: a state machine
/// written inline.
///
/// Made by ``Steps/poll(_:_:)``. The closure receives the state `inout` and the fuel, and
/// returns a ``Poll`` itself, so it has the full power of a hand-written ``Stepper``.
public struct PollFn<State: Collect, Output, Failure: Error>: Stepper {
    @usableFromInline var _state: State
    @usableFromInline var _finished = false
    @usableFromInline let _body: (borrowing Mutation, inout State, inout Fuel) -> Poll<Output, Failure>

    @inlinable
    init(_ state: State, _ body: @escaping (borrowing Mutation, inout State, inout Fuel) -> Poll<Output, Failure>) {
        _state = state
        _body = body
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _finished { return .request(.exhausted) }
        let result = _body(mc, &_state, &fuel)
        switch result {
        case .ready, .failed: _finished = true
        case .pending, .request: break
        }
        return result
    }

    @inlinable public static var needsTrace: Bool { State.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_state) }
}

extension Steps {
    /// A stepper that runs `body` once, on its first poll, and finishes with its result.
    ///
    /// `body` must not capture handles: it may run after a safe point, when a captured handle
    /// can name a collected object. Use ``fromFn(with:_:)`` to hand it GC state.
    @inlinable
    public static func fromFn<Output, Failure: Error>(
        _ body: @escaping (borrowing Mutation) throws(Failure) -> Output
    ) -> FromFn<Unit, Output, Failure> {
        FromFn(Unit()) { (mc: borrowing Mutation, _: Unit) throws(Failure) -> Output in try body(mc) }
    }

    /// A stepper that runs `body` once with `state`, which is stored and traced until then.
    @inlinable
    public static func fromFn<State: Collect, Output, Failure: Error>(
        with state: State,
        _ body: @escaping (borrowing Mutation, State) throws(Failure) -> Output
    ) -> FromFn<State, Output, Failure> {
        FromFn(state, body)
    }

    /// A stepper whose every poll runs `body` with the stored state and the fuel.
    @inlinable
    public static func poll<State: Collect, Output, Failure: Error>(
        _ state: State,
        _ body: @escaping (borrowing Mutation, inout State, inout Fuel) -> Poll<Output, Failure>
    ) -> PollFn<State, Output, Failure> {
        PollFn(state, body)
    }
}
