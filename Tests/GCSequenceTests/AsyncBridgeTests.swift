import GCArena
import GCSequence
import Synchronization
import Testing

/// A one-shot gate: one task waits on it, another opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiter = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    func open() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.open = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }
}

/// The arena's owner: every driver on the arena runs in this actor's isolation domain.
actor Host {
    let arena: Arena<Root>
    var log: [String] = []

    init() {
        arena = Arena<Root> { _ in Root() }
        arena.pacing = .stress
    }

    /// Builds a list, awaits `gate` (a real suspension), then sums the list it kept alive in
    /// its traced state.
    func awaitingSum(gate: Gate) async throws(DriverError<any Error>) -> Int {
        let driver = try! Driver(arena, slice: 4) { mc, _ in
            Steps.fromFn { mc throws -> Gc<Node>? in try buildList(mc, count: 50) }
                .then { _, head in head }
                .andThen { _, head in
                    Steps.async { () async -> Int in await gate.wait(); return 1_000 }
                        .setFailureType(to: (any Error).self)
                        // Carried, not captured: the list must stay traced while A awaits.
                        .carrying(head)
                        .andThen { _, pair in
                            SumList(cursor: pair.0).map { $0 + pair.1 }.setFailureType(to: (any Error).self)
                        }
                }
        }
        log.append("A: awaiting")
        let result = try await driver.run()
        log.append("A: done")
        return result
    }

    /// Runs a CPU-bound sequence over the same arena, then opens `gate`.
    func churnThenOpen(gate: Gate) async throws -> Int {
        let driver = try Driver(arena, slice: 16) { _, _ in churn(rounds: 20, chunk: 100) }
        let result = try await driver.run()
        log.append("B: done")
        gate.open()
        return result
    }

    func cancellableSleep() async throws(DriverError<any Error>) -> Int {
        let driver = try! Driver(arena, slice: 4) { mc, root in
            root.kept = []
            return Steps.fromFn { mc throws in try buildList(mc, count: 100) }
                .then { _, head in head }
                .andThen { _, head in
                    Steps.async { () async throws -> Int in
                        try await Task.sleep(for: .seconds(60))
                        return 0
                    }.map { n in n }
                }
        }
        defer { log.append("objects after cancel: \(collectAndCount())") }
        return try await driver.run()
    }

    func collectAndCount() -> Int {
        arena.collectAll()
        return arena.metrics.objectCount
    }

    func failingAsync() async throws(DriverError<TestError>) -> Int {
        let fetch = Steps.async { () async throws(TestError) -> Int in
            await Task.yield()
            throw TestError.boom(7)
        }
        let driver = try! Driver(arena) { _, _ in fetch.then { _, n in n + 1 } }
        return try await driver.run()
    }
}

@Suite struct AsyncBridgeTests {
    @Test func awaitSuspendsWhileAnotherSequenceProgresses() async throws {
        let host = Host()
        let gate = Gate()
        async let a = host.awaitingSum(gate: gate)
        // B can only open the gate if it runs to completion while A is suspended on it.
        let b = try await host.churnThenOpen(gate: gate)
        let sum = try await a
        #expect(sum == 50 * 51 / 2 + 1_000)
        #expect(b == 20 * 100 * 101 / 2)
        let log = await host.log
        #expect(log.firstIndex(of: "B: done")! < log.firstIndex(of: "A: done")!)
        #expect(log.firstIndex(of: "A: awaiting")! < log.firstIndex(of: "B: done")!)
        #expect(await host.collectAndCount() == 0)
    }

    @Test func cancellingTheTaskCancelsTheSequence() async throws {
        let host = Host()
        let task = Task { try await host.cancellableSleep() }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let start = ContinuousClock.now
        let result = await task.result
        // Well under the 60 s sleep: only an uncancelled sleep would reach it (loaded CI
        // machines have delayed resumption by tens of seconds).
        #expect(ContinuousClock.now - start < .seconds(45))
        switch result {
        case .success: Issue.record("expected cancellation")
        case .failure(let error):
            guard case .cancelled? = error as? DriverError<any Error> else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        // The cancelled stepper's list was dropped with it.
        #expect(await host.log.last == "objects after cancel: 0")
    }

    @Test func asyncFailuresPropagateThroughCombinators() async {
        let host = Host()
        do {
            _ = try await host.failingAsync()
            Issue.record("expected failure")
        } catch {
            #expect(failure(error) == .boom(7))
        }
    }

    @Test func stepAndAwaitRequestByHand() async throws {
        let arena = Arena<Root> { _ in Root() }
        let driver = try Driver(arena, slice: 1) { _, _ in
            Steps.async { () async -> Int in 20 }.then { _, n in n + 1 }
        }
        #expect(try driver.step() == .awaiting)
        #expect(driver.isAwaiting)
        #expect(try driver.step() == .awaiting)
        await driver.awaitRequest()
        var status = try driver.step()
        while status == .pending { status = try driver.step() }
        #expect(status == .ready(21))
        #expect(driver.progress.asyncRequests == 1)
    }
}
