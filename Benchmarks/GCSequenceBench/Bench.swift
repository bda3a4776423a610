// GCSequence benchmarks: the same task (build an N-node GC'd list, then sum it) written in the
// three styles papers/gcsequence-styles.md compares, plus the fixed cost of one driver step
// and of one async round trip.
//
//     swift run -c release --scratch-path .build-seq gcsequence-bench
//
// Times are wall-clock medians of 5 runs, in nanoseconds per unit named in each row.

import GCArena
import GCSequence

struct Node: Collect {
    var value: Int
    var next: Gc<Node>?
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

struct Root: Collect {
    var head: Gc<Node>?
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

// MARK: - Style 1: combinators

struct BuildState: Collect {
    var head: Gc<Node>?
    var count = 0
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

struct SumState: Collect {
    var cursor: Gc<Node>?
    var sum = 0
    func trace(_ tracer: inout Tracer) { tracer.trace(cursor) }
}

func buildThenSum(_ n: Int) -> some Stepper<Int, GCAllocationError> {
    let s = Steps.loop(BuildState()) { (mc, s: inout BuildState) throws(GCAllocationError) -> LoopControl<Gc<Node>?> in
        if s.count == n { return .break(s.head) }
        s.count += 1
        s.head = try mc.allocate(Node(value: s.count, next: s.head))
        return .continue
    }
    return s.andThen { _, head in
        Steps.loop(SumState(cursor: head)) { (_, s: inout SumState) throws(GCAllocationError) -> LoopControl<Int> in
            guard let node = s.cursor else { return .break(s.sum) }
            s.sum &+= node.value.value
            s.cursor = node.value.next
            return .continue
        }
    }
}

// MARK: - Style 2: a hand-written state machine

struct BuildAndSum: Stepper {
    var n: Int
    var head: Gc<Node>? = nil
    var count = 0
    var sum = 0
    var summing = false

    init(_ n: Int) { self.n = n }

    mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Int, GCAllocationError> {
        while fuel.shouldContinue {
            fuel.consume()
            if !summing {
                if count == n {
                    summing = true
                    continue
                }
                count += 1
                do { head = try mc.allocate(Node(value: count, next: head)) } catch { return .failed(error) }
            } else {
                // `head` doubles as the cursor: the summed prefix becomes garbage at once.
                guard let node = head else { return .ready(sum) }
                sum &+= node.value.value
                head = node.value.next
            }
        }
        return .pending
    }

    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

// MARK: - Style 3: the async bridge (the list length arrives from an async source)

func fetchedThenSummed(_ n: Int) -> some Stepper<Int, GCAllocationError> {
    Steps.async { () async -> Int in n }
        .setFailureType(to: GCAllocationError.self)
        .andThen { _, n in buildThenSum(n) }
}

// MARK: - Fixed costs

/// Returns pending on every poll: with a one-unit slice, every poll is a whole driver step.
func nullSteps(_ k: Int) -> PollFn<Int, Int, Never> {
    Steps.poll(0) { (_, i: inout Int, _: inout Fuel) -> Poll<Int, Never> in
        i += 1
        return i == k ? .ready(i) : .pending
    }
}

/// `k` async round trips in a row.
func asyncRoundTrips(_ k: Int) -> some Stepper<Int, Never> {
    Steps.repeatUntil(0) { _, i in
        Steps.async { () async -> Int in i + 1 }.map { j in j == k ? LoopStep<Int, Int>.done(j) : .next(j) }
    }
}

// MARK: - Harness

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

nonisolated(nonsending) func measure(_ runs: Int = 5, _ body: () async throws -> Void) async rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        let d = ContinuousClock.now - start
        times.append(Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9)
    }
    return median(times)
}

func fmt(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return String(r)
}

@main
struct Bench {
    static func main() async throws {
        let n = 1_000_000
        let expected = n * (n + 1) / 2
        print("| style | slice | ns/node (build + sum) | steps | peak heap MB |")
        print("|---|---:|---:|---:|---:|")
        for slice in [16, 256, 4_096] {
            for style in ["combinators", "state machine", "async bridge"] {
                var steps = 0
                var peak = 0
                let t = try await measure {
                    let arena = Arena<Root> { _ in Root() }
                    switch style {
                    case "combinators":
                        let d = try Driver(arena, slice: slice) { _, _ in buildThenSum(n) }
                        let r = try d.run(progress: { _ in peak = max(peak, arena.metrics.heapBytes) })
                        precondition(r == expected)
                        steps = d.progress.steps
                    case "state machine":
                        let d = try Driver(arena, slice: slice) { _, _ in BuildAndSum(n) }
                        let r = try d.run(progress: { _ in peak = max(peak, arena.metrics.heapBytes) })
                        precondition(r == expected)
                        steps = d.progress.steps
                    default:
                        let d = try Driver(arena, slice: slice) { _, _ in fetchedThenSummed(n) }
                        let r = try await d.run()
                        precondition(r == expected)
                        steps = d.progress.steps
                        peak = max(peak, arena.metrics.heapBytes)
                    }
                }
                let peakText = style == "async bridge" ? "-" : fmt(Double(peak) / 1_048_576)
                print("| \(style) | \(slice) | \(fmt(t / Double(2 * n))) | \(steps) | \(peakText) |")
            }
        }

        print("")
        print("| fixed cost | ns each |")
        print("|---|---:|")
        let k = 1_000_000
        let nullStep = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1) { _, _ in nullSteps(k) }
            let r = try d.run()
            precondition(r == k)
        }
        print("| driver step, sync run (mutate + poll + collectDebt) | \(fmt(nullStep / Double(k))) |")
        let nullStepAsync = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1) { _, _ in nullSteps(k) }
            let r = try await d.run(yieldInterval: .seconds(3600))
            precondition(r == k)
        }
        print("| driver step, async run, no Task.yield | \(fmt(nullStepAsync / Double(k))) |")
        let kYield = 100_000
        let yielding = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1) { _, _ in nullSteps(kYield) }
            let r = try await d.run(yieldInterval: .zero)
            precondition(r == kYield)
        }
        print("| driver step, async run with Task.yield per step | \(fmt(yielding / Double(kYield))) |")
        let deep = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1) { _, _ in
                nullSteps(k).map { $0 }.map { $0 }.map { $0 }.map { $0 }
                    .map { $0 }.map { $0 }.map { $0 }.map { $0 }
            }
            let r = try d.run()
            precondition(r == k)
        }
        print("| driver step through 8 nested `map`s | \(fmt(deep / Double(k))) |")
        let erased = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1) { _, _ in nullSteps(k).eraseToAnyStepper() }
            let r = try d.run()
            precondition(r == k)
        }
        print("| driver step through `AnyStepper` | \(fmt(erased / Double(k))) |")
        let kAsync = 100_000
        let roundTrip = try await measure {
            let d = try Driver(Arena<Root> { _ in Root() }, slice: 1_000) { _, _ in asyncRoundTrips(kAsync) }
            let r = try await d.run(yieldInterval: .seconds(3600))
            precondition(r == kAsync)
        }
        print("| async request round trip (request, await, resume) | \(fmt(roundTrip / Double(kAsync))) |")
    }
}
