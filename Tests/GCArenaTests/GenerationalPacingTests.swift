import Testing
@testable import GCArena

/// The generational mode's pacing (PUC's `genstep`): minor collections every
/// `minorMultiplier`% of growth, majors past `majorMultiplier`%, the fallback to full
/// collections after a bad major, and the explicit step.
@Suite struct GenerationalPacingTests {
    static let pacing = GCPacing(minimumSleep: 8 * 1024, minorMultiplier: 20, majorMultiplier: 100)

    /// Prepends `count` pairs to the list in root slot `slot`, paying debt every 100.
    static func grow(_ arena: Arena<Slots>, slot: Int, count: Int, verifyEvery: Int = 0) throws -> Int {
        var peak = 0
        var made = 0
        while made < count {
            try arena.mutate { mc, root in
                for _ in 0..<100 { root.pairs[slot] = try mc.allocate(Pair(made, root.pairs[slot])); made += 1 }
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.heapBytes)
            if verifyEvery > 0 && (made / 100) % verifyEvery == 0 {
                let report = arena.verifyHeap()
                #expect(report.isValid, "\(report.violations)")
            }
        }
        return peak
    }

    /// Allocates `rounds` × 100 garbage pairs (plus one kept in slot 2), paying debt each round.
    static func churn(_ arena: Arena<Slots>, rounds: Int) throws -> Int {
        var peak = 0
        for round in 0..<rounds {
            try arena.mutate { mc, root in
                for i in 0..<100 { _ = try mc.allocate(Pair(i)) }
                root.pairs[2] = try mc.allocate(Pair(round))
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.heapBytes)
        }
        return peak
    }

    static func pairBytes(_ arena: Arena<Slots>) -> Int {
        arena.mutate { _, root in _ObjectRef(payload: root.pairs[2]!.unsafeRawPayload).size }
    }

