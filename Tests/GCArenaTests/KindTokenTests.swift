import Testing
@testable import GCArena

/// The kind byte in the header of `object`'s block.
private func headerKind<T>(_ object: Gc<T>) -> UInt8 { _ObjectRef(payload: object._raw).kind }

/// Allocates `Pair(1)` plainly, then `Pair(2)` through `first` and `Pair(3)` with a tail
/// through `second`, a chain in `pairs[0]`; checks that all three have `Pair`'s kind and that
/// the chain survives a full collection with the heap verified.
private func allocateChainThroughTokens(_ arena: Arena<Slots>, _ first: GCKind<Pair>, _ second: GCKind<Pair>) throws {
    try arena.mutate { mc, root in
        let plain = try mc.allocate(Pair(1))
        let viaFirst = try mc.allocateInline(Pair(2, plain), kind: first)
        let viaSecond = try mc.allocateInline(Pair(3, viaFirst), tailBytes: 40, kind: second)
        #expect(headerKind(viaFirst) == headerKind(plain))
        #expect(headerKind(viaSecond) == headerKind(plain))
        root.pairs = [viaSecond]
    }
    arena.collectAll()
    #expect(arena.leftChainLength(slot: 0) == 3)
    #expect(arena.verifyHeap().isValid)
}

@Suite struct KindTokenTests {
    @Test func aTokenGivesTheKindAPlainAllocationGets() throws {
        let arena = Arena<Slots> { _ in Slots() }
        let token = arena.mutate { mc, _ in mc.kind(of: Pair.self) }
        try allocateChainThroughTokens(arena, token, token)
        arena.mutate { _, root in
            #expect(UInt8(truncatingIfNeeded: token.bits) == headerKind(root.pairs[0]!))
        }
    }

    /// A token made by one arena names a kind of that arena's table; another arena must
    /// ignore it, or a `Pair` there would be traced as whatever type holds that kind.
    @Test func anotherArenasTokenIsIgnored() throws {
        let first = Arena<Slots> { _ in Slots() }
        let foreign = try first.mutate { mc, root in
            root.nodes = [try mc.allocate(Node(id: 0))]   // Node takes the first free kind here
            return mc.kind(of: Pair.self)
        }
        let second = Arena<Slots> { _ in Slots() }
        try second.mutate { mc, root in
            _ = try mc.allocate(Pair(0))                  // Pair takes the first free kind here
            root.nodes = [try mc.allocate(Node(id: 0))]
            #expect(UInt8(truncatingIfNeeded: foreign.bits) == headerKind(root.nodes[0]))
        }
        try allocateChainThroughTokens(second, foreign, .unresolved)
    }

    @Test func aTokenAllocationStillMeetsTheMemoryLimit() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.memoryLimit = 16 * 1024
        var allocated = 0
        let error = #expect(throws: GCAllocationError.self) {
            try arena.mutate { mc, root in
                let token = mc.kind(of: Pair.self)
                while true {
                    root.pairs.append(try mc.allocateInline(Pair(allocated), tailBytes: 64, kind: token))
                    allocated += 1
                }
            }
        }
        #expect(error == .memoryLimitExceeded(requested: _tailBlockSize(Pair.self, tailBytes: 64), limit: 16 * 1024))
        #expect(allocated > 0 && arena.mutate { _, root in root.pairs.count } == allocated)
        #expect(arena.metrics.liveBytes <= 16 * 1024)
        #expect(arena.verifyHeap().isValid)
    }
}
