import Foundation
import LuaCore
import LuaStdlib
import Testing

@Suite("string.dump and binary chunks", .serialized)
struct DumpTests {
    @Test func roundTripsAndErrors() throws { try OSIOFixtures.check("dump") }

    static let sample = """
        local a, b = 1, 2.5
        local function f(x, ...)
          local t = {x, ..., n = select('#', ...)}
          for i = 1, #t do t[i] = (t[i] or 0) + a * b end
          for k, v in pairs(t) do if k == 'n' then a = a + v end end
          local s = "str" .. tostring(x)
          while x > 0 do x = x - 1; if x == 3 then break end end
          return function() return a, s, t end
        end
        goto skip
        ::skip::
        do local c <close> = nil end
        return f(10, 20, 30)()
        """

    static func dumped(strip: Bool) throws -> [UInt8] {
        let proto = try LuaCompiler.compile(Array(sample.utf8), chunkName: "=sample")
        return LuaDump.dump(proto, strip: strip)
    }

    @Test func compilerOutputPassesTheVerifier() throws {
        for strip in [false, true] {
            let bytes = try Self.dumped(strip: strip)
            let p = try LuaUndump.undump(bytes, chunkName: "=x")
            #expect(LuaDump.dump(p, strip: strip) == bytes)
        }
    }

    /// A function whose locals fill every register returns nothing from register
    /// `maxStackSize` (the first free one); the verifier accepts what the compiler emits
    /// (PUC's vararg.lua, locals.lua and db.lua have such functions).
    @Test func returnFromAFullFrameIsVerified() throws {
        let params = (1...49).map { "p\($0)" }.joined(separator: ", ")
        let locals = (1...14).map { "a\($0)" }.joined(separator: ", ")
        let source = "local function f(\(params), ...) local \(locals) end return f"
        let proto = try LuaCompiler.compile(Array(source.utf8), chunkName: "=full")
        for strip in [false, true] {
            let bytes = LuaDump.dump(proto, strip: strip)
            let p = try LuaUndump.undump(bytes, chunkName: "=full")
            #expect(LuaDump.dump(p, strip: strip) == bytes)
        }
        let lua = Lua.full()
        #expect(try lua.run("local f = load(string.dump(load([[\(source)]])())) return f ~= nil, select('#', f())") == [true, 0])
    }

    /// Every truncation and many corruptions give an error or a function, never a crash.
    @Test func corruptedChunksNeverCrash() throws {
        let bytes = try Self.dumped(strip: false)
        for n in 0..<bytes.count {
            #expect(throws: LuaUndumpError.self) { try LuaUndump.undump(Array(bytes[0..<n]), chunkName: "=x") }
        }
        var rng = SystemRandomNumberGenerator()
        var loaded = 0
        for i in 0..<(bytes.count * 8) {
            var corrupt = bytes
            let position = i % bytes.count
            corrupt[position] = i < bytes.count ? corrupt[position] ^ 0xFF : UInt8.random(in: 0...255, using: &rng)
            if (try? LuaUndump.undump(corrupt, chunkName: "=x")) != nil { loaded += 1 }
        }
        // Some flips (in constants, line numbers, names) leave a valid chunk; that is fine.
        #expect(loaded < bytes.count * 8)
    }

    /// Corrupted chunks that still verify must run (or fail) without crashing the VM.
    @Test func verifiedCorruptionsRunSafely() throws {
        let bytes = try Self.dumped(strip: true)
        for i in 0..<bytes.count {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupt = bytes
                corrupt[i] ^= flip
                guard (try? LuaUndump.undump(corrupt, chunkName: "=x")) != nil else { continue }
                if ProcessInfo.processInfo.environment["DUMP_TRACE"] != nil { print("running corruption", i, flip) }
                let lua = Lua.full()
                lua.output = { _ in }
                if let f = try? lua.load(corrupt, chunkName: "=x") {
                    let execution = try? lua.start(f, [])
                    _ = try? execution?.step(fuel: 20_000)
                    execution?.abandon()
                }
            }
        }
    }

    /// The messages lua5.4 gives for `load(string.dump(f):sub(1, 20))` and friends.
    @Test func errorMessagesNameTheChunk() throws {
        let bytes = try Self.dumped(strip: false)
        func message(_ b: [UInt8], _ name: String) -> String? {
            do { _ = try LuaUndump.undump(b, chunkName: name); return nil } catch { return error.message }
        }
        let truncated = Array(bytes[0..<20])
        #expect(message(truncated, String(decoding: truncated, as: UTF8.self)) == "binary string: bad binary format (truncated chunk)")
        #expect(message(Array(bytes[0..<3]), "=chunk") == "chunk: bad binary format (truncated chunk)")
        #expect(message(truncated, "@file.lua") == "file.lua: bad binary format (truncated chunk)")
        #expect(message(Array("\u{1B}Lux".utf8), "\u{1B}Lux") == "binary string: bad binary format (not a binary chunk)")
        var official = bytes
        official[5] = 0  // PUC's official format byte
        #expect(message(official, "=x") == "x: bad binary format (format mismatch)")
    }

    @Test func sandboxRefusesBinaryChunks() throws {
        let lua = Lua.sandboxed()
        lua.binaryChunksAllowed = false
        StringDump.install(lua)
        let r = try lua.run("return load(string.dump(function() end))")
        #expect(r == [.nil, .string(Array("attempt to load a binary chunk (binary chunks are disabled)".utf8))])
    }
}
