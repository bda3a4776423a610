import GCArena

/// Runs a ``Stepper`` to completion in an arena, one fuel slice per `mutate` call, paying the
/// collector between slices.
///
/// The driver stores the stepper in the arena (an object kept alive by a `DynamicRoot`),
/// so everything the stepper holds between steps is traced, and any number of drivers can share
/// one arena. One ``step(_:)`` is:
///
/// 1. `arena.mutate`: poll the stepper until it finishes, makes a request, or the slice of
///    ``slice`` fuel units is spent (each `pending` poll costs one unit more, so every slice ends);
/// 2. leave `mutate` and call `arena.collectDebt()`: the GC safe point.
///
/// ```swift
/// let driver = try Driver(arena, slice: 1_000) { mc, root in sumList(root.head) }
/// let total = try driver.run()                       // synchronous
/// let total = try await driver.run()                 // with the async bridge
/// while case .pending = try driver.step() { ... }    // one slice at a time
/// ```
///
/// Results that hold handles cannot leave `mutate`; pass a `finish` closure that stores them
/// (for example into the root) inside the last `mutate` call, and return something else. The
/// overloads without `finish` need a `Sendable` output, which a handle is not.
///
/// A driver is not `Sendable`: like its arena, it belongs to one isolation domain (one actor,
/// or one thread). Its `async` methods are `nonisolated(nonsending)` and run in the caller's
/// domain.
public final class Driver<Root: Collect, S: Stepper> {
    /// The arena the stepper lives in.
    public let arena: Arena<Root>
    /// Fuel units per step.
    public var slice: Int
    /// The interrupt flag every slice watches; request it from any thread to stop the run.
    public let interrupt: Interrupt
    /// Answers ``StepRequest/custom(_:)`` requests inside `mutate`; the stepper is polled again
    /// after it returns. Throwing fails the run with ``DriverError/requestFailed(_:)``.
    public var requestHandler: ((borrowing Mutation, inout Root, any CustomStepRequest) throws -> Void)?
    /// Counters describing the run so far.
    public var progress: DriverProgress { _progress }

    @usableFromInline var _progress = DriverProgress()
    @usableFromInline var _cell: DynamicRoot<_StepperCell<S>>?
    @usableFromInline var _pendingAsync: AsyncRequest?
    @usableFromInline var _awaiting = false

    /// Creates a driver whose stepper `make` builds inside a `mutate` call, and stores it in
    /// the arena.
    ///
    /// Throws what `make` throws, or `GCAllocationError` if the arena is full.
    public init(
        _ arena: Arena<Root>, slice: Int = 1_000, interrupt: Interrupt = Interrupt(),
        _ make: (borrowing Mutation, inout Root) throws -> S
    ) throws {
        self.arena = arena
        self.slice = Swift.max(slice, 1)
        self.interrupt = interrupt
        _cell = try arena.mutate { mc, root in
            mc.stash(try mc.allocate(_StepperCell(stepper: try make(mc, &root))))
        }
    }

    /// Whether the driver can step: it has not finished, failed or been cancelled.
    public var isRunning: Bool { _cell != nil }

    /// Whether an `async` request is waiting for ``awaitRequest()``.
    public var isAwaiting: Bool { _pendingAsync != nil || _awaiting }

    /// Drops the stepper: its arena objects become garbage and the driver is finished.
    @inlinable
    public func cancel() {
        _cell = nil
        _pendingAsync = nil
    }

