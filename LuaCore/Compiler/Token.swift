/// Token kinds, numbered as in llex.h: single-byte symbols are their own byte value and
/// reserved words and multi-byte symbols start at 256.
enum Tk {
    static let firstReserved: Int32 = 256
    // Reserved words, in the order of `StringInterner.reservedWords`.
    static let and: Int32 = 256, `break`: Int32 = 257, `do`: Int32 = 258, `else`: Int32 = 259
    static let elseif: Int32 = 260, end: Int32 = 261, `false`: Int32 = 262, `for`: Int32 = 263
    static let function: Int32 = 264, goto: Int32 = 265, `if`: Int32 = 266, `in`: Int32 = 267
    static let local: Int32 = 268, `nil`: Int32 = 269, not: Int32 = 270, or: Int32 = 271
    static let `repeat`: Int32 = 272, `return`: Int32 = 273, then: Int32 = 274
    static let `true`: Int32 = 275, until: Int32 = 276, `while`: Int32 = 277
    // Multi-byte symbols.
    static let idiv: Int32 = 278, concat: Int32 = 279, dots: Int32 = 280, eq: Int32 = 281
    static let ge: Int32 = 282, le: Int32 = 283, ne: Int32 = 284, shl: Int32 = 285
    static let shr: Int32 = 286, dbcolon: Int32 = 287, eos: Int32 = 288
    // Tokens with a value.
    static let flt: Int32 = 289, int: Int32 = 290, name: Int32 = 291, string: Int32 = 292

    /// Spellings of tokens from `firstReserved` on, as `luaX_tokens`.
    static let spellings = StringInterner.reservedWords + [
        "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::", "<eof>",
        "<number>", "<integer>", "<name>", "<string>",
    ]

    @inline(__always) static func char(_ c: Character) -> Int32 { Int32(c.asciiValue!) }
}

/// One token and its semantic value.
///
/// Only the fields of its kind are meaningful. The source span is kept so an error message
/// can quote the token as Lua does without the lexer copying every token into a buffer.
struct Token {
    var kind: Int32 = 0
    /// Interned id of a name or string.
    var id: Int32 = -1
    /// Value of an integer numeral, or the bit pattern of a float numeral.
    var bits: Int64 = 0
    /// Where the token's text starts and ends in the source (names and numerals).
    var start: Int32 = 0
    var end: Int32 = 0
    /// For strings: the quote byte of a short string, or -(level + 1) of a long one.
    var delimiter: Int32 = 0

    @inline(__always) var ival: Int64 { bits }
    @inline(__always) var fval: Double { Double(bitPattern: UInt64(bitPattern: bits)) }
}

/// Byte classes as Lua's `lctype` in the C locale (no `LUA_UCID`).
enum CharClass {
    @inline(__always) static func isAlpha(_ c: Int32) -> Bool {
        (c | 0x20) &- 97 < 26 && (c | 0x20) >= 97 || c == 95
    }
    @inline(__always) static func isDigit(_ c: Int32) -> Bool { c &- 48 < 10 && c >= 48 }
    @inline(__always) static func isAlnum(_ c: Int32) -> Bool { isAlpha(c) || isDigit(c) }
    @inline(__always) static func isXDigit(_ c: Int32) -> Bool {
        isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102)
    }
    @inline(__always) static func isSpace(_ c: Int32) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    @inline(__always) static func isPrint(_ c: Int32) -> Bool { c >= 32 && c < 127 }
    @inline(__always) static func hexValue(_ c: Int32) -> Int32 {
        isDigit(c) ? c - 48 : (c | 0x20) - 97 + 10
    }
}
