import Testing
import GCArena

/// A list cell of a confined arena.
struct CNode: ConfinedCollect, ~Escapable {
    var value: Int
    var next: Optional<Confined<CNode>>
    var other: Optional<Confined<CNode>>
    @_lifetime(copy next)
    init(_ value: Int, next: Optional<Confined<CNode>>) { self.value = value; self.next = next; self.other = nil }
    func trace(_ tracer: inout Tracer) {
        tracer.trace(next)
        tracer.trace(other)
    }
}

/// A leaf that owns a Swift string (released by the collector).
struct CText: ConfinedCollectLeaf {
    var text: String
}

/// A tagged value: an immediate or a handle (what an interpreter keeps on its stacks).
enum CValue: ConfinedCollect, BitwiseCopyable, ~Escapable {
    case int(Int)
    case node(Confined<CNode>)
    func trace(_ tracer: inout Tracer) { if case .node(let n) = self { tracer.trace(n) } }
}

/// A confined root: a list head, an extra slot, a text and a value stack.
struct CRoot: ConfinedCollect, ~Escapable {
    var head: Optional<Confined<CNode>>
    var spare: Optional<Confined<CNode>>
    var text: Optional<Confined<CText>>
    var stack: Optional<Confined<ConfinedVector<CValue>>>
    @_lifetime(immortal) init() { head = nil; spare = nil; text = nil; stack = nil }
    func trace(_ tracer: inout Tracer) {
        tracer.trace(head)
        tracer.trace(spare)
        tracer.trace(text)
        tracer.trace(stack)
    }
}

/// The run-time behaviour of the statically confined API (the static half is in
/// CompileFailTests, Tests/CompileFailures/Confined).
@Suite struct ConfinedArenaTests {
    func sum(_ arena: ConfinedArena<CRoot>) -> Int {
        arena.mutate { _, root in
            var total = 0
            var cur = root.value.head
            while let n = cur { total += n.value.value; cur = n.value.next }
            return total
        }
    }

    @Test func handlesAreOnePointer() {
        #expect(MemoryLayout<Confined<CNode>>.size == 8)
        #expect(MemoryLayout<Optional<Confined<CNode>>>.size == 8)
    }

