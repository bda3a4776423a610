import Testing
import LuaCore
import LuaStdlib

// Finalizer rules that the conformance fixture (Fixtures/gc-finalizers.lua, stdout only)
// cannot show: warnings on stderr, closing a state, fuel and memory limits. Expected texts
// were printed by lua5.4 (commands in each test's comment).
@Suite struct FinalizerTests {
    final class Capture { var bytes: [UInt8] = []; var text: String { String(decoding: bytes, as: UTF8.self) } }

    static func state(_ out: Capture, _ warnings: Capture? = nil) -> Lua {
        let lua = Lua.full()
        lua.output = { out.bytes.append(contentsOf: $0) }
        if let warnings { lua.warningSink = { warnings.bytes.append(contentsOf: $0) } }
        return lua
    }

    /// `collectgarbage("generational"/"incremental")` switches the arena itself (at the next
    /// safe point), not only the answer; a young object with `__gc` is finalized by a minor
    /// collection (`collectgarbage("step")`), an old one only by a major (`collectgarbage()`).
    /// Expected output: `lua5.4 -e 'collectgarbage("incremental")' -e "<chunk 1>" -e "<chunk 2>" -e "<chunk 3>"`
    /// (a state starts incremental, as `luaL_newstate`'s; lua.c switches to generational).
    @Test func collectgarbageSwitchesTheCollectorMode() throws {
        let out = Capture()
        let lua = Self.state(out)
        #expect(lua.collectorMode == .incremental)
        try lua.run("old = setmetatable({}, {__gc = function() print('old') end}) print(collectgarbage('generational'))")
        #expect(lua.collectorMode == .generational)
        #expect(lua.metrics.majorCollections == 1)
        try lua.run("setmetatable({}, {__gc = function() print('young') end}) collectgarbage('step') old = nil collectgarbage('step') print('minor')")
        #expect(lua.metrics.minorCollections >= 2)
        try lua.run("collectgarbage() print(collectgarbage('incremental'))")
        #expect(lua.collectorMode == .incremental)
        #expect(out.text == "incremental\nyoung\nminor\nold\ngenerational\n")
    }

    /// echo '<script>' | lua5.4 -   (stderr):
    /// Lua warning: error in __gc (stdin:1: boom)
    /// Lua warning: error in __gc (error object is not a string)
    @Test func errorInFinalizerBecomesAWarning() throws {
        let out = Capture(), warnings = Capture()
        let lua = Self.state(out, warnings)
        try lua.run("""
            warn("@on") setmetatable({}, {__gc = function() error("boom") end}) collectgarbage() \
            setmetatable({}, {__gc = function() error(setmetatable({}, {__tostring = function() return "x" end})) end}) \
            collectgarbage() warn("@off") setmetatable({}, {__gc = function() error("hidden") end}) collectgarbage() \
            print("done")
            """, chunkName: "=stdin")
        #expect(out.text == "done\n")
        #expect(warnings.text == "Lua warning: error in __gc (stdin:1: boom)\nLua warning: error in __gc (error object is not a string)\n")
    }

    /// echo 'setmetatable({}, {__gc = function() error(42) end}) collectgarbage() print("ok")' | lua5.4 -W -
    @Test func warningsOffByDefaultAndNonStringErrors() throws {
        let out = Capture(), warnings = Capture()
        let lua = Self.state(out, warnings)
        try lua.run("setmetatable({}, {__gc = function() error('boom') end}) collectgarbage() print('ok')", chunkName: "=stdin")
        #expect(warnings.text == "")
        lua.warningsEnabled = true
        try lua.run("setmetatable({}, {__gc = function() error(42) end}) collectgarbage() print('ok')", chunkName: "=stdin")
        #expect(out.text == "ok\nok\n")
        #expect(warnings.text == "Lua warning: error in __gc (error object is not a string)\n")
    }

    /// lua5.4 -e 'A = setmetatable({}, {__gc = function() print("close: A") end})
    ///            B = setmetatable({}, {__gc = function() print("close: B") end})
    ///            local t = setmetatable({}, {__gc = function() print("dead") end}) t = nil print("end")'
    /// prints end, close: B, close: A (dead may come earlier or at close).
    @Test func closeRunsEveryFinalizerNewestFirst() throws {
        let out = Capture()
        let lua = Self.state(out)
        try lua.run("""
            A = setmetatable({}, {__gc = function() print("close: A") end})
            B = setmetatable({}, {__gc = function() print("close: B") end})
            print("end")
            """)
        #expect(out.text == "end\n")
        #expect(lua.close())
        #expect(out.text == "end\nclose: B\nclose: A\n")
        // Closing twice does nothing; no object is marked for finalization afterwards.
        #expect(lua.close())
        try lua.run("C = setmetatable({}, {__gc = function() print('never') end}) C = nil collectgarbage()")
        #expect(out.text == "end\nclose: B\nclose: A\n")
    }

