import Testing
@testable import LuaCore

/// The landing-page example of LuaCore.docc, verbatim apart from the assertions.
@Suite struct LuaCoreDocumentationExampleTests {
    @Test func landingPageExampleRuns() throws {
        let lua = Lua()
        try lua.register("add") { (a: Int, b: Int) -> Int in a + b }
        try lua.register("twice") { ctx in
            try ctx.push(ctx.argument(1))
            try ctx.push(ctx.argument(2))
            return .call(arguments: 1, then: { ctx, status in
                guard case .returned(let n) = status, n > 0 else { return .results(0) }
                let first = ctx[ctx.top - n + 1]
                try ctx.setTop(ctx.top - n)
                try ctx.push(first)
                try ctx.push(first)
                return .results(2)
            }, protected: false)
        }
        let results = try lua.run("""
            local a, b = twice(function(x) return add(x, 1) end, 41)
            return a + b
            """)
        #expect(results == [.integer(84)])
        lua.memoryLimit = 64 << 20
        let f = try lua.load(Array("while true do end".utf8), chunkName: "=untrusted")
        let execution = try lua.start(f, [])
        #expect(try execution.step(fuel: 1_000_000) == .outOfFuel)
        execution.abandon()
    }
}
