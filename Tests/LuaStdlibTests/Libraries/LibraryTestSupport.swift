import Foundation
import LuaCore
@testable import LuaStdlib

/// Runs Lua snippets with the table, math and utf8 libraries and captures what `print` writes.
enum LibraryHarness {
    /// The recorded fixtures: `Fixtures/libraries/X.lua` and lua5.4's output `X.out`
    /// (Scripts/record-library-fixtures.sh).
    static let fixtures: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("libraries")

    static func fixture(_ name: String) -> [UInt8] {
        Array((try? Data(contentsOf: fixtures.appendingPathComponent(name))) ?? Data())
    }

    final class Output { var bytes: [UInt8] = [] }

    /// `Lua.full()` plus this branch's libraries, printing into `output`.
    static func makeState(_ output: Output) -> Lua {
        let lua = Lua.full()
        TableLibrary.open(lua)
        MathLibrary.open(lua)
        UTF8Library.open(lua)
        lua.output = { output.bytes.append(contentsOf: $0) }
        return lua
    }

    /// Runs `source` as chunk `chunkName`; the printed text, then "error: message" if it raised.
    static func run(_ source: [UInt8], chunkName: String = "=test", configure: (Lua) -> Void = { _ in }) -> String {
        let output = Output()
        let lua = makeState(output)
        configure(lua)
        do {
            let f = try lua.load(source, chunkName: chunkName)
            _ = try lua.call(f, [])
        } catch {
            output.bytes.append(contentsOf: Array("error: \(error.message)\n".utf8))
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    static func run(_ source: String, configure: (Lua) -> Void = { _ in }) -> String {
        run(Array(source.utf8), configure: configure)
    }

    /// Runs fixture `name.lua` as lua5.4 did (chunk "@name.lua") and returns (ours, expected).
    static func runFixture(_ name: String) -> (actual: [UInt8], expected: [UInt8]) {
        let output = Output()
        let lua = makeState(output)
        do {
            let f = try lua.load(fixture(name + ".lua"), chunkName: "@\(name).lua")
            _ = try lua.call(f, [])
        } catch {
            output.bytes.append(contentsOf: Array("error: \(error.message)\n".utf8))
        }
        return (output.bytes, fixture(name + ".out"))
    }

    /// The first differing line of two outputs, for readable failures.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let la = a.split(separator: 0x0A, omittingEmptySubsequences: false)
        let lb = b.split(separator: 0x0A, omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(decoding: la[i], as: UTF8.self) : "<missing>"
            let y = i < lb.count ? String(decoding: lb[i], as: UTF8.self) : "<missing>"
            if x != y { return "line \(i + 1):\n  ours:   \(x)\n  lua5.4: \(y)" }
        }
        return "identical"
    }
}