    @Test func hostCollectionRunsPendingFinalizers() throws {
        let out = Capture()
        let lua = Self.state(out)
        try lua.run("X = setmetatable({}, {__gc = function() print('gc X') end}) X = nil")
        lua.collectGarbage()
        #expect(out.text == "gc X\n")
    }

    /// A runaway finalizer run by collectgarbage() is charged to the calling script: fuel
    /// stops it, and the next call on the state runs normally.
    @Test func runawayFinalizerInCollectStopsWithTheScriptsFuel() throws {
        let lua = Self.state(Capture())
        let f = try lua.load(Array("setmetatable({}, {__gc = function() while true do end end}) collectgarbage() return 1".utf8),
                             chunkName: "=runaway")
        let execution = try lua.start(f, [])
        #expect(try execution.step(fuel: 200_000) == .outOfFuel)
        execution.abandon()
        #expect(try lua.run("return 1 + 1") == [.integer(2)])
        // Finalizers still work afterwards.
        #expect(try lua.run("local n = 0 setmetatable({}, {__gc = function() n = n + 1 end}) collectgarbage() return n") == [.integer(1)])
    }

    /// Finalizers left pending by a call run between calls on their own budget
    /// (``Lua/finalizerFuel``); a runaway one is cut off there, not in the next call.
    @Test func runawayFinalizerBetweenCallsIsCutOff() throws {
        let out = Capture()
        let lua = Self.state(out)
        lua.finalizerFuel = 100_000
        try lua.run("X = setmetatable({}, {__gc = function() while true do end end}) X = nil")
        lua.collectGarbage()   // marks X and runs its finalizer until the budget is spent
        let f = try lua.load(Array("print('next') return 3".utf8), chunkName: "=next")
        let execution = try lua.start(f, [])
        #expect(try execution.step(fuel: 10_000) == .finished([.integer(3)]))
        #expect(out.text == "next\n")
        // close() is bounded the same way.
        try lua.run("Y = setmetatable({}, {__gc = function() while true do end end})")
        #expect(lua.close())
    }

    /// After "not enough memory" (caught or not), the garbage behind it is collected before
    /// the next call needs the memory: load, run and collectgarbage work again.
    @Test func emergencyCollectionAfterMemoryErrors() throws {
        let lua = Self.state(Capture())
        lua.memoryLimit = 16 << 20
        let caught = try lua.run("""
            local t = {}
            local ok, e = pcall(function() for i = 1, 1e9 do t[i] = {i} end end)
            t = nil
            return ok, e
            """)
        #expect(caught == [.boolean(false), .string(Array("not enough memory".utf8))])
        #expect(try lua.run("return collectgarbage('count') < 8 * 1024") == [.boolean(true)])
        #expect(throws: LuaScriptError.self) {
            try lua.run("local t = {} for i = 1, 1e9 do t[i] = {i} end")
        }
        #expect(try lua.run("collectgarbage() return 'ok'") == [.string(Array("ok".utf8))])
        let big = String(repeating: "x = {1, 2, 3}\n", count: 2000)
        #expect(throws: Never.self) { try lua.load(Array(big.utf8), chunkName: "=big") }
    }

    /// package.loadlib in a build without dynamic libraries (PUC loadlib.c's fallback
    /// `lsys_load`: DLMSG and LIB_FAIL "absent"; Debian's lua5.4 has dlopen, so this text
    /// is taken from loadlib.c 5.4.6, not recorded).
    @Test func loadlibIsAbsent() throws {
        let lua = Self.state(Capture())
        let r = try lua.run("return package.loadlib('libc.so.6', 'puts')")
        #expect(r == [.nil, .string(Array("dynamic libraries not enabled; check your Lua installation".utf8)),
                      .string(Array("absent".utf8))])
    }

    /// PUC testes/db.lua:894-907: an automatic collection marks the garbage table for
    /// finalization and its finalizer runs inside the loop. The table's only reference left
    /// is a register above the loop's new table (setmetatable's argument), which PUC does not
    /// mark (`checkGC(L, ra + 1)` at NEWTABLE). lua5.4 prints `__gc metamethod` (the loop
    /// cannot count its iterations: a counter would overwrite that register). The fuel limit
    /// turns a regression into an "out of fuel" error instead of an endless loop.
    @Test func automaticCollectionRunsFinalizerMarkedInATightLoop() throws {
        for slice in [1_000, 100_000] {
            let out = Capture()
            let lua = Self.state(out)
            lua.fuelPerSlice = slice
            try lua.run("""
                local name = nil
                setmetatable({}, {__gc = function ()
                  local t = debug.getinfo(1)
                  name = t.name .. " " .. t.namewhat
                end})
                repeat local a = {} until name
                print(name)
                """, limits: LuaLimits(fuel: 50_000_000))
            #expect(out.text == "__gc metamethod\n")
        }
    }
}
