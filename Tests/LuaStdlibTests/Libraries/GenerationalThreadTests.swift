import Testing
import GCArena
import LuaCore
import LuaStdlib

// PUC keeps every thread gray in generational mode (`lgc.c`, threads go back to `grayagain`
// after each collection) because the VM writes stacks without barriers. Moonlet instead
// applies a barrier to a thread whenever it is left alone with the collector (`VM.settle`:
// at the end of a slice, and on the thread left by each resume, yield, return or error), so
// an old coroutine that received a young value in its registers is re-traced by the next
// minor collections. These tests would catch a missing old-thread → young-value edge: the
// heap verifier reports an old object pointing to a young one, and the value would be freed.
@Suite struct GenerationalThreadTests {
    static func state() -> Lua {
        let lua = Lua.full()
        lua.collectorMode = .generational
        return lua
    }

    static func minorsUnderTheVerifier(_ lua: Lua, _ count: Int = 4) {
        for _ in 0..<count {
            lua.arena.collectMinor()
            let report = lua.arena.verifyHeap()
            #expect(report.isValid, "\(report.violations)")
        }
    }

    /// The coroutine is old (a full collection ran while it was suspended); resumed, it makes
    /// a fresh table that only its own register holds, and yields.
    @Test func freshTableInAnOldCoroutinesRegisterSurvivesMinors() throws {
        let lua = Self.state()
        try lua.run("""
            co = coroutine.create(function()
              local n = 0
              while true do
                n = n + 1
                local fresh = {n = n, s = "v" .. n}
                coroutine.yield()
                assert(fresh.n == n and fresh.s == "v" .. n)
              end
            end)
            assert(coroutine.resume(co))
            """)
        lua.arena.collectAll()
        let report = lua.arena.verifyHeap()
        #expect(report.isValid, "\(report.violations)")
        for _ in 0..<3 {
            try lua.run("assert(coroutine.resume(co))")
            Self.minorsUnderTheVerifier(lua)
        }
        try lua.run("assert(coroutine.resume(co))")
        #expect(lua.metrics.minorCollections >= 12)
    }

    /// The fresh value reaches the old coroutine's stack from outside: as a resume value,
    /// written into the suspended thread by the resumer.
    @Test func resumeValueStoredInAnOldCoroutineSurvivesMinors() throws {
        let lua = Self.state()
        try lua.run("""
            co = coroutine.create(function()
              local kept = {}
              while true do
                local v = coroutine.yield()
                if v then kept[#kept + 1] = v end
                for i, t in ipairs(kept) do assert(t[1] == i) end
              end
            end)
            assert(coroutine.resume(co))
            """)
        lua.arena.collectAll()
        for i in 1...4 {
            try lua.run("assert(coroutine.resume(co, {\(i)}))")
            Self.minorsUnderTheVerifier(lua, 3)
        }
        try lua.run("assert(coroutine.resume(co))")
    }
}
