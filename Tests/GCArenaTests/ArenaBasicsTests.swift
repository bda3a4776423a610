import Testing
@testable import GCArena

@Suite struct ArenaBasicsTests {
    @Test func allocatesAndReadsObjects() throws {
        let arena = Arena<Slots> { _ in Slots() }
        let sum = try arena.mutate { mc, root in
            let a = try mc.allocate(Pair(1))
            let b = try mc.allocate(Pair(2, a))
            root.pairs.append(b)
            return b.value.id + b.value.left!.value.id
        }
        #expect(sum == 3)
        #expect(arena.metrics.objectCount == 2)
    }

    @Test func unreachableObjectsAndCyclesAreCollected() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            // A 3-cycle reachable from the root, and a 100-node garbage cycle.
            let a = try mc.allocate(Pair(0))
            let b = try mc.allocate(Pair(1, a))
            let c = try mc.allocate(Pair(2, b))
            a.write(mc).value.left = c
            root.pairs.append(a)
            var first = try mc.allocate(Pair(100))
            let start = first
            for i in 101..<200 { first = try mc.allocate(Pair(i, first)) }
            start.write(mc).value.left = first
        }
        #expect(arena.metrics.objectCount == 103)
        arena.collectAll()
        #expect(arena.metrics.objectCount == 3)
        #expect(arena.verifyHeap().isValid)
        let ids = arena.mutate { _, root in
            var ids: [Int] = []
            var p = root.pairs[0]!
            for _ in 0..<3 { ids.append(p.value.id); p = p.value.left! }
            return ids
        }
        #expect(ids == [0, 2, 1])
        // Dropping the root edge frees the cycle.
        arena.mutate { _, root in root.pairs.removeAll() }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 0)
        #expect(arena.metrics.heapBytes == 0)
    }

    @Test func nonTrivialValuesAreDeinitialized() throws {
        let counter = DeinitCounter()
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, _ in
            for _ in 0..<10 { _ = try mc.allocate(Owner(token: Token(counter))) }
        }
        arena.collectAll()
        #expect(counter.count == 10)
        try arena.mutate { mc, _ in _ = try mc.allocate(Owner(token: Token(counter))) }
        // Deinitializing the arena releases what is left.
        _ = consume arena
        #expect(counter.count == 11)
    }

    @Test func collectionInsideMutateIsRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let arena = Arena<Slots> { _ in Slots() }
            arena.mutate { _, _ in arena.collectAll() }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("mutation xor collection") } == true)
    }

    @Test func allocationDebtIsVisibleInsideMutate() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = GCPacing(pause: 0, stepMultiplier: 2, sweepCost: 0.25, minimumSleep: 1024)
        let (before, after) = try arena.mutate { mc, _ -> (Double, Double) in
            let before = mc.allocationDebt
            for i in 0..<1000 { _ = try mc.allocate(Pair(i)) }
            return (before, mc.allocationDebt)
        }
        #expect(before <= 0)
        #expect(after > 0)
        #expect(after == arena.allocationDebt)
        arena.collectDebt()
        #expect(arena.allocationDebt <= 0)
    }

    @Test func metricsCountCyclesAndFreedObjects() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, _ in for i in 0..<50 { _ = try mc.allocate(Pair(i)) } }
        arena.collectAll()
        let m = arena.metrics
        #expect(m.cyclesCompleted >= 1)
        #expect(m.freedObjects == 50)
        #expect(m.objectCount == 0)
        #expect(m.totalAllocatedBytes >= 50 * MemoryLayout<Pair>.size)
        #expect(m.phase == .sleeping)
    }

    @Test func debtDrivesIncrementalCollection() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = GCPacing(pause: 0.5, stepMultiplier: 2, sweepCost: 0.25, minimumSleep: 4096)
        // Keep a 200-node live list, allocate lots of garbage, pay debt after every batch.
        try arena.mutate { mc, root in
            var head: Gc<Pair>? = nil
            for i in 0..<200 { head = try mc.allocate(Pair(i, head)) }
            root.pairs = [head]
        }
        var peak = 0
        for batch in 0..<500 {
            try arena.mutate { mc, _ in
                for i in 0..<100 { _ = try mc.allocate(Pair(batch * 100 + i)) }
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.heapBytes)
            if batch % 50 == 0 { #expect(arena.verifyHeap().isValid) }
        }
        let m = arena.metrics
        #expect(m.cyclesCompleted > 10)
        // 50,000 garbage objects were allocated; the heap never held more than a few thousand.
        #expect(peak < 50_000 * 16)
        let length = arena.leftChainLength(slot: 0)
        #expect(length == 200)
    }
}
