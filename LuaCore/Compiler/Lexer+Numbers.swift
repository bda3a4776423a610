#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numerals: scanning (`read_numeral`) and conversion with Lua 5.4's rules (`luaO_str2num`).
extension Lexer {
    /// Reads a numeral starting at `start`; `current` is its first digit (a leading `.`, if
    /// any, was already consumed).
    mutating func readNumeral(into tok: inout Token, start: Int) throws(LuaSyntaxError) {
        let first = current
        var expo1: Int32 = 69, expo2: Int32 = 101  // 'E' 'e'
        advance()
        if first == 48 && (current == 120 || current == 88) {  // "0x"
            advance()
            expo1 = 80; expo2 = 112  // 'P' 'p'
        }
        while true {
            if current == expo1 || current == expo2 {
                advance()
                if current == 45 || current == 43 { advance() }
            } else if CharClass.isXDigit(current) || current == 46 {
                advance()
            } else {
                break
            }
        }
        if CharClass.isAlpha(current) { advance() }  // a numeral touching a letter is an error
        tok.start = Int32(truncatingIfNeeded: start)
        tok.end = Int32(truncatingIfNeeded: pos)
        // SAFETY: start..<pos lies inside `src`, which outlives this call (see Lexer.src).
        let text = UnsafeBufferPointer(rebasing: src[start..<pos])
        if let i = Lexer.parseInteger(text) {
            tok.kind = Tk.int
            tok.bits = i
        } else if let d = Lexer.parseFloat(text) {
            tok.kind = Tk.flt
            tok.bits = Int64(bitPattern: d.bitPattern)
        } else {
            throw error("malformed number", near: Array(text))
        }
    }

    /// Lua's `l_str2int` for an unsigned numeral: hex wraps around, decimal must fit.
    static func parseInteger(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        var a: UInt64 = 0
        var i = 0
        let n = s.count
        if n >= 2 && s[0] == 48 && (s[1] == 120 || s[1] == 88) {
            i = 2
            if i == n { return nil }
            while i < n && CharClass.isXDigit(Int32(s[i])) {
                a = a &* 16 &+ UInt64(CharClass.hexValue(Int32(s[i])))
                i += 1
            }
        } else {
            let maxBy10 = UInt64(Int64.max / 10)
            let maxLastDigit = UInt64(Int64.max % 10)
            if n == 0 { return nil }
            while i < n && CharClass.isDigit(Int32(s[i])) {
                let d = UInt64(s[i] - 48)
                if a >= maxBy10 && (a > maxBy10 || d > maxLastDigit) { return nil }
                a = a * 10 + d
                i += 1
            }
            if i == 0 { return nil }
        }
        return i == n ? Int64(bitPattern: a) : nil
    }

    /// Lua's `l_str2d`: rejects `inf`/`nan` spellings, then lets `strtod` (which also reads
    /// hexadecimal floats) convert, requiring it to consume every byte.
    static func parseFloat(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        for b in s where b == 110 || b == 78 { return nil }  // 'n' 'N'
        if s.isEmpty { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: s.count + 1) { buf in
            // SAFETY: `buf` has s.count + 1 elements; we fill s.count bytes and a terminator,
            // and strtod reads only up to that terminator. Neither pointer escapes.
            for i in 0..<s.count { buf[i] = CChar(bitPattern: s[i]) }
            buf[s.count] = 0
            let base = buf.baseAddress!
            var end: UnsafeMutablePointer<CChar>? = nil
            let d = strtod(base, &end)
            guard let end, end - base == s.count else { return nil }
            return d
        }
    }
}
