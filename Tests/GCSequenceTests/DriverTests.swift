import Foundation
import GCArena
import GCSequence
import Testing

/// The state of the long list computation: build a chunk, sum it, drop it, repeat.
struct ChurnState: Collect {
    var head: Gc<Node>?
    var cursor: Gc<Node>?
    var built = 0
    var rounds = 0
    var sum = 0
    var summing = false
    func trace(_ tracer: inout Tracer) {
        tracer.trace(head)
        tracer.trace(cursor)
    }
}

/// Builds `rounds` lists of `chunk` nodes, one node per iteration, sums each one node per
/// iteration, and drops it: `rounds * chunk` nodes created and collected along the way.
func churn(rounds: Int, chunk: Int) -> Loop<ChurnState, Int, GCAllocationError> {
    Steps.loop(ChurnState()) { (mc, s: inout ChurnState) throws(GCAllocationError) -> LoopControl<Int> in
        if !s.summing {
            s.built += 1
            s.head = try mc.allocate(Node(value: s.built, next: s.head))
            if s.built == chunk {
                s.summing = true
                s.cursor = s.head
            }
        } else if let node = s.cursor {
            s.sum &+= node.value.value
            s.cursor = node.value.next
        } else {
            s.head = nil
            s.built = 0
            s.summing = false
            s.rounds += 1
            if s.rounds == rounds { return .break(s.sum) }
        }
        return .continue
    }
}

@Suite struct DriverTests {
    @Test func millionNodeListUnderTinySlicesCollectsBetweenSteps() throws {
        let arena = Arena<Root> { _ in Root() }
        arena.pacing = GCPacing(pause: 0.5, stepMultiplier: 4, sweepCost: 0.25, minimumSleep: 64 * 1024)
        let rounds = 1_000, chunk = 1_000
        let driver = try Driver(arena, slice: 64) { _, _ in churn(rounds: rounds, chunk: chunk) }
        var peak = 0
        let sum = try driver.run(progress: { _ in peak = max(peak, arena.metrics.heapBytes) })
        arena.collectAll()
        let m = arena.metrics
        #expect(sum == rounds * chunk * (chunk + 1) / 2)
        // One million nodes were allocated...
        #expect(m.totalAllocatedBytes >= rounds * chunk * MemoryLayout<Node>.size)
        #expect(m.freedObjects >= rounds * chunk)
        #expect(m.objectCount == 0)
        #expect(m.cyclesCompleted > 20)
        // ...but the heap never held more than a few chunks' worth: it does not grow with the total.
        #expect(peak < m.totalAllocatedBytes / 50)
        #expect(peak < 2 * 1024 * 1024)
        #expect(driver.progress.steps > 10_000)
    }

    @Test func stepAPIReportsStatusAndProgress() throws {
        let arena = Arena<Root> { _ in Root() }
        let driver = try Driver(arena, slice: 10) { mc, root in
            root.head = try buildList(mc, count: 95)
            return SumList(cursor: root.head)
        }
        var statuses = 0
        while true {
            let status = try driver.step()
            if case .ready(let sum) = status {
                #expect(sum == 95 * 96 / 2)
                break
            }
            guard case .pending = status else { Issue.record("unexpected \(status)"); return }
            statuses += 1
        }
        #expect(statuses == 9)
        #expect(driver.progress.steps == 10)
        #expect(driver.progress.fuelSpent >= 95)
        #expect(!driver.isRunning)
        #expect(throws: DriverError<Never>.self) { try driver.step() }
    }

