import GCArena

extension Driver {
    /// Performs the outstanding `async` request, if any, with the arena idle.
    ///
    /// While this awaits, the arena may be collected and other drivers may step it: the
    /// stepper that asked is safe in its arena cell. Runs in the caller's isolation domain.
    public nonisolated(nonsending) func awaitRequest() async {
        guard let request = _pendingAsync.take() else { return }
        _awaiting = true
        progress.asyncRequests &+= 1
        await request.perform()
        _awaiting = false
    }

    /// Steps until the computation finishes, awaiting its `async` requests with the arena idle.
    ///
    /// After every slice it yields to other tasks (every `yieldEvery` slices), so drivers
    /// sharing an actor take turns. Cancelling the calling task cancels the computation: the
    /// run throws ``DriverError/cancelled`` at the next slice boundary or as soon as the
    /// awaited operation returns (operations that honour cancellation, like `Task.sleep`,
    /// return at once), and the stepper is dropped.
    public nonisolated(nonsending) func run<R>(
        yieldEvery: Int = 1,
        _ finish: (borrowing Mutation, inout Root, S.Output) -> R
    ) async throws(DriverError<S.Failure>) -> R {
        var slices = 0
        while true {
            if Task.isCancelled {
                cancel()
                throw .cancelled
            }
            switch try step(finish) {
            case .ready(let value): return value
            case .pending:
                slices &+= 1
                if slices >= yieldEvery {
                    slices = 0
                    await Task.yield()
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
    public nonisolated(nonsending) func run(
        yieldEvery: Int = 1
    ) async throws(DriverError<S.Failure>) -> S.Output where S.Output: Sendable {
        try await run(yieldEvery: yieldEvery) { _, _, output in output }
    }
}
