import Testing
@testable import GCArena

@Suite struct MemoryLimitTests {
    @Test func allocationPastTheLimitFailsCleanly() throws {
        let arena = Arena<Slots> { _ in Slots() }
        arena.memoryLimit = 64 * 1024
        var allocated = 0
        let error = arena.mutate { mc, root -> GCAllocationError? in
            do {
                while true {
                    root.pairs.append(try mc.allocate(Pair(allocated)))
                    allocated += 1
                }
            } catch let error as GCAllocationError {
                return error
            } catch {
                return nil
            }
        }
        guard case .memoryLimitExceeded(_, let limit)? = error else {
            Issue.record("expected a limit error, got \(String(describing: error))")
            return
        }
        #expect(limit == 64 * 1024)
        #expect(arena.metrics.liveBytes <= 64 * 1024)
        #expect(arena.verifyHeap().isValid)
        // Everything allocated before the failure is intact; freeing makes room again.
        #expect(arena.mutate { _, root in root.pairs.count } == allocated)
        arena.mutate { _, root in root.pairs.removeAll() }
        arena.collectAll()
        #expect(throws: Never.self) { try arena.mutate { mc, _ in _ = try mc.allocate(Pair(0)) } }
    }

    @Test func externalMemoryCountsTowardTheLimitAndIsReleased() throws {
        struct Buffer: Collect {
            var bytes: Int
            static var needsTrace: Bool { false }
            static var ownsExternalMemory: Bool { true }
            func trace(_ tracer: inout Tracer) {}
            mutating func releaseExternalMemory() -> Int { bytes }
        }
        let arena = Arena<Slots> { _ in Slots() }
        arena.memoryLimit = 1 << 20
        try arena.mutate { mc, _ in
            try mc.reportExternalMemory(512 * 1024)
            _ = try mc.allocate(Buffer(bytes: 512 * 1024))
        }
        #expect(arena.metrics.externalBytes == 512 * 1024)
        let failed = arena.mutate { mc, _ in
            (try? mc.reportExternalMemory(600 * 1024)) == nil
        }
        #expect(failed)
        #expect(arena.metrics.externalBytes == 512 * 1024)
        arena.collectAll()
        #expect(arena.metrics.externalBytes == 0)
    }
}