    @Test func finishClosureKeepsHandleResultsInsideMutate() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 1) { _, _ in
            Steps.loop(Optional<Gc<Node>>.none) { (mc, head: inout Gc<Node>?) throws -> LoopControl<Gc<Node>> in
                let count = (head?.value.value ?? 0) + 1
                head = try mc.allocate(Node(value: count, next: head))
                return count == 10 ? .break(head!) : .continue
            }
        }
        let length = try driver.run { _, root, head in
            root.head = head
            var n = 0
            var p: Gc<Node>? = head
            while let q = p { n += 1; p = q.value.next }
            return n
        }
        #expect(length == 10)
        arena.collectAll()
        #expect(arena.metrics.objectCount == 10)
    }

    @Test func interruptFromAnotherThreadStopsARunawaySequence() throws {
        let arena = Arena<Root> { _ in Root() }
        let interrupt = Interrupt()
        let driver = try Driver(arena, slice: 1 << 40, interrupt: interrupt) { _, _ in
            Steps.loop(0) { (_, n: inout Int) -> LoopControl<Int> in
                n &+= 1
                return .continue
            }
        }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.05)
            interrupt.request()
        }
        // One enormous slice: only the interrupt can end it.
        do {
            _ = try driver.run()
            Issue.record("runaway loop finished")
        } catch {
            guard case .interrupted = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(driver.isRunning)
        // The computation is intact: reset and it resumes (and is interrupted again at once).
        #expect(try driver.step() == .interrupted)
        interrupt.reset()
        driver.slice = 5
        #expect(try driver.step() == .pending)
        driver.cancel()
        #expect(!driver.isRunning)
    }

    @Test func customRequestsGoToTheHandler() throws {
        /// "Call the host and resume with its result": the answer lands in an arena cell the
        /// stepper owns and traces.
        struct HostCall: CustomStepRequest {
            var argument: Int
            var reply: Gc<GcLock<Int>>
        }
        struct CallHost: Stepper {
            var reply: Gc<GcLock<Int>>?
            var asked = false
            mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Int, any Error> {
                guard let reply else {
                    do { reply = try mc.allocate(GcLock(0)) } catch { return .failed(error) }
                    return .pending
                }
                if !asked {
                    asked = true
                    return .request(.custom(HostCall(argument: 20, reply: reply)))
                }
                return .ready(reply.get())
            }
            func trace(_ tracer: inout Tracer) { tracer.trace(reply) }
        }
        let arena = stressArena()
        let driver = try Driver(arena, slice: 1) { _, _ in CallHost() }
        driver.requestHandler = { mc, _, request in
            guard let call = request as? HostCall else { return }
            call.reply.set(mc, call.argument * 2 + 2)
        }
        #expect(try driver.run() == 42)

        let unhandled = try Driver(arena, slice: 1) { _, _ in CallHost() }
        do {
            _ = try unhandled.run()
            Issue.record("expected an unhandled request")
        } catch {
            guard case .unhandledRequest(let name) = error else { Issue.record("unexpected \(error)"); return }
            #expect(name == "HostCall")
        }
    }

    @Test func cancelDropsTheStepperSoItsObjectsAreCollected() throws {
        let arena = Arena<Root> { _ in Root() }
        let driver = try Driver(arena, slice: 3) { mc, _ in SumList(cursor: try buildList(mc, count: 100)) }
        #expect(try driver.step() == .pending)
        arena.collectAll()
        // The nodes the sum has passed are garbage already; the rest (and the cell) are alive.
        #expect(arena.metrics.objectCount > 90)
        driver.cancel()
        arena.collectAll()
        #expect(arena.metrics.objectCount == 0)
        #expect(throws: DriverError<Never>.self) { try driver.run() }
    }

    @Test func syncRunRejectsAsyncRequests() throws {
        let driver = try Driver(stressArena()) { _, _ in Steps.async { () async -> Int in 1 } }
        do {
            _ = try driver.run()
            Issue.record("expected needsAsync")
        } catch {
            guard case .needsAsync = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    /// A handle captured by a closure is invisible to the collector: after a safe point it
    /// names a collected object, and the debug checks trap on its first use.
    @Test func capturedHandleIsCaughtByDebugChecks() async {
        #if DEBUG
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let arena = Arena<Root> { _ in Root() }
            arena.pacing = .stress
            let driver = try! Driver(arena, slice: 1) { mc, _ in
                let captured = try! mc.allocate(Node(value: 1, next: nil))
                // WRONG: `captured` is not stored in the stepper, so nothing traces it.
                return Steps.done(Unit()).then { _, _ in captured.value.value }
            }
            _ = try? driver.run()
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("use of a collected object"))
        #endif
    }

    /// The same program with the handle passed as traced state runs fine.
    @Test func handlePassedAsStateSurvives() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 1) { mc, _ in
            Steps.done(try mc.allocate(Node(value: 1, next: nil))).then { _, node in node.value.value }
        }
        #expect(try driver.run() == 1)
    }
}

