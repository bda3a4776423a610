// `string.format`'s numeric conversions without C varargs.
//
// Integers (`%d %i %u %o %x %X` with flags, width and precision) are written here, digit by
// digit, as glibc's `printf` writes them. Floats (`%e %E %f %g %G`) get their digits from
// C's `strfromd`, a non-variadic entry (Swift reaches `vsnprintf` only through a heap
// `va_list`), called with `%.<precision><letter>`, or for `%g` of at most 17 digits from
// `LuaNumber.formatG` when the value is in its range; flags and width are applied here. The
// rare forms whose text the flags change inside the digits (`#`, and `%a`/`%c`/`%p`) still
// go through `CFormat`.

import LuaCore

/// C's `strfromd`: `snprintf` for one double, with a format of `%[.precision]<letter>` only.
@_extern(c, "strfromd")
func _formatStrfromd(_ str: UnsafeMutablePointer<CChar>?, _ n: Int, _ format: UnsafePointer<CChar>, _ fp: Double) -> Int32

/// A checked conversion's modifiers, decoded (PUC's `checkformat` has already accepted them).
struct LuaFormatModifiers {
    var leftAlign = false
    var plus = false
    var space = false
    var zero = false
    var alternate = false
    var width = 0
    var precision = -1

    init(_ modifiers: UnsafeBufferPointer<UInt8>) {
        var inPrecision = false
        var seenDigit = false
        for c in modifiers {
            switch c {
            case UInt8(ascii: "-") where !seenDigit && !inPrecision: leftAlign = true
            case UInt8(ascii: "+") where !seenDigit && !inPrecision: plus = true
            case UInt8(ascii: " ") where !seenDigit && !inPrecision: space = true
            case UInt8(ascii: "#") where !seenDigit && !inPrecision: alternate = true
            case UInt8(ascii: "0") where !seenDigit && !inPrecision: zero = true
            case UInt8(ascii: "."):
                inPrecision = true
                precision = 0
            default:
                let digit = Int(c &- UInt8(ascii: "0"))
                if inPrecision {
                    precision = precision &* 10 &+ digit
                } else {
                    seenDigit = true
                    width = width &* 10 &+ digit
                }
            }
        }
    }
}

extension LuaFormat {
    /// `%d %i` (`signed`) or `%u %o %x %X` of `value`, as glibc prints an `ll` conversion;
    /// false when the spec needs C (`#`).
    static func appendInteger(
        _ value: Int64, letter: UInt8, modifiers m: LuaFormatModifiers, into output: inout [UInt8]
    ) -> Bool {
        if m.alternate { return false }
        let signed = letter == UInt8(ascii: "d") || letter == UInt8(ascii: "i")
        let negative = signed && value < 0
        var magnitude = signed ? value.magnitude : UInt64(bitPattern: value)
        let base: UInt64
        switch letter {
        case UInt8(ascii: "o"): base = 8
        case UInt8(ascii: "x"), UInt8(ascii: "X"): base = 16
        default: base = 10
        }
        let hexBase = letter == UInt8(ascii: "X") ? UInt8(ascii: "A") : UInt8(ascii: "a")
        // 22 octal digits at most for 64 bits.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits -> Bool in
            // SAFETY: at most 22 digits are written, from the end of the 24-byte buffer.
            var start = 24
            while magnitude != 0 {
                let d = UInt8(truncatingIfNeeded: magnitude % base)
                magnitude /= base
                start -= 1
                digits[start] = d < 10 ? UInt8(ascii: "0") &+ d : hexBase &+ (d &- 10)
            }
            // Precision is the minimum digit count; without one a zero still prints "0".
            let minimumDigits = m.precision >= 0 ? m.precision : 1
            let digitCount = 24 - start
            let zeros = max(0, minimumDigits - digitCount)
            let sign: UInt8? = negative ? UInt8(ascii: "-")
                : signed && m.plus ? UInt8(ascii: "+") : signed && m.space ? UInt8(ascii: " ") : nil
            let length = (sign == nil ? 0 : 1) + zeros + digitCount
            let padding = max(0, m.width - length)
            let zeroPad = m.zero && !m.leftAlign && m.precision < 0
            if !m.leftAlign && !zeroPad { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
            if let sign { output.append(sign) }
            if zeroPad { output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding)) }
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: zeros))
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<24]))
            if m.leftAlign { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
            return true
        }
    }

    /// `%e %E %f %g %G` of `value` through `strfromd`; false when the spec needs C (`#`).
    static func appendFloat(
        _ value: Double, letter: UInt8, modifiers m: LuaFormatModifiers, into output: inout [UInt8]
    ) -> Bool {
        if m.alternate { return false }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: CFormat.capacity + 8) { buffer -> Bool in
            // SAFETY: the buffer holds the C format (at most 5 bytes: '%', '.', two digits,
            // the letter, then NUL) in its first 8 bytes and the text in the remaining
            // `CFormat.capacity`; strfromd writes at most that many bytes, NUL included.
            guard let base = buffer.baseAddress else { return false }
            var n = 0
            buffer[n] = CChar(bitPattern: UInt8(ascii: "%")); n += 1
            if m.precision >= 0 {
                buffer[n] = CChar(bitPattern: UInt8(ascii: ".")); n += 1
                if m.precision >= 10 {
                    buffer[n] = CChar(bitPattern: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m.precision / 10)); n += 1
                }
                buffer[n] = CChar(bitPattern: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m.precision % 10)); n += 1
            }
            buffer[n] = CChar(bitPattern: letter); n += 1
            buffer[n] = 0
            let text = base + 8
            // `%.<P>g` (the serializers' `%.17g`) without C when LuaNumber can.
            // (C's `%g` takes no precision as 6 and 0 as 1.)
            var count = letter == UInt8(ascii: "g")
                ? text.withMemoryRebound(to: UInt8.self, capacity: CFormat.capacity) { t in
                    LuaNumber.formatG(value, precision: m.precision < 0 ? 6 : max(m.precision, 1), into: t)
                }
                : -1
            if count < 0 {
                let wanted = Int(_formatStrfromd(text, CFormat.capacity, base, value))
                count = max(0, min(wanted, CFormat.capacity - 1))
            }
            return UnsafeRawPointer(text).withMemoryRebound(to: UInt8.self, capacity: count) { digits -> Bool in
                let body = UnsafeBufferPointer(start: digits, count: count)
                let hasSign = count > 0 && digits[0] == UInt8(ascii: "-")
                let sign: UInt8? = hasSign ? nil
                    : m.plus ? UInt8(ascii: "+") : m.space ? UInt8(ascii: " ") : nil
                let length = count + (sign == nil ? 0 : 1)
                let padding = max(0, m.width - length)
                // glibc pads infinities and NaNs with spaces even under '0'.
                let zeroPad = m.zero && !m.leftAlign && value.isFinite
                if !m.leftAlign && !zeroPad { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
                if let sign { output.append(sign) }
                if zeroPad {
                    if hasSign { output.append(UInt8(ascii: "-")) }
                    output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding))
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: body[(hasSign ? 1 : 0)...]))
                } else {
                    output.append(contentsOf: body)
                }
                if m.leftAlign { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
                return true
            }
        }
    }
}
