import LuaCore
import LuaStdlib
import Testing

@Suite("os library", .serialized)
struct OSTests {
    @Test func dateFormatsWithFixedTimes() throws { try OSIOFixtures.check("os_date") }
    @Test func timeNormalisesTables() throws { try OSIOFixtures.check("os_time") }
    @Test func filesAndCommands() throws { try OSIOFixtures.check("os_files") }

    @Test func safeSubsetHasNoHostAccess() throws {
        let lua = Lua.sandboxed()
        OSLibrary.open(lua, safe: true)
        let r = try lua.run("return os.getenv, os.remove, os.execute, os.exit, os.tmpname, type(os.time()), type(os.clock())")
        #expect(r == [.nil, .nil, .nil, .nil, .nil, .string(Array("number".utf8)), .string(Array("number".utf8))])
    }
}
