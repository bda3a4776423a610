// The character classes of Lua patterns: single-character classes, `[...]` sets and `%a`-style
// letters in the C locale (PUC's `class_end`, `singlematch`, `matchbracketclass`, `match_class`).

extension LuaPatternMatcher {
    // The helpers below are static and take the buffers they read, not `self`: the
    // matcher carries its capture table inline, and calling a non-mutating method on it
    // from a mutating one copies the whole struct (issue 12 measured memcpy at 17% of a
    // gsub-heavy run). The buffers are two words each.

    /// The byte at `index` of `buffer`, or 0 past the end (PUC reads the terminating NUL).
    @inline(__always)
    static func byte(_ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
        // SAFETY: `index` is checked against the buffer's count before the read.
        index < buffer.count ? buffer[index] : 0
    }

    /// The offset just past the single-character class starting at `p`.
    @inline(__always)
    static func classEnd(_ pattern: UnsafeBufferPointer<UInt8>, _ p: Int) throws(LuaPatternError) -> Int {
        let c = byte(pattern, p)
        if c == UInt8(ascii: "%") {
            if p + 1 >= pattern.count { throw .raise("malformed pattern (ends with '%')") }
            return p + 2
        }
        if c == UInt8(ascii: "[") { return try bracketEnd(pattern, p + 1) }
        return p + 1
    }

    /// The offset just past the set `[...]` whose body starts at `pStart` (after the `[`).
    static func bracketEnd(_ pattern: UnsafeBufferPointer<UInt8>, _ pStart: Int) throws(LuaPatternError) -> Int {
        var p = pStart
        if byte(pattern, p) == UInt8(ascii: "^") { p += 1 }
        repeat {
            if p >= pattern.count { throw .raise("malformed pattern (missing ']')") }
            let item = byte(pattern, p)
            p += 1
            if item == UInt8(ascii: "%") && p < pattern.count { p += 1 }
        } while p >= pattern.count || byte(pattern, p) != UInt8(ascii: "]")
        return p + 1
    }

    /// Whether subject byte `s` exists and matches the class at `p` (ending before `classEnd`).
    @inline(__always)
    static func singleMatch(
        _ subject: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>,
        _ s: Int, _ p: Int, _ classEnd: Int
    ) -> Bool {
        if s >= subject.count { return false }
        // SAFETY: s < subject.count (checked above).
        let c = subject[s]
        switch byte(pattern, p) {
        case UInt8(ascii: "."): return true
        case UInt8(ascii: "%"): return matchClass(c, byte(pattern, p + 1))
        case UInt8(ascii: "["): return matchBracketClass(pattern, c, p, classEnd - 1)
        case let literal: return literal == c
        }
    }

    /// Whether `c` is in the set `[...]` that opens at `p` and closes at `close`.
    static func matchBracketClass(
        _ pattern: UnsafeBufferPointer<UInt8>, _ c: UInt8, _ open: Int, _ close: Int
    ) -> Bool {
        var p = open
        var inSet = true
        if byte(pattern, p + 1) == UInt8(ascii: "^") {
            inSet = false
            p += 1
        }
        p += 1
        while p < close {
            let item = byte(pattern, p)
            if item == UInt8(ascii: "%") {
                p += 1
                if matchClass(c, byte(pattern, p)) { return inSet }
            } else if byte(pattern, p + 1) == UInt8(ascii: "-") && p + 2 < close {
                p += 2
                if item <= c && c <= byte(pattern, p) { return inSet }
            } else if item == c {
                return inSet
            }
            p += 1
        }
        return !inSet
    }

    /// Whether `c` is in the class `%<letter>` (C locale, plus the deprecated `%z` for NUL);
    /// other letters match themselves.
    @inline(__always)
    static func matchClass(_ c: UInt8, _ letter: UInt8) -> Bool {
        LuaByteSet.forClass(letter).contains(c)
    }
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

/// The C library's character classes in the "C" locale (ASCII only).
public enum LuaCType {
    /// `isalpha`.
    @inline(__always) public static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- UInt8(ascii: "a") < 26 }
    /// `isupper`.
    @inline(__always) public static func isUpper(_ c: UInt8) -> Bool { c &- UInt8(ascii: "A") < 26 }
    /// `islower`.
    @inline(__always) public static func isLower(_ c: UInt8) -> Bool { c &- UInt8(ascii: "a") < 26 }
    /// `iscntrl`.
    @inline(__always) public static func isControl(_ c: UInt8) -> Bool { c < 32 || c == 127 }
    /// `isgraph`: printable and not space.
    @inline(__always) public static func isGraph(_ c: UInt8) -> Bool { c > 32 && c < 127 }
    /// `isalnum`.
    @inline(__always) public static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
    /// `ispunct`: graphic but not alphanumeric.
    @inline(__always) public static func isPunct(_ c: UInt8) -> Bool { isGraph(c) && !isAlnum(c) }
    /// `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    @inline(__always) public static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    /// `isxdigit`.
    @inline(__always) public static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) &- UInt8(ascii: "a") < 6
    }
    /// `isdigit`.
    @inline(__always) public static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
}