    /// binary_trees' shape: a big structure is built (it grows through major collections and
    /// becomes old), dropped, a smaller long-lived one is built, then the program churns
    /// short-lived objects. Minor collections cannot free the old dropped structure; without
    /// the fallback it waits for the major threshold, twice the heap it had while it lived,
    /// which churn at the smaller size never reaches.
    @Test func droppedOldStructureIsFreedWithoutWaitingForTheMajorThreshold() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = Self.pacing
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in root.pairs = [nil, nil, try mc.allocate(Pair(0))] }
        let pair = Self.pairBytes(arena)
        _ = try Self.grow(arena, slot: 0, count: 40_000)
        #expect(arena.metrics.badMajorCollections > 0, "building a structure makes bad majors")
        arena.mutate { _, root in root.pairs[0] = nil }
        _ = try Self.grow(arena, slot: 1, count: 10_000)
        let peak = try Self.churn(arena, rounds: 1_000)
        // Live: the 10,000-pair structure. The dropped 40,000 pairs must be gone.
        #expect(arena.metrics.heapBytes < 15_000 * pair, "heap \(arena.metrics.heapBytes / pair) pairs")
        #expect(peak < 90_000 * pair, "peak \(peak / pair) pairs")
        // Once the fallback's full collection traced less than the bad one, minors resume.
        let minors = arena.metrics.minorCollections
        _ = try Self.churn(arena, rounds: 200)
        #expect(arena.metrics.minorCollections > minors)
        let report = arena.verifyHeap()
        #expect(report.isValid, "\(report.violations)")
    }

    /// A live set whose objects are replaced slowly (they die old, so only majors free them):
    /// the heap stays within a small factor of the live set for as long as the program runs,
    /// whether majors are good or bad.
    @Test func heapOfOldGarbageStaysBounded() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = Self.pacing
        arena.setCollectorMode(.generational)
        let live = 3_000
        try arena.mutate { mc, root in
            root.pairs = [nil, nil, try mc.allocate(Pair(0))]
            for i in 0..<live { root.pairs.append(try mc.allocate(Pair(i))) }
        }
        let pair = Self.pairBytes(arena)
        var seed: UInt64 = 7
        var peak = 0
        for round in 0..<3_000 {
            try arena.mutate { mc, root in
                for _ in 0..<10 {
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    let slot = 3 + Int((seed >> 33) % UInt64(live))
                    root.pairs[slot] = try mc.allocate(Pair(round, root.pairs[2]))
                }
                for i in 0..<30 { _ = try mc.allocate(Pair(i)) }
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.heapBytes)
            if round % 500 == 0 {
                let report = arena.verifyHeap()
                #expect(report.isValid, "\(report.violations)")
            }
        }
        #expect(arena.metrics.majorCollections > 3)
        #expect(peak < 3 * live * pair, "peak \(peak / pair) pairs for \(live) live")
    }

    /// A heap that only grows: every major is bad, the collector falls back to full
    /// collections spaced by `pause` (few of them, not one per minor threshold), and the
    /// structure stays intact and verifiable throughout.
    @Test func growingHeapFallsBackToFewFullCollections() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = Self.pacing
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in root.pairs = [nil, nil, try mc.allocate(Pair(0))] }
        _ = try Self.grow(arena, slot: 0, count: 60_000, verifyEvery: 50)
        let m = arena.metrics
        #expect(m.badMajorCollections >= 1)
        // Growth from ~8 KiB to ~3 MiB: doubling each time is about a dozen full collections.
        #expect(m.majorCollections < 20, "\(m.majorCollections) majors")
        let length = arena.leftChainLength(slot: 0)
        #expect(length == 60_000)
    }

    /// `collectGenerationalStep`: debt 0 collects at once (minor); a small debt does not reach
    /// the next collection, a huge one does; after a bad major, a step runs the fallback.
    @Test func explicitStepFollowsPUC() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = Self.pacing
        arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in root.pairs = [nil, nil, try mc.allocate(Pair(0))] }
        var m = arena.metrics
        #expect(arena.collectGenerationalStep(debt: 0) == false)
        #expect(arena.metrics.minorCollections == m.minorCollections + 1)
        m = arena.metrics
        #expect(arena.collectGenerationalStep(debt: 1) == false)
        #expect(arena.metrics.cyclesCompleted == m.cyclesCompleted)
        #expect(arena.collectGenerationalStep(debt: 1 << 40) == false)
        #expect(arena.metrics.cyclesCompleted == m.cyclesCompleted + 1)
        // Grow until a major is bad; then the next step is a full (fallback) collection.
        var guardRounds = 0
        while arena.metrics.badMajorCollections == 0 && guardRounds < 1_000 {
            _ = try Self.grow(arena, slot: 0, count: 1_000)
            guardRounds += 1
        }
        #expect(arena.metrics.badMajorCollections > 0)
        m = arena.metrics
        // Still growing: the fallback traces more than 9/8 of the bad one, stays bad, and PUC
        // answers true (its collector ends in the incremental pause).
        _ = try Self.grow(arena, slot: 0, count: m.objectCount)
        if arena.metrics.badMajorCollections == m.badMajorCollections {
            m = arena.metrics
            #expect(arena.collectGenerationalStep(debt: 0) == true)
            #expect(arena.metrics.majorCollections == m.majorCollections + 1)
            #expect(arena.metrics.minorCollections == m.minorCollections)
        }
        // The structure goes: the next fallback is good, and steps are minor again.
        arena.mutate { _, root in root.pairs[0] = nil }
        #expect(arena.collectGenerationalStep(debt: 0) == false)
        m = arena.metrics
        #expect(arena.collectGenerationalStep(debt: 0) == false)
        #expect(arena.metrics.minorCollections == m.minorCollections + 1)
        #expect(arena.verifyHeap().isValid)
    }

    /// The multipliers change the pacing: a larger minor multiplier means fewer minor
    /// collections for the same allocation, a smaller major multiplier more majors.
    @Test func multipliersChangeThePacing() throws {
        func run(minor: Int, major: Int) throws -> GCMetrics {
            let arena = Arena<Slots> { _ in Slots() }
            arena.pacing = GCPacing(minimumSleep: 1024, minorMultiplier: minor, majorMultiplier: major)
            arena.setCollectorMode(.generational)
            try arena.mutate { mc, root in root.pairs = [nil, nil, try mc.allocate(Pair(0))] }
            _ = try Self.grow(arena, slot: 0, count: 5_000)
            var seed: UInt64 = 1
            for round in 0..<2_000 {
                try arena.mutate { mc, root in
                    // Replace a slot of the live list's head region: old garbage accrues.
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    root.pairs.append(try mc.allocate(Pair(round)))
                    if root.pairs.count > 400 { root.pairs.remove(at: 3 + Int((seed >> 33) % 397)) }
                    for i in 0..<20 { _ = try mc.allocate(Pair(i)) }
                }
                arena.collectDebt()
            }
            return arena.metrics
        }
        let base = try run(minor: 20, major: 100)
        let lazyMinor = try run(minor: 100, major: 100)
        let eagerMajor = try run(minor: 20, major: 10)
        #expect(lazyMinor.minorCollections * 2 < base.minorCollections,
                "\(lazyMinor.minorCollections) vs \(base.minorCollections)")
        #expect(eagerMajor.majorCollections > base.majorCollections * 2,
                "\(eagerMajor.majorCollections) vs \(base.majorCollections)")
    }
}
