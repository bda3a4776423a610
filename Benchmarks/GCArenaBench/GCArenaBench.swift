// Release-mode micro-benchmarks for GCArena: allocation, marking, sweeping, barriers and
// dereference, in nanoseconds per object or per operation.
//
//     swift run -c release gcarena-bench [objects]
//     swift run -c release gcarena-bench --pauses     # pause samples (Benchmarks/gc-pauses.sh)
//
// The @_silgen_name probes below are also what Scripts/check-no-arc.sh disassembles to
// prove the handle and barrier fast paths make no retain/release/exclusivity calls.
import GCArena

struct Pair: Collect {
    var id: Int
    var left: Gc<Pair>?
    var right: Gc<Pair>?
    func trace(_ tracer: inout Tracer) {
        tracer.trace(left)
        tracer.trace(right)
    }
}

struct Root: Collect {
    var head: Gc<Pair>?
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

final class PairClass {
    var id: Int
    var left: PairClass?
    var right: PairClass?
    init(id: Int, left: PairClass?) { self.id = id; self.left = left }
}

// MARK: - Disassembly probes (checked by Scripts/check-no-arc.sh)

@inline(never) @_silgen_name("moonlet_probe_deref")
func probeDeref(_ p: Gc<Pair>) -> Int { p.value.id &+ (p.value.left?.value.id ?? 0) }

@inline(never) @_silgen_name("moonlet_probe_backward_barrier")
func probeBackwardBarrier(_ mc: borrowing Mutation, _ p: Gc<Pair>, _ q: Gc<Pair>?) {
    p.write(mc).value.left = q
}

@inline(never) @_silgen_name("moonlet_probe_forward_barrier")
func probeForwardBarrier(_ mc: borrowing Mutation, _ p: Gc<Pair>, _ q: Gc<Pair>) {
    p.unsafeMutablePointer.pointee.right = q
    mc.forwardBarrier(p, q)
}

@inline(never) @_silgen_name("moonlet_probe_allocate")
func probeAllocate(_ mc: borrowing Mutation, _ id: Int, _ next: Gc<Pair>?) throws(GCAllocationError) -> Gc<Pair> {
    try mc.allocate(Pair(id: id, left: next, right: nil))
}

@inline(never) @_silgen_name("moonlet_probe_weak_upgrade")
func probeWeakUpgrade(_ mc: borrowing Mutation, _ w: GcWeak<Pair>) -> Gc<Pair>? { w.upgrade(mc) }

// MARK: - Timing

enum MonotonicClock {
    static let start = ContinuousClock.now
    static func nanoseconds() -> Int64 {
        let d = start.duration(to: .now)
        return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}

func measure(_ body: () throws -> Void) rethrows -> Double {
    let t0 = MonotonicClock.nanoseconds()
    try body()
    return Double(MonotonicClock.nanoseconds() - t0)
}

func row(_ name: String, _ nanos: Double, _ count: Int) {
    let per = nanos / Double(count)
    let padded = name + String(repeating: " ", count: max(1, 44 - name.count))
    print("\(padded) \(format1(per)) ns")
}

func format1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return "\(r)"
}

@main
struct GCArenaBench {
    static func main() throws {
        if CommandLine.arguments.dropFirst().first == "--pauses" { return try PauseRecorder.printSamples() }
        if CommandLine.arguments.dropFirst().first == "--pauses-young" { return try PauseRecorder.printSamples(young: true) }
        let args = CommandLine.arguments
        if args.count > 2, args[1] == "--workload" {
            let rounds = args.count > 3 ? Int(args[3]) ?? 100 : 100
            switch args[2] {
            case "gc": print(try ListWorkload.runGc(rounds: rounds))
            case "confined": print(try ListWorkload.runConfined(rounds: rounds))
            case "stack-gc": print(try ListWorkload.runStackGc(rounds: rounds))
            case "stack-confined": print(try ListWorkload.runStackConfined(rounds: rounds))
            default: print("unknown workload \(args[2]) (gc, confined, stack-gc, stack-confined)")
            }
            return
        }
        let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
        print("GCArena micro-benchmarks, \(n) objects, release build")
        var best: [String: Double] = [:]
        for _ in 0..<5 { try runOnce(n, into: &best) }
        for key in ["allocate (arena, POD object)", "allocate (Swift class, ARC)", "mark (linked list)",
                    "sweep (garbage)", "full cycle, all garbage", "deref (Gc.value)",
                    "write + backward barrier (not marking)", "write + backward barrier (marking)",
                    "weak upgrade"] {
            if let v = best[key] { row(key, v, 1) }
        }
    }

