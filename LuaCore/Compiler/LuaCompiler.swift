/// The public entry point of the Lua 5.4 compiler front end.
///
/// ```swift
/// let proto = try LuaCompiler.compile(Array("return 1 + x".utf8), chunkName: "=example")
/// print(LuaListing.render(proto))
/// ```
public enum LuaCompiler {
    /// Compiles a chunk of Lua source to its main function's prototype.
    ///
    /// - Parameters:
    ///   - source: The chunk's bytes (any encoding; Lua source is bytes).
    ///   - chunkName: The chunk's name following PUC conventions: `@file.lua` for a file
    ///     (shown as `file.lua` in messages), `=name` for a literal name, anything else is
    ///     shown as `[string "first line..."]`.
    ///   - skipFileHeader: Skip a UTF-8 byte-order mark and a first line starting with `#`
    ///     (keeping its newline so line numbers stay right), as `luaL_loadfile` does.
    /// - Throws: `LuaSyntaxError` with PUC-Rio's exact message text.
    public static func compile(
        _ source: [UInt8], chunkName: String, skipFileHeader: Bool = false
    ) throws(LuaSyntaxError) -> LuaPrototype {
        let name = Array(chunkName.utf8)
        let start = skipFileHeader ? headerLength(source) : 0
        let result: Result<LuaPrototype, LuaSyntaxError> = source.withUnsafeBufferPointer { buffer in
            // SAFETY: the lexer keeps `buffer` only while this closure runs; the parser and
            // lexer are local values that do not outlive it.
            let lexer = Lexer(source: buffer, start: start, chunkID: LuaChunkID.display(name))
            var parser = Parser(lexer: lexer, source: name)
            do throws(LuaSyntaxError) {
                return .success(try parser.mainFunction())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The number of bytes `luaL_loadfile` skips before parsing: a BOM, and a `#` line up to
    /// (not including) its newline.
    static func headerLength(_ s: [UInt8]) -> Int {
        var i = 0
        if s.count >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF { i = 3 }
        if i < s.count && s[i] == UInt8(ascii: "#") {
            while i < s.count && s[i] != UInt8(ascii: "\n") { i += 1 }
        }
        return i
    }
}
