import Testing
@testable import GCArena

/// A model of Lua's `__gc`: objects registered for finalization are held weakly; when one
/// dies it is resurrected, moved to a to-be-finalized list, and its finalizer runs later.
/// Finalizers run in the reverse order of registration, as in Lua 5.4.
struct FinalizerRoot: Collect {
    var registered: [GcWeak<Pair>] = []
    var toBeFinalized: [Gc<Pair>] = []
    var live: [Gc<Pair>] = []
    func trace(_ tracer: inout Tracer) {
        tracer.trace(registered)
        tracer.trace(toBeFinalized)
        tracer.trace(live)
    }
}

@Suite struct FinalizationTests {
    static func luaStyleHook(_ fc: borrowing GCFinalization, _ root: inout FinalizerRoot) {
        guard fc.windowIndex == 0 else { return }
        var survivors: [GcWeak<Pair>] = []
        var dying: [Gc<Pair>] = []
        // Newest registrations first: Lua finalizes in reverse order of marking for finalization.
        for weak in root.registered.reversed() {
            if fc.isDead(weak), let gc = fc.resurrect(weak) { dying.append(gc) } else { survivors.append(weak) }
        }
        root.registered = survivors.reversed()
        root.toBeFinalized.append(contentsOf: dying)
    }

    @Test func resurrectedObjectsKeepTheirWholeSubgraph() throws {
        let arena = Arena<FinalizerRoot> { _ in FinalizerRoot() }
        arena.finalizationHook = Self.luaStyleHook
        try arena.mutate { mc, root in
            let child = try mc.allocate(Pair(100))
            let obj = try mc.allocate(Pair(1, child))
            root.registered = [obj.downgrade()]
        }
        arena.collectAll()
        let ids = arena.mutate { _, root in
            root.toBeFinalized.map { ($0.value.id, $0.value.left!.value.id) }
        }
        #expect(ids.count == 1 && ids[0] == (1, 100))
        #expect(arena.verifyHeap().isValid)
        // After "running" the finalizer the object is dropped for good.
        arena.mutate { _, root in root.toBeFinalized.removeAll() }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 0)
    }

    @Test func finalizersRunInReverseRegistrationOrder() throws {
        let arena = Arena<FinalizerRoot> { _ in FinalizerRoot() }
        arena.finalizationHook = Self.luaStyleHook
        try arena.mutate { mc, root in
            for i in 1...5 {
                let p = try mc.allocate(Pair(i))
                root.registered.append(p.downgrade())
                if i == 3 { root.live.append(p) }  // still reachable: not finalized
            }
        }
        arena.collectAll()
        let order = arena.mutate { _, root in root.toBeFinalized.map { $0.value.id } }
        #expect(order == [5, 4, 2, 1])
        #expect(arena.mutate { mc, root in root.registered.compactMap { $0.upgrade(mc)?.value.id } } == [3])
    }

    @Test func explicitWindowSeesDeadObjectsAndResurrectionRemarks() throws {
        let arena = Arena<FinalizerRoot> { _ in FinalizerRoot() }
        try arena.mutate { mc, root in
            let a = try mc.allocate(Pair(1, try mc.allocate(Pair(2))))
            root.registered = [a.downgrade()]
            root.live = [try mc.allocate(Pair(3))]
        }
        arena.finishMarking()
        var windows: [Int] = []
        arena.finalize { fc, root in
            windows.append(fc.windowIndex)
            let registeredDead = fc.isDead(root.registered[0])
            let liveDead = fc.isDead(root.live[0])
            #expect(registeredDead)
            #expect(!liveDead)
            if let a = fc.resurrect(root.registered[0]) { root.toBeFinalized.append(a) }
        }
        #expect(arena.phase == .propagating)
        arena.finishMarking()
        arena.finalize { fc, root in
            windows.append(fc.windowIndex)
            let dead = fc.isDead(root.registered[0])
            #expect(!dead)
        }
        arena.finishCycle()
        #expect(windows == [0, 1])
        #expect(arena.mutate { _, root in root.toBeFinalized[0].value.left!.value.id } == 2)
        #expect(arena.verifyHeap().isValid)
    }

    @Test func allocationInsideTheWindowSurvives() throws {
        let arena = Arena<FinalizerRoot> { _ in FinalizerRoot() }
        arena.finishMarking()
        arena.finalize { fc, root in
            let mc = fc.mutation
            root.live.append(try! mc.allocate(Pair(77)))
        }
        arena.finishCycle()
        #expect(arena.mutate { _, root in root.live[0].value.id } == 77)
        #expect(arena.verifyHeap().isValid)
    }
}
