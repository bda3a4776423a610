import Testing
import GCArena
@testable import LuaCore

@Suite struct HostValuesTests {
    @Test func globalsAndEval() throws {
        let t = TestLua()
        try t.run("config = {name = 'moon', port = 8080, ratio = 0.5, tags = {'a', 'b'}}")
        let config = try t.lua.globals.get("config", as: LuaTableRef.self)
        #expect(try config.get("name", as: String.self) == "moon")
        #expect(try config.get("port", as: Int.self) == 8080)
        #expect(try config.get("ratio", as: Double.self) == 0.5)
        #expect(try config.get("tags", as: [String].self) == ["a", "b"])
        #expect(try config.get("missing", as: Int?.self) == nil)
        let error = #expect(throws: LuaScriptError.self) { try config.get("name", as: Int.self) }
        #expect(error?.message == "integer expected, got string")
        try t.lua.globals.set("answer", to: 42)
        #expect(try t.lua.eval("answer + 1", as: Int.self) == 43)
        #expect(try t.lua.eval("config.port // 2") == LuaHostValue.integer(4040))
    }

    @Test func createIterateAndConvert() throws {
        let t = TestLua()
        let list = try t.lua.createTable([10, 20, 30])
        #expect(list.length == 3)
        #expect(try list.ipairs().map(\.index) == [1, 2, 3])
        #expect(try list.sequence(of: Int.self) == [10, 20, 30])
        let record = try t.lua.createTable(["x": 1, "y": "two"])
        let pairs = try record.pairs().sorted { $0.key.description < $1.key.description }
        #expect(pairs.map(\.key) == ["x", "y"])
        #expect(pairs.map(\.value) == [1, "two"])
        try t.lua.globals.set("list", list.value)
        try t.lua.globals.set("record", to: ["k": 5])
        #expect(try t.run("return list[2] + record.k, #list") == [.integer(25), .integer(3)])
        try record.rawSet("z", true)
        #expect(try record.rawGet("z") == true)
        #expect(record["z"] == true)
        let fromSwift = try [[1, 2], [3]].toHost(t.lua)
        #expect(try [[Int]].fromHost(fromSwift, t.lua) == [[1, 2], [3]])
    }

    @Test func metatablesAndMetamethods() throws {
        let t = TestLua()
        let defaults = try t.lua.createTable(["colour": "blue"])
        let object = try t.lua.createTable([])
        let meta = try t.lua.createTable(["__index": defaults.value])
        try object.setMetatable(meta)
        #expect(object.metatable == meta)
        #expect(try object.get("colour") == "blue")
        #expect(try object.rawGet("colour") == .nil)
        // Function metamethods run as Lua calls when the state is idle.
        let index = try t.run("return function(t, k) return k .. '?' end")[0]
        let log = try t.run("log = {} return function(t, k, v) log[#log + 1] = k end")[0]
        try meta.rawSet("__index", index)
        try meta.rawSet("__newindex", log)
        #expect(try object.get("size") == "size?")
        try object.set("new", 1)
        #expect(try object.rawGet("new") == .nil)
        #expect(try t.run("return log[1]") == ["new"])
    }

    @Test func functionsWithTypedArgumentsAndTupleResults() throws {
        let t = TestLua()
        try t.run("function divmod(a, b) return a // b, a % b end function greet(n) return 'hi ' .. n end")
        let divmod = try t.lua.globals.get("divmod", as: LuaFunction.self)
        let (q, r) = try divmod.call(17, 5, returning: (Int, Int).self)
        #expect(q == 3 && r == 2)
        let greet = try t.lua.globals.get("greet", as: LuaFunction.self)
        #expect(try greet.call("moon", returning: String.self) == "hi moon")
        #expect(try greet.call("x") == ["hi x"])
    }

    @Test func handlesWorkInsideCallbacksAndCallsAreRefusedThere() throws {
        let t = TestLua()
        try t.lua.register("sum") { (list: LuaTableRef) -> Int in try list.sequence(of: Int.self).reduce(0, +) }
        try t.lua.register("tag") { (record: LuaTableRef) -> LuaTableRef in
            try record.set("seen", to: true)
            return record
        }
        #expect(try t.run("return sum({1, 2, 3, 4})") == [.integer(10)])
        #expect(try t.run("return tag({}).seen") == [true])
        try t.lua.register("callBack") { (f: LuaFunction) -> Int in try f.call(returning: Int.self) }
        let error = #expect(throws: LuaScriptError.self) { try t.run("return callBack(function() return 1 end)") }
        #expect(error?.message.contains("cannot run Lua from inside a host function") == true)
    }

