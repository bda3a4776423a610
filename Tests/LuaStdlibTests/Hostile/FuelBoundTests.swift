import Testing
import LuaCore
import LuaStdlib

/// Fuel is charged where work can accumulate (back edges, calls, returns), not on every
/// instruction: every loop form and every call pattern still runs out of fuel, and the fuel a
/// finished run is billed stays between the instructions it executed and twice that.
@Suite struct FuelBoundTests {
    /// Every way Lua can repeat work, unbounded: each must end with "out of fuel".
    static let runaways: [String] = [
        "while true do end",
        "local n = 0 while true do n = n + 1 end",
        "repeat local x = 1 until false",
        "local n = 0 repeat n = n + 1 until n < 0",
        "::top:: goto top",
        "for i = 1, math.maxinteger do end",
        "for x = 1.0, math.huge do end",
        "for _ in function() return 1 end do end",
        "for _, v in ipairs(setmetatable({}, {__index = function() return 1 end})) do end",
        "local function f() return f() end f()",
        "local function f(n) if n > 100 then return 0 end return f(n + 1) + 1 end while true do f(0) end",
        "local t = setmetatable({}, {__index = function(t, k) return k end}) while true do local _ = t.x end",
        "local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end",
        "while true do pcall(error, 'x') end",
    ]

    @Test(arguments: runaways)
    func everyLoopFormRunsOutOfFuel(_ source: String) throws {
        let lua = Lua.sandboxed()
        do {
            try lua.run(source, limits: LuaLimits(fuel: 200_000))
            Issue.record("\(source) finished")
        } catch {
            #expect(error.kind == .outOfFuel, "\(source): \(error)")
        }
        #expect(try lua.run("return 1 + 1") == [.integer(2)])
    }

    /// Programs whose instruction count a count hook can measure exactly.
    static let measured: [String] = [
        "local n = 0 for i = 1, 300 do n = n + i end return n",
        "local n, i = 0, 0 while i < 300 do i = i + 1 if i % 3 == 0 then n = n + i end end return n",
        "local n = 0 repeat n = n + 1 until n >= 300 return n",
        "local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end return fib(12)",
        "local t = {} for i = 1, 100 do t[i] = i end local s = 0 for _, v in ipairs(t) do s = s + v end return s",
        "local s = 0 for i = 1, 20 do for j = 1, 20 do s = s + i * j end end return s",
        "local n = 0 ::a:: n = n + 1 if n < 200 then goto a end return n",
    ]

    /// The fuel a run needs (the least budget under which it finishes) lies between the
    /// instructions it executes, counted by a count hook of 1, and twice that plus a little.
    @Test(arguments: measured)
    func fuelBilledBoundsTheInstructionsRun(_ source: String) throws {
        let lua = Lua.full()
        let counted = try lua.run("""
            local count = 0
            local f = load([==[\(source)]==])
            debug.sethook(function() count = count + 1 end, "", 1)
            f()
            debug.sethook()
            return count
            """)
        guard case .integer(let instructions)? = counted.first else {
            Issue.record("no count for \(source)"); return
        }
        // The least fuel that finishes the run, by bisection.
        func finishes(_ fuel: Int) -> Bool {
            (try? lua.run(source, limits: LuaLimits(fuel: fuel))) != nil
        }
        var low = 1, high = 1 << 20
        #expect(finishes(high))
        while low < high {
            let mid = (low + high) / 2
            if finishes(mid) { high = mid } else { low = mid + 1 }
        }
        let needed = high
        // The hook's count includes the call of `f` and the removal of the hook (about five
        // instructions), which `needed` does not.
        #expect(needed >= Int(instructions) - 8, "\(source): needs \(needed), runs \(instructions)")
        #expect(needed <= 2 * Int(instructions) + 16, "\(source): needs \(needed), runs \(instructions)")
    }
}
