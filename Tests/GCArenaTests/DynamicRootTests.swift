import Testing
@testable import GCArena

@Suite struct DynamicRootTests {
    @Test func stashedObjectsLiveUntilTheRootIsDropped() throws {
        let arena = Arena<Slots> { _ in Slots() }
        var stashed: DynamicRoot<Pair>? = try arena.mutate { mc, _ in
            mc.stash(try mc.allocate(Pair(5, try mc.allocate(Pair(6)))))
        }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 2)
        let id = arena.mutate { mc, _ in mc.fetch(stashed!).value.left!.value.id }
        #expect(id == 6)
        #expect(arena.mutate { mc, _ in mc.dynamicRootCount } == 1)
        stashed = nil
        arena.collectAll()
        #expect(arena.metrics.objectCount == 0)
        #expect(arena.mutate { mc, _ in mc.dynamicRootCount } == 0)
    }

    @Test func rootsSurviveIncrementalCycles() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.pacing = .stress
        var roots: [DynamicRoot<Pair>] = []
        for i in 0..<200 {
            try arena.mutate { mc, _ in
                _ = try mc.allocate(Pair(-i))
                roots.append(mc.stash(try mc.allocate(Pair(i))))
            }
            arena.collectDebt()
        }
        let ids = arena.mutate { mc, _ in roots.map { mc.fetch($0).value.id } }
        #expect(ids == Array(0..<200))
        #expect(arena.verifyHeap().isValid)
    }

    @Test func fetchingARootFromAnotherArenaTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Arena<Slots> { _ in Slots() }
            let b = Arena<Slots> { _ in Slots() }
            let root = try a.mutate { mc, _ in mc.stash(try mc.allocate(Pair(1))) }
            b.mutate { mc, _ in _ = mc.fetch(root) }
        }
        #expect(result.map { String(decoding: $0.standardErrorContent, as: UTF8.self).contains("fetched in arena") } == true)
    }
}
