/// Chunk names as Lua shows them in messages (`luaO_chunkid`).
public enum LuaChunkID {
    /// The most bytes a displayed chunk id may have, counting C's terminator (`LUA_IDSIZE`).
    static let idSize = 60

    /// Formats a chunk's source name for messages: `@file.lua` shows as `file.lua`,
    /// `=stdin` as `stdin`, and anything else as `[string "first line..."]`.
    public static func display(_ source: [UInt8]) -> [UInt8] {
        let retsDots: [UInt8] = Array("...".utf8)
        guard let first = source.first else { return Array("[string \"\"]".utf8) }
        if first == UInt8(ascii: "=") {
            // The C code copies the terminator too, so a name of exactly idSize bytes fits.
            if source.count <= idSize { return Array(source.dropFirst()) }
            return Array(source[1..<idSize])
        }
        if first == UInt8(ascii: "@") {
            if source.count <= idSize { return Array(source.dropFirst()) }
            let keep = idSize - retsDots.count - 1
            return retsDots + source[(source.count - keep)...]
        }
        let prefix: [UInt8] = Array("[string \"".utf8)
        let suffix: [UInt8] = Array("\"]".utf8)
        let room = idSize - (prefix.count + retsDots.count + suffix.count) - 1
        let newline = source.firstIndex(of: UInt8(ascii: "\n"))
        if source.count < room && newline == nil {
            return prefix + source + suffix
        }
        var length = newline ?? source.count
        if length > room { length = room }
        return prefix + source[0..<length] + retsDots + suffix
    }
}
