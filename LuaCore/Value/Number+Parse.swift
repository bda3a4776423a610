#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Text → number with `lua_stringtonumber`'s rules (PUC's `luaO_str2num`, `l_str2int`,
// `l_str2d`), as `tonumber(s)` and string arithmetic coercion use them.

extension LuaNumber {
    /// C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r.
    @inlinable @inline(__always)
    static func _isSpace(_ c: UInt8) -> Bool { c == 32 || (c &- 9) < 5 }

    /// Parses a whole string as a Lua number: an integer if it is an integer numeral that
    /// fits (hex integers wrap around), else a float, else nil.
    ///
    /// Accepted: optional whitespace around, an optional sign, decimal and hexadecimal
    /// (`0x`) integers, decimal floats (`1.5`, `.5`, `5.`, `1e10`) and hex floats with
    /// optional `p` exponents (`0x1.8p3`). Rejected: `inf`, `nan` (any `n`/`N`), empty or
    /// blank strings, trailing garbage, embedded NUL. A decimal integer too large for
    /// Int64 reads as a float.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LuaValue? {
        if let i = _parseInteger(bytes) { return LuaValue(i) }
        if let d = _parseFloat(bytes) { return LuaValue(d) }
        return nil
    }

    /// `l_str2int`.
    @usableFromInline
    static func _parseInteger(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = s.count
        var i = 0
        while i < n && _isSpace(s[i]) { i += 1 }
        var negative = false
        if i < n && s[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        else if i < n && s[i] == UInt8(ascii: "+") { i += 1 }
        var a: UInt64 = 0
        var empty = true
        if i + 1 < n && s[i] == UInt8(ascii: "0") && (s[i + 1] | 0x20) == UInt8(ascii: "x") {
            i += 2
            while i < n, let h = _hexValue(s[i]) {
                a = a &* 16 &+ UInt64(h)
                empty = false
                i += 1
            }
        } else {
            let maxBy10 = UInt64(Int64.max) / 10
            let maxLastDigit = UInt64(Int64.max) % 10
            while i < n {
                let d = UInt64(s[i] &- UInt8(ascii: "0"))
                if d >= 10 { break }
                if a >= maxBy10 && (a > maxBy10 || d > maxLastDigit + (negative ? 1 : 0)) {
                    return nil  // overflow: let the float reader take it
                }
                a = a * 10 + d
                empty = false
                i += 1
            }
        }
        while i < n && _isSpace(s[i]) { i += 1 }
        if empty || i != n { return nil }
        return Int64(bitPattern: negative ? 0 &- a : a)
    }

    @inlinable @inline(__always)
    static func _hexValue(_ c: UInt8) -> UInt8? {
        if (c &- 48) < 10 { return c &- 48 }
        let l = c | 0x20
        if (l &- 97) < 6 { return l &- 87 }
        return nil
    }

    /// `l_str2d`: C's `strtod` (decimal and hex floats) on a NUL-terminated copy, rejecting
    /// `inf`/`nan` and trailing garbage.
    @usableFromInline
    static func _parseFloat(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = s.count
        for c in s where c == UInt8(ascii: "n") || c == UInt8(ascii: "N") || c == 0 { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            let p = buf.baseAddress.unsafelyUnwrapped
            // SAFETY: `buf` holds `n + 1` bytes: the string and a terminating NUL.
            if n > 0 {
                UnsafeMutableRawPointer(p).copyMemory(from: s.baseAddress.unsafelyUnwrapped, byteCount: n)
            }
            p[n] = 0
            var end: UnsafeMutablePointer<CChar>? = p
            let d = strtod(p, &end)
            guard var e = end, e != p else { return nil }
            while _isSpace(UInt8(bitPattern: e.pointee)) { e += 1 }
            return e == p + n ? d : nil
        }
    }
}
