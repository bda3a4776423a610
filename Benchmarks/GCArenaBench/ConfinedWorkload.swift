// The same list workload on `Gc` handles and on `Confined` handles, for a paired
// whole-process comparison, plus the disassembly probes of papers/gcarena-static-branding.md:
//
//     gcarena-bench --workload gc 200              # Arena + Gc
//     gcarena-bench --workload confined 200        # ConfinedArena + Confined
//     gcarena-bench --workload stack-gc 200        # a value stack: Swift Array in the root
//     gcarena-bench --workload stack-confined 200  # the same on a ConfinedVector
//
// A list round builds a 10,000-cell list in one `mutate`, sums it 20 times in later ones,
// reverses it into a fresh list (garbage for the collector) and pays the debt in between.
// A stack round pushes 10,000 tagged values (every other one a fresh cell) onto the root's
// stack and pops them all, summing, the way an interpreter uses its argument stack.
import GCArena

// MARK: - The same two types twice: with `Gc` and with `Confined` handles

struct GPair: Collect {
    var id: Int
    var left: Gc<GPair>?
    func trace(_ tracer: inout Tracer) { tracer.trace(left) }
}

struct GRoot: Collect {
    var head: Gc<GPair>?
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

struct CPair: ConfinedCollect, ~Escapable {
    var id: Int
    var left: Optional<Confined<CPair>>
    @_lifetime(copy left)
    init(id: Int, left: Optional<Confined<CPair>>) { self.id = id; self.left = left }
    func trace(_ tracer: inout Tracer) { tracer.trace(left) }
}

struct CRoot: ConfinedCollect, ~Escapable {
    var head: Optional<Confined<CPair>>
    var stack: Optional<Confined<ConfinedVector<CValue>>>
    @_lifetime(immortal) init() { head = nil; stack = nil }
    func trace(_ tracer: inout Tracer) {
        tracer.trace(head)
        tracer.trace(stack)
    }
}

enum GValue: Collect, BitwiseCopyable {
    case int(Int)
    case pair(Gc<GPair>)
    func trace(_ tracer: inout Tracer) { if case .pair(let p) = self { tracer.trace(p) } }
}

enum CValue: ConfinedCollect, BitwiseCopyable, ~Escapable {
    case int(Int)
    case pair(Confined<CPair>)
    func trace(_ tracer: inout Tracer) { if case .pair(let p) = self { tracer.trace(p) } }
}

struct GStackRoot: Collect {
    var stack: [GValue] = []
    func trace(_ tracer: inout Tracer) { tracer.trace(stack) }
}

// MARK: - Disassembly probes: one list traversal three ways

/// Sums a list through `Gc` handles.
@inline(never) @_silgen_name("moonlet_probe_sum_gc")
func probeSumGc(_ head: Gc<GPair>?) -> Int {
    var sum = 0
    var p = head
    while let q = p { sum &+= q.value.id; p = q.value.left }
    return sum
}

/// Sums a list through `Confined` handles.
@inline(never) @_silgen_name("moonlet_probe_sum_confined")
func probeSumConfined(_ head: Optional<Confined<CPair>>) -> Int {
    var sum = 0
    var p = head
    while let q = p { sum &+= q.value.id; p = q.value.left }
    return sum
}

/// Sums the same layout through raw pointers: `id` at offset 0, `left` at offset 8.
@inline(never) @_silgen_name("moonlet_probe_sum_raw")
func probeSumRaw(_ head: UnsafeRawPointer?) -> Int {
    var sum = 0
    var p = head
    // SAFETY: `p` walks payloads of live list cells whose layout is (Int, pointer?).
    while let q = p { sum &+= q.load(as: Int.self); p = q.load(fromByteOffset: 8, as: UnsafeRawPointer?.self) }
    return sum
}

/// Allocates a confined cell (checked by check-no-arc.sh like the `Gc` allocation probe).
@inline(never) @_silgen_name("moonlet_probe_allocate_confined") @_lifetime(copy mc)
func probeAllocateConfined(_ mc: borrowing Mutation, _ id: Int,
                           _ left: Optional<Confined<CPair>>) throws(GCAllocationError) -> Confined<CPair> {
    try mc.allocate(CPair(id: id, left: left))
}

/// Writes a field of a confined cell through the barrier.
@inline(never) @_silgen_name("moonlet_probe_write_confined")
func probeWriteConfined(_ mc: borrowing Mutation, _ p: Confined<CPair>, _ q: Optional<Confined<CPair>>) {
    p.write(mc).value.left = q
}

// MARK: - Workload

enum ListWorkload {
    static let cells = 10_000
    static let sums = 20

