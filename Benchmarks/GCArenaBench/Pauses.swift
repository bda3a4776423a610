import GCArena

/// The collector's pause times under a steady load, for the histogram in papers/gcarena.md.
///
/// A live set of `slots` small trees (7 objects each) is kept in the root; every step one
/// `mutate` call replaces `perStep` random trees with new ones (the old ones become
/// garbage), then the host pays the collector's debt with `collectDebt()`. Each such call is
/// one pause and is timed from outside. For comparison the same heap is then collected with
/// `collectAll()` (a stop-the-world full cycle) a few times. The whole run is done once in
/// incremental mode and once in generational mode (where `collectAll()` is a major collection).
enum PauseRecorder {
    struct Forest: Collect {
        var trees: [Gc<Pair>?]
        func trace(_ tracer: inout Tracer) { tracer.trace(trees) }
    }

    struct Run {
        var pauses: [Int64]
        var full: [Int64]
        /// Wall time of the steps (mutator and collector together).
        var totalNanoseconds: Int64
        var metrics: GCMetrics
    }

    /// `perStep` trees replaced in the live set per step (old objects dying), `temporaries`
    /// trees allocated and dropped at once (young garbage).
    static func run(mode: GCCollectorMode, steps: Int = 4_000, slots: Int = 20_000, perStep: Int = 200,
                    temporaries: Int = 0) throws -> Run {
        let arena = Arena<Forest> { _ in Forest(trees: Array(repeating: nil, count: slots)) }
        arena.setCollectorMode(mode)
        var rng = SplitMix64(seed: 0x6D6F_6F6E)
        var pauses: [Int64] = []
        pauses.reserveCapacity(steps)
        let start = MonotonicClock.nanoseconds()
        for _ in 0..<steps {
            try arena.mutate { mc, forest in
                for _ in 0..<perStep {
                    let i = Int(rng.next() % UInt64(slots))
                    forest.trees[i] = try tree(mc, depth: 2, id: i)
                }
                for i in 0..<temporaries { _ = try tree(mc, depth: 2, id: i) }
            }
            let t0 = MonotonicClock.nanoseconds()
            arena.collectDebt()
            pauses.append(MonotonicClock.nanoseconds() - t0)
        }
        let total = MonotonicClock.nanoseconds() - start
        let metrics = arena.metrics
        var full: [Int64] = []
        for _ in 0..<10 {
            let t0 = MonotonicClock.nanoseconds()
            arena.collectAll()
            full.append(MonotonicClock.nanoseconds() - t0)
        }
        return Run(pauses: pauses, full: full, totalNanoseconds: total, metrics: metrics)
    }

    static func tree(_ mc: borrowing Mutation, depth: Int, id: Int) throws(GCAllocationError) -> Gc<Pair> {
        if depth == 0 { return try mc.allocate(Pair(id: id, left: nil, right: nil)) }
        let l = try tree(mc, depth: depth - 1, id: id)
        let r = try tree(mc, depth: depth - 1, id: id)
        return try mc.allocate(Pair(id: id, left: l, right: r))
    }

    /// Prints one line per pause: `incremental <ns>`, `generational <ns>` (collectDebt calls)
    /// or `full <ns>` (incremental mode's collectAll), and a summary of each mode as comments.
    ///
    /// `young`: the live set changes slowly (10 trees per step) and most allocation is
    /// short-lived (400 temporary trees per step), the case generations are made for.
    static func printSamples(young: Bool = false) throws {
        let (perStep, temporaries) = young ? (10, 400) : (200, 0)
        print("# workload: \(perStep) of 20000 live trees replaced and \(temporaries) temporary trees per step")
        let incremental = try run(mode: .incremental, perStep: perStep, temporaries: temporaries)
        let generational = try run(mode: .generational, perStep: perStep, temporaries: temporaries)
        for (name, r) in [("incremental", incremental), ("generational", generational)] {
            let sorted = r.pauses.sorted()
            let p99 = sorted[Swift.min(sorted.count - 1, sorted.count * 99 / 100)]
            let major = r.full.sorted()[r.full.count / 2]
            print("# \(name): \(r.pauses.count) steps in \(r.totalNanoseconds / 1_000_000) ms"
                  + " (\(r.totalNanoseconds / Int64(r.pauses.count) / 1000) µs per step, mutator included);"
                  + " collectDebt median \(sorted[sorted.count / 2] / 1000) µs, p99 \(p99 / 1000) µs,"
                  + " max \(sorted.last! / 1000) µs; collectAll median \(major / 1000) µs;"
                  + " \(r.metrics.cyclesCompleted) collections (\(r.metrics.minorCollections) minor,"
                  + " \(r.metrics.majorCollections) major), \(r.metrics.tracedObjects) objects traced")
        }
        for p in incremental.pauses { print("incremental \(p)") }
        for p in generational.pauses { print("generational \(p)") }
        for p in incremental.full { print("full \(p)") }
    }
}

/// A small deterministic random number generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
