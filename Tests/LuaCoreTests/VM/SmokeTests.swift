import Testing
@testable import LuaCore

@Suite struct SmokeTests {
    @Test func arithmeticAndReturn() throws {
        let lua = Lua()
        #expect(try lua.run("return 1 + 2") == [.integer(3)])
        #expect(try lua.run("return 7 // 2, 7 % 3, 2^10, 1/2") == [.integer(3), .integer(1), .number(1024), .number(0.5)])
        #expect(try lua.run("local a, b = 'x', 'y' return a .. b .. 1") == ["xy1"])
    }

    @Test func loopsAndFunctions() throws {
        let lua = Lua()
        let r = try lua.run("""
            local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
            local s = 0
            for i = 1, 10 do s = s + i end
            return fib(20), s
            """)
        #expect(r == [.integer(6765), .integer(55)])
    }

    @Test func tablesAndClosures() throws {
        let lua = Lua()
        let r = try lua.run("""
            local t = {}
            for i = 1, 100 do t[i] = i * 2 end
            local function counter() local c = 0 return function() c = c + 1 return c end end
            local f = counter(); f(); f()
            local m = setmetatable and 1 or 0
            return #t, t[50], f(), t.x
            """)
        #expect(r == [.integer(100), .integer(100), .integer(3), .nil])
    }

    @Test func hostFunctionAndErrors() throws {
        let lua = Lua()
        try lua.register("add") { ctx in
            try ctx.push(LuaValue(ctx.argument(1).integer + ctx.argument(2).integer))
            return .results(1)
        }
        #expect(try lua.run("return add(2, 3)") == [.integer(5)])
        #expect(throws: LuaScriptError.self) { try lua.run("local x = nil; return x.y") }
        do {
            try lua.run("local t = nil\nreturn t.field", chunkName: "=t")
        } catch {
            #expect(error.message == "t:2: attempt to index a nil value (local 't')")
        }
    }
}
