import Testing
@testable import LuaCore

/// `Lua.call` and `LuaFunction.call` run a call's first slice without a GCSequence driver and
/// hand the call to one when it needs more (`Lua+FirstSlice.swift`): these check each hand-off
/// ends the way the driver alone ended it, and that the state is usable after each.
@Suite struct FirstSliceCallTests {
    @Test func aCallThatNeedsManySlicesGoesOnUnderTheDriver() throws {
        let t = TestLua()
        t.lua.fuelPerSlice = 7
        try t.run("function sum(n) local s = 0 for i = 1, n do s = s + i end return s, n end")
        let f = try t.lua.globals.get("sum", as: LuaFunction.self)
        let (s, n) = try f.call(1000, returning: (Int, Int).self)
        #expect(s == 500_500 && n == 1000)
        t.lua.fuelPerSlice = 1 << 16
        #expect(try f.call(10, returning: Int.self) == 55)
    }

    @Test func moreThanFourArgumentsAndResultsCrossWhole() throws {
        let t = TestLua()
        try t.run("function id(...) return ... end")
        let f = try t.lua.globals.get("id", as: LuaFunction.self)
        let (a, b, c, d, e, g) = try f.call(1, "two", 3.5, true, 5, "six",
                                            returning: (Int, String, Double, Bool, Int, String).self)
        #expect(a == 1 && b == "two" && c == 3.5 && d && e == 5 && g == "six")
        let all = try f.call(1, 2, 3, 4, 5, 6, 7)
        #expect(all == [1, 2, 3, 4, 5, 6, 7])
        // Missing results read as nil.
        let (x, y) = try f.call(9, returning: (Int, Int?).self)
        #expect(x == 9 && y == nil)
    }

    @Test func anInterruptRequestedBeforeTheCallEndsIt() throws {
        let t = TestLua()
        try t.run("function one() return 1 end")
        let f = try t.lua.globals.get("one", as: LuaFunction.self)
        t.lua.interrupt.request()
        #expect(throws: LuaScriptError(kind: .interrupted, message: "interrupted")) {
            try f.call(returning: Int.self)
        }
        #expect(try f.call(returning: Int.self) == 1)
    }

    @Test func fuelAndErrorsEndTheCallAndLeaveTheStateUsable() throws {
        let t = TestLua()
        try t.run("function spin() while true do end end function fail(t) return t.x end")
        let spin = try t.lua.globals.get("spin", as: LuaFunction.self)
        #expect(throws: LuaScriptError(kind: .outOfFuel, message: "out of fuel")) {
            try spin.call(arguments: [], limits: LuaLimits(fuel: 50))
        }
        let fail = try t.lua.globals.get("fail", as: LuaFunction.self)
        do {
            _ = try fail.call(LuaHostValue.nil, returning: Int.self)
            Issue.record("the error was not thrown")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.message == "test:1: attempt to index a nil value (local 't')")
        }
        #expect(try t.run("return 'alive'") == ["alive"])
    }

    @Test func anAsyncFunctionReachedFromASynchronousCallIsAMisuse() throws {
        let t = TestLua()
        try t.lua.registerAsync("later") { (x: Int) async throws -> Int in x }
        try t.run("function f(x) return later(x) + 1 end")
        let f = try t.lua.globals.get("f", as: LuaFunction.self)
        do {
            _ = try f.call(1, returning: Int.self)
            Issue.record("the synchronous call awaited")
        } catch {
            #expect(error.kind == .misuse)
        }
        #expect(try t.run("return 2 + 2") == [.integer(4)])
    }
}
