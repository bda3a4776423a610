import Foundation
import LuaCore
import LuaStdlib
import Testing

@Suite("string.dump and binary chunks", .serialized)
struct DumpTests {
    @Test func roundTripsAndErrors() throws { try OSIOFixtures.check("dump") }
    /// PUC's format byte for byte, its loader's messages, debug information after a round trip.
    @Test func pucFormatAndMessages() throws { try OSIOFixtures.check("dump-format") }

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

    /// `p` with its code replaced: how the fuzzer findings below are rebuilt.
    static func prototype(_ p: LuaPrototype, withCode code: [UInt32]) -> LuaPrototype {
        LuaPrototype(
            code: code, constants: p.constants, prototypes: p.prototypes, upvalues: p.upvalues,
            lineInfo: p.lineInfo, localVariables: p.localVariables, numParams: p.numParams,
            isVararg: p.isVararg, maxStackSize: p.maxStackSize, source: p.source,
            lineDefined: p.lineDefined, lastLineDefined: p.lastLineDefined)
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
        var unofficial = bytes
        unofficial[5] = 0x4D  // PUC's official format is 0
        #expect(message(unofficial, "=x") == "x: bad binary format (format mismatch)")
    }

    /// Fuzzer findings (undump target, PUC-format seeds): a NEWTABLE whose EXTRAARG asks for
    /// 2^33 array slots, or whose B asks for 2^62 hash nodes, trapped in the table's resize;
    /// they are allocation errors now.
    @Test(arguments: [(255, UInt32(1 << 25) - 1), (60, 0), (64, 0), (65, 0), (255, 0)])
    func hugeNewTableSizesAreMemoryErrors(b: Int, extra: UInt32) throws {
        let p = try LuaCompiler.compile(Array("local t = {} return t".utf8), chunkName: "=t")
        var code = p.code
        let at = try #require(code.firstIndex { $0 & 0x7F == UInt32(LuaOpcode.newTable.rawValue) })
        code[at] |= UInt32(b) << 16
        if extra > 0 {
            code[at] |= 1 << 15 | 0xFF << 24          // k: EXTRAARG extends C; C = 255
            code[at + 1] = UInt32(LuaOpcode.extraArg.rawValue) | extra << 7
        }
        let hostile = Self.prototype(p, withCode: code)
        let lua = Lua.full()
        let f = try lua.load(LuaDump.dump(hostile, strip: false), chunkName: "=t")
        // 1 << 63 and beyond are no hash part at all (Swift's shifts saturate).
        if extra > 0 || b - 1 < 63 { #expect(throws: (any Error).self) { try lua.call(f, []) } } else { _ = try? lua.call(f, []) }
        #expect(try lua.run("return 1 + 1") == [.integer(2)])
    }

    /// Fuzzer finding (undump target): an LFALSESKIP in place of the instruction before an
    /// open CALL jumps over the call to a SETLIST that reads top (B = 0), so SETLIST counted
    /// from a stale top (a negative count trapped). The verifier now treats the skip's
    /// landing place as a jump target, and refuses the chunk.
    @Test func aSkipOverTheOpenCallIsRefused() throws {
        let p = try LuaCompiler.compile(Array("local t = {f()} return t".utf8), chunkName: "=t")
        var code = p.code
        let call = try #require(code.firstIndex { $0 & 0x7F == UInt32(LuaOpcode.call.rawValue) })
        #expect(code[call + 1] & 0x7F == UInt32(LuaOpcode.setList.rawValue))
        let register = (code[call - 1] >> 7) & 0xFF
        code[call - 1] = UInt32(LuaOpcode.lFalseSkip.rawValue) | register << 7
        let hostile = Self.prototype(p, withCode: code)
        let lua = Lua.full()
        let error = #expect(throws: (any Error).self) { _ = try lua.load(LuaDump.dump(hostile, strip: false), chunkName: "=t") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("SETLIST"))
        // The unmodified chunk still loads and runs.
        lua.output = { _ in }
        #expect(try lua.run("f = function() return 1, 2 end return #load(string.dump(load('local t = {f()} return t')))()") == [.integer(2)])
    }

    /// Fuzzer finding (undump target): a NEWTABLE without k followed by something other
    /// than EXTRAARG passed the verifier, but the VM skips the next instruction after every
    /// NEWTABLE (as PUC's does), so a NEWTABLE just before the last RETURN ran past the end of
    /// the code (a wild jump). The verifier now requires the EXTRAARG always.
    @Test func aNewTableWithoutItsExtraArgumentIsRefused() throws {
        let p = try LuaCompiler.compile(Array("local t = {} return t".utf8), chunkName: "=t")
        var code = p.code
        let at = try #require(code.firstIndex { $0 & 0x7F == UInt32(LuaOpcode.newTable.rawValue) })
        #expect(code[at] >> 15 & 1 == 0)   // no k: C alone is the array size
        code[at + 1] = UInt32(LuaOpcode.loadNil.rawValue) | 1 << 7   // LOADNIL 1 0 in place of EXTRAARG
        let lua = Lua.full()
        let error = #expect(throws: (any Error).self) {
            _ = try lua.load(LuaDump.dump(Self.prototype(p, withCode: code), strip: false), chunkName: "=t")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("NEWTABLE"))
        #expect(try lua.run("return #load(string.dump(load('local t = {1, 2} return t')))()") == [.integer(2)])
    }

    @Test func sandboxRefusesBinaryChunks() throws {
        let lua = Lua.sandboxed()
        lua.binaryChunksAllowed = false
        StringDump.install(lua)
        let r = try lua.run("return load(string.dump(function() end))")
        #expect(r == [.nil, .string(Array("attempt to load a binary chunk (binary chunks are disabled)".utf8))])
    }
}
