import Foundation
import LuaCore
import LuaStdlib
import Testing

/// Runs the os/io/package/dump fixtures: `Fixtures/osio/NAME.lua` with its output recorded
/// from lua5.4 in `NAME.expected`, made inside that directory with
///
///     env LC_ALL=C TZ=UTC lua5.4 NAME.lua > NAME.expected 2>&1
///
/// Each fixture runs under the same chunk name ("@NAME.lua") so error positions match.
enum OSIOFixtures {
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("osio")

    /// A full state with every library this branch adds; print, io.write and warn all write
    /// into the returned buffer, in order.
    static func makeState(_ sink: OutputSink) -> Lua {
        let lua = Lua.full()
        lua.output = { bytes in sink.bytes += bytes }
        OSLibrary.open(lua, safe: false)
        IOLibrary.open(lua, allowProcesses: true)
        PackageLibrary.open(lua, safe: false)
        ChunkFiles.open(lua)
        WarnLibrary.open(lua, sink: { bytes in sink.bytes += bytes })
        StringDump.install(lua)
        return lua
    }

    /// Runs `source` and returns what it printed (plus "error: message" if it failed).
    static func run(_ source: [UInt8], chunkName: String) -> String {
        setenv("TZ", "UTC", 1)
        tzset()
        let sink = OutputSink()
        let lua = makeState(sink)
        do {
            let f = try lua.load(source, chunkName: chunkName)
            try lua.call(f, [])
        } catch {
            sink.bytes += Array("error: \(error.message)\n".utf8)
        }
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    static func check(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let source = try Data(contentsOf: directory.appendingPathComponent(name + ".lua"))
        let expected = try String(decoding: Data(contentsOf: directory.appendingPathComponent(name + ".expected")), as: UTF8.self)
        let actual = run(Array(source), chunkName: "@" + name + ".lua")
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(expectedLines.count, actualLines.count) {
            let e = i < expectedLines.count ? String(expectedLines[i]) : "<missing>"
            let a = i < actualLines.count ? String(actualLines[i]) : "<missing>"
            #expect(a == e, "\(name).lua output line \(i + 1)", sourceLocation: sourceLocation)
            if a != e { break }
        }
    }
}

/// Collects output bytes (a class so escaping closures can append).
final class OutputSink: @unchecked Sendable {
    var bytes: [UInt8] = []
}

extension Array where Element == UInt8 {
    static func += (lhs: inout [UInt8], rhs: UnsafeRawBufferPointer) { lhs.append(contentsOf: rhs) }
}
