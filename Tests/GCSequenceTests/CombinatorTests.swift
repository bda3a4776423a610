import GCArena
import GCSequence
import Testing

@Suite struct CombinatorTests {
    @Test func doneOkAndErr() throws {
        #expect(try runToEnd(Steps.done(7)) == 7)
        #expect(try runToEnd(Steps.ok(8, as: TestError.self)) == 8)
        #expect(throws: DriverError<TestError>.self) { try runToEnd(Steps.err(TestError.boom(1), as: Int.self)) }
        do {
            _ = try runToEnd(Steps.err(TestError.boom(2), as: Int.self))
        } catch {
            #expect(failure(error) == .boom(2))
        }
    }

    @Test func fromFnRunsOnceWithTheMutationContext() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 1) { _, _ in
            Steps.fromFn { mc in try mc.allocate(Node(value: 5, next: nil)) }
        }
        let value = try driver.run { _, root, node in
            root.head = node
            return node.value.value
        }
        #expect(value == 5)
        #expect(arena.mutate { _, root in root.head?.value.value } == 5)
    }

    @Test func fromFnWithStateKeepsHandlesAlive() throws {
        let arena = stressArena()
        // The list is held only by the stepper's stored state across collections.
        let driver = try Driver(arena, slice: 1) { mc, _ in
            Steps.done(Unit()).then { _, _ in 0 }.andThen { mc, _ in
                Steps.fromFn(with: try! buildList(mc, count: 3)) { _, head in head!.value.value }
            }.andThen { _, v in Steps.done(v) }
        }
        for _ in 0..<3 { arena.collectAll() }
        #expect(try driver.run() == 1)
    }

    @Test func mapTransformsInTheSameStep() throws {
        #expect(try runToEnd(Steps.done(20).map { $0 + 1 }.map { "\($0)" }) == "21")
    }

    @Test func mapErrorAndSetFailureType() throws {
        let s = Steps.err(TestError.boom(3), as: Int.self).mapError { e in TestError.wrapped("\(e)") }
        do {
            _ = try runToEnd(s)
            Issue.record("expected failure")
        } catch {
            #expect(failure(error) == .wrapped("boom(3)"))
        }
        let typed = Steps.done(1).setFailureType(to: TestError.self)
        let combined = typed.andThen { _, n in Steps.ok(n + 1, as: TestError.self) }
        #expect(try runToEnd(combined) == 2)
    }

    @Test func thenIsASeparateStepWithATracedOutput() throws {
        let arena = stressArena()
        var polls: [Int] = []
        let driver = try Driver(arena, slice: 1) { mc, _ in
            Steps.fromFn { mc in try mc.allocate(Node(value: 41, next: nil)) }
                .then { _, node in node.value.value + 1 }
        }
        while case .pending = try driver.step({ _, _, v in v }) { polls.append(driver.progress.polls) }
        // ready after at least two slices: the node crossed a collection inside the stepper.
        #expect(polls.count >= 1)
        #expect(arena.metrics.cyclesCompleted >= 1)
    }

    @Test func thenAfterVoid() throws {
        let s = Steps.done(1).map { _ in () }.then { _ in "after" }
        #expect(try runToEnd(s) == "after")
    }

    @Test func thenClosureErrorsPropagate() {
        let s = Steps.ok(1, as: TestError.self).then { (_, n) throws(TestError) -> Int in throw .boom(n) }
        do {
            _ = try runToEnd(s)
            Issue.record("expected failure")
        } catch {
            #expect(failure(error) == .boom(1))
        }
    }

    @Test func andThenAndNesting() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 2) { mc, _ in
            Steps.fromFn { mc in try buildList(mc, count: 100) }
                .andThen { _, head in SumList(cursor: head).setFailureType(to: (any Error).self) }
                .andThen { _, sum in
                    Steps.done(sum).andThen { _, s in Steps.done(s * 2) }.setFailureType(to: (any Error).self)
                }
        }
        #expect(try driver.run() == 10_100)
        #expect(driver.progress.steps > 10)
    }

    @Test func flattenRunsTheProducedStepper() throws {
        let s = Steps.fromFn { mc in SumList(cursor: try! buildList(mc, count: 10)) }.flatten()
        #expect(try runToEnd(s, slice: 3) == 55)
    }

    @Test func loopIteratesWithinFuelAndStopsOnBreak() throws {
        let arena = stressArena()
        let driver = try Driver(arena, slice: 10) { _, _ in
            Steps.loop(0) { (_, n: inout Int) -> LoopControl<Int> in
                n += 1
                return n == 1_000 ? .break(n * 2) : .continue
            }
        }
        #expect(try driver.run() == 2_000)
        // 1,000 iterations at 10 per slice.
        #expect(driver.progress.steps == 100)
    }

    @Test func loopStateHoldsHandlesAcrossCollections() throws {
        struct Build: Collect {
            var head: Gc<Node>?
            var count = 0
            func trace(_ tracer: inout Tracer) { tracer.trace(head) }
        }
        let s = Steps.loop(Build()) { (mc, s: inout Build) throws -> LoopControl<Int> in
            if s.count == 500 {
                var sum = 0
                var p = s.head
                while let n = p { sum += n.value.value; p = n.value.next }
                return .break(sum)
            }
            s.count += 1
            s.head = try mc.allocate(Node(value: s.count, next: s.head))
            return .continue
        }
        #expect(try runToEnd(s, slice: 7) == 125_250)
    }

    @Test func loopErrorsStopTheLoop() {
        let s = Steps.loop(0) { (_, n: inout Int) throws(TestError) -> LoopControl<Int> in
            n += 1
            if n == 50 { throw .boom(n) }
            return .continue
        }
        do {
            _ = try runToEnd(s, slice: 8)
            Issue.record("expected failure")
        } catch {
            #expect(failure(error) == .boom(50))
        }
    }

    @Test func repeatUntilRunsStepperRounds() throws {
        // Each round sums a fresh 10-node list over several steps; 20 rounds.
        let s = Steps.repeatUntil(0) { mc, round in
            SumList(cursor: try! buildList(mc, count: 10)).map { $0 + round * 1000 }
                .andThen { _, total in
                    Steps.done(round == 19 ? LoopStep<Int, Int>.done(total) : .next(round + 1))
                }
        }
        #expect(try runToEnd(s, slice: 4) == 55 + 19_000)
    }

    @Test func sequenceCollectsOutputsInOrder() throws {
        let s = Steps.sequence((1...5).map { i in Steps.fromFn(with: i) { _, i in i * i } })
        #expect(try runToEnd(s) == [1, 4, 9, 16, 25])
        let empty: [Ready<Int, Never>] = []
        #expect(try runToEnd(Steps.sequence(empty)) == [])
    }

    @Test func sequenceOfMixedSteppersAndFailure() throws {
        let steps: [AnyStepper<Int, TestError>] = [
            Steps.ok(1).eraseToAnyStepper(),
            Steps.loop(0) { (_, n: inout Int) throws(TestError) -> LoopControl<Int> in
                n += 1
                return n == 10 ? .break(n) : .continue
            }.eraseToAnyStepper(),
            Steps.err(TestError.boom(9)).eraseToAnyStepper(),
            Steps.ok(4).eraseToAnyStepper(),
        ]
        do {
            _ = try runToEnd(Steps.sequence(steps), slice: 3)
            Issue.record("expected failure")
        } catch {
            #expect(failure(error) == .boom(9))
        }
        #expect(try runToEnd(Steps.sequence(Array(steps[0...1]))) == [1, 10])
    }

    @Test func pollFnIsAnInlineStateMachine() throws {
        let s = Steps.poll(0) { (_, n: inout Int, fuel: inout Fuel) -> Poll<Int, Never> in
            while fuel.shouldContinue {
                fuel.consume()
                n += 1
                if n == 100 { return .ready(n) }
            }
            return .pending
        }
        #expect(try runToEnd(s, slice: 9) == 100)
    }

    @Test func finishedSteppersReportExhaustedInsteadOfTrapping() {
        let arena = stressArena()
        arena.mutate { mc, _ in
            var fuel = Fuel(10)
            var ready = Steps.done(1)
            var loop = Steps.loop(0) { (_, _: inout Int) -> LoopControl<Int> in .break(1) }
            var chain = Steps.done(1).andThen { _, n in Steps.done(n) }
            var then = Steps.done(1).then { _, n in n }
            var seq = Steps.sequence([Steps.done(1)])
            #expect(ready.poll(mc, &fuel).isReady)
            #expect(loop.poll(mc, &fuel).isReady)
            #expect(chain.poll(mc, &fuel).isReady)
            #expect(then.poll(mc, &fuel).isPending)
            #expect(then.poll(mc, &fuel).isReady)
            #expect(seq.poll(mc, &fuel).isReady)
            for poll in [ready.poll(mc, &fuel), loop.poll(mc, &fuel), chain.poll(mc, &fuel),
                         then.poll(mc, &fuel)] {
                guard case .request(.exhausted) = poll else { Issue.record("not exhausted"); continue }
            }
            guard case .request(.exhausted) = seq.poll(mc, &fuel) else { Issue.record("not exhausted"); return }
        }
    }

    @Test func pollHelpersMapCases() {
        let p: Poll<Int, TestError> = .ready(2)
        guard case .ready(3) = p.map({ $0 + 1 }) else { Issue.record("map"); return }
        let f: Poll<Int, TestError> = .failed(.boom(1))
        guard case .failed(.wrapped("x")) = f.mapError({ _ in TestError.wrapped("x") }) else { Issue.record("mapError"); return }
        #expect(Poll<Int, Never>.pending.isPending)
    }
}