    static func record(_ best: inout [String: Double], _ key: String, _ nanos: Double, _ count: Int) {
        let per = nanos / Double(count)
        best[key] = min(best[key] ?? .infinity, per)
    }

    static func runOnce(_ n: Int, into best: inout [String: Double]) throws {
        // Both allocation loops run on warm malloc memory: whichever runs first in a
        // fresh process would otherwise pay the page faults for both.
        var keep: PairClass? = nil
        let arc = measure {
            var head: PairClass? = nil
            for i in 0..<n { head = PairClass(id: i, left: head) }
            keep = head
        }
        record(&best, "allocate (Swift class, ARC)", arc, n)
        // Tear the class list down iteratively (recursive deinit would overflow the stack).
        while let k = keep { keep = k.left; k.left = nil }

        // Allocation: a live linked list of n objects.
        let arena = Arena<Root> { _ in Root() }
        let alloc = try measure {
            try arena.mutate { mc, root in
                var head: Gc<Pair>? = nil
                for i in 0..<n { head = try probeAllocate(mc, i, head) }
                root.head = head
            }
        }
        record(&best, "allocate (arena, POD object)", alloc, n)

        // Marking: the whole list is live.
        let mark = measure { arena.finishMarking() }
        record(&best, "mark (linked list)", mark, n)
        arena.finishCycle()

        // Deref: walk the list.
        var sum = 0
        let deref = arena.mutate { _, root in
            measure {
                var p = root.head
                while let q = p { sum &+= probeDeref(q); p = q.value.left }
            }
        }
        record(&best, "deref (Gc.value)", deref / 2, n)  // two loads per step (value + next)

        // Barrier, outside marking: the fast path is one compare.
        let barrier = arena.mutate { mc, root in
            measure {
                var p = root.head
                while let q = p { probeBackwardBarrier(mc, q, q.value.left); p = q.value.left }
            }
        }
        record(&best, "write + backward barrier (not marking)", barrier, n)

        // Barrier during marking: every object is black, so each write re-grays it once.
        arena.collectStep(work: 1)
        arena.collectStep(work: Int.max / 4)  // trace everything but stay before atomic
        let marking = arena.mutate { mc, root in
            measure {
                var p = root.head
                while let q = p { probeBackwardBarrier(mc, q, q.value.left); p = q.value.left }
            }
        }
        record(&best, "write + backward barrier (marking)", marking, n)
        arena.finishCycle()

        let upgrade = arena.mutate { mc, root in
            measure {
                var p = root.head
                while let q = p { sum &+= probeWeakUpgrade(mc, q.downgrade()) == nil ? 0 : 1; p = q.value.left }
            }
        }
        record(&best, "weak upgrade", upgrade, n)

        // Sweep: drop the list; marking finds nothing, the sweep frees n objects.
        arena.mutate { _, root in root.head = nil }
        arena.finishMarking()
        let sweep = measure { arena.finishCycle() }
        record(&best, "sweep (garbage)", sweep, n)

        try arena.mutate { mc, _ in for i in 0..<n { _ = try mc.allocate(Pair(id: i, left: nil, right: nil)) } }
        let full = measure { arena.collectAll() }
        record(&best, "full cycle, all garbage", full, n)
        if sum == 42 { print("") }
    }
}
