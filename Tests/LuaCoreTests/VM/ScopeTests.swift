import Testing
import GCArena
@testable import LuaCore

final class Tracked { var count = 0 }

@Suite struct ScopeTests {
    @Test func scopedFunctionsMayUseStateValidOnlyDuringTheScope() throws {
        let t = TestLua()
        var hits = 0
        try withUnsafeMutablePointer(to: &hits) { counter in
            try t.lua.scope { scope in
                try scope.register("hit") { (n: Int) in counter.pointee += n }
                try t.run("hit(2) hit(3) saved = hit")
            }
        }
        #expect(hits == 5)
        let e = #expect(throws: LuaScriptError.self) { try t.run("saved(1)") }
        #expect(e?.message.hasSuffix("callback used after its scope ended") == true)
        try t.run("local ok, e = pcall(saved, 1) print(ok, e)")
        #expect(t.output == "false\tcallback used after its scope ended\n")
        #expect(hits == 5)
        // The state is fine afterwards.
        #expect(try t.run("return 1 + 1") == [2])
    }

    @Test func theScopeReleasesWhatItsFunctionsCaptured() throws {
        let t = TestLua()
        weak var weakTracked: Tracked?
        let returned = try t.lua.scope { scope -> Int in
            let tracked = Tracked()
            weakTracked = tracked
            let f = try scope.function("bump") { () -> Int in tracked.count += 1; return tracked.count }
            try t.lua.globals.set("bump", f.value)
            return try t.lua.eval("bump() + bump()", as: Int.self)
        }
        #expect(returned == 3)
        #expect(weakTracked == nil)    // the global still holds the function, not the object
        #expect(throws: LuaScriptError.self) { try t.run("bump()") }
    }

    @Test func aThrowingBodyEndsTheScopeToo() throws {
        struct Stop: Error {}
        let t = TestLua()
        #expect(throws: Stop.self) {
            try t.lua.scope { scope in
                try scope.register("f") { () -> Int in 1 }
                throw Stop()
            }
        }
        #expect(throws: LuaScriptError.self) { try t.run("f()") }
    }

    @Test func scopedUserdataLosesItsPayload() throws {
        let t = TestLua()
        try t.lua.registerUserdata(Point.self, name: "Point") { p in
            p.property("x", get: { $0.x }, set: { $0.x = $1 })
            p.method("length") { (me: Point) -> Double in (me.x * me.x + me.y * me.y).squareRoot() }
        }
        try t.lua.register("norm") { (p: Point) -> Double in abs(p.x) + abs(p.y) }
        try t.lua.scope { scope in
            try t.lua.globals.set("p", try scope.userdata(Point(x: 3, y: 4)))
            #expect(try t.run("p.x = 0 return p:length(), norm(p)") == [.number(4), .number(4)])
        }
        try t.run("print(pcall(p.length, p)) print(pcall(norm, p)) print(pcall(function() p.x = 1 end))")
        #expect(t.output == """
            false\tuserdata used after its scope ended
            false\tbad argument #1 to 'norm' (userdata used after its scope ended)
            false\ttest:1: userdata used after its scope ended

            """)
    }

    @Test func aContinuationResumedAfterTheScopeRaises() throws {
        let t = TestLua()
        var resumedInside = false
        let co = try t.lua.scope { scope -> LuaCoroutine in
            // A scoped function that yields, and runs its continuation when resumed.
            try scope.register("pause") { _ in
                .yield(count: 0, then: { _, _ in resumedInside = true; return .results(0) })
            }
            try t.run("function body() pause() pause() return 'done' end")
            let co = try t.lua.createCoroutine(try t.lua.globals.get("body", as: LuaFunction.self))
            #expect(try co.resume() == .yielded([]))
            #expect(try co.resume() == .yielded([]))
            return co
        }
        #expect(resumedInside)
        resumedInside = false
        let e = #expect(throws: LuaScriptError.self) { try co.resume() }
        #expect(e?.message.hasSuffix("callback used after its scope ended") == true)
        #expect(!resumedInside)
    }

    @Test func asyncScopes() async throws {
        let t = TestLua()
        let log = Tracked()
        let r = try await t.lua.scope { scope in
            try scope.register("note") { (n: Int) in log.count += n }
            return try await t.lua.runAsync("note(4) note(5) return 'ok'")
        }
        #expect(r == ["ok"] && log.count == 9)
        do {
            _ = try await t.lua.runAsync("note(1)")
            Issue.record("a scoped function ran after its scope")
        } catch {
            #expect(error.message.hasSuffix("callback used after its scope ended"))
        }
    }
}
