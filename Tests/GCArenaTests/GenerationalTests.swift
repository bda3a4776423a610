import Testing
@testable import GCArena

/// The generational mode: minor collections, the barriers that keep old→young references,
/// weak handles, ephemerons and finalizers across minor collections, mode switching.
@Suite struct GenerationalTests {
    /// The age of an object (internal: what the collector decided about it).
    static func age<T>(_ gc: Gc<T>) -> UInt8 { _ObjectRef(payload: gc.unsafeRawPayload).age }

    /// An arena in generational mode whose root slot 0 holds an old object.
    static func arenaWithOldParent() throws -> Arena<Slots> {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in root.pairs = [try mc.allocate(Pair(-1))] }
        #expect(arena.setCollectorMode(.generational) == .incremental)
        #expect(arena.collectorMode == .generational)
        #expect(arena.metrics.majorCollections == 1)
        #expect(arena.mutate { _, root in Self.age(root.pairs[0]!) } == _Age.old)
        return arena
    }

    enum StoreKind: CaseIterable, Sendable {
        case write, manualBackward, forward, forwardStoring
    }

    /// Stores a fresh object into an old one with each kind of barrier, then runs minor
    /// collections: the child must survive every one (it is reachable only through the old
    /// parent), age, and the heap must verify after each.
    @Test(arguments: StoreKind.allCases)
    func oldToYoungReferenceSurvivesMinorCollections(kind: StoreKind) throws {
        let arena = try Self.arenaWithOldParent()
        try arena.mutate { mc, root in
            let parent = root.pairs[0]!
            let grandchild = try mc.allocate(Pair(43))
            let child = try mc.allocate(Pair(42, grandchild))
            switch kind {
            case .write: parent.write(mc).value.left = child
            case .manualBackward:
                parent.unsafeMutablePointer.pointee.left = child
                mc.backwardBarrier(parent)
            case .forward:
                parent.unsafeMutablePointer.pointee.left = child
                mc.forwardBarrier(parent, child)
            case .forwardStoring:
                parent.unsafeMutablePointer.pointee.left = child
                mc.forwardBarrier(parent, storing: Optional(child))
            }
            #expect(Self.age(parent) == _Age.touched1)
        }
        var ages: [UInt8] = []
        for _ in 0..<5 {
            arena.collectMinor()
            let report = arena.verifyHeap()
            #expect(report.isValid, "\(report.violations)")
            ages.append(arena.mutate { _, root in Self.age(root.pairs[0]!.value.left!) })
        }
        #expect(ages == [_Age.survival, _Age.old1, _Age.old, _Age.old, _Age.old])
        #expect(arena.metrics.minorCollections == 5)
        #expect(arena.metrics.objectCount == 3)
        let ids = arena.mutate { _, root in (root.pairs[0]!.value.left!.value.id, root.pairs[0]!.value.left!.value.left!.value.id) }
        #expect(ids == (42, 43))
        // The parent went touched1 → touched2 → old.
        #expect(arena.mutate { _, root in Self.age(root.pairs[0]!) } == _Age.old)
    }

    @Test func lockAndRefLockRememberOldCells() throws {
        struct Root: Collect {
            var lock: Gc<GcLock<Gc<Pair>?>>
            var refLock: Gc<GcRefLock<[Gc<Pair>]>>
            func trace(_ tracer: inout Tracer) { tracer.trace(lock); tracer.trace(refLock) }
        }
        let arena = try Arena<Root> { mc in
            Root(lock: try mc.allocate(GcLock(nil)), refLock: try mc.allocate(GcRefLock([])))
        }
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in
            root.lock.set(mc, try mc.allocate(Pair(1)))
            let p = try mc.allocate(Pair(2))
            root.refLock.borrowMut(mc) { $0.append(p) }
        }
        for _ in 0..<4 {
            arena.collectMinor()
            #expect(arena.verifyHeap().isValid)
        }
        let ids = arena.mutate { _, root in (root.lock.get()!.value.id, root.refLock.borrow { $0.map { $0.value.id } }) }
        #expect(ids.0 == 1 && ids.1 == [2])
    }

    /// The control: without a barrier the verifier sees the old→young edge (so the tests
    /// above would fail if a barrier did nothing in generational mode).
    @Test func verifierDetectsAMissingGenerationalBarrier() throws {
        let arena = try Self.arenaWithOldParent()
        try arena.mutate { mc, root in
            root.pairs[0]!.unsafeMutablePointer.pointee.left = try mc.allocate(Pair(7))
        }
        let report = arena.verifyHeap()
        #expect(report.violations.contains { $0.contains("old object points to a young one") })
        arena.mutate { mc, root in mc.backwardBarrier(root.pairs[0]!) }
        #expect(arena.verifyHeap().isValid)
        arena.collectMinor()
        #expect(arena.mutate { _, root in root.pairs[0]!.value.left!.value.id } == 7)
    }

    /// A minor collection traces the young objects and the few old ones it must, not the
    /// old heap; garbage among the young objects is freed, old garbage waits for a major.
    @Test func minorCollectionsDoNotRetraceTheOldHeap() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            var head: Gc<Pair>? = nil
            for i in 0..<100_000 { head = try mc.allocate(Pair(i, head)) }
            root.pairs = [head, nil]
        }
        arena.setCollectorMode(.generational)
        #expect(arena.metrics.objectCount == 100_000)
        var traced: [Int] = []
        for round in 0..<10 {
            try arena.mutate { mc, root in
                var young: Gc<Pair>? = nil
                for i in 0..<200 { young = try mc.allocate(Pair(1_000_000 + i, young)) }
                root.pairs[1] = young  // replaces the previous round's young list
                for i in 0..<300 { _ = try mc.allocate(Pair(2_000_000 + round * 1000 + i)) }  // garbage
            }
            let before = arena.metrics.tracedObjects
            arena.collectMinor()
            traced.append(arena.metrics.tracedObjects - before)
            #expect(arena.verifyHeap().isValid)
        }
        // Each minor traced this round's 200 young objects (last round's list died young, as
        // survival): nowhere near the 100,000 old ones.
        #expect(traced.allSatisfy { $0 >= 200 && $0 <= 500 }, "\(traced)")
        // All young garbage is gone already: the old list and the last young one remain.
        #expect(arena.metrics.objectCount == 100_200)
        // Old garbage waits for a major collection.
        arena.mutate { _, root in root.pairs[0] = root.pairs[0]!.value.left!.value.left }
        arena.collectMinor()
        #expect(arena.metrics.objectCount == 100_200)
        let tracedBefore = arena.metrics.tracedObjects
        arena.collectAll()
        #expect(arena.metrics.tracedObjects - tracedBefore >= 99_000)
        #expect(arena.metrics.objectCount == 100_198)
        #expect(arena.verifyHeap().isValid)
    }

    /// The heap grows past the major threshold and a major collection reclaims old garbage,
    /// all from `collectDebt` (the host does nothing special).
    @Test func majorCollectionRunsWhenTheHeapGrows() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = GCPacing(minimumSleep: 4096, minorMultiplier: 20, majorMultiplier: 100)
        arena.setCollectorMode(.generational)
        var peak = 0
        for round in 0..<2000 {
            try arena.mutate { mc, root in
                // Objects that live long enough to become old, then die.
                let p = try mc.allocate(Pair(round))
                root.pairs.append(p)
                if root.pairs.count > 50 { root.pairs.removeFirst() }
                for i in 0..<20 { _ = try mc.allocate(Pair(i)) }
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.objectCount)
        }
        #expect(arena.metrics.majorCollections > 2)
        #expect(arena.metrics.minorCollections > 10)
        #expect(peak < 3000, "peak \(peak) objects")
        #expect(arena.verifyHeap().isValid)
    }

    @Test func weakHandleInAnOldObjectSeesAYoungObjectDie() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in root.nodes = [try mc.allocate(Node(id: 1))] }
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in
            let holder = root.nodes[0]
            let kept = try mc.allocate(Node(id: 2))
            let doomed = try mc.allocate(Node(id: 3))
            root.nodes.append(kept)
            holder.write(mc).value.weak = doomed.downgrade()
            holder.write(mc).value.children = [kept]
        }
        arena.collectMinor()
        #expect(arena.verifyHeap().isValid)
        #expect(arena.mutate { mc, root in root.nodes[0].value.weak!.upgrade(mc) } == nil)
        // The dead block stays (the old holder's weak handle names it) through more minors.
        #expect(arena.metrics.objectCount == 3)
        for _ in 0..<3 {
            arena.collectMinor()
            #expect(arena.verifyHeap().isValid)
            #expect(arena.mutate { mc, root in root.nodes[0].value.weak!.isDead(mc) })
        }
        // A weak handle to a young object that lives.
        try arena.mutate { mc, root in
            let alive = try mc.allocate(Node(id: 4))
            root.nodes.append(alive)
            root.nodes[1].write(mc).value.weak = alive.downgrade()
        }
        arena.collectMinor()
        arena.collectMinor()
        #expect(arena.mutate { mc, root in root.nodes[1].value.weak!.upgrade(mc)?.value.id } == 4)
        arena.mutate { _, root in root.nodes[0].unsafeMutablePointer.pointee.weak = nil }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 3)
        #expect(arena.verifyHeap().isValid)
    }

    @Test(arguments: [GCCollectorMode.incremental, .generational])
    func ephemeronsInAnOldTable(mode: GCCollectorMode) throws {
        let arena = try EphemeronTests().makeArena()
        arena.setCollectorMode(mode)
        // Young keys k0..k9 in a chain through the (old) table, one unreachable key.
        try arena.mutate { mc, root in try EphemeronTests.installChain(mc, &root) }
        arena.collectMinor()
        #expect(arena.verifyHeap().isValid)
        let ids = arena.mutate { _, root in root.table.value.entries.map { $0.value.value.id }.sorted() }
        #expect(ids == Array(1...9))
        // Dropping the head key kills the whole chain at the next collections.
        arena.mutate { _, root in root.keys = [] }
        for _ in 0..<3 { arena.collectMinor() }
        arena.collectAll()
        #expect(arena.mutate { _, root in root.table.value.entries.count } == 0)
        #expect(arena.metrics.objectCount == 1)
        #expect(arena.verifyHeap().isValid)
    }

    /// Lua's finalizer model with the registration list in an old object: a young
    /// registered object that dies in a minor collection is resurrected with its subgraph.
    @Test func finalizersOfYoungObjectsRunAfterAMinorCollection() throws {
        struct Root: Collect {
            var list: Gc<GcRefLock<FinalizerRoot>>
            func trace(_ tracer: inout Tracer) { tracer.trace(list) }
        }
        let arena = try Arena<Root> { mc in Root(list: try mc.allocate(GcRefLock(FinalizerRoot()))) }
        arena.finalizationHook = { fc, root in
            root.list.borrowMut(fc.mutation) { FinalizationTests.luaStyleHook(fc, &$0) }
        }
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in
            for i in 1...4 {
                let obj = try mc.allocate(Pair(i, try mc.allocate(Pair(100 + i))))
                root.list.borrowMut(mc) {
                    $0.registered.append(obj.downgrade())
                    if i == 2 { $0.live.append(obj) }
                }
            }
        }
        arena.collectMinor()
        #expect(arena.verifyHeap().isValid)
        let order = arena.mutate { _, root in root.list.borrow { $0.toBeFinalized.map { ($0.value.id, $0.value.left!.value.id) } } }
        #expect(order.map(\.0) == [4, 3, 1] && order.map(\.1) == [104, 103, 101])
        // The resurrected objects live until "finalized", through more minor collections.
        for _ in 0..<3 { arena.collectMinor(); #expect(arena.verifyHeap().isValid) }
        #expect(arena.mutate { _, root in root.list.borrow { $0.toBeFinalized.count } } == 3)
        arena.mutate { mc, root in root.list.borrowMut(mc) { $0.toBeFinalized = [] } }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 3)  // the list cell, object 2 and its child
    }

    /// A store into an old object in the finalization window of a minor collection (the
    /// host mutates between finishMarking and finalize) is remembered too.
    @Test func storeInTheWindowOfAMinorCollection() throws {
        let arena = try Self.arenaWithOldParent()
        arena.finishMarking()
        #expect(arena.phase == .marked)
        try arena.mutate { mc, root in
            root.pairs[0]!.write(mc).value.left = try mc.allocate(Pair(5))
        }
        arena.finalize { fc, root in
            let mc = fc.mutation
            root.pairs[0]!.write(mc).value.right = try! mc.allocate(Pair(6))
        }
        #expect(arena.phase == .sleeping)
        #expect(arena.verifyHeap().isValid)
        for _ in 0..<4 {
            arena.collectMinor()
            #expect(arena.verifyHeap().isValid)
        }
        let ids = arena.mutate { _, root in (root.pairs[0]!.value.left!.value.id, root.pairs[0]!.value.right!.value.id) }
        #expect(ids == (5, 6))
    }

    /// Switching modes at every phase of an incremental cycle, and back from the middle of
    /// a generational collection, keeps the heap valid and loses nothing reachable.
    @Test(arguments: [GCPhase.sleeping, .propagating, .marked, .sweeping])
    func switchingModesMidCycle(phase: GCPhase) throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            var head: Gc<Pair>? = nil
            for i in 0..<5000 { head = try mc.allocate(Pair(i, head)) }
            root.pairs = [head]
            for i in 0..<5000 { _ = try mc.allocate(Pair(-i)) }
        }
        switch phase {
        case .sleeping: break
        case .propagating:
            arena.collectStep(work: 1)
            arena.collectStep(work: 1000)
        case .marked: arena.finishMarking()
        case .sweeping:
            arena.finishMarking()
            arena.collectStep(work: 0)
            arena.collectStep(work: 100)
        }
        #expect(arena.phase == phase)
        #expect(arena.setCollectorMode(.generational) == .incremental)
        #expect(arena.phase == .sleeping)
        #expect(arena.verifyHeap().isValid)
        #expect(arena.metrics.objectCount == 5000)
        try arena.mutate { mc, root in root.pairs.append(try mc.allocate(Pair(1, root.pairs[0]))) }
        arena.collectMinor()
        arena.finishMarking()  // a generational collection stops at its window
        #expect(arena.setCollectorMode(.generational) == .generational)  // no change
        #expect(arena.setCollectorMode(.incremental) == .generational)
        #expect(arena.phase == .sleeping)
        #expect(arena.verifyHeap().isValid)
        arena.collectAll()
        #expect(arena.metrics.objectCount == 5001)
        #expect(arena.mutate { _, root in root.pairs[1]!.value.left!.value.id } == 4999)
        #expect(arena.verifyHeap().isValid)
    }

    @Test func stickyObjectsAreRetracedWithoutBarriers() throws {
        for mode in [GCCollectorMode.incremental, .generational] {
            let arena = Arena<Slots> { _ in Slots() }
            try arena.mutate { mc, root in
                let record = try mc.allocate(Pair(0))
                mc.retraceEveryCollection(record)
                root.pairs = [record]
            }
            arena.setCollectorMode(mode)
            arena.collectStep(work: 1)
            arena.collectStep(work: 100)  // the record is black (incremental) or old
            try arena.mutate { mc, root in
                root.pairs[0]!.unsafeMutablePointer.pointee.left = try mc.allocate(Pair(9))  // no barrier
            }
            arena.finishCycle()
            arena.collectMinor()
            arena.collectMinor()
            #expect(arena.mutate { _, root in root.pairs[0]!.value.left!.value.id } == 9)
            // Unreachable, the sticky object dies like any other.
            arena.mutate { _, root in root.pairs = [] }
            arena.collectAll()
            #expect(arena.metrics.objectCount == 0)
            #expect(arena.verifyHeap().isValid)
        }
    }
}
