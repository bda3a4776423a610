// The landing page example of GCSequence.docc, verbatim (types prefixed `Doc` to keep them
// apart from the other tests' types). If this stops compiling, fix the docs too.
import GCArena
import GCSequence
import Testing

struct DocNode: Collect {
    var value: Int
    var next: Gc<DocNode>?
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

struct DocRoot: Collect {
    var list: Gc<DocNode>?
    func trace(_ tracer: inout Tracer) { tracer.trace(list) }
}

/// Everything the computation remembers between steps. It is traced, so it may hold handles.
struct DocWalk: Collect {
    var head: Gc<DocNode>?
    var count = 0
    var sum = 0
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

/// Builds an `n`-node list one node per fuel unit, then sums it one node per unit.
func docBuildAndSum(_ n: Int) -> some Stepper<Int, GCAllocationError> {
    let build = Steps.loop(DocWalk()) { (mc, s: inout DocWalk) throws(GCAllocationError) -> LoopControl<Gc<DocNode>?> in
        if s.count == n { return .break(s.head) }
        s.count += 1
        s.head = try mc.allocate(DocNode(value: s.count, next: s.head))
        return .continue
    }
    // The list reaches the next loop as a parameter, never as a captured variable.
    return build.andThen { _, head in
        Steps.loop(DocWalk(head: head)) { (_, s: inout DocWalk) throws(GCAllocationError) -> LoopControl<Int> in
            guard let node = s.head else { return .break(s.sum) }
            s.sum += node.value.value
            s.head = node.value.next          // the summed prefix is garbage from here on
            return .continue
        }
    }
}

@Suite struct DocExampleTests {
    @Test func landingPageExample() throws {
        let arena = Arena<DocRoot> { _ in DocRoot() }
        let driver = try Driver(arena, slice: 1_000) { _, _ in docBuildAndSum(100_000) }
        let sum = try driver.run()                                 // 5000050000
        #expect(sum == 5_000_050_000)
        #expect(arena.metrics.cyclesCompleted > 0)                 // collected between steps
    }

    @Test func landingPageAsyncExample() async throws {
        let arena = Arena<DocRoot> { _ in DocRoot() }

        // The same computation, resumed after an async fetch, driven from async code.
        let fetched = try Driver(arena, slice: 1_000) { _, _ in
            Steps.async { () async -> Int in 1_000 }                // e.g. a network read
                .setFailureType(to: GCAllocationError.self)
                .andThen { _, n in docBuildAndSum(n) }
        }
        #expect(try await fetched.run() == 500_500)
    }
}