    /// Runs one slice and returns where the computation stands; `finish` turns the output into
    /// the returned value inside the last `mutate` call.
    ///
    /// Inlinable so that it specializes for the concrete stepper type in the caller's module:
    /// unspecialized, each step pays generic metadata lookups (measured 3x slower).
    @inlinable
    public func step<R>(
        _ finish: (borrowing Mutation, inout Root, S.Output) -> R
    ) throws(DriverError<S.Failure>) -> StepStatus<R> {
        guard let cell = _cell else { throw .finished }
        if _awaiting || _pendingAsync != nil { return .awaiting }
        let interrupt = interrupt
        if interrupt.isRequested { return .interrupted }
        var fuel = Fuel(slice, interrupt: interrupt)
        let handler = requestHandler
        let outcome: _SliceOutcome<R, S.Failure> = arena.mutate { mc, root in
            let stepper = mc.fetch(cell)
            var polls = 0
            defer { _progress.polls &+= polls }
            while true {
                polls &+= 1
                // `write` applies the backward barrier once; the stepper may store new handles.
                switch stepper.write(mc).value.stepper.poll(mc, &fuel) {
                case .ready(let output): return .ready(finish(mc, &root, output))
                case .pending:
                    fuel.consume()
                    if !fuel.shouldContinue { return .pending }
                case .failed(let error): return .failed(error)
                case .request(.async(let request)): return .async(request)
                case .request(.custom(let request)):
                    guard let handler else { return .error(.unhandledRequest(request.description)) }
                    do { try handler(mc, &root, request) } catch { return .error(.requestFailed(error)) }
                case .request(.exhausted): return .error(.exhausted)
                }
            }
        }
        _progress.steps &+= 1
        _progress.fuelSpent &+= slice &- Swift.max(fuel.remaining, 0)
        // The safe point. Checking the debt first skips `collectDebt`'s pause timing (two clock
        // reads) on the many steps that owe nothing.
        if arena.allocationDebt > 0 { arena.collectDebt() }
        switch outcome {
        case .ready(let value):
            _cell = nil
            return .ready(value)
        case .pending:
            return fuel.isInterrupted ? .interrupted : .pending
        case .async(let request):
            _pendingAsync = request
            return .awaiting
        case .failed(let error):
            _cell = nil
            throw .failed(error)
        case .error(let error):
            _cell = nil
            throw error
        }
    }

    /// Runs one slice; a finished computation returns its (`Sendable`) output.
    @inlinable
    public func step() throws(DriverError<S.Failure>) -> StepStatus<S.Output> where S.Output: Sendable {
        try step { _, _, output in output }
    }

    /// Steps until the computation finishes, calling `progress` after every slice.
    ///
    /// Throws ``DriverError/needsAsync`` if the stepper makes an `async` request (use the
    /// `async` overload) and ``DriverError/interrupted`` if the interrupt is requested.
    @inlinable
    public func run<R>(
        progress report: ((DriverProgress) -> Void)? = nil,
        _ finish: (borrowing Mutation, inout Root, S.Output) -> R
    ) throws(DriverError<S.Failure>) -> R {
        while true {
            switch try step(finish) {
            case .ready(let value): return value
            case .pending: report?(_progress)
            case .awaiting: throw .needsAsync
            case .interrupted: throw .interrupted
            }
        }
    }

    /// Steps until the computation finishes and returns its (`Sendable`) output.
    @inlinable
    public func run(
        progress report: ((DriverProgress) -> Void)? = nil
    ) throws(DriverError<S.Failure>) -> S.Output where S.Output: Sendable {
        try run(progress: report) { _, _, output in output }
    }
}

/// Where a computation stands after one ``Driver/step(_:)``.
@frozen
public enum StepStatus<Value> {
    /// The slice was spent; step again.
    case pending
    /// The stepper asked for an `async` operation: call ``Driver/awaitRequest()`` (or use the
    /// `async` run) before stepping again.
    case awaiting
    /// The interrupt is requested; the computation is intact and resumes once it is reset.
    case interrupted
    /// The computation finished.
    case ready(Value)
}

extension StepStatus: Equatable where Value: Equatable {}
extension StepStatus: Sendable where Value: Sendable {}

/// Counters a ``Driver`` keeps about its run, for progress reports and benchmarks.
public struct DriverProgress: Sendable, Equatable {
    /// Slices run (`mutate` calls).
    public var steps = 0
    /// Polls of the stepper.
    public var polls = 0
    /// Fuel units spent.
    public var fuelSpent = 0
    /// `async` requests awaited.
    public var asyncRequests = 0

    /// Creates zeroed counters.
    @inlinable public init() {}
}

/// The arena object that holds a driver's stepper between steps.
@usableFromInline
struct _StepperCell<S: Stepper>: Collect {
    @usableFromInline var stepper: S
    @usableFromInline init(stepper: S) { self.stepper = stepper }
    @inlinable static var needsTrace: Bool { S.needsTrace }
    @inlinable func trace(_ tracer: inout Tracer) { tracer.trace(stepper) }
}

/// How one slice ended, carried out of `mutate`.
@usableFromInline
enum _SliceOutcome<R, Failure: Error> {
    case ready(R)
    case pending
    case async(AsyncRequest)
    case failed(Failure)
    case error(DriverError<Failure>)
}
