import GCArena

/// What one iteration of a ``Loop`` decided: go round again, or stop with a value.
@frozen
public enum LoopControl<Output> {
    /// Run another iteration.
    case `continue`
    /// Stop the loop; it finishes with this value.
    case `break`(Output)
}

/// A stepper that runs a closure over its stored state, iteration after iteration, until it
/// breaks.
///
/// Made by ``Steps/loop(_:cost:_:)``. Each iteration costs `cost` units of fuel; the loop runs
/// as many iterations as one poll's fuel allows, then returns `pending`, so a slice of `n`
/// units bounds the work per step to `n / cost` iterations. The state is stored and traced
/// between steps, and the closure receives it `inout`: this is the loop's only memory.
public struct Loop<State: Collect, Output, Failure: Error>: Stepper {
    @usableFromInline var _state: State
    @usableFromInline var _finished = false
    @usableFromInline let _cost: Int
    @usableFromInline let _body: (borrowing Mutation, inout State) throws(Failure) -> LoopControl<Output>

    @inlinable
    init(_ state: State, cost: Int,
         _ body: @escaping (borrowing Mutation, inout State) throws(Failure) -> LoopControl<Output>) {
        _state = state
        _cost = Swift.max(cost, 1)
        _body = body
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _finished { return .request(.exhausted) }
        // At least one iteration per poll, so a loop polled with an empty slice still progresses.
        repeat {
            fuel.consume(_cost)
            do {
                if case .break(let output) = try _body(mc, &_state) {
                    _finished = true
                    return .ready(output)
                }
            } catch {
                _finished = true
                return .failed(error)
            }
        } while fuel.shouldContinue
        return .pending
    }

    @inlinable public static var needsTrace: Bool { State.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) { tracer.trace(_state) }
}

/// What one round of a ``RepeatUntil`` produced: the state for the next round, or the result.
@frozen
public enum LoopStep<State, Output> {
    /// Run another round, starting from this state.
    case next(State)
    /// Stop; the loop finishes with this value.
    case done(Output)
}

extension LoopStep: Collect where State: Collect, Output: Collect {
    @inlinable public static var needsTrace: Bool { State.needsTrace || Output.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        switch self {
        case .next(let state): tracer.trace(state)
        case .done(let output): tracer.trace(output)
        }
    }
}

/// A stepper that repeats a stepper-valued body until a round says it is done.
///
/// Made by ``Steps/repeatUntil(_:_:)``. Each round is a full stepper (it may take many steps,
/// or make requests); its output is either the next round's state or the final result. Use it
/// when one iteration is itself a long computation; use ``Loop`` when an iteration is a few
/// lines of code.
public struct RepeatUntil<State: Collect, Body: Stepper, Output>: Stepper
where Body.Output == LoopStep<State, Output> {
    public typealias Failure = Body.Failure
    @usableFromInline var _state: State?
    @usableFromInline var _round: Body?
    @usableFromInline var _finished = false
    @usableFromInline let _makeRound: (borrowing Mutation, State) throws(Failure) -> Body

    @inlinable
    init(_ state: State, _ makeRound: @escaping (borrowing Mutation, State) throws(Failure) -> Body) {
        _state = state
        _makeRound = makeRound
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _finished { return .request(.exhausted) }
        repeat {
            if let state = _state.take() {
                do { _round = try _makeRound(mc, state) } catch {
                    _finished = true
                    return .failed(error)
                }
            }
            // `_round` is non-nil here; polling through the optional mutates it in place.
            guard let poll = _round?.poll(mc, &fuel) else { return .request(.exhausted) }
            switch poll {
            case .ready(.next(let state)):
                _round = nil
                _state = state
                fuel.consume()
            case .ready(.done(let output)):
                _round = nil
                _finished = true
                return .ready(output)
            case .pending: return .pending
            case .failed(let error):
                _round = nil
                _finished = true
                return .failed(error)
            case .request(let request): return .request(request)
            }
        } while fuel.shouldContinue
        return .pending
    }

    @inlinable public static var needsTrace: Bool { State.needsTrace || Body.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(_state)
        tracer.trace(_round)
    }
}

extension Steps {
    /// A loop over stored state: `body` runs once per iteration (each costing `cost` fuel)
    /// until it returns `.break(value)`.
    ///
    /// ```swift
    /// Steps.loop(Counter(n: 0)) { mc, s in
    ///     s.n += 1
    ///     return s.n == 1_000 ? .break(s.n) : .continue
    /// }
    /// ```
    @inlinable
    public static func loop<State: Collect, Output, Failure: Error>(
        _ state: State, cost: Int = 1,
        _ body: @escaping (borrowing Mutation, inout State) throws(Failure) -> LoopControl<Output>
    ) -> Loop<State, Output, Failure> {
        Loop(state, cost: cost, body)
    }

    /// Repeats a round (a stepper made from the current state) until a round finishes with
    /// `.done(value)`; `.next(state)` starts another round.
    @inlinable
    public static func repeatUntil<State: Collect, Body: Stepper, Output>(
        _ state: State,
        _ makeRound: @escaping (borrowing Mutation, State) throws(Body.Failure) -> Body
    ) -> RepeatUntil<State, Body, Output> where Body.Output == LoopStep<State, Output> {
        RepeatUntil(state, makeRound)
    }
}