    static func runGc(rounds: Int) throws -> Int {
        let arena = Arena<GRoot> { _ in GRoot() }
        var check = 0
        for _ in 0..<rounds {
            try arena.mutate { mc, root in
                var head: Gc<GPair>? = nil
                for i in 0..<cells { head = try mc.allocate(GPair(id: i, left: head)) }
                root.head = head
            }
            arena.collectDebt()
            for _ in 0..<sums { check &+= arena.mutate { _, root in probeSumGc(root.head) } }
            try arena.mutate { mc, root in
                var reversed: Gc<GPair>? = nil
                var p = root.head
                while let q = p { reversed = try mc.allocate(GPair(id: q.value.id, left: reversed)); p = q.value.left }
                root.head = reversed
            }
            arena.collectDebt()
        }
        return check
    }

    static func runStackGc(rounds: Int) throws -> Int {
        let arena = Arena<GStackRoot> { _ in GStackRoot() }
        var check = 0
        for _ in 0..<rounds {
            check &+= try arena.mutate { mc, root in
                for i in 0..<cells {
                    root.stack.append(i & 1 == 0 ? .int(i) : .pair(try mc.allocate(GPair(id: i, left: nil))))
                }
                var sum = 0
                while let v = root.stack.popLast() {
                    switch v {
                    case .int(let n): sum &+= n
                    case .pair(let p): sum &+= p.value.id
                    }
                }
                return sum
            }
            arena.collectDebt()
        }
        return check
    }

    static func runStackConfined(rounds: Int) throws -> Int {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        try arena.mutate { mc, root in root.write(mc).value.stack = try mc.allocate(ConfinedVector<CValue>()) }
        var check = 0
        for _ in 0..<rounds {
            check &+= try arena.mutate { mc, root in
                guard let stack = root.value.stack else { return 0 }
                for i in 0..<cells {
                    try stack.append(i & 1 == 0 ? .int(i) : .pair(try mc.allocate(CPair(id: i, left: nil))), mc)
                }
                var sum = 0
                while let v = stack.removeLast() {
                    switch v {
                    case .int(let n): sum &+= n
                    case .pair(let p): sum &+= p.value.id
                    }
                }
                return sum
            }
            arena.collectDebt()
        }
        return check
    }

    static func runConfined(rounds: Int) throws -> Int {
        let arena = try ConfinedArena<CRoot> { _ in CRoot() }
        var check = 0
        for _ in 0..<rounds {
            try arena.mutate { mc, root in
                var head: Optional<Confined<CPair>> = nil
                for i in 0..<cells { head = try mc.allocate(CPair(id: i, left: head)) }
                root.write(mc).value.head = head
            }
            arena.collectDebt()
            for _ in 0..<sums { check &+= arena.mutate { _, root in probeSumConfined(root.value.head) } }
            try arena.mutate { mc, root in
                var reversed: Optional<Confined<CPair>> = nil
                var p = root.value.head
                while let q = p { reversed = try mc.allocate(CPair(id: q.value.id, left: reversed)); p = q.value.left }
                root.write(mc).value.head = reversed
            }
            arena.collectDebt()
        }
        return check
    }
}
