import GCArena
import LuaCore

// The utf8 library (Lua 5.4 §6.5, PUC's lutf8lib.c): char, charpattern, codes, codepoint,
// len, offset. Strict decoding rejects surrogates and code points above U+10FFFF; `lax`
// accepts the original UTF-8 up to 2^31 - 1 (six-byte sequences).

enum UTF8Library {
    static let maxUnicode: UInt32 = 0x10FFFF
    static let maxUTF: UInt32 = 0x7FFF_FFFF

    /// The pattern matching one UTF-8 byte sequence: "[\0-\x7F\xC2-\xFD][\x80-\xBF]*".
    static let charPattern: [UInt8] = [0x5B, 0x00, 0x2D, 0x7F, 0xC2, 0x2D, 0xFD, 0x5D,
                                       0x5B, 0x80, 0x2D, 0xBF, 0x5D, 0x2A]

    static var functions: [(String, LuaHostBody)] {
        [
            ("char", char),
            ("codepoint", codepoint),
            ("codes", codes),
            ("len", len),
            ("offset", offset),
        ]
    }

    /// Creates the global `utf8`.
    static func open(_ lua: Lua) {
        _ = try? lua.registerLibrary("utf8", functions, constants: [("charpattern", .string(charPattern))])
    }

    @inline(__always) static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Decodes the sequence at `s[i]` (PUC's `utf8_decode`): the code point and the index
    /// after it, or nil for an invalid sequence. Bytes past the end read as 0.
    static func decode(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, strict: Bool) -> (code: UInt32, next: Int)? {
        let limits: [UInt32] = [~0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000]
        @inline(__always) func byte(_ k: Int) -> UInt32 { k < s.count ? UInt32(s[k]) : 0 }
        var c = byte(i)
        var result: UInt32 = 0
        var count = 0
        if c < 0x80 {
            result = c
        } else {
            while c & 0x40 != 0 {  // needs another continuation byte
                count += 1
                let cc = byte(i + count)
                if cc & 0xC0 != 0x80 { return nil }
                result = (result << 6) | (cc & 0x3F)
                c <<= 1
            }
            if count > 5 { return nil }
            result |= (c & 0x7F) << (count * 5)
            if result > maxUTF || result < limits[count] { return nil }
        }
        if strict && (result > maxUnicode || (0xD800...0xDFFF).contains(result)) { return nil }
        return (result, i + count + 1)
    }

    /// PUC's `luaO_utf8esc`: up to six bytes for values up to 2^31 - 1.
    static func encode(_ x: UInt32, into out: inout [UInt8]) {
        if x < 0x80 {
            out.append(UInt8(x))
            return
        }
        var x = x
        var tail: [UInt8] = []
        var firstByteMax: UInt32 = 0x3F
        repeat {
            tail.append(UInt8(0x80 | (x & 0x3F)))
            x >>= 6
            firstByteMax >>= 1
        } while x > firstByteMax
        out.append(UInt8(truncatingIfNeeded: (~firstByteMax << 1) | x))
        out.append(contentsOf: tail.reversed())
    }

    /// A relative string position: negative counts back from the end (PUC's `u_posrelat`).
    static func relative(_ pos: Int64, _ length: Int) -> Int64 {
        if pos >= 0 { return pos }
        if 0 &- UInt64(bitPattern: pos) > UInt64(length) { return 0 }
        return Int64(length) + pos + 1
    }

    static func char(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        var out: [UInt8] = []
        for i in stride(from: 1, through: ctx.argumentCount, by: 1) {
            let code = UInt64(bitPattern: try ctx.checkInteger(i))
            guard code <= UInt64(maxUTF) else { throw ctx.argumentError(i, "value out of range") }
            encode(UInt32(code), into: &out)
        }
        try ctx.push(try ctx.string(out))
        return .results(1)
    }

    static func len(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let length = s.count
        var i = relative(try ctx.optInteger(2, 1), length)
        let j = relative(try ctx.optInteger(3, -1), length)
        let lax = ctx.toBoolean(4)
        guard 1 <= i && i - 1 <= Int64(length) else { throw ctx.argumentError(2, "initial position out of bounds") }
        i -= 1
        guard j - 1 < Int64(length) else { throw ctx.argumentError(3, "final position out of bounds") }
        let last = j - 1
        var n: Int64 = 0
        let bytes = s.bytes
        while i <= last {
            guard let (_, next) = decode(bytes, Int(i), strict: !lax) else {
                try ctx.push(.nil)
                try ctx.push(LuaValue(i + 1))
                return .results(2)
            }
            i = Int64(next)
            n += 1
        }
        try ctx.push(LuaValue(n))
        return .results(1)
    }

    static func codepoint(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let length = s.count
        let i = relative(try ctx.optInteger(2, 1), length)
        let j = relative(try ctx.optInteger(3, i), length)
        let lax = ctx.toBoolean(4)
        guard i >= 1 else { throw ctx.argumentError(2, "out of bounds") }
        guard j <= Int64(length) else { throw ctx.argumentError(3, "out of bounds") }
        if i > j { return .results(0) }
        guard j - i < Int64(Int32.max), ctx.checkStack(Int(j - i) + 1) else {
            throw LuaError.runtime("string slice too long")
        }
        let bytes = s.bytes
        var k = Int(i) - 1
        var n = 0
        while k < Int(j) {
            guard let (code, next) = decode(bytes, k, strict: !lax) else { throw LuaError.runtime("invalid UTF-8 code") }
            try ctx.push(LuaValue(Int64(code)))
            n += 1
            k = next
        }
        return .results(n)
    }

    static func offset(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let length = s.count
        var n = try ctx.checkInteger(2)
        let defaultStart: Int64 = n >= 0 ? 1 : Int64(length) + 1
        var i = relative(try ctx.optInteger(3, defaultStart), length)
        guard 1 <= i && i - 1 <= Int64(length) else { throw ctx.argumentError(3, "position out of bounds") }
        i -= 1
        let bytes = s.bytes
        @inline(__always) func continuation(_ k: Int64) -> Bool { k < Int64(length) && isContinuation(bytes[Int(k)]) }
        if n == 0 {
            while i > 0 && continuation(i) { i -= 1 }  // start of the current sequence
        } else {
            if continuation(i) { throw LuaError.runtime("initial position is a continuation byte") }
            if n < 0 {
                while n < 0 && i > 0 {  // back to the start of the previous sequence
                    repeat { i -= 1 } while i > 0 && continuation(i)
                    n += 1
                }
            } else {
                n -= 1  // the first character is the one at i
                while n > 0 && i < Int64(length) {
                    repeat { i += 1 } while continuation(i)
                    n -= 1
                }
            }
        }
        try ctx.push(n == 0 ? LuaValue(i + 1) : .nil)
        return .results(1)
    }

    static func codes(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let lax = ctx.toBoolean(2)
        let s = try ctx.checkString(1)
        // 5.4.6: a subject that starts in the middle of a character is refused at once.
        if s.count > 0 && isContinuation(s.bytes[0]) {
            throw ctx.argumentError(1, "invalid UTF-8 code")
        }
        try ctx.push(try ctx.function("for iterator") { ctx in try nextCode(&ctx, strict: !lax) })
        try ctx.push(ctx[1])
        try ctx.push(LuaValue(Int64(0)))
        return .results(3)
    }

    /// The `codes` iterator: skips the continuation bytes of the previous character.
    static func nextCode(_ ctx: inout LuaCallContext, strict: Bool) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let bytes = s.bytes
        let length = UInt64(s.count)
        var n = UInt64(bitPattern: ctx.exactInteger(ctx.argument(2)) ?? 0)
        if n < length {
            while n < length && isContinuation(bytes[Int(n)]) { n += 1 }
        }
        if n >= length { return .results(0) }
        // 5.4.6: a character followed by a stray continuation byte is invalid too.
        guard let (code, next) = decode(bytes, Int(n), strict: strict),
              next >= bytes.count || !isContinuation(bytes[next]) else { throw LuaError.runtime("invalid UTF-8 code") }
        try ctx.push(LuaValue(Int64(n + 1)))
        try ctx.push(LuaValue(Int64(code)))
        return .results(2)
    }
}
