import Testing
import GCArena
@testable import LuaCore

// Each of issue 13's five host crashes, now a thrown error with a clear message.

@Suite struct EmbeddingSafetyTests {
    @Test func aWrongArgumentTypeIsALuaTypeErrorNotACrash() throws {
        let t = TestLua()
        try t.lua.register("count") { ctx in
            let table = try ctx.argument(1).asTable()   // was `.table`: an unchecked cast
            try ctx.push(LuaValue(table.length()))
            return .results(1)
        }
        #expect(try t.run("return count({1, 2, 3})") == [.integer(3)])
        let error = #expect(throws: LuaScriptError.self) { try t.run("return count(12345)") }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "test:1: table expected, got number")
        #expect(try t.run("return pcall(count, 'x')") == [false, "table expected, got string"])
    }

    @Test func callingLuaFromInsideACallbackThrowsAClearError() throws {
        let t = TestLua()
        let lua = t.lua
        try lua.register("reenter") { [unowned lua] _ in
            try lua.run("return 1")
            return .results(0)
        }
        let error = #expect(throws: LuaScriptError.self) { try t.run("reenter()") }
        #expect(error?.kind == .host)
        #expect(error?.message.contains("cannot run Lua from inside a host function") == true)
        let cause = error?.cause as? LuaScriptError
        #expect(cause?.kind == .misuse)
        // The state is fine afterwards.
        #expect(try t.run("return 2") == [.integer(2)])
    }

    @Test func droppingAnExecutionWithoutAbandonFreesTheState() throws {
        let t = TestLua()
        do {
            let f = try t.lua.load(Array("while true do end".utf8), chunkName: "=loop")
            let execution = try t.lua.start(f, [])
            #expect(try execution.step(fuel: 1_000) == .outOfFuel)
            // A held, unfinished execution: a new call is refused with a message, not a trap.
            let error = #expect(throws: LuaScriptError.self) { try t.run("return 1") }
            #expect(error?.kind == .misuse)
            #expect(error?.message.contains("another call is in progress") == true)
        }
        // Dropped without abandon(): the next run works.
        #expect(try t.run("return 1 + 1") == [.integer(2)])
    }

    @Test func steppingAFinishedExecutionThrows() throws {
        let t = TestLua()
        let f = try t.lua.load(Array("return 7".utf8), chunkName: "=seven")
        let execution = try t.lua.start(f, [])
        #expect(try execution.step(fuel: 1_000) == .finished([.integer(7)]))
        let error = #expect(throws: LuaScriptError.self) { try execution.step(fuel: 10) }
        #expect(error?.kind == .misuse)
    }

    @Test func userdataIndexMetamethodIsAFallbackForMethods() throws {
        let t = TestLua()
        try t.lua.registerUserdataType(Counter.self, name: "Counter", methods: [
            ("get", { ctx in
                try ctx.push(LuaValue(Int64(try ctx.userdata(1, as: Counter.self).count)))
                return .results(1)
            }),
        ], metamethods: [
            ("__index", { ctx in
                // Any other key: "<key>!" (a property-like fallback).
                let key = try ctx.argument(2).asSwiftString()
                try ctx.push(try ctx.string(key + "!"))
                return .results(1)
            }),
        ])
        try t.lua.register("newCounter") { ctx in
            try ctx.push(try ctx.newUserdata(Counter(count: 41)))
            return .results(1)
        }
        #expect(try t.run("local c = newCounter() return c:get(), c.colour, c.size") == [.integer(41), "colour!", "size!"])
    }

    @Test func registrationThrowsWhenMemoryRunsOut() throws {
        let t = TestLua()
        t.lua.collectGarbage()
        t.lua.memoryLimit = t.lua.metrics.heapBytes + t.lua.metrics.externalBytes
        let error = #expect(throws: LuaScriptError.self) {
            try t.lua.registerLibrary("big", (0..<200).map { i in ("f\(i)", { _ in .results(0) }) })
        }
        #expect(error?.kind == .memory)
        #expect(throws: LuaScriptError.self) { try t.lua.setGlobal("s", .string(Array(repeating: 65, count: 100_000))) }
        t.lua.memoryLimit = nil
        try t.lua.setGlobal("s", "ok")
        #expect(try t.run("return s") == ["ok"])
    }

    @Test func aValueFromAnotherStateIsRejected() throws {
        let a = TestLua(), b = TestLua()
        let table = try a.run("return {}")[0]
        let error = #expect(throws: LuaScriptError.self) { try b.lua.setGlobal("t", table) }
        #expect(error?.message.contains("another Lua state") == true)
    }

    @Test func hostErrorsKeepTheSwiftErrorAsTheCause() throws {
        struct Oops: Error, Equatable { var code: Int }
        let t = TestLua()
        try t.lua.register("fail") { () throws -> Int in throw Oops(code: 7) }
        let error = #expect(throws: LuaScriptError.self) { try t.run("fail()") }
        #expect(error?.kind == .host)
        #expect(error?.cause as? Oops == Oops(code: 7))
    }

    @Test func syntaxErrorsSayWhetherMoreInputCouldComplete() throws {
        let t = TestLua()
        for (source, incomplete) in [("for i = 1, 2 do", true), ("x = 'abc", true), ("x = = 1", false), ("return (1", true)] {
            let error = #expect(throws: LuaScriptError.self) { try t.run(source) }
            #expect(error?.kind == .syntax)
            #expect(error?.isIncompleteInput == incomplete, "\(source)")
        }
    }

    @Test func runtimeErrorsCarryTheErrorValue() throws {
        let t = TestLua()
        try t.lua.register("raise") { ctx in throw LuaError(value: ctx.argument(1)) }
        let error = #expect(throws: LuaScriptError.self) { try t.run("raise({code = 42})") }
        #expect(error?.kind == .runtime)
        guard case .object(let r)? = error?.value else { Issue.record("no error value"); return }
        #expect(r.tag == .table)
    }

    /// Calling a value that is not a function from the host, on an idle state, is a plain
    /// error (no position: no Lua function is running). Its message used to depend on reading
    /// the frame before the frame buffer (AddressSanitizer: heap-buffer-overflow, found through
    /// the REPL calling a nil `print`); the state carries on.
    @Test func callingANonFunctionFromTheHostIsAPlainError() throws {
        let t = TestLua()
        for callee in [LuaHostValue.nil, .integer(7), .string(Array("f".utf8))] {
            let error = #expect(throws: LuaScriptError.self) { try t.lua.call(callee, []) }
            #expect(error?.kind == .runtime)
            #expect(error?.message.hasPrefix("attempt to call a ") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(":") == false)
            let started = #expect(throws: LuaScriptError.self) { _ = try t.lua.start(callee, []) }
            #expect(started?.message.hasPrefix("attempt to call a ") == true)
        }
        #expect(try t.run("return 2") == [.integer(2)])
    }
}