    @Test func referencesSurviveCollectionsAndAreReleasedWhenDropped() throws {
        let t = TestLua()
        func roots() -> Int { t.lua.arena.mutate { mc, _ in mc.dynamicRootCount } }
        let before = roots()
        do {
            let table = try t.lua.createTable(["k": "v"])
            for _ in 0..<3 {
                _ = try t.run("local junk = {} for i = 1, 1000 do junk[i] = {i} end")
                t.lua.collectGarbage()
            }
            #expect(try table.get("k") == "v")
            #expect(roots() > before)
        }
        #expect(roots() == before)
    }

    @Test func aDroppedStateMakesHandlesThrow() throws {
        var table: LuaTableRef?
        do {
            let lua = Lua()
            table = try lua.createTable(["k": 1])
        }
        let error = #expect(throws: LuaScriptError.self) { try table?.get("k") }
        #expect(error?.kind == .misuse)
    }
}

@Suite struct EntryPointLimitsTests {
    @Test func fuelLimitStopsRunAndLeavesTheStateUsable() throws {
        let t = TestLua()
        let error = #expect(throws: LuaScriptError.self) {
            try t.lua.run("while true do end", limits: LuaLimits(fuel: 100_000))
        }
        #expect(error?.kind == .outOfFuel)
        #expect(try t.lua.run("return 1", limits: LuaLimits(fuel: 100)) == [.integer(1)])
    }

    @Test func deadlineStopsRunAndCall() throws {
        let t = TestLua()
        let loop = try t.lua.load(Array("while true do end".utf8), chunkName: "=loop")
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: LuaScriptError.self) {
            try t.lua.call(loop, [], limits: LuaLimits(timeout: .milliseconds(30)))
        }
        #expect(error?.kind == .interrupted)
        #expect(error?.message == "deadline exceeded")
        #expect(clock.now - start < .seconds(60))   // loose: the suite runs in parallel on a shared machine
        #expect(try t.run("return 3") == [.integer(3)])
    }

    @Test func asyncEntryPointsTakeLimits() async throws {
        let t = TestLua()
        await #expect(throws: LuaScriptError(kind: .outOfFuel, message: "out of fuel")) {
            _ = try await t.lua.runAsync("while true do end", limits: LuaLimits(fuel: 50_000))
        }
        let loop = try t.lua.load(Array("while true do end".utf8), chunkName: "=loop")
        await #expect(throws: LuaScriptError(kind: .interrupted, message: "deadline exceeded")) {
            _ = try await t.lua.callAsync(loop, [], limits: LuaLimits(timeout: .milliseconds(20)))
        }
        #expect(try await t.lua.runAsync("return 5", limits: LuaLimits(fuel: 1_000)) == [.integer(5)])
    }
}

@Suite struct HostCoroutineTests {
    @Test func resumeSeeYieldsAndStatus() throws {
        let t = TestLua()
        try t.lua.register("yield") { ctx in .yield(count: ctx.argumentCount, then: nil) }
        try t.run("function producer(a) local b = yield(a + 1) local c = yield(b * 2) return 'done', c end")
        let co = try t.lua.createCoroutine(try t.lua.globals.get("producer", as: LuaFunction.self))
        #expect(co.status == .suspended)
        #expect(try co.resume(1) == .yielded([.integer(2)]))
        #expect(try co.resume(10) == .yielded([.integer(20)]))
        #expect(co.status == .suspended)
        #expect(try co.resume("end") == .returned(["done", "end"]))
        #expect(co.status == .dead)
        let e = #expect(throws: LuaScriptError.self) { try co.resume() }
        #expect(e?.message == "cannot resume dead coroutine")
    }

    @Test func anErrorInsideKillsTheCoroutineAndIsThrown() throws {
        let t = TestLua()
        try t.lua.register("raise") { ctx in throw LuaError(value: ctx.argument(1)) }
        let f = try t.run("return function() raise('inside') end")[0]
        let co = try t.lua.createCoroutine(try #require(f.function))
        let e = #expect(throws: LuaScriptError.self) { try co.resume() }
        #expect(e?.message == "inside")
        #expect(co.status == .dead)
        #expect(try t.run("return 1") == [.integer(1)])
    }
}
