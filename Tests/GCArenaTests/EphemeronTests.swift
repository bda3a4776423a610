import Testing
@testable import GCArena

/// An ephemeron table like Lua's `__mode = "k"`: a value is kept only while its key is
/// reachable from outside the table; entries with dead keys are cleared in the window.
struct EphemeronTable: Collect {
    var entries: [(key: GcWeak<Pair>, value: Gc<Pair>)] = []

    func trace(_ tracer: inout Tracer) {
        var pending = false
        for entry in entries {
            tracer.traceWeak(entry.key)
            if tracer.isMarked(entry.key) { tracer.trace(entry.value) } else { pending = true }
        }
        if pending { tracer.retraceAfterPropagation() }
    }
}

struct EphemeronRoot: Collect {
    var table: Gc<EphemeronTable>
    var keys: [Gc<Pair>] = []
    func trace(_ tracer: inout Tracer) {
        tracer.trace(table)
        tracer.trace(keys)
    }
}

@Suite struct EphemeronTests {
    /// k0 reachable; the table maps k0 -> k1, k1 -> k2, ..., k8 -> k9 (inserted backwards, so
    /// each pass can only discover one more link), plus an unreachable key 99 -> 100.
    static func installChain(_ mc: borrowing Mutation, _ root: inout EphemeronRoot) throws {
        var keys: [Gc<Pair>] = []
        for i in 0..<10 { keys.append(try mc.allocate(Pair(i))) }
        var entries: [(key: GcWeak<Pair>, value: Gc<Pair>)] = []
        for i in (0..<9).reversed() { entries.append((keys[i].downgrade(), keys[i + 1])) }
        let orphan = try mc.allocate(Pair(99))
        entries.append((orphan.downgrade(), try mc.allocate(Pair(100))))
        root.table.write(mc).value.entries = entries
        root.keys = [keys[0]]
    }

    func makeArena() throws -> Arena<EphemeronRoot> {
        let arena = try Arena<EphemeronRoot> { mc in EphemeronRoot(table: try mc.allocate(EphemeronTable())) }
        arena.finalizationHook = { fc, root in
            // Clear entries whose keys died, as Lua does for weak-keyed tables.
            let table = root.table
            let mc = fc.mutation
            let live = table.value.entries.filter { !fc.isDead($0.key) }
            table.write(mc).value.entries = live
        }
        return arena
    }

    @Test func valueLivesWhileKeyIsReachable() throws {
        let arena = try makeArena()
        try arena.mutate { mc, root in
            let k1 = try mc.allocate(Pair(1))
            let k2 = try mc.allocate(Pair(2))
            root.keys = [k1]
            root.table.write(mc).value.entries = [
                (k1.downgrade(), try mc.allocate(Pair(10))),
                (k2.downgrade(), try mc.allocate(Pair(20))),
            ]
        }
        arena.collectAll()
        let values = arena.mutate { _, root in root.table.value.entries.map { $0.value.value.id } }
        #expect(values == [10])
        #expect(arena.verifyHeap().isValid)
    }

    @Test func valueThatReferencesItsOwnKeyDoesNotKeepIt() throws {
        let arena = try makeArena()
        try arena.mutate { mc, root in
            let k = try mc.allocate(Pair(1))
            // value -> key: in a strong table this cycle would live forever.
            root.table.write(mc).value.entries = [(k.downgrade(), try mc.allocate(Pair(10, k)))]
        }
        arena.collectAll()
        #expect(arena.mutate { _, root in root.table.value.entries.count } == 0)
        arena.collectAll()
        #expect(arena.metrics.objectCount == 1)  // only the table
    }

    @Test func chainsOfEphemeronsConvergeToAFixpoint() throws {
        let arena = try makeArena()
        try arena.mutate { mc, root in try Self.installChain(mc, &root) }
        arena.collectAll()
        let ids = arena.mutate { _, root in root.table.value.entries.map { $0.value.value.id }.sorted() }
        #expect(ids == Array(1...9))
        #expect(arena.verifyHeap().isValid)
    }
}
