import GCArena
import GCSequence
import Testing

@Suite struct FuelTests {
    @Test func consumeRefillAndSaturate() {
        var fuel = Fuel(10)
        #expect(fuel.shouldContinue)
        fuel.consume(4)
        #expect(fuel.remaining == 6)
        fuel.consume(6)
        #expect(!fuel.shouldContinue)
        fuel.refill(3)
        #expect(fuel.remaining == 3 && fuel.shouldContinue)
        fuel.yieldNow()
        #expect(fuel.remaining == 0 && !fuel.shouldContinue)
        fuel.consume(Int.max)
        fuel.consume(Int.max)
        #expect(fuel.remaining == Int.min)
        fuel.refill(Int.max)
        fuel.refill(Int.max)
        fuel.refill(Int.max)
        #expect(fuel.remaining == Int.max)
    }

    @Test func interruptStopsFuelAndResets() {
        let interrupt = Interrupt()
        let fuel = Fuel(100, interrupt: interrupt)
        #expect(fuel.shouldContinue && !fuel.isInterrupted)
        interrupt.request()
        #expect(!fuel.shouldContinue && fuel.isInterrupted)
        interrupt.reset()
        #expect(fuel.shouldContinue)
    }

    /// Every poll of every built-in stepper returns within its slice (plus one iteration).
    @Test func slicesBoundTheWorkPerStep() throws {
        let arena = Arena<Root> { _ in Root() }
        for slice in [1, 7, 64] {
            let driver = try Driver(arena, slice: slice) { mc, _ in
                Steps.loop(0) { (_, n: inout Int) -> LoopControl<Int> in
                    n += 1
                    return n == 1_000 ? .break(n) : .continue
                }.andThen { _, n in SumList(cursor: nil).map { $0 + n } }
            }
            var lastFuel = 0
            while case .pending = try driver.step() {
                let spent = driver.progress.fuelSpent - lastFuel
                #expect(spent <= slice + 1)
                lastFuel = driver.progress.fuelSpent
            }
        }
    }

    @Test func carryingKeepsAHandleAcrossSafePoints() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 1) { mc, _ in
            let head = try buildList(mc, count: 4)
            return Steps.loop(0) { (_, n: inout Int) -> LoopControl<Int> in
                n += 1
                return n == 20 ? .break(n) : .continue
            }
            .carrying(head)
            .andThen { _, pair in SumList(cursor: pair.0).map { $0 + pair.1 } }
        }
        // A full collection between every two steps: only traced handles survive.
        #expect(try driver.run(progress: { _ in arena.collectAll() }) == 10 + 20)
        #expect(arena.metrics.cyclesCompleted > 20)
    }
}
