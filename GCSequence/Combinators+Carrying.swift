import GCArena

/// A stepper that keeps a value alive (stored and traced) while its base runs, and finishes
/// with both.
///
/// Made by ``Stepper/carrying(_:)``. This is the answer to "I have a handle now and need it
/// after that stepper finishes": capturing the handle in the next closure would hide it from
/// the collector (and the debug checks trap when it is used after being collected); carrying
/// it hands it to the next closure as a parameter instead.
public struct Carrying<Base: Stepper, State: Collect>: Stepper {
    public typealias Output = (State, Base.Output)
    public typealias Failure = Base.Failure
    @usableFromInline var _base: Base
    @usableFromInline var _state: State?

    @inlinable init(_ base: Base, _ state: State) {
        _base = base
        _state = state
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        guard _state != nil else { return .request(.exhausted) }
        switch _base.poll(mc, &fuel) {
        case .ready(let value):
            guard let state = _state.take() else { return .request(.exhausted) }
            return .ready((state, value))
        case .pending: return .pending
        case .failed(let error):
            _state = nil
            return .failed(error)
        case .request(let request): return .request(request)
        }
    }

    @inlinable public static var needsTrace: Bool { Base.needsTrace || State.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        tracer.trace(_base)
        tracer.trace(_state)
    }
}

extension Stepper {
    /// Keeps `state` alive while this stepper runs, and finishes with `(state, output)`.
    ///
    /// ```swift
    /// Steps.async { try await download() }
    ///     .carrying(table)                        // a handle we need afterwards
    ///     .then { mc, pair in insert(mc, pair.1, into: pair.0) }
    /// ```
    @inlinable
    public func carrying<State: Collect>(_ state: State) -> Carrying<Self, State> {
        Carrying(self, state)
    }
}
