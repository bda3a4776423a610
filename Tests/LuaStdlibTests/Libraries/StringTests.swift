import Foundation
import Testing
import LuaCore
@testable import LuaStdlib

/// The string library binding: lua5.4's recorded output for every function
/// (Fixtures/string/*.lua, Scripts/record-string-fixtures.sh), plus what fixtures cannot
/// show: yields inside gsub, bounded pattern work, and collector stress.
@Suite struct StringTests {
    static let fixtures: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("string")

    final class Output { var bytes: [UInt8] = [] }

    /// Runs `source` in `Lua.full()`; the printed text, then "error: message" if it raised.
    static func run(_ source: [UInt8], chunkName: String = "=test", configure: (Lua) -> Void = { _ in }) -> [UInt8] {
        let output = Output()
        let lua = Lua.full()
        lua.output = { bytes in output.bytes.append(contentsOf: bytes) }
        configure(lua)
        do {
            let f = try lua.load(source, chunkName: chunkName)
            _ = try lua.call(f, [])
        } catch {
            output.bytes.append(contentsOf: Array("error: \(error.message)\n".utf8))
        }
        return output.bytes
    }

    static func run(_ source: String, configure: (Lua) -> Void = { _ in }) -> String {
        String(decoding: run(Array(source.utf8), configure: configure), as: UTF8.self)
    }

    @Test(arguments: ["basics", "patterns", "patterns-lead", "gsub", "format", "format-numbers", "pack", "meta"])
    func fixtureMatchesLua54(_ name: String) throws {
        let source = try Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".lua"))
        let expected = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".out")))
        let actual = Self.run(Array(source), chunkName: "@\(name).lua")
        #expect(!expected.isEmpty)
        let same = actual == expected
        #expect(same, "\(LibraryHarness.firstDifference(actual, expected))")
    }

    /// As in lua5.4, a replacement function cannot yield (gsub is a C-call boundary), while
    /// a gmatch loop body can (the iterator returns before the body runs). Output recorded
    /// with lua5.4 on the same program.
    @Test func gsubFunctionMayYieldInsideACoroutine() {
        let out = Self.run("""
            local co = coroutine.wrap(function()
              return string.gsub("abc", "%w", function(c) coroutine.yield(c) return c .. c end)
            end)
            print(pcall(co))
            local gen = coroutine.wrap(function()
              for k, v in string.gmatch("a=1,b=2", "(%w)=(%w)") do coroutine.yield(k .. v) end
              return "done"
            end)
            print(gen(), gen(), gen())
            """)
        #expect(out == "false\tattempt to yield across a C-call boundary\na1\tb2\tdone\n")
    }

    /// An error in a replacement function or a __tostring reaches pcall unchanged.
    @Test func errorsInsideCalloutsPropagate() {
        let out = Self.run("""
            print(pcall(string.gsub, "abc", "b", function() error("stop", 0) end))
            print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() error("ts", 0) end})))
            print(select(2, pcall(string.gsub, "abc", "b", function() error({1}) end))[1])
            """)
        #expect(out == "false\tstop\nfalse\tts\n1\n")
    }

    /// ("a"):rep(40) against ("a?"):rep(40) .. ("a"):rep(40) never finishes in lua5.4; here it
    /// stops with the documented error once one attempt exceeds the work cap.
    @Test func pathologicalPatternStopsWithinBoundedTime() {
        let started = ContinuousClock.now
        let out = Self.run("""
            local s, p = ("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40)
            print(pcall(string.find, s, p))
            print(pcall(string.match, s, p))
            print(pcall(string.gsub, s, p, "x"))
            local ok, err = pcall(function() for x in string.gmatch(s, p) do end end)
            print(ok, err)
            print(#string.match(("a"):rep(50000), "^(a-)b?$"))
            """, configure: { StringLibrary.open($0, patternWorkLimit: 1 << 18) })
        let elapsed = ContinuousClock.now - started
        let message = "pattern too complex (too much backtracking)"
        #expect(out == """
            false\t\(message)
            false\t\(message)
            false\t\(message)
            false\ttest:5: \(message)
            50000

            """)
        #expect(elapsed < .seconds(60))
    }

    /// While a long match runs, the host's fuel-bounded steps still end: the matcher's work is
    /// charged to the VM and the binding returns to the executor after each slice, so a step
    /// lasts at most one slice of matching beyond its fuel.
    @Test func longMatchRunsInBoundedSteps() throws {
        let lua = Lua.full()
        StringLibrary.open(lua, patternWorkLimit: 1 << 18)
        let f = try lua.load(Array("""
            local s, p = ("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40)
            return pcall(string.find, s, p)
            """.utf8), chunkName: "=bounded")
        let execution = try lua.start(f, [])
        var slices = 0
        var result: [LuaHostValue] = []
        while true {
            slices += 1
            if case .finished(let values) = try execution.step(fuel: 10_000) {
                result = values
                break
            }
            #expect(slices < 1_000_000)
        }
        #expect(result == [.boolean(false), .string(Array("pattern too complex (too much backtracking)".utf8))])
        // One return to the host per exhausted 16K-unit slice (the cap is 256K units here).
        #expect(slices >= 5)
    }

    /// Every safe point collects while gsub calls a Lua function per match (and a table with
    /// a function __index, and format resolves __tostring): the output is unchanged.
    @Test func gsubWithFunctionUnderCollectorStress() {
        let source = """
            local words = {}
            for i = 1, 60 do words[i] = "w" .. i end
            local text = table.concat(words, " ")
            local seen = 0
            local r, n = string.gsub(text, "(%a)(%d+)", function(a, d)
              seen = seen + 1
              local junk = {a, d, {}}
              return a:upper() .. (tonumber(d) * 2)
            end)
            print(r:sub(1, 40), n, seen)
            local proxy = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
            print((string.gsub(text:sub(1, 30), "%w+", proxy)))
            local obj = setmetatable({}, {__tostring = function() return "obj" .. #text end})
            print(string.format("%s|%s|%d", obj, obj, n))
            for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, v, ";") end
            print()
            """
        let plain = Self.run(source)
        let stressed = Self.run(source, configure: { $0.gcStressMode = true })
        #expect(plain == """
            W2 W4 W6 W8 W10 W12 W14 W16 W18 W20 W22 	60	60
            <w1> <w2> <w3> <w4> <w5> <w6> <w7> <w8> <w9> <w10>
            obj230|obj230|60
            a1;b2;c3;

            """)
        #expect(stressed == plain)
    }

    /// `string` is one table holding the library and `dump`; package.loaded.string is it.
    @Test func stringTableIncludesDump() {
        let out = Self.run("""
            local names = {}
            for k in pairs(string) do names[#names + 1] = k end
            table.sort(names)
            print(table.concat(names, " "))
            print(package.loaded.string == string, getmetatable("").__index == string)
            """)
        #expect(out == """
            byte char dump find format gmatch gsub len lower match pack packsize rep reverse sub unpack upper
            true\ttrue

            """)
    }
}
