import LuaCore
import LuaStdlib
import Testing

@Suite("package library", .serialized)
struct PackageTests {
    @Test func requirePreloadFilesAndErrors() throws { try OSIOFixtures.check("package_require") }
    @Test func dofileAndLoadfile() throws { try OSIOFixtures.check("dofile_warn") }
    @Test func warnControlMessages() throws { try OSIOFixtures.check("warn") }

    @Test func defaultPath() throws {
        let lua = Lua.full()
        PackageLibrary.open(lua, safe: false, ignoreEnvironment: true)
        #expect(try lua.run("return package.path") == [.string(Array(PackageLibrary.defaultPath.utf8))])
    }

    @Test func safeRequireUsesOnlyPreload() throws {
        let lua = Lua.sandboxed()
        PackageLibrary.open(lua, safe: true)
        let r = try lua.run("""
            package.preload.m = function(name) return name .. '!' end
            local ok, err = pcall(require, 'nofile')
            return require('m'), #package.searchers, package.searchpath, err
            """)
        #expect(r == [.string(Array("m!".utf8)), .integer(1), .nil,
                      .string(Array("module 'nofile' not found:\n\tno field package.preload['nofile']".utf8))])
    }

    @Test func warningsEnabledFromSwift() {
        let sink = OutputSink()
        let lua = Lua.full()
        WarnLibrary.open(lua, sink: { sink.bytes += $0 })
        #expect(lua.warningsEnabled == false)
        lua.warningsEnabled = true
        _ = try? lua.run("warn('a', 'b')")
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "Lua warning: ab\n")
    }
}
