import Testing
import LuaCore

@Suite struct ChunkIDTests {
    func id(_ s: String) -> String { String(decoding: LuaChunkID.display(Array(s.utf8)), as: UTF8.self) }

    @Test func fileAndLiteralNames() {
        #expect(id("@file.lua") == "file.lua")
        #expect(id("=stdin") == "stdin")
        let long = String(repeating: "d/", count: 40) + "x.lua"
        #expect(id("@" + long) == "..." + long.suffix(56))
        #expect(id("=" + String(repeating: "n", count: 70)) == String(repeating: "n", count: 59))
    }

    @Test func stringSources() {
        #expect(id("return 1") == #"[string "return 1"]"#)
        #expect(id("x = 1\ny = 2") == #"[string "x = 1..."]"#)
        let long = String(repeating: "a", count: 60)
        #expect(id(long) == "[string \"" + String(repeating: "a", count: 45) + "...\"]")
    }

    @Test func messagesUseTheChunkID() {
        do {
            _ = try LuaCompiler.compile(Array("x = = 1".utf8), chunkName: "x = = 1")
        } catch {
            #expect(error.message == #"[string "x = = 1"]:1: unexpected symbol near '='"#)
        }
    }
}
