// The small string functions: index normalisation, `sub`, `byte`, `char`, `rep`,
// `reverse`, `lower`, `upper`.

/// PUC's rules for turning Lua string positions into byte offsets.
public enum LuaStringIndex {
    /// PUC's `posrelatI`: a start position, 1-based, at least 1 (it may exceed `length`).
    public static func startPosition(_ position: Int64, length: Int) -> Int {
        if position > 0 { return Int(position) }
        if position == 0 { return 1 }
        if position < -Int64(length) { return 1 }
        return length + Int(position) + 1
    }

    /// PUC's `getendpos`: an end position clamped to `0...length`.
    public static func endPosition(_ position: Int64, length: Int) -> Int {
        if position > Int64(length) { return length }
        if position >= 0 { return Int(position) }
        if position < -Int64(length) { return 0 }
        return length + Int(position) + 1
    }

    /// The byte range `string.sub(s, i, j)` returns (0-based, possibly empty).
    public static func sub(_ i: Int64, _ j: Int64, length: Int) -> Range<Int> {
        let start = startPosition(i, length: length)
        let end = endPosition(j, length: length)
        return start > end ? 0..<0 : (start - 1)..<end
    }

    /// The byte range whose bytes `string.byte(s, i, j)` returns (0-based, possibly empty).
    /// Pass `j = i` when it is absent: PUC defaults `j` to the raw `i`, not the normalised one.
    public static func byte(_ i: Int64, _ j: Int64, length: Int) throws(LuaStringLibError) -> Range<Int> {
        let start = startPosition(i, length: length)
        let end = endPosition(j, length: length)
        if start > end { return 0..<0 }
        if end - start >= Int(Int32.max) { throw LuaStringLibError("string slice too long") }
        return (start - 1)..<end
    }
}

/// Engines for `string.rep`, `reverse`, `lower`, `upper` and `char`.
public enum LuaStringBasics {
    /// The largest string PUC's string functions build (`MAXSIZE`: `INT_MAX` on 64-bit).
    public static let maxSize = Int(Int32.max)

    /// `string.rep(s, n, sep)`; fails with "resulting string too large" like PUC.
    public static func rep(
        _ s: UnsafeBufferPointer<UInt8>, count n: Int64, separator: UnsafeBufferPointer<UInt8>,
        into output: inout [UInt8]
    ) throws(LuaStringLibError) {
        let unit = s.count + separator.count
        // PUC loops n times even when both strings are empty; the result is the same.
        if n <= 0 || unit == 0 { return }
        if unit > maxSize / Int(clamping: n) { throw LuaStringLibError("resulting string too large") }
        let times = Int(n)
        output.reserveCapacity(output.count + unit * times - separator.count)
        for k in 0..<times {
            output.append(contentsOf: s)
            if k + 1 < times { output.append(contentsOf: separator) }
        }
    }

    /// `string.reverse`.
    public static func reverse(_ s: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.append(contentsOf: s.reversed())
    }

    /// `string.lower` in the C locale: only `A`–`Z` change.
    public static func lower(_ s: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + s.count)
        for c in s { output.append(LuaCType.isUpper(c) ? c | 0x20 : c) }
    }

    /// `string.upper` in the C locale: only `a`–`z` change.
    public static func upper(_ s: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + s.count)
        for c in s { output.append(LuaCType.isLower(c) ? c & ~0x20 : c) }
    }

    /// One argument of `string.char`: fails with "value out of range" (blaming `argument`).
    public static func charByte(_ value: Int64, argument: Int) throws(LuaStringLibError) -> UInt8 {
        guard UInt64(bitPattern: value) <= 255 else {
            throw LuaStringLibError("value out of range", argument: argument)
        }
        return UInt8(value)
    }
}
