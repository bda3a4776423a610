import Testing
@testable import GCArena

/// A small deterministic PRNG (xorshift64*), so failures reproduce from the seed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A randomized workload checked against a shadow model of the object graph: after every
/// incremental collector step the heap verifier runs, and the graph reachable in the arena
/// must equal the model's, object ids and edges included.
@Suite struct StressTests {
    static let rootSlots = 16

    struct Model {
        var edges: [Int: (Int?, Int?)] = [:]
        var roots: [Int?] = Array(repeating: nil, count: StressTests.rootSlots)
        var nextID = 0
    }

    /// Walks the real heap from the root, checking it against the model; returns the reachable handles.
    static func reachable(_ root: Slots, _ model: Model) -> [Gc<Pair>] {
        var seen: Set<Int> = []
        var out: [Gc<Pair>] = []
        var stack: [Gc<Pair>] = []
        for (i, slot) in root.pairs.enumerated() {
            #expect(slot?.value.id == model.roots[i])
            if let slot { stack.append(slot) }
        }
        while let p = stack.popLast() {
            let v = p.value
            guard seen.insert(v.id).inserted else { continue }
            out.append(p)
            let expected = model.edges[v.id]
            #expect(expected != nil)
            #expect(v.left?.value.id == expected?.0 && v.right?.value.id == expected?.1,
                     "edges of \(v.id) differ from the model")
            if let l = v.left { stack.append(l) }
            if let r = v.right { stack.append(r) }
        }
        return out
    }

    /// How the stress run drives the collector.
    enum Mode: CustomTestStringConvertible {
        /// Incremental steps of random size.
        case incremental
        /// Generational: debt-paced collections, extra minor and (rarely) major ones.
        case generational
        /// Incremental and generational by turns, switching at every phase of a cycle.
        case switching
        var testDescription: String { "\(self)" }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomMutationUnderIncrementalCollection(seed: UInt64) throws {
        try randomMutation(seed: seed, mode: .incremental)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomMutationUnderGenerationalCollection(seed: UInt64) throws {
        try randomMutation(seed: seed, mode: .generational)
    }

    @Test(arguments: [UInt64(4), 5])
    func randomMutationWhileSwitchingModes(seed: UInt64) throws {
        try randomMutation(seed: seed, mode: .switching)
    }

    /// Pays the collector in the way `mode` calls for, after one batch of mutations.
    static func collect(_ arena: Arena<Slots>, _ mode: Mode, _ step: Int, _ rng: inout SeededRandom) {
        if mode == .switching && step % 97 == 0 {
            let previous = arena.setCollectorMode(arena.collectorMode == .incremental ? .generational : .incremental)
            #expect(previous != arena.collectorMode)
        }
        if arena.collectorMode == .incremental {
            arena.collectStep(work: rng.below(600))
        } else {
            switch rng.below(100) {
            case 0: arena.collectAll()
            case 1...12: arena.collectMinor()
            default: arena.collectDebt()
            }
        }
    }

    func randomMutation(seed: UInt64, mode: Mode) throws {
        var rng = SeededRandom(seed: seed)
        var model = Model()
        let arena = Arena<Slots> { _ in Slots(pairs: Array(repeating: nil, count: Self.rootSlots)) }
        arena.pacing = GCPacing(pause: 0.25, stepMultiplier: 2, sweepCost: 0.5, minimumSleep: 2048)
        if mode == .generational { #expect(arena.setCollectorMode(.generational) == .incremental) }
        var operations = 0
        var steps = 0
        var batchesDuringMarking = 0
        var batchesDuringSweep = 0
        while operations < 100_000 {
            if arena.phase == .propagating { batchesDuringMarking += 1 }
            if arena.phase == .sweeping { batchesDuringSweep += 1 }
            try arena.mutate { mc, root in
                let live = Self.reachable(root, model)
                for _ in 0..<8 {
                    operations += 1
                    switch rng.below(10) {
                    case 0...2:  // allocate into a root slot, maybe linking to a live object
                        let id = model.nextID; model.nextID += 1
                        let target = live.isEmpty || rng.below(2) == 0 ? nil : live[rng.below(live.count)]
                        let p = try mc.allocate(Pair(id, target))
                        model.edges[id] = (target?.value.id, nil)
                        let slot = rng.below(Self.rootSlots)
                        root.pairs[slot] = p
                        model.roots[slot] = id
                    case 3...6:  // rewire an edge of a live object
                        guard !live.isEmpty else { continue }
                        let p = live[rng.below(live.count)]
                        let q = rng.below(4) == 0 ? nil : live[rng.below(live.count)]
                        let id = p.value.id
                        if rng.below(2) == 0 {
                            p.write(mc).value.left = q
                            model.edges[id]!.0 = q?.value.id
                        } else {
                            p.write(mc).value.right = q
                            model.edges[id]!.1 = q?.value.id
                        }
                    case 7:  // drop a root slot
                        let slot = rng.below(Self.rootSlots)
                        root.pairs[slot] = nil
                        model.roots[slot] = nil
                    case 8:  // take a weak handle
                        guard !live.isEmpty else { continue }
                        if root.weakPairs.count > 32 { root.weakPairs.removeFirst() }
                        root.weakPairs.append(live[rng.below(live.count)].downgrade())
                    default:  // upgrade a weak handle: if it succeeds the object must be intact
                        guard !root.weakPairs.isEmpty else { continue }
                        if let p = root.weakPairs[rng.below(root.weakPairs.count)].upgrade(mc) {
                            #expect(model.edges[p.value.id] != nil)
                        }
                    }
                }
            }
            Self.collect(arena, mode, steps, &rng)
            steps += 1
            let report = arena.verifyHeap()
            #expect(report.isValid, "seed \(seed) step \(steps): \(report.violations.joined(separator: "; "))")
            if !report.isValid { return }
        }
        // Finally: drop the weak handles and collect; exactly the reachable objects remain.
        let reachableCount = arena.mutate { _, root in
            root.weakPairs.removeAll()
            return Self.reachable(root, model).count
        }
        arena.collectAll()
        arena.collectAll()
        #expect(arena.metrics.objectCount == reachableCount)
        #expect(arena.metrics.cyclesCompleted > 20)
        #expect(operations >= 100_000)
        switch mode {
        case .incremental:
            // The workload really interleaved with both incremental phases.
            #expect(batchesDuringMarking > 500)
            #expect(batchesDuringSweep > 100)
        case .generational:
            #expect(arena.metrics.minorCollections > 1000)
            #expect(arena.metrics.majorCollections > 5)
        case .switching:
            #expect(batchesDuringMarking > 100)
            #expect(arena.metrics.minorCollections > 500)
        }
    }
}
