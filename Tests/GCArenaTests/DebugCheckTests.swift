import Testing
@testable import GCArena

/// The run-time half of the safety contract: what the type system cannot stop, debug
/// builds (GCARENA_DEBUG) catch. Each trapping case runs in a child process.
@Suite struct DebugCheckTests {
    @Test func debugChecksAreCompiledIntoTestBuilds() {
        #if DEBUG
        // Test builds are debug builds, where Package.swift defines GCARENA_DEBUG.
        #expect(MemoryLayout<_ObjectHeader>.size == 32)
        #endif
    }

    #if DEBUG
    @Test func useAfterCollectTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let arena = Arena<Slots> { _ in Slots() }
            // Smuggle a handle out of mutate (the type system cannot stop an escapable handle).
            let leaked = try arena.mutate { mc, _ in try mc.allocate(Pair(1)) }
            arena.collectAll()
            arena.mutate { _, _ in _ = leaked.value.id }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("use of a collected object") } == true)
    }

    @Test func handleUsedOutsideMutateTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let arena = Arena<Slots> { _ in Slots() }
            let leaked = try arena.mutate { mc, root in
                let p = try mc.allocate(Pair(1))
                root.pairs = [p]
                return p
            }
            _ = leaked.value.id
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("handle used outside mutate") } == true)
    }

    @Test func handleUsedWithAnotherArenaTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Arena<Slots> { _ in Slots() }
            let b = Arena<Slots> { _ in Slots() }
            let fromA = try a.mutate { mc, root in
                let p = try mc.allocate(Pair(1))
                root.pairs = [p]
                return p
            }
            b.mutate { mc, _ in _ = fromA.write(mc) }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("used in arena") } == true)
    }

    @Test func leakedHandleThatStayedAliveIsStillUsable() throws {
        // The control case: the same smuggling, but the object is still reachable, so the
        // check passes (what traps above is the collected object, not the smuggling).
        let arena = Arena<Slots> { _ in Slots() }
        let kept = try arena.mutate { mc, root in
            let p = try mc.allocate(Pair(1))
            root.pairs = [p]
            return p
        }
        arena.collectAll()
        #expect(arena.mutate { _, _ in kept.value.id } == 1)
    }
    #endif
}
