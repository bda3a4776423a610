import Testing
import Synchronization
import GCArena
@testable import LuaCore

@Suite struct LimitsTests {
    @Test func valueIsSixteenBytesAndPOD() {
        #expect(MemoryLayout<LuaValue>.size <= 16)
        #expect(MemoryLayout<LuaValue>.stride == 16)
        #expect(_isPOD(LuaValue.self))
        #expect(_isPOD(CallFrame.self))
    }

    @Test func infiniteLoopReturnsControlWithinTheFuelBudget() throws {
        let t = TestLua()
        let f = try t.lua.load(Array("local n = 0 while true do n = n + 1 end".utf8), chunkName: "=loop")
        let execution = try t.lua.start(f, [])
        for _ in 0..<5 {
            #expect(try execution.step(fuel: 10_000) == .outOfFuel)
        }
        execution.abandon()
        // The state is still usable afterwards.
        #expect(try t.run("return 1 + 1") == [.integer(2)])
    }

    @Test func fuelSlicesAreBounded() throws {
        let t = TestLua()
        t.lua.fuelPerSlice = 100
        let f = try t.lua.load(Array("local n = 0 for i = 1, 1000 do n = n + i end return n".utf8), chunkName: "=sum")
        let execution = try t.lua.start(f, [])
        var steps = 0
        while case .outOfFuel = try execution.step(fuel: 100) { steps += 1 }
        // Two instructions per iteration (ADD, FORLOOP): 2,000 instructions need 19+ more steps.
        #expect(steps >= 19)
    }

    @Test func interruptFromAnotherThreadStopsARunawayScript() async throws {
        let t = TestLua()
        let interrupt = t.lua.interrupt
        let setter = Task.detached {
            try await Task.sleep(for: .milliseconds(50))
            interrupt.request()
        }
        #expect(throws: LuaScriptError(kind: .interrupted, message: "interrupted")) {
            try t.run("while true do end")
        }
        try await setter.value
        #expect(try t.run("return 'alive'") == ["alive"])
    }

    /// With `interruptErrorMessage` (the CLI's Ctrl-C) an interrupt is an ordinary Lua error
    /// raised in the running function: pcall catches it, and uncaught it carries the caller's
    /// position and a traceback that starts at the interrupted function.
    @Test func interruptCanRaiseACatchableError() throws {
        let t = TestLua()
        let interrupt = t.lua.interrupt
        t.lua.interruptErrorMessage = "interrupted!"
        try t.lua.register("requestInterrupt") { (_: LuaValue) -> Bool in interrupt.request(); return true }
        let caught = try t.run("""
            local ok, err = pcall(function() requestInterrupt(nil) while true do end end)
            return ok, err
            """)
        #expect(caught == [.boolean(false), "interrupted!"])
        do {
            try t.lua.run("""
                local function spin() requestInterrupt(nil) while true do end end
                spin()
                """, chunkName: "=script")
            Issue.record("the interrupt did not stop the script")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.message == "script:2: interrupted!")
            #expect(error.traceback?.hasPrefix("stack traceback:\n\tscript:1: in local 'spin'") == true)
        }
        #expect(try t.run("return 'alive'") == ["alive"])
    }

    @Test func deepRecursionIsACatchableStackOverflow() throws {
        let t = TestLua()
        try t.run("""
            local function f(n) return 1 + f(n + 1) end
            local ok, err = pcall(f, 1)
            print(ok, err)
            """)
        #expect(t.output.hasPrefix("false\ttest:1: stack overflow"))
        t.lua.maxStackSlots = 1000
        let err = #expect(throws: LuaScriptError.self) { try t.run("local function g() return 1 + g() end return g()") }
        #expect(err?.message.contains("stack overflow") == true)
    }

    @Test func tenMillionTailCallsRunInConstantMemory() throws {
        let t = TestLua()
        let r = try t.run("""
            local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
            return loop(10000000, 0)
            """)
        #expect(r == [.integer(10_000_000)])
        // The stack never grew: external memory (stacks, tables) stays tiny.
        #expect(t.lua.metrics.externalBytes < 256 * 1024)
    }

    @Test func memoryLimitRaisesNotEnoughMemory() throws {
        let t = TestLua()
        t.lua.memoryLimit = 2 << 20
        try t.run("""
            local ok, err = pcall(function()
              local t = {}
              for i = 1, 10000000 do t[i] = {i} end
            end)
            print(ok, err)
            """)
        #expect(t.output == "false\tnot enough memory\n")
        t.lua.collectGarbage()
        #expect(try t.run("local t = {} for i = 1, 100 do t[i] = i end return #t") == [.integer(100)])
    }

    @Test func uncaughtErrorsCarryATraceback() throws {
        let t = TestLua()
        let err = #expect(throws: LuaScriptError.self) {
            try t.run("local function inner() local x = nil; return x.field end\nlocal function outer() return inner() + 1 end\nouter()")
        }
        #expect(err?.message == "test:1: attempt to index a nil value (local 'x')")
        #expect(err?.traceback?.contains("stack traceback:") == true)
        #expect(err?.traceback?.contains("test:2: in local 'outer'") == true)
    }
}
