import GCArena

/// A stepper that runs a list of steppers one after another and collects their outputs.
///
/// Made by ``Steps/sequence(_:)``. Outputs wait in a traced array until the last stepper
/// finishes, hence `Output: Collect`. The first failure stops the run. Steppers of different
/// types can be listed after ``Stepper/eraseToAnyStepper()``.
public struct Sequential<Element: Stepper>: Stepper where Element.Output: Collect {
    public typealias Output = [Element.Output]
    public typealias Failure = Element.Failure
    @usableFromInline var _steps: [Element]
    @usableFromInline var _outputs: [Element.Output] = []
    @usableFromInline var _index = 0

    @inlinable init(_ steps: [Element]) {
        _steps = steps
        _outputs.reserveCapacity(steps.count)
    }

    @inlinable
    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Output, Failure> {
        if _index > _steps.count { return .request(.exhausted) }
        while _index < _steps.count {
            switch _steps[_index].poll(mc, &fuel) {
            case .ready(let value):
                _outputs.append(value)
                _index += 1
                if _index < _steps.count && !fuel.shouldContinue { return .pending }
            case .pending: return .pending
            case .failed(let error):
                _index = _steps.count + 1
                _steps = []
                return .failed(error)
            case .request(let request): return .request(request)
            }
        }
        _index = _steps.count + 1
        _steps = []
        let outputs = _outputs
        _outputs = []
        return .ready(outputs)
    }

    @inlinable public static var needsTrace: Bool { Element.needsTrace || Element.Output.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        // Finished steppers stay in the array (cheaper than shifting it), so trace only the rest.
        if Element.needsTrace, _index < _steps.count {
            for i in _index..<_steps.count { tracer.trace(_steps[i]) }
        }
        tracer.trace(_outputs)
    }
}

extension Steps {
    /// Runs `steps` in order and finishes with the list of their outputs.
    @inlinable
    public static func sequence<Element: Stepper>(_ steps: [Element]) -> Sequential<Element>
    where Element.Output: Collect {
        Sequential(steps)
    }
}
