import Testing
import GCArena

/// The landing-page example of GCArena.docc, verbatim apart from the final assertions.
@Suite struct DocumentationExampleTests {
    struct Node: Collect {
        var value: Int
        var next: Gc<Node>?
        func trace(_ tracer: inout Tracer) { tracer.trace(next) }
    }

    struct Root: Collect {
        var list: Gc<Node>?
        var cache: [GcWeak<Node>] = []
        func trace(_ tracer: inout Tracer) {
            tracer.trace(list)
            tracer.trace(cache)
        }
    }

    @Test func landingPageExampleRuns() throws {
        let arena = Arena<Root> { _ in Root(list: nil) }
        try arena.mutate { mc, root in
            let first = try mc.allocate(Node(value: 0, next: nil))
            var last = first
            for i in 1..<1000 {
                let node = try mc.allocate(Node(value: i, next: nil))
                last.write(mc).value.next = node
                last = node
                if i % 100 == 0 { root.cache.append(node.downgrade()) }
            }
            last.write(mc).value.next = first
            root.list = first
        }
        arena.collectDebt()
        arena.mutate { _, root in root.list = nil }
        arena.collectAll()
        let survivors = arena.mutate { mc, root in root.cache.compactMap { $0.upgrade(mc) }.count }
        #expect(survivors == 0)
        #expect(arena.metrics.objectCount == 9)
    }

    @Test func generationalSectionRuns() throws {
        let arena = Arena<Root> { _ in Root(list: nil) }
        arena.pacing = GCPacing(minorMultiplier: 20, majorMultiplier: 100)
        try arena.mutate { mc, root in
            for i in 0..<20_000 { root.list = try mc.allocate(Node(value: i, next: root.list)) }
        }
        let previous = arena.setCollectorMode(.generational)
        try arena.mutate { mc, root in
            for i in 0..<10_000 { _ = try mc.allocate(Node(value: i, next: nil)) }
        }
        arena.collectDebt()
        arena.collectMinor()
        arena.collectAll()
        #expect(previous == .incremental)
        #expect(arena.metrics.minorCollections == 2)
        #expect(arena.metrics.majorCollections == 2)
        arena.setCollectorMode(.incremental)
        #expect(arena.collectorMode == .incremental)
        #expect(arena.verifyHeap().isValid)
    }
}
