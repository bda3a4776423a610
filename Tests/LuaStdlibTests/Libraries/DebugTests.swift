import Testing
import LuaCore
import LuaStdlib

/// The debug library's two environments and its hooks across fuel slices. Its behaviour
/// against lua5.4 is checked by the conformance fixtures debug-info, debug-locals and
/// debug-hooks (Tests/LuaStdlibTests/Fixtures).
@Suite struct DebugTests {
    static func run(_ lua: Lua, _ source: String) -> String {
        var output = [UInt8]()
        lua.output = { output.append(contentsOf: $0) }
        do {
            let f = try lua.load(Array(source.utf8), chunkName: "=test")
            _ = try lua.call(f, [])
        } catch {
            output.append(contentsOf: Array("error: \(error.message)\n".utf8))
        }
        return String(decoding: output, as: UTF8.self)
    }

    static let listing = """
        local names = {}
        for k in pairs(debug) do names[#names + 1] = k end
        table.sort(names)
        print(table.concat(names, " "))
        """

    @Test func fullStateHasTheWholeLibrary() {
        let out = Self.run(Lua.full(), Self.listing + "\nprint(require('debug') == debug)")
        #expect(out == """
            debug gethook getinfo getlocal getmetatable getregistry getupvalue getuservalue \
            setcstacklimit sethook setlocal setmetatable setupvalue setuservalue traceback \
            upvalueid upvaluejoin
            true

            """)
    }

    @Test func sandboxHasOnlyTracebackAndGetinfo() {
        let out = Self.run(Lua.sandboxed(), Self.listing + """

            print(require('debug') == debug)
            local function f() return debug.getinfo(2, "fnSl") end
            local info = f()
            print(info.func, info.what, info.currentline)
            print(debug.getinfo(print, "f").func == print)
            print((debug.traceback("m"):gsub("\\n.*", "")))
            """)
        #expect(out == """
            getinfo traceback
            true
            nil\tmain\t7
            true
            m

            """)
    }

    @Test func lineHooksSurviveTinyFuelSlicesAndCoroutines() {
        let source = """
            local lines = {}
            local co = coroutine.wrap(function()
              debug.sethook(function(e, l) lines[#lines + 1] = l end, "l")
              for i = 1, 3 do
                coroutine.yield(i)
              end
              debug.sethook()
            end)
            co(); co(); co(); co()
            print(table.concat(lines, ","))
            """
        let normal = Self.run(Lua.full(), source)
        let sliced = Lua.full()
        sliced.fuelPerSlice = 1
        #expect(normal == "4,5,4,5,4,5,4,7\n")
        #expect(Self.run(sliced, source) == normal)
    }
}
