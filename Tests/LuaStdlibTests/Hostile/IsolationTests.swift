import Testing
import LuaCore
import LuaStdlib

/// `Lua.loadIsolated`: one script's tampering with shared tables does not reach the next.
@Suite struct IsolationTests {
    static func run(_ lua: Lua, _ source: String) throws -> [LuaHostValue] {
        try lua.call(try lua.loadIsolated(Array(source.utf8), chunkName: "=script"), [])
    }

    static let check = """
        return ("x"):rep(3), string.rep("y", 2), type(print), math.floor(2.5) == 2, undefined == nil
        """
    static var expected: [LuaHostValue] { [.string(Array("xxx".utf8)), .string(Array("yy".utf8)),
                                            .string(Array("function".utf8)), .boolean(true), .boolean(true)] }

    static let attacks: [String] = [
        "getmetatable('').__index = function() return 'evil' end",
        "string.rep = nil",
        "rawset(string, 'rep', function() return 'evil' end)",
        "setmetatable(_G, {__index = function() return 'evil' end})",
        "print = nil; undefined = 1",
        "_G.string = {rep = function() return 'evil' end}",
        "package.loaded.string.rep = nil",
        "setmetatable(string, {})",
        "table.insert = nil; math.floor = nil",
        "load('string = nil; print = nil')()",
    ]

    @Test(arguments: attacks)
    func tamperingStaysInItsScript(_ attack: String) throws {
        let lua = Lua.sandboxed()
        #expect(try Self.run(lua, Self.check) == Self.expected)
        // The attack may fail (read-only tables) or succeed on its own globals; both are fine.
        _ = try? Self.run(lua, attack)
        #expect(try Self.run(lua, Self.check) == Self.expected, "after: \(attack)")
    }

    @Test func scriptsKeepTheirOwnGlobalsAndLibrariesStillWork() throws {
        let lua = Lua.sandboxed()
        #expect(try Self.run(lua, "counter = 1 return counter") == [.integer(1)])
        #expect(try Self.run(lua, "return counter") == [.nil])
        #expect(try Self.run(lua, """
            local t = {3, 1, 2} table.sort(t)
            local n = 0 for _ in pairs(string) do n = n + 1 end
            return table.concat(t, ","), n > 10, #_G == 0, select('#', require('string').rep('a', 2))
            """) == [.string(Array("1,2,3".utf8)), .boolean(true), .boolean(true), .integer(1)])
        let err = #expect(throws: LuaScriptError.self) { try Self.run(lua, "string.rep = nil") }
        #expect(err?.message.contains("read-only") == true)
    }
}