    @Test func listSurvivesCollectionAndGarbageIsFreed() throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        try arena.mutate { mc, root in
            for i in 1...1000 {
                let node = try mc.allocate(CNode(i, next: root.value.head))
                root.write(mc).value.head = node
            }
        }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1001)  // the root object and the list
        #expect(sum(arena) == 500_500)
        arena.mutate { mc, root in root.write(mc).value.head = root.value.head?.value.next }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1000)
        #expect(sum(arena) == 500_500 - 1000)
        arena.mutate { mc, root in root.write(mc).value.head = nil }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1)
        #expect(arena.verifyHeap().isValid)
    }

    /// In generational mode the list is old and each step is a minor collection: the fresh
    /// node hangs off an old one only, and must survive through the barrier.
    @Test(arguments: [GCCollectorMode.incremental, .generational])
    func writesRunTheBarrierDuringIncrementalMarking(mode: GCCollectorMode) throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        arena.pacing = .stress
        try arena.mutate { mc, root in
            for i in 1...200 {
                let node = try mc.allocate(CNode(i, next: root.value.head))
                root.write(mc).value.head = node
            }
        }
        #expect(arena.setCollectorMode(mode) == .incremental)
        // Each step: hang a fresh node off an old (likely black) one, drop the root's other
        // path to it, take a little collector work, and check the tri-color invariant.
        for step in 0..<400 {
            try arena.mutate { mc, root in
                let fresh = try mc.allocate(CNode(step, next: nil))
                root.write(mc).value.spare = fresh
                var target = root.value.head
                for _ in 0..<(step % 150) { target = target?.value.next }
                if let t = target { t.write(mc).value.other = fresh }
                root.write(mc).value.spare = nil
            }
            arena.collectStep(work: 64)
            let report = arena.verifyHeap()
            #expect(report.isValid, "step \(step): \(report)")
            if !report.isValid { break }
        }
        arena.collectAll()
        #expect(sum(arena) == 20_100)
        if mode == .generational { #expect(arena.metrics.minorCollections > 300) }
    }

    @Test func nonTrivialPayloadsAreReleased() throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        try arena.mutate { mc, root in
            for i in 0..<100 { root.write(mc).value.text = try mc.allocate(CText(text: "text \(i)")) }
        }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 2)
        let text = arena.mutate { _, root in root.value.text?.value.text }
        #expect(text == "text 99")
    }

    @Test func memoryLimitThrowsAndLeavesTheArenaUsable() throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        arena.memoryLimit = 64 * 1024
        #expect(throws: GCAllocationError.self) {
            try arena.mutate { mc, root in
                for i in 0..<100_000 { root.write(mc).value.head = try mc.allocate(CNode(i, next: root.value.head)) }
            }
        }
        arena.mutate { mc, root in root.write(mc).value.head = nil }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1)
    }

    @Test func identityComparesObjects() throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        let (same, different, keyed) = try arena.mutate { mc, root in
            let a = try mc.allocate(CNode(1, next: nil))
            let b = try mc.allocate(CNode(2, next: a))
            root.write(mc).value.head = b
            var again = false
            if let h = root.value.head { again = h === b }  // (`Optional.map` needs Escapable)
            return (again, a !== b, Set([a.identity, b.identity, b.value.next?.identity].compactMap { $0 }).count)
        }
        #expect(same && different && keyed == 2)
    }

    /// The run-time half of the confinement, checked in every build: a handle of one arena can
    /// only meet another arena if their mutations overlap, and that traps.
    @Test func nestedConfinedMutationsTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = try ConfinedArena<CRoot> { _ in CRoot() }
            let b = try ConfinedArena<CRoot> { _ in CRoot() }
            try a.mutate { mc, root in root.write(mc).value.head = try mc.allocate(CNode(1, next: nil)) }
            a.mutate { _, rootA in
                b.mutate { mcB, rootB in rootB.write(mcB).value.head = rootA.value.head }
            }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self)
            .contains("inside mutate of confined arena") } == true)
    }

    @Test func vectorHoldsHandlesAcrossCollectionsAndReleasesItsBuffer() throws {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        arena.pacing = .stress
        try arena.mutate { mc, root in root.write(mc).value.stack = try mc.allocate(ConfinedVector<CValue>()) }
        // Push a mix of immediates and fresh nodes in small slices, collecting in between, so
        // the vector is black when later elements are appended (the barrier must re-gray it).
        for slice in 0..<50 {
            try arena.mutate { mc, root in
                guard let stack = root.value.stack else { return }
                for i in 0..<100 {
                    let n = slice * 100 + i
                    try stack.append(n % 2 == 0 ? .int(n) : .node(try mc.allocate(CNode(n, next: nil))), mc)
                }
            }
            arena.collectStep(work: 256)
            #expect(arena.verifyHeap().isValid)
        }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 2 + 2500)
        let (count, total, popped) = arena.mutate { mc, root -> (Int, Int, Int) in
            guard let stack = root.value.stack else { return (0, 0, 0) }
            var total = 0
            for i in 0..<stack.count() {
                switch stack.element(at: i) {
                case .int(let v): total += v
                case .node(let n): total += n.value.value
                }
            }
            stack.set(0, to: .int(-1), mc)
            var popped = 0
            while stack.count() > 1000, stack.removeLast() != nil { popped += 1 }
            return (stack.count(), total, popped)
        }
        #expect(count == 1000 && total == 4999 * 5000 / 2 && popped == 4000)
        arena.collectAll()
        #expect(arena.metrics.objectCount == 2 + 500)
        #expect(arena.metrics.externalBytes > 0)
        arena.mutate { mc, root in root.write(mc).value.stack = nil }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1)
        #expect(arena.metrics.externalBytes == 0)
    }

    @Test func sequentialMutationsOfTwoArenasAreFine() throws {
        let a = try ConfinedArena<CRoot> { _ in CRoot() }
        let b = try ConfinedArena<CRoot> { _ in CRoot() }
        try a.mutate { mc, root in root.write(mc).value.head = try mc.allocate(CNode(1, next: nil)) }
        try b.mutate { mc, root in root.write(mc).value.head = try mc.allocate(CNode(2, next: nil)) }
        #expect(sum(a) == 1 && sum(b) == 2)
    }
}
