import Testing
import LuaCore
import LuaStdlib

struct ArticlePoint: LuaUserdataConvertible, BitwiseCopyable { var x = 0.0, y = 0.0 }

/// The examples of LuaCore.docc's "Embedding Moonlet", verbatim apart from the assertions
/// (the article's `Lua()` is a sandboxed state here so that `coroutine` exists).
@Suite struct EmbeddingArticleTests {
    @Test func embeddingArticleExamplesRun() async throws {
        let lua = Lua.sandboxed()
        try lua.register("add") { (a: Int, b: Int) -> Int in a + b }
        try lua.registerAsync("map") { (f: LuaFunction, list: LuaTableRef) async throws -> [LuaHostValue] in
            var out: [LuaHostValue] = []
            for x in try list.sequence() { out.append(try await f.call(x).first ?? .nil) }
            return out
        }
        let r = try await lua.runAsync("return #map(function(x) return add(x, 1) end, {1, 2, 3})")
        #expect(r == [.integer(3)])

        try lua.run("config = {name = 'moon', port = 8080, tags = {'a', 'b'}}")
        let config = try lua.globals.get("config", as: LuaTableRef.self)
        let port = try config.get("port", as: Int.self)
        let tags = try config.get("tags", as: [String].self)
        try config.set("debug", to: true)
        var keys = 0
        for (key, value) in try config.pairs() { _ = (key, value); keys += 1 }
        let total = try lua.eval("config.port + 1", as: Int.self)
        try lua.run("function divmod(a, b) return a // b, a % b end")
        let divmod = try lua.globals.get("divmod", as: LuaFunction.self)
        let (q, m) = try await divmod.call(17, 5, returning: (Int, Int).self)   // async context: the async overload
        #expect(port == 8080 && tags == ["a", "b"] && keys == 4 && total == 8081 && q == 3 && m == 2)

        try lua.registerUserdata(ArticlePoint.self, name: "Point") { t in
            t.property("x", get: { $0.x }, set: { $0.x = $1 })
            t.method("length") { (p: ArticlePoint) -> Double in (p.x * p.x + p.y * p.y).squareRoot() }
            t.mutatingMethod("move") { (p: inout ArticlePoint, dx: Double, dy: Double) in p.x += dx; p.y += dy }
            t.toString { "Point(\($0.x), \($0.y))" }
        }
        try lua.register("point") { (x: Double, y: Double) -> ArticlePoint in ArticlePoint(x: x, y: y) }
        #expect(try lua.eval("point(3, 4):length()", as: Double.self) == 5)
        #expect(try lua.eval("tostring(point(1, 2))", as: String.self) == "Point(1.0, 2.0)")

        do {
            try lua.run("while true do end", limits: LuaLimits(fuel: 1_000_000, timeout: .seconds(30)))
            Issue.record("no limit error")
        } catch {
            #expect(error.kind == .outOfFuel)
        }

        try lua.run("function gen(n) for i = 1, n do coroutine.yield(i) end return 'done' end")
        let co = try lua.createCoroutine(try lua.globals.get("gen", as: LuaFunction.self))
        #expect(try co.resume(2) == .yielded([1]))
        #expect(try co.resume() == .yielded([2]))
        #expect(try co.resume() == .returned(["done"]))
    }

    @Test func embeddingArticleCodableExampleRuns() throws {
        let lua = Lua.sandboxed()
        try lua.globals.set("settings", to: ArticleSettings(name: "edge", servers: [ArticleServer(host: "a", port: 80)], retries: nil))
        try lua.run("settings.servers[2] = {host = 'b', port = 443}")
        let settings = try lua.eval("settings", as: ArticleSettings.self)
        #expect(settings.servers.map(\.port) == [80, 443] && settings.retries == nil)
        try lua.register("describe") { (s: ArticleSettings) -> String in "\(s.name): \(s.servers.count) servers" }
        #expect(try lua.eval("describe(settings)", as: String.self) == "edge: 2 servers")
        let servers = try LuaDecoder().decode([ArticleServer].self, from: lua.eval("settings.servers"))
        #expect(servers.map(\.host) == ["a", "b"])
        let error = #expect(throws: DecodingError.self) {
            try LuaDecoder().decode(ArticleServer.self, from: lua.eval("{host = 'c', port = 1.5}"))
        }
        #expect(error.map(LuaDecoder.message) == "port: number 1.5 has no integer representation")
    }

    /// "Closing a state" (lua5.4 -e "log = setmetatable({}, {__gc = function() print('flushed') end})"
    /// prints flushed at its lua_close).
    @Test func embeddingArticleClosingExampleRuns() throws {
        final class Printed { var bytes: [UInt8] = [] }
        let printed = Printed()
        var state: Lua? = Lua.full()
        state?.output = { printed.bytes.append(contentsOf: $0) }
        try state?.run("log = setmetatable({}, {__gc = function() print('flushed') end})")
        state = nil   // prints "flushed"
        #expect(String(decoding: printed.bytes, as: UTF8.self) == "flushed\n")
    }
}

struct ArticleServer: Codable { var host: String; var port: UInt16 }
struct ArticleSettings: LuaCodable { var name: String; var servers: [ArticleServer]; var retries: Int? }
