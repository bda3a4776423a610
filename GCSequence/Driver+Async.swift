import GCArena

extension Driver {
    /// Performs the outstanding `async` request, if any, with the arena idle.
    ///
    /// While this awaits, the arena may be collected and other drivers may step it: the
    /// stepper that asked is safe in its arena cell. Runs in the caller's isolation domain.
    @inlinable
    public nonisolated(nonsending) func awaitRequest() async {
        guard let request = _pendingAsync.take() else { return }
        _awaiting = true
        _progress.asyncRequests &+= 1
        await request.perform()
        _awaiting = false
    }

    /// Steps until the computation finishes, awaiting its `async` requests with the arena idle.
    ///
    /// Between slices it yields to other tasks once `yieldInterval` has passed since it last
    /// did, so drivers sharing an actor take turns. (`Task.yield` costs about 14 µs on the
    /// benchmark machine, so yielding after every slice would dominate short slices.) Cancelling the calling task cancels the computation: the
    /// run throws ``DriverError/cancelled`` at the next slice boundary or as soon as the
    /// awaited operation returns (operations that honour cancellation, like `Task.sleep`,
    /// return at once), and the stepper is dropped.
    @inlinable
    public nonisolated(nonsending) func run<R>(
        yieldInterval: Duration = .milliseconds(1),
        _ finish: (borrowing Mutation, inout Root, S.Output) -> R
    ) async throws(DriverError<S.Failure>) -> R {
        let clock = ContinuousClock()
        var lastYield = clock.now
        while true {
            if Task.isCancelled {
                cancel()
                throw .cancelled
            }
            switch try step(finish) {
            case .ready(let value): return value
            case .pending:
                let now = clock.now
                if now - lastYield >= yieldInterval {
                    await Task.yield()
                    lastYield = clock.now
                }
            case .awaiting:
                if _awaiting { throw .busy }
                await awaitRequest()
            case .interrupted: throw .interrupted
            }
        }
    }

    /// Steps until the computation finishes and returns its (`Sendable`) output, awaiting its
    /// `async` requests with the arena idle.
    @inlinable
    public nonisolated(nonsending) func run(
        yieldInterval: Duration = .milliseconds(1)
    ) async throws(DriverError<S.Failure>) -> S.Output where S.Output: Sendable {
        try await run(yieldInterval: yieldInterval) { _, _, output in output }
    }
}
