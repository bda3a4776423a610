import Testing
import LuaCore

/// Lexer details, observed through the constants and errors of compiled chunks.
@Suite struct LexerTests {
    /// The constants of `return <expr>`-style chunks whose value lands in the K table.
    func constants(_ source: String) throws -> [LuaConstant] {
        try LuaCompiler.compile(Array(source.utf8), chunkName: "=t").constants
    }

    func string(_ literal: String) throws -> [UInt8] {
        let k = try constants("x = " + literal)
        guard k.count == 2, case .string(let bytes) = k[1] else {
            Issue.record("no string constant in \(k)")
            return []
        }
        return bytes
    }

    func error(_ source: String) -> String {
        do {
            _ = try LuaCompiler.compile(Array(source.utf8), chunkName: "=t")
            return ""
        } catch {
            return error.message
        }
    }

    @Test func decimalIntegerOverflowBecomesFloat() throws {
        #expect(try constants("x = 9223372036854775807") == [.string(Array("x".utf8)), .integer(.max)])
        #expect(try constants("x = 9223372036854775808") == [.string(Array("x".utf8)), .float(9223372036854775808.0)])
        #expect(try constants("x = 18446744073709551616") == [.string(Array("x".utf8)), .float(18446744073709551616.0)])
    }

    @Test func hexIntegersWrapAround() throws {
        #expect(try constants("x = 0xffffffffffffffff") == [.string(Array("x".utf8)), .integer(-1)])
        #expect(try constants("x = 0x7fffffffffffffff")[1] == .integer(.max))
        #expect(try constants("x = 0x8000000000000000")[1] == .integer(.min))
        #expect(try constants("x = 0x10000000000000001")[1] == .integer(1))
    }

    @Test func floatsAndHexFloats() throws {
        #expect(try constants("x = 0.1")[1] == .float(0.1))
        #expect(try constants("x = .5e-3")[1] == .float(0.0005))
        #expect(try constants("x = 0x1.8p1")[1] == .float(3.0))
        #expect(try constants("x = 0xA.8p-1")[1] == .float(5.25))
        #expect(try constants("x = 0x.1")[1] == .float(0.0625))
        #expect(try constants("x = 1e308 * 10")[1] == .float(.infinity))
    }

    @Test func malformedNumbers() {
        #expect(error("x = 3x") == "t:1: malformed number near '3x'")
        #expect(error("x = 0x") == "t:1: malformed number near '0x'")
        #expect(error("x = 1e") == "t:1: malformed number near '1e'")
        #expect(error("x = 0xep+") == "t:1: malformed number near '0xep+'")
        #expect(error("x = 1..2") == "t:1: malformed number near '1..2'")
        #expect(error("x = 08z") == "t:1: malformed number near '08z'")
    }

    @Test func allEscapes() throws {
        #expect(try string(#""\a\b\f\n\r\t\v\\\"\'""#) == [7, 8, 12, 10, 13, 9, 11, 92, 34, 39])
        #expect(try string(#""\x41\x7a\xFF""#) == [0x41, 0x7A, 0xFF])
        #expect(try string(#""\65\0657\255\0""#) == [65, 65, 55, 255, 0])
        #expect(try string("\"a\\z   \n\t  b\"") == Array("ab".utf8))
        #expect(try string("\"a\\\nb\"") == [97, 10, 98])
        #expect(try string(#""\u{41}\u{E9}\u{20AC}\u{10FFFF}""#) == Array("Aé€\u{10FFFF}".utf8))
        #expect(try string(#""\u{7FFFFFFF}""#) == [0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF])
        #expect(try string(#""\u{80}""#) == [0xC2, 0x80])
    }

    @Test func escapeErrors() {
        #expect(error(#"x = "\q""#) == #"t:1: invalid escape sequence near '"\q'"#)
        #expect(error(#"x = "\x4g""#) == #"t:1: hexadecimal digit expected near '"\x4g'"#)
        #expect(error(#"x = "\256""#) == #"t:1: decimal escape too large near '"\256"'"#)
        #expect(error(#"x = "\u{110000000}""#) == #"t:1: UTF-8 value too large near '"\u{110000000'"#)
        #expect(error(#"x = "\u{}""#) == #"t:1: hexadecimal digit expected near '"\u{}'"#)
        #expect(error("x = 'abc") == "t:1: unfinished string near <eof>")
        #expect(error("x = 'abc\ny'") == "t:1: unfinished string near ''abc'")
    }

    @Test func longBrackets() throws {
        #expect(try string("[[\nfirst newline skipped]]") == Array("first newline skipped".utf8))
        #expect(try string("[==[a]]b]=]c]==]") == Array("a]]b]=]c".utf8))
        #expect(try string("[[a\r\nb\n\rc\rd]]") == Array("a\nb\nc\nd".utf8))
        #expect(try string("[=[]=]") == [])
        #expect(error("x = [==[abc") == "t:1: unfinished long string (starting at line 1) near <eof>")
        #expect(error("x = [=") == "t:1: invalid long string delimiter near '[='")
        #expect(error("--[==[ x\n]=]") == "t:2: unfinished long comment (starting at line 1) near <eof>")
        #expect(try constants("--[==[ x\n]]\n]==] x = 1") == [.string(Array("x".utf8)), .integer(1)])
    }

    @Test func lineCountingAcrossNewlineStyles() {
        #expect(error("x = 1\r\n\r\ny = = 2") == "t:3: unexpected symbol near '='")
        #expect(error("x = 1\n\r\n\ry = = 2") == "t:3: unexpected symbol near '='")
        #expect(error("x = [[\n\n]] y = = 2") == "t:3: unexpected symbol near '='")
    }

    @Test func firstLineHashIsSkippedForFiles() throws {
        let src = Array("#!/usr/bin/lua\nx = = 1".utf8)
        do {
            _ = try LuaCompiler.compile(src, chunkName: "@f.lua", skipFileHeader: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "f.lua:2: unexpected symbol near '='")
        }
        #expect(throws: LuaSyntaxError.self) { try LuaCompiler.compile(src, chunkName: "=s") }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("return 1".utf8)
        #expect(throws: Never.self) { try LuaCompiler.compile(bom, chunkName: "@f.lua", skipFileHeader: true) }
    }

    @Test func tokensInMessages() {
        #expect(error("x = = 1") == "t:1: unexpected symbol near '='")
        #expect(error("x = 1 2") == "t:1: unexpected symbol near '2'")
        #expect(error("x = 1 'a\\0b'") == "t:1: unexpected symbol near ''a'")
        #expect(error("x = \u{1}") == "t:1: unexpected symbol near '<\\1>'")
        #expect(error("x = 1 ...") == "t:1: unexpected symbol near '...'")
        #expect(error("local 1") == "t:1: <name> expected near '1'")
        #expect(error("x = 1 ==") == "t:1: unexpected symbol near <eof>")
    }
}
