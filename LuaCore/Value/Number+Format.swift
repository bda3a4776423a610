#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// C's `strfromd`: `snprintf` for one double, without varargs (which Swift cannot call
/// without building a `va_list` on the heap).
@_extern(c, "strfromd")
func _strfromd(_ str: UnsafeMutablePointer<CChar>?, _ n: Int, _ format: UnsafePointer<CChar>, _ fp: Double) -> Int32

/// Number ↔ text conversions with Lua 5.4's exact rules (PUC's `lobject.c`).
public enum LuaNumber {
    /// Bytes a formatted number can take: `-` + 14 digits + `.` + `e-308`, plus `.0`, with room.
    public static let maxFormattedLength = 48

    /// `tostringbuff` for a float: `%.14g` (`LUAI_NUMFFORMAT`), then `.0` appended if the
    /// result looks like an integer; `inf`, `-inf`, `nan`, `-nan` as glibc prints them.
    public static func format(_ d: Double) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFormattedLength) { buf in
            let n = format(d, into: buf.baseAddress.unsafelyUnwrapped)
            return Array(UnsafeBufferPointer(start: buf.baseAddress, count: n))
        }
    }

    /// Writes the `tostring` form of `d` into `out` (at least ``maxFormattedLength`` bytes)
    /// and returns its length; no allocation.
    public static func format(_ d: Double, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let cap = maxFormattedLength - 3
        var n = formatG(d, precision: 14, into: out)
        if n < 0 {
            let fmt: StaticString = "%.14g"
            // SAFETY: `out` has room for `maxFormattedLength` bytes; strfromd writes at most
            // `cap` of them (NUL included) and `%.14g` never needs more than 24.
            let written = fmt.withUTF8Buffer { f in
                f.baseAddress.unsafelyUnwrapped.withMemoryRebound(to: CChar.self, capacity: f.count + 1) { cf in
                    out.withMemoryRebound(to: CChar.self, capacity: cap) { o in Int(_strfromd(o, cap, cf, d)) }
                }
            }
            n = Swift.min(written, cap - 1)
        }
        // Looks like an integer (only '-' and digits)? Add ".0" so it reads back as a float.
        var i = 0
        while i < n && (out[i] == UInt8(ascii: "-") || (out[i] &- UInt8(ascii: "0")) < 10) { i += 1 }
        if i == n {
            out[n] = UInt8(ascii: ".")
            out[n + 1] = UInt8(ascii: "0")
            n += 2
        }
        return n
    }

    /// Calls `body` with the `tostring` form of `d`, formatted on the stack.
    @inlinable
    public static func withFormatted<R>(_ d: Double, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFormattedLength) { buf in
            let n = format(d, into: buf.baseAddress.unsafelyUnwrapped)
            return try body(UnsafeBufferPointer(start: buf.baseAddress, count: n))
        }
    }

    /// `tostringbuff` for an integer: `%lld` (`LUA_INTEGER_FMT`).
    public static func format(_ i: Int64) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFormattedLength) { buf in
            let n = format(i, into: buf.baseAddress.unsafelyUnwrapped)
            return Array(UnsafeBufferPointer(start: buf.baseAddress, count: n))
        }
    }

    /// Writes the decimal form of `i` into `out` (at least 20 bytes) and returns its length.
    @inlinable
    public static func format(_ i: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = i.magnitude
        // Digits are produced backwards into the top of a 20-byte scratch area.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            let t = tmp.baseAddress.unsafelyUnwrapped
            var k = 20
            repeat {
                k -= 1
                t[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            var n = 0
            if i < 0 {
                out[0] = UInt8(ascii: "-")
                n = 1
            }
            // SAFETY: at most 20 bytes (sign + 19 digits) are written to `out`.
            (out + n).update(from: t + k, count: 20 - k)
            return n + 20 - k
        }
    }

    /// Calls `body` with the decimal form of `i`, formatted on the stack.
    @inlinable
    public static func withFormatted<R>(_ i: Int64, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            let n = format(i, into: buf.baseAddress.unsafelyUnwrapped)
            return try body(UnsafeBufferPointer(start: buf.baseAddress, count: n))
        }
    }
}
