/// String literals, long brackets and escape sequences (llex.c's `read_string`,
/// `read_long_string` and friends).
///
/// For short strings `buffer` holds exactly what llex.c's buffer holds, delimiter and
/// undecoded escape text included, because error messages quote it.
extension Lexer {
    /// Classifies the bracket at `start` without consuming it: the level (number of `=`) of
    /// a long bracket `[==[`, -1 for a lone `[`, or -2 for `[=` missing its second `[`.
    mutating func longBracketLevel(start: Int) -> Int {
        var i = start + 1
        while i < src.count && src[i] == 61 { i += 1 }
        let level = i - start - 1
        if i < src.count && src[i] == 91 { return level }
        return level == 0 ? -1 : -2
    }

    /// Reads a long string or long comment whose opening bracket is at `pos`.
    mutating func readLongString(into tok: inout Token, level: Int, isComment: Bool) throws(LuaSyntaxError) {
        let firstLine = lineNumber
        pos += level + 1
        advance()
        if currentIsNewline { try incLineNumber() }
        buffer.removeAll(keepingCapacity: true)
        while true {
            switch current {
            case -1:
                let what = isComment ? "comment" : "string"
                throw error("unfinished long \(what) (starting at line \(firstLine))", nearToken: Tk.eos)
            case 93:  // ']'
                var i = pos + 1
                while i < src.count && src[i] == 61 { i += 1 }
                if i - pos - 1 == level && i < src.count && src[i] == 93 {
                    pos = i
                    advance()
                    if !isComment {
                        tok.kind = Tk.string
                        tok.delimiter = -Int32(level + 1)
                        // SAFETY: the pointer is used only inside the closure; intern copies the bytes.
                        tok.id = buffer.withUnsafeBufferPointer { strings.intern($0) }
                    }
                    return
                }
                if !isComment { buffer.append(contentsOf: src[pos..<i]) }
                pos = i - 1
                advance()
            case 10, 13:
                if !isComment { buffer.append(10) }
                try incLineNumber()
            default:
                if isComment {
                    advance()
                } else {
                    // Copy a run of ordinary bytes at once.
                    let start = pos
                    var i = pos + 1
                    while i < src.count {
                        let b = src[i]
                        if b == 93 || b == 10 || b == 13 { break }
                        i += 1
                    }
                    // SAFETY: start..<i was bounds-checked against src.count just above.
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<i]))
                    pos = i - 1
                    advance()
                }
            }
        }
    }

    /// Reads a short string delimited by `delimiter` (the quote at `pos`).
    mutating func readString(into tok: inout Token, delimiter: Int32) throws(LuaSyntaxError) {
        buffer.removeAll(keepingCapacity: true)
        saveAndAdvance()
        while current != delimiter {
            switch current {
            case -1:
                throw error("unfinished string", nearToken: Tk.eos)
            case 10, 13:
                throw error("unfinished string", near: buffer)
            case 92:  // '\\'
                try readEscape()
            default:
                saveAndAdvance()
            }
        }
        saveAndAdvance()
        tok.kind = Tk.string
        tok.delimiter = delimiter
        // SAFETY: the buffer holds both delimiters (count >= 2), so 1..<count-1 is in
        // bounds; the pointer does not escape the closure and intern copies the bytes.
        tok.id = buffer.withUnsafeBufferPointer { whole in
            strings.intern(UnsafeBufferPointer(rebasing: whole[1..<(whole.count - 1)]))
        }
    }

    /// Decodes one escape sequence; `current` is the backslash.
    private mutating func readEscape() throws(LuaSyntaxError) {
        saveAndAdvance()  // keep '\\' for error messages
        var c: Int32
        switch current {
        case 97: c = 7  // \a
        case 98: c = 8  // \b
        case 102: c = 12  // \f
        case 110: c = 10  // \n
        case 114: c = 13  // \r
        case 116: c = 9  // \t
        case 118: c = 11  // \v
        case 120: c = try readHexEscape()  // \x
        case 117:  // \u
            try readUTF8Escape()
            return
        case 10, 13:
            try incLineNumber()
            buffer.removeLast()
            save(10)
            return
        case 92, 34, 39:
            c = current
        case -1:
            return  // the caller reports the unfinished string
        case 122:  // \z: skip the following run of spaces
            buffer.removeLast()
            advance()
            while CharClass.isSpace(current) {
                if currentIsNewline { try incLineNumber() } else { advance() }
            }
            return
        default:
            try escapeCheck(CharClass.isDigit(current), "invalid escape sequence")
            c = try readDecimalEscape()
            buffer.removeLast()
            save(c)
            return
        }
        advance()
        buffer.removeLast()
        save(c)
    }

    /// Raises an escape error quoting the buffer plus the offending byte, as `esccheck`.
    private mutating func escapeCheck(_ ok: Bool, _ message: String) throws(LuaSyntaxError) {
        if ok { return }
        if current != -1 { saveAndAdvance() }
        throw error(message, near: buffer)
    }

    private mutating func hexDigit() throws(LuaSyntaxError) -> Int32 {
        saveAndAdvance()
        try escapeCheck(CharClass.isXDigit(current), "hexadecimal digit expected")
        return CharClass.hexValue(current)
    }

    private mutating func readHexEscape() throws(LuaSyntaxError) -> Int32 {
        var r = try hexDigit()
        r = (r << 4) + (try hexDigit())
        buffer.removeLast(2)
        return r
    }

    private mutating func readUTF8Escape() throws(LuaSyntaxError) {
        var removed = 4  // '\\', 'u', '{' and the first digit
        saveAndAdvance()  // skip 'u'
        try escapeCheck(current == 123, "missing '{'")
        var r = UInt32(try hexDigit())
        while true {
            saveAndAdvance()
            if !CharClass.isXDigit(current) { break }
            removed += 1
            try escapeCheck(r <= (0x7FFF_FFFF >> 4), "UTF-8 value too large")
            r = (r << 4) + UInt32(CharClass.hexValue(current))
        }
        try escapeCheck(current == 125, "missing '}'")
        advance()
        buffer.removeLast(removed)
        Lexer.appendUTF8(r, to: &buffer)
    }

    private mutating func readDecimalEscape() throws(LuaSyntaxError) -> Int32 {
        var r: Int32 = 0
        var digits = 0
        while digits < 3 && CharClass.isDigit(current) {
            r = 10 * r + current - 48
            saveAndAdvance()
            digits += 1
        }
        try escapeCheck(r <= 255, "decimal escape too large")
        buffer.removeLast(digits)
        return r
    }

    /// Encodes `x` (up to 2^31 - 1) in the extended UTF-8 that Lua accepts (up to 6 bytes).
    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        var x = value
        if x < 0x80 {
            out.append(UInt8(x))
            return
        }
        var tail: [UInt8] = []
        var maxFirst: UInt32 = 0x3F
        repeat {
            tail.append(UInt8(0x80 | (x & 0x3F)))
            x >>= 6
            maxFirst >>= 1
        } while x > maxFirst
        out.append(UInt8(truncatingIfNeeded: (~maxFirst << 1) | x))
        out.append(contentsOf: tail.reversed())
    }
}
