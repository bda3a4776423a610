import Testing
@testable import GCArena

/// The kind byte in the header of `object`'s block.
private func headerKind<T>(_ object: Gc<T>) -> UInt8 { _ObjectRef(payload: object._raw).kind }

@Suite struct KindTokenTests {
    @Test func aTokenGivesTheKindAPlainAllocationGets() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, root in
            let token = mc.kind(of: Pair.self)
            let plain = try mc.allocate(Pair(1))
            let viaToken = try mc.allocateInline(Pair(2, plain), kind: token)
            let withTail = try mc.allocateInline(Pair(3, viaToken), tailBytes: 40, kind: token)
            #expect(headerKind(viaToken) == headerKind(plain))
            #expect(headerKind(withTail) == headerKind(plain))
            #expect(UInt8(truncatingIfNeeded: token.bits) == headerKind(plain))
            root.pairs = [withTail]
        }
        arena.collectAll()
        #expect(arena.leftChainLength(slot: 0) == 3)
        #expect(arena.verifyHeap().isValid)
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
            let plain = try mc.allocate(Pair(1))             // Pair takes the first free kind here
            root.nodes = [try mc.allocate(Node(id: 0))]
            let viaForeign = try mc.allocateInline(Pair(2, plain), kind: foreign)
            let viaUnresolved = try mc.allocateInline(Pair(3, viaForeign), kind: .unresolved)
            #expect(UInt8(truncatingIfNeeded: foreign.bits) == headerKind(root.nodes[0]))
            #expect(headerKind(viaForeign) == headerKind(plain))
            #expect(headerKind(viaUnresolved) == headerKind(plain))
            root.pairs = [viaUnresolved]
        }
        second.collectAll()
        #expect(second.leftChainLength(slot: 0) == 3)
        #expect(second.verifyHeap().isValid)
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
