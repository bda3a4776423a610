import Testing
@testable import GCArena

@Suite struct WeakTests {
    @Test func onlyWeaklyReachableObjectsDie() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            let kept = try mc.allocate(Pair(1))
            let lost = try mc.allocate(Pair(2))
            root.pairs = [kept]
            root.weakPairs = [kept.downgrade(), lost.downgrade()]
        }
        arena.collectAll()
        let (keptAlive, lostAlive) = arena.mutate { mc, root in
            (root.weakPairs[0].upgrade(mc)?.value.id, root.weakPairs[1].upgrade(mc))
        }
        #expect(keptAlive == 1)
        #expect(lostAlive == nil)
        // The dropped block stays while a weak handle traces it, then goes.
        #expect(arena.metrics.objectCount == 2)
        _ = arena.mutate { _, root in root.weakPairs.removeLast() }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1)
        #expect(arena.verifyHeap().isValid)
    }

    @Test func weakValuesAreDroppedWhenUnreachable() throws {
        let counter = DeinitCounter()
        struct Root: Collect {
            var weak: GcWeak<Owner>?
            func trace(_ tracer: inout Tracer) { tracer.trace(weak) }
        }
        let arena = Arena<Root> { _ in Root() }
        try arena.mutate { mc, root in
            root.weak = try mc.allocate(Owner(token: Token(counter))).downgrade()
        }
        arena.collectAll()
        #expect(counter.count == 1)
        #expect(arena.mutate { mc, root in root.weak!.isDead(mc) })
    }

    @Test func upgradeRefusesObjectsDoomedInTheCurrentSweep() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            // Enough garbage that the sweep takes several steps.
            for i in 0..<5000 { _ = try mc.allocate(Pair(i)) }
            let doomed = try mc.allocate(Pair(-1))
            root.weakPairs = [doomed.downgrade()]
        }
        arena.finishMarking()
        #expect(arena.phase == .marked)
        #expect(arena.mutate { mc, root in root.weakPairs[0].upgrade(mc) } == nil)
        arena.collectStep(work: 0)  // window → sweeping
        arena.collectStep(work: 16)
        #expect(arena.phase == .sweeping)
        let during = try arena.mutate { mc, root in
            // A new object allocated during the sweep is not doomed.
            let fresh = try mc.allocate(Pair(9))
            root.weakPairs.append(fresh.downgrade())
            root.pairs = [fresh]
            return (root.weakPairs[0].upgrade(mc) == nil, root.weakPairs[1].upgrade(mc)?.value.id)
        }
        #expect(during.0)
        #expect(during.1 == 9)
        arena.finishCycle()
        #expect(arena.mutate { mc, root in root.weakPairs[1].upgrade(mc)?.value.id } == 9)
        #expect(arena.verifyHeap().isValid)
    }
}
