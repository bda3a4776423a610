import GCArena

/// The collector's pause times under a steady load, for the histogram in papers/gcarena.md.
///
/// A live set of `slots` small trees (7 objects each) is kept in the root; every step one
/// `mutate` call replaces `perStep` random trees with new ones (the old ones become
/// garbage), then the host pays the collector's debt with `collectDebt()`. Each such call is
/// one pause and is timed from outside. For comparison the same heap is then collected with
/// `collectAll()` (a stop-the-world full cycle) a few times.
enum PauseRecorder {
    struct Forest: Collect {
        var trees: [Gc<Pair>?]
        func trace(_ tracer: inout Tracer) { tracer.trace(trees) }
    }

    static func run(steps: Int = 4_000, slots: Int = 20_000, perStep: Int = 200) throws -> (incremental: [Int64], full: [Int64]) {
        let arena = Arena<Forest> { _ in Forest(trees: Array(repeating: nil, count: slots)) }
        var rng = SplitMix64(seed: 0x6D6F_6F6E)
        var pauses: [Int64] = []
        pauses.reserveCapacity(steps)
        for _ in 0..<steps {
            try arena.mutate { mc, forest in
                for _ in 0..<perStep {
                    let i = Int(rng.next() % UInt64(slots))
                    forest.trees[i] = try tree(mc, depth: 2, id: i)
                }
            }
            let t0 = MonotonicClock.nanoseconds()
            arena.collectDebt()
            pauses.append(MonotonicClock.nanoseconds() - t0)
        }
        var full: [Int64] = []
        for _ in 0..<10 {
            let t0 = MonotonicClock.nanoseconds()
            arena.collectAll()
            full.append(MonotonicClock.nanoseconds() - t0)
        }
        return (pauses, full)
    }

    static func tree(_ mc: borrowing Mutation, depth: Int, id: Int) throws(GCAllocationError) -> Gc<Pair> {
        if depth == 0 { return try mc.allocate(Pair(id: id, left: nil, right: nil)) }
        let l = try tree(mc, depth: depth - 1, id: id)
        let r = try tree(mc, depth: depth - 1, id: id)
        return try mc.allocate(Pair(id: id, left: l, right: r))
    }

    /// Prints one line per pause: `incremental <ns>` or `full <ns>`.
    static func printSamples() throws {
        let (incremental, full) = try run()
        for p in incremental { print("incremental \(p)") }
        for p in full { print("full \(p)") }
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
