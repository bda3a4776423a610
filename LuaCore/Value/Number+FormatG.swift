// `%.<P>g` of a double without C's printf, for the common case.
//
// glibc's printf converts a double exactly with multi-precision arithmetic (~2,100
// instructions for `%.17g`, a fifth of `string.format("%.17g", x)` in serializers, and most
// of `tostring` of a float). For a normal double d = m·2^e with 10^(P-1-32) ≤ |d| < 10^P the
// P significant digits are exact in 128-bit integer arithmetic: with k = ⌊log10 |d|⌋ and
// s = P-1-k (0 ≤ s ≤ 32), d·10^s = m·5^s·2^(s+e), where m·5^s < 2^53·5^32 < 2^128; the
// digits are that product shifted, rounded half to even on the bits shifted out (printf's
// rounding of the exact value in the default rounding mode). Everything else (zero, huge
// and tiny values, subnormals, infinities, NaNs) is left to strfromd.

extension LuaNumber {
    /// Writes `%.<precision>g` of `d` (precision 1...17, no flags) into `out` (at least 32
    /// bytes) and returns its length, or returns -1 when `d` is outside the range handled
    /// here (the caller formats it with C).
    public static func formatG(_ d: Double, precision p: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard p >= 1 && p <= 17, d.isNormal else { return -1 }
        let m = d.significandBitPattern | (1 << 52)
        let exponent = Int(truncatingIfNeeded: (d.bitPattern >> 52) & 0x7FF) - 1023  // normal: no bias quirk
        let e = exponent - 52
        // ⌊log10 2^exponent⌋ is k or k - 1.
        var k = (exponent * 78913) >> 18
        var digits: UInt64 = 0
        var pass = 0
        while true {
            let s = p - 1 - k
            guard s >= 0 && s <= 32 else { return -1 }
            guard let (q, up) = scaled(m, e, s) else { return -1 }
            if q < powerOfTen(p - 1) { return -1 }  // not expected: k is never too large
            if q >= powerOfTen(p) {  // k was one too small
                k += 1; pass += 1
                if pass > 2 { return -1 }
                continue
            }
            digits = up ? q + 1 : q
            if digits == powerOfTen(p) {  // rounded up to 10^P: one more digit of exponent
                k += 1; pass += 1
                if pass > 2 { return -1 }
                continue
            }
            break
        }
        // The P digits, most significant first.
        var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &buf) { raw -> Int in
            // SAFETY: 24 bytes of scratch; at most 17 digits are written.
            let t = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
            // Two digits per division, from a table of the pairs "00" ... "99".
            let pairs = LuaNumber.digitPairs.utf8Start
            var v = digits
            var i = p
            while i > 1 {
                let r = Int(truncatingIfNeeded: v % 100)
                v /= 100
                i -= 2
                t[i] = pairs[2 &* r]
                t[i + 1] = pairs[2 &* r &+ 1]
            }
            if i == 1 { t[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v) }
            var used = p  // significant digits left after dropping trailing zeros
            while used > 1 && t[used - 1] == UInt8(ascii: "0") { used -= 1 }
            var n = 0
            if d.sign == .minus { out[n] = UInt8(ascii: "-"); n += 1 }
            if k < -4 || k >= p {
                // d.ddde±XX
                out[n] = t[0]; n += 1
                if used > 1 {
                    out[n] = UInt8(ascii: "."); n += 1
                    for j in 1..<used { out[n] = t[j]; n += 1 }
                }
                out[n] = UInt8(ascii: "e"); n += 1
                out[n] = k < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"); n += 1
                let x = k < 0 ? -k : k
                if x >= 100 { out[n] = UInt8(ascii: "0") &+ UInt8(x / 100); n += 1 }
                out[n] = UInt8(ascii: "0") &+ UInt8(x / 10 % 10); n += 1
                out[n] = UInt8(ascii: "0") &+ UInt8(x % 10); n += 1
            } else if k >= 0 {
                // The integer part is the first k + 1 digits.
                for j in 0...k { out[n] = t[j]; n += 1 }
                if used > k + 1 {
                    out[n] = UInt8(ascii: "."); n += 1
                    for j in (k + 1)..<used { out[n] = t[j]; n += 1 }
                }
            } else {
                out[n] = UInt8(ascii: "0"); n += 1
                out[n] = UInt8(ascii: "."); n += 1
                for _ in 0..<(-k - 1) { out[n] = UInt8(ascii: "0"); n += 1 }
                for j in 0..<used { out[n] = t[j]; n += 1 }
            }
            return n
        }
    }

    /// ⌊m·10^s·2^e⌋ and whether rounding half to even goes up; nil when it does not fit.
    @inline(__always)
    static func scaled(_ m: UInt64, _ e: Int, _ s: Int) -> (UInt64, Bool)? {
        var x = UInt128(m) &* UInt128(powerOfFive(min(s, 27)))
        if s > 27 { x = x &* UInt128(powerOfFive(s - 27)) }
        let shift = s + e
        if shift >= 0 {
            guard shift < 64, x >> (64 - shift) == 0 else { return nil }
            return (UInt64(x << shift), false)
        }
        let r = -shift
        guard r < 128 else { return nil }
        let q = x >> r
        guard q <= UInt128(UInt64.max) else { return nil }
        let rem = x & ((1 << r) - 1)
        let half = UInt128(1) << (r - 1)
        let up = rem > half || (rem == half && q & 1 == 1)
        return (UInt64(q), up)
    }

    /// "00" "01" ... "99": the text of every two-digit pair (a literal: no lazy initialization).
    static var digitPairs: StaticString {
        """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    }

    /// 5^n for n in 0...27 (5^27 < 2^63): a switch the compiler turns into a constant table
    /// (a `static let` array would be initialized lazily and bounds-checked at every use).
    @inline(__always)
    static func powerOfFive(_ n: Int) -> UInt64 {
        switch n {
        case 0: 1
        case 1: 5
        case 2: 25
        case 3: 125
        case 4: 625
        case 5: 3125
        case 6: 15625
        case 7: 78125
        case 8: 390625
        case 9: 1953125
        case 10: 9765625
        case 11: 48828125
        case 12: 244140625
        case 13: 1220703125
        case 14: 6103515625
        case 15: 30517578125
        case 16: 152587890625
        case 17: 762939453125
        case 18: 3814697265625
        case 19: 19073486328125
        case 20: 95367431640625
        case 21: 476837158203125
        case 22: 2384185791015625
        case 23: 11920928955078125
        case 24: 59604644775390625
        case 25: 298023223876953125
        case 26: 1490116119384765625
        case 27: 7450580596923828125
        default: 0
        }
    }

    /// 10^n for n in 0...18.
    @inline(__always)
    static func powerOfTen(_ n: Int) -> UInt64 { powerOfFive(n) << n }
}
