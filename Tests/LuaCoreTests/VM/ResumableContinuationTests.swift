import Testing
@testable import LuaCore

/// `sumOf(f, n)`: f(1) + ... + f(n), one Lua call per term, continuing in one object.
final class SumOfCalls: LuaResumable {
    var i = 0, n = 0, sum: Int64 = 0
    /// Whether the object is its frame's continuation yet.
    var registered = false
    /// Requests the next term (or returns the sum).
    func step(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        guard i < n else {
            try ctx.setTop(0)
            try ctx.push(LuaValue(sum))
            return .results(1)
        }
        i += 1
        try ctx.push(ctx[1])
        try ctx.push(LuaValue(Int64(i)))
        if registered { return .callAgain(arguments: 1) }
        registered = true
        return .callResuming(arguments: 1, resumable: self)
    }

    override func resume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        guard case .returned(let count) = status else { return .results(0) }
        let v = count > 0 ? ctx[ctx.top - count + 1] : .nil
        try ctx.setTop(ctx.top - count)
        sum += v.tag == .integer ? v.integer : 0
        return try step(&ctx)
    }
}

@Suite struct ResumableContinuationTests {
    static func sumOf(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let machine = SumOfCalls()
        machine.n = Int(ctx[2].tag == .integer ? ctx[2].integer : 0)
        try ctx.setTop(2)
        return try machine.step(&ctx)
    }

    @Test func everyCallResumesTheSameObject() throws {
        let t = TestLua()
        try t.lua.register("sumOf") { ctx in try Self.sumOf(&ctx) }
        #expect(try t.run("return sumOf(function(i) return i * i end, 10)") == [385])
        // Nested: a term that itself sums (each frame keeps its own object).
        #expect(try t.run("return sumOf(function(i) return sumOf(function(j) return j end, i) end, 4)") == [20])
        #expect(try t.run("return sumOf(function(i) return i end, 0)") == [0])
    }

    @Test func anErrorInACallUnwindsTheFrameAndTheStateGoesOn() throws {
        let t = TestLua()
        try t.lua.register("sumOf") { ctx in try Self.sumOf(&ctx) }
        try t.run("""
            print(pcall(sumOf, function(i) if i == 3 then return nil + i end return i end, 5))
            print(sumOf(function(i) return i end, 5))
            """)
        #expect(t.output.hasPrefix("false\t"))
        #expect(t.output.contains("attempt to perform arithmetic on a nil value"))
        #expect(t.output.hasSuffix("\n15\n"))
    }

    @Test func callAgainNeedsAResumable() throws {
        let t = TestLua()
        try t.lua.register("again") { ctx in
            try ctx.push(ctx[1])
            return .callAgain(arguments: 0)
        }
        try t.run("print(pcall(again, print))")
        #expect(t.output == "false\thost function called again without a resumable continuation\n")
    }

    @Test func aScopedFunctionMayContinueInAnObject() throws {
        let t = TestLua()
        try t.lua.scope { scope in
            try scope.register("sumOf") { ctx in try Self.sumOf(&ctx) }
            #expect(try t.run("return sumOf(function(i) return 2 * i end, 4)") == [20])
        }
        let e = #expect(throws: LuaScriptError.self) { try t.run("sumOf(print, 1)") }
        #expect(e?.message.hasSuffix("callback used after its scope ended") == true)
    }
}
