import Testing
import GCArena
@testable import LuaCore

struct Counter: Collect {
    var count = 0
    static var needsTrace: Bool { false }
    func trace(_ tracer: inout Tracer) {}
}

@Suite struct EmbeddingTests {
    @Test func typedFunctionsConvertArgumentsAndResults() throws {
        let t = TestLua()
        try t.lua.register("add") { (a: Int, b: Int) -> Int in a + b }
        try t.lua.register("greet") { (name: String, excited: Bool?) -> String in "hi " + name + (excited == true ? "!" : "") }
        try t.lua.register("sum") { (xs: [Double]) -> Double in xs.reduce(0, +) }
        try t.lua.register("keys") { (d: [String: Int]) -> [String] in d.keys.sorted() }
        try t.lua.register("maybe") { (x: Int?) -> Int? in x.map { $0 * 2 } }
        #expect(try t.run("return add(2, 3)") == [.integer(5)])
        #expect(try t.run("return greet('lua'), greet('lua', true)") == ["hi lua", "hi lua!"])
        #expect(try t.run("return sum({1, 2.5, 3})") == [.number(6.5)])
        #expect(try t.run("local k = keys({b = 1, a = 2}) return k[1], k[2], #k") == ["a", "b", .integer(2)])
        #expect(try t.run("return maybe(nil), maybe(21)") == [.nil, .integer(42)])
    }

    @Test func typedFunctionsReportBadArguments() throws {
        let t = TestLua()
        try t.lua.register("add") { (a: Int, b: Int) -> Int in a + b }
        try t.run("local ok, e = pcall(add, 1) print(e) ok, e = pcall(add, 1, 'x') print(e) ok, e = pcall(add, 1.5, 2) print(e)")
        // The messages lua5.4 gives for luaL_checkinteger.
        #expect(t.output == """
            bad argument #2 to 'add' (number expected, got no value)
            bad argument #2 to 'add' (number expected, got string)
            bad argument #1 to 'add' (number has no integer representation)

            """)
    }

    @Test func swiftErrorsBecomeLuaErrors() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "it failed" } }
        let t = TestLua()
        try t.lua.register("fail") { () throws -> Int in throw Failure() }
        // Called directly by pcall (a host function), the error gets no position, as in
        // PUC (luaL_where(L, 1) names pcall); called from Lua code, it gets the caller's line.
        try t.run("print(pcall(fail))\nprint(pcall(function() return fail() + 1 end))")
        #expect(t.output == "false\tit failed\nfalse\ttest:2: it failed\n")
    }

    @Test func userdataWithMethodsAndSafeDowncast() throws {
        let t = TestLua()
        try t.lua.registerUserdataType(Counter.self, name: "Counter", methods: [
            ("increment", { ctx in
                try ctx.userdata(1, as: Counter.self) { $0.count += Int(try ctx.optInteger(2, 1)) }
                return .results(0)
            }),
            ("get", { ctx in
                try ctx.push(LuaValue(Int64(try ctx.userdata(1, as: Counter.self).count)))
                return .results(1)
            }),
        ])
        try t.lua.register("newCounter") { ctx in
            try ctx.push(try ctx.newUserdata(Counter()))
            return .results(1)
        }
        let r = try t.run("local c = newCounter() c:increment() c:increment(5) return c:get()")
        #expect(r == [.integer(6)])
        try t.run("local ok, e = pcall(newCounter().get, {}) print(e)")
        // Called through pcall, a method found only in a metatable has no name: '?' (as PUC).
        #expect(t.output == "bad argument #1 to '?' (Counter expected, got table)\n")
        t.lua.collectGarbage()
    }

    @Test func globalsAndReferencesCrossTheBoundary() throws {
        let t = TestLua()
        try t.lua.setGlobal("answer", 42)
        #expect(try t.run("return answer") == [.integer(42)])
        try t.run("config = { name = 'x' } function double(n) return n * 2 end")
        guard case .object(let table) = t.lua.global("config"), table.tag == .table else {
            Issue.record("config should be a table"); return
        }
        t.lua.collectGarbage()
        #expect(try t.lua.call(t.lua.global("double"), [.integer(21)]) == [.integer(42)])
        // The reference keeps the table alive after the global is gone.
        try t.run("config = nil")
        t.lua.collectGarbage()
        let f = try t.lua.load(Array("local t = ... return t.name".utf8), chunkName: "=get")
        #expect(try t.lua.call(f, [.object(table)]) == ["x"])
    }
}
