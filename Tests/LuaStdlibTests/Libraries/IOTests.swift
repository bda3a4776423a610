import LuaCore
import LuaStdlib
import Testing

@Suite("io library", .serialized)
struct IOTests {
    @Test func readFormatsNumbersAndSeek() throws { try OSIOFixtures.check("io_read") }
    @Test func linesAndDefaultFiles() throws { try OSIOFixtures.check("io_lines") }
    @Test func writeFormattingErrorsAndClosedFiles() throws { try OSIOFixtures.check("io_misc") }

    @Test func stdoutInterleavesWithPrint() {
        let out = OSIOFixtures.run(Array("io.write('a') print('b') io.stdout:write('c', 1, 2.0, '\\n') print(1.0)".utf8), chunkName: "=t")
        #expect(out == "ab\nc12\n1.0\n")
    }

    @Test func popenIsOptIn() throws {
        let lua = Lua.full()
        IOLibrary.open(lua)
        let r = try lua.run("return pcall(io.popen, 'true')")
        #expect(r == [.boolean(false), .string(Array("'popen' not supported".utf8))])
    }

    @Test func tostringOfOpenFile() throws {
        let out = OSIOFixtures.run(Array("local s = tostring(io.stdout) print(s:sub(1, 8), s:sub(-1))".utf8), chunkName: "=t")
        // Without the string library this fixture only checks the call does not fail.
        #expect(out.hasPrefix("file (0x") || out.contains("error"))
    }
}
