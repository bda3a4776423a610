/// The scanner: turns source bytes into tokens, as llex.c does.
///
/// It reads the source through an `UnsafeBufferPointer` with an index. Names, numerals and
/// symbols are never copied; only string literals are assembled in `buffer`, because their
/// escapes must be decoded.
struct Lexer {
    /// SAFETY: points into the caller's source array, which `LuaCompiler.compile` keeps
    /// alive (inside `withUnsafeBufferPointer`) for the whole life of the lexer; the lexer
    /// never escapes that closure.
    let src: UnsafeBufferPointer<UInt8>
    var pos: Int
    /// The byte at `pos`, or -1 at the end of the source (PUC's `EOZ`).
    var current: Int32
    var lineNumber: Int = 1
    /// Line of the last token consumed (the line instructions are attributed to).
    var lastLine: Int = 1
    var t = Token()
    var lookahead = Token(kind: Tk.eos)
    var hasLookahead = false
    /// Scratch space for string literals; holds what llex.c's buffer would hold.
    var buffer: [UInt8] = []
    var strings = StringInterner()
    /// The chunk name as shown in messages.
    let chunkID: [UInt8]

    init(source: UnsafeBufferPointer<UInt8>, start: Int, chunkID: [UInt8]) {
        src = source
        pos = start
        current = start < source.count ? Int32(source[start]) : -1
        self.chunkID = chunkID
        buffer.reserveCapacity(256)
    }

    @inline(__always) mutating func advance() {
        pos += 1
        current = pos < src.count ? Int32(src[pos]) : -1
    }

    @inline(__always) var currentIsNewline: Bool { mutating get { current == 10 || current == 13 } }

    @inline(__always) mutating func save(_ c: Int32) { buffer.append(UInt8(truncatingIfNeeded: c)) }

    @inline(__always) mutating func saveAndAdvance() {
        save(current)
        advance()
    }

    /// Skips a newline sequence (`\n`, `\r`, `\n\r` or `\r\n`) and counts the line.
    mutating func incLineNumber() throws(LuaSyntaxError) {
        let old = current
        advance()
        if currentIsNewline && current != old { advance() }
        lineNumber += 1
        if lineNumber >= Int(Int32.max) {
            throw error("chunk has too many lines", nearToken: 0)
        }
    }

    /// Moves to the next token (`luaX_next`).
    @inline(__always)
    mutating func next() throws(LuaSyntaxError) {
        lastLine = lineNumber
        if hasLookahead {
            t = lookahead
            hasLookahead = false
        } else {
            var tok = Token()
            try scan(into: &tok)
            t = tok
        }
    }

    /// Reads the token after the current one without consuming it (`luaX_lookahead`).
    mutating func peek() throws(LuaSyntaxError) -> Int32 {
        var tok = Token()
        try scan(into: &tok)
        lookahead = tok
        hasLookahead = true
        return lookahead.kind
    }

    @inline(__always) private mutating func single(_ tok: inout Token, _ kind: Int32) {
        tok.kind = kind
    }

    /// The scanner proper (`llex`).
    mutating func scan(into tok: inout Token) throws(LuaSyntaxError) {
        while true {
            let c = current
            switch c {
            case 10, 13:
                try incLineNumber()
            case 32, 9, 11, 12:
                advance()
            case 45:  // '-'
                advance()
                if current != 45 { tok.kind = 45; return }
                advance()
                try skipComment()
            case 91:  // '['
                let level = longBracketLevel(start: pos)
                if level >= 0 {
                    try readLongString(into: &tok, level: level, isComment: false)
                    return
                }
                if level == -2 {
                    buffer.removeAll(keepingCapacity: true)
                    buffer.append(91)
                    var i = pos + 1
                    while i < src.count && src[i] == 61 { buffer.append(61); i += 1 }
                    pos = i
                    current = pos < src.count ? Int32(src[pos]) : -1
                    throw error("invalid long string delimiter", near: buffer)
                }
                advance()
                tok.kind = 91
                return
            case 61:  // '='
                advance()
                if current == 61 { advance(); tok.kind = Tk.eq } else { tok.kind = 61 }
                return
            case 60:  // '<'
                advance()
                if current == 61 { advance(); tok.kind = Tk.le }
                else if current == 60 { advance(); tok.kind = Tk.shl }
                else { tok.kind = 60 }
                return
            case 62:  // '>'
                advance()
                if current == 61 { advance(); tok.kind = Tk.ge }
                else if current == 62 { advance(); tok.kind = Tk.shr }
                else { tok.kind = 62 }
                return
            case 47:  // '/'
                advance()
                if current == 47 { advance(); tok.kind = Tk.idiv } else { tok.kind = 47 }
                return
            case 126:  // '~'
                advance()
                if current == 61 { advance(); tok.kind = Tk.ne } else { tok.kind = 126 }
                return
            case 58:  // ':'
                advance()
                if current == 58 { advance(); tok.kind = Tk.dbcolon } else { tok.kind = 58 }
                return
            case 34, 39:  // '"' '\''
                try readString(into: &tok, delimiter: c)
                return
            case 46:  // '.'
                let start = pos
                advance()
                if current == 46 {
                    advance()
                    if current == 46 { advance(); tok.kind = Tk.dots } else { tok.kind = Tk.concat }
                    return
                }
                if !CharClass.isDigit(current) { tok.kind = 46; return }
                try readNumeral(into: &tok, start: start)
                return
            case 48...57:
                try readNumeral(into: &tok, start: pos)
                return
            case -1:
                tok.kind = Tk.eos
                return
            default:
                if CharClass.isAlpha(c) {
                    let start = pos
                    advance()
                    while CharClass.isAlnum(current) { advance() }
                    // SAFETY: start..<pos was scanned within src; intern copies the bytes.
                    let id = strings.intern(UnsafeBufferPointer(rebasing: src[start..<pos]))
                    tok.id = id
                    tok.start = Int32(truncatingIfNeeded: start)
                    tok.end = Int32(truncatingIfNeeded: pos)
                    tok.kind = id < StringInterner.Fixed.reservedCount ? Tk.firstReserved + id : Tk.name
                    return
                }
                advance()
                tok.kind = c
                return
            }
        }
    }

    /// Skips the rest of a comment after its `--`.
    private mutating func skipComment() throws(LuaSyntaxError) {
        if current == 91 {
            let level = longBracketLevel(start: pos)
            if level >= 0 {
                var dummy = Token()
                try readLongString(into: &dummy, level: level, isComment: true)
                return
            }
        }
        while !currentIsNewline && current != -1 { advance() }
    }
}
