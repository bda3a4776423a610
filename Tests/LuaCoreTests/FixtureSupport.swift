import Foundation
import LuaCore

/// Access to the recorded fixtures under `Fixtures/` (copied into the test bundle).
enum Fixtures {
    static let root: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func url(_ dir: String) -> URL { root.appendingPathComponent(dir) }

    /// The names of the files in `dir` ending in `suffix`, sorted.
    static func files(in dir: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(dir).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func bytes(_ dir: String, _ name: String) -> [UInt8] {
        Array((try? Data(contentsOf: url(dir).appendingPathComponent(name))) ?? Data())
    }

    static func text(_ dir: String, _ name: String) -> String {
        String(decoding: bytes(dir, name), as: UTF8.self)
    }

    /// Compiles fixture `dir/name` the way `luac5.4 name` (run inside `dir`) does.
    static func compile(_ dir: String, _ name: String) throws(LuaSyntaxError) -> LuaPrototype {
        try LuaCompiler.compile(bytes(dir, name), chunkName: "@" + name, skipFileHeader: true)
    }

    /// Replaces every `0x...` address, which differs between luac runs and our listing.
    static func normalizeAddresses(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if c == "0" {
                if let n = it.next() {
                    if n == "x" {
                        out += "ADDR"
                        while let h = it.next() {
                            if !h.isHexDigit { pending = h; break }
                        }
                        continue
                    }
                    out.append(c)
                    pending = n
                    continue
                }
            }
            out.append(c)
        }
        return out
    }
}
