import Testing
@testable import GCArena

@Suite struct BarrierTests {
    /// Builds a root object, runs marking until the root object is black, then stores a
    /// fresh (white) object into it and drops every other path to the new object.
    private func blackParentScenario(useForwardBarrier: Bool) throws -> Int {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            // A long chain so marking needs several steps.
            var head: Gc<Pair>? = nil
            for i in 0..<2000 { head = try mc.allocate(Pair(i, head)) }
            let parent = try mc.allocate(Pair(-1, nil, head))
            root.pairs = [parent]
        }
        arena.collectStep(work: 1)  // start the cycle: roots traced
        arena.collectStep(work: 64) // parent gets traced and turns black
        #expect(arena.phase == .propagating)
        try arena.mutate { mc, root in
            let parent = root.pairs[0]!
            let child = try mc.allocate(Pair(42))
            if useForwardBarrier {
                parent.unsafeMutablePointer.pointee.left = child
                mc.forwardBarrier(parent, child)
            } else {
                parent.write(mc).value.left = child
            }
        }
        #expect(arena.verifyHeap().isValid)
        arena.finishCycle()
        #expect(arena.verifyHeap().isValid)
        return arena.mutate { _, root in root.pairs[0]!.value.left!.value.id }
    }

    @Test func backwardBarrierKeepsWhiteChildOfBlackParent() throws {
        #expect(try blackParentScenario(useForwardBarrier: false) == 42)
    }

    @Test func forwardBarrierKeepsWhiteChildOfBlackParent() throws {
        #expect(try blackParentScenario(useForwardBarrier: true) == 42)
    }

    @Test func verifierDetectsAMissingBarrier() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            var head: Gc<Pair>? = nil
            for i in 0..<2000 { head = try mc.allocate(Pair(i, head)) }
            root.pairs = [try mc.allocate(Pair(-1, nil, head))]
        }
        arena.collectStep(work: 1)
        arena.collectStep(work: 64)
        try arena.mutate { mc, root in
            // Deliberately skip the barrier.
            root.pairs[0]!.unsafeMutablePointer.pointee.left = try mc.allocate(Pair(7))
        }
        let report = arena.verifyHeap()
        #expect(!report.isValid)
        #expect(report.violations.contains { $0.contains("black object points to a white object") })
        // Repair so the arena tears down cleanly.
        arena.mutate { mc, root in mc.backwardBarrier(root.pairs[0]!) }
        arena.finishCycle()
    }

    @Test func lockAndRefLockApplyBarriers() throws {
        struct Root: Collect {
            var lock: Gc<GcLock<Gc<Pair>?>>
            var refLock: Gc<GcRefLock<[Gc<Pair>]>>
            var filler: Gc<Pair>?
            func trace(_ tracer: inout Tracer) {
                tracer.trace(lock); tracer.trace(refLock); tracer.trace(filler)
            }
        }
        let arena = try Arena<Root> { mc in
            var head: Gc<Pair>? = nil
            for i in 0..<2000 { head = try mc.allocate(Pair(i, head)) }
            return Root(lock: try mc.allocate(GcLock(nil)), refLock: try mc.allocate(GcRefLock([])),
                        filler: head)
        }
        arena.collectStep(work: 1)
        arena.collectStep(work: 4096)
        try arena.mutate { mc, root in
            root.lock.set(mc, try mc.allocate(Pair(1)))
            let p = try mc.allocate(Pair(2))
            root.refLock.borrowMut(mc) { $0.append(p) }
        }
        #expect(arena.verifyHeap().isValid)
        arena.finishCycle()
        let ids = arena.mutate { _, root in
            (root.lock.get()!.value.id, root.refLock.borrow { $0.map { $0.value.id } })
        }
        #expect(ids.0 == 1 && ids.1 == [2])
    }

    @Test func conflictingRefLockBorrowTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let arena = try Arena<Gc<GcRefLock<Int>>> { mc in try mc.allocate(GcRefLock(0)) }
            arena.mutate { mc, root in
                root.borrow { _ in root.borrowMut(mc) { $0 += 1 } }
            }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("GcRefLock: already borrowed") } == true)
    }
}
