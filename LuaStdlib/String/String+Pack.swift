// The `string.pack`, `string.unpack` and `string.packsize` engines (PUC-Rio 5.4 rules).
//
// A format is read one option at a time (`readOption`); each option has a kind, a size,
// and the padding that aligns it. As in PUC the format is a C string: a NUL byte ends it.
// Native settings are those of 64-bit Linux: little endian, `int` 4 bytes, `long`,
// `size_t`, `lua_Integer` and `lua_Number` 8, maximum alignment 8.

/// A value produced by `string.unpack`.
public enum LuaUnpackedValue: Equatable, Sendable {
    /// An integer (options `b B h H i I l L j J T`).
    case integer(Int64)
    /// A float (options `f d n`).
    case number(Double)
    /// A string, as a byte range of the data (options `c s z`).
    case string(Range<Int>)
}

/// The `string.pack` family.
public enum LuaPack {
    static let maxIntegerSize = 16
    static let nativeAlignment = 8
    static let integerSize = 8

    enum Kind {
        case int, uint, float, number, double, char, string, zstring, padding, paddingAlign, none
    }

    struct Option {
        var kind: Kind
        var size: Int
        var alignPadding: Int
    }

    /// The reader of a format string, with the endianness and alignment set so far.
    struct Reader {
        let format: UnsafeBufferPointer<UInt8>
        var index = 0
        var littleEndian = true
        var maxAlign = 1

        init(_ format: UnsafeBufferPointer<UInt8>) {
            // SAFETY: the scan stays below format.count.
            var end = 0
            while end < format.count && format[end] != 0 { end += 1 }
            self.format = UnsafeBufferPointer(rebasing: format[0..<end])
        }

        var atEnd: Bool { index >= format.count }

        func peek() -> UInt8 {
            // SAFETY: index is checked against format.count first.
            index < format.count ? format[index] : 0
        }

        mutating func number(default value: Int) -> Int {
            guard isDigit(peek()) else { return value }
            var n = 0
            repeat {
                n = n * 10 + Int(peek() - UInt8(ascii: "0"))
                index += 1
            } while isDigit(peek()) && n <= (LuaStringBasics.maxSize - 9) / 10
            return n
        }

        mutating func limitedNumber(default value: Int) throws(LuaPackError) -> Int {
            let n = number(default: value)
            if n > maxIntegerSize || n <= 0 {
                throw LuaPackError(message: Array("integral size (\(n)) out of limits [1,\(maxIntegerSize)]".utf8))
            }
            return n
        }

        /// PUC's `getoption`: the next option's kind and size.
        mutating func option() throws(LuaPackError) -> (Kind, Int) {
            let c = peek()
            index += 1
            switch c {
            case UInt8(ascii: "b"): return (.int, 1)
            case UInt8(ascii: "B"): return (.uint, 1)
            case UInt8(ascii: "h"): return (.int, 2)
            case UInt8(ascii: "H"): return (.uint, 2)
            case UInt8(ascii: "l"), UInt8(ascii: "j"): return (.int, 8)
            case UInt8(ascii: "L"), UInt8(ascii: "J"), UInt8(ascii: "T"): return (.uint, 8)
            case UInt8(ascii: "f"): return (.float, 4)
            case UInt8(ascii: "n"): return (.number, 8)
            case UInt8(ascii: "d"): return (.double, 8)
            case UInt8(ascii: "i"): return (.int, try limitedNumber(default: 4))
            case UInt8(ascii: "I"): return (.uint, try limitedNumber(default: 4))
            case UInt8(ascii: "s"): return (.string, try limitedNumber(default: 8))
            case UInt8(ascii: "c"):
                let n = number(default: -1)
                if n == -1 { throw LuaPackError(message: Array("missing size for format option 'c'".utf8)) }
                return (.char, n)
            case UInt8(ascii: "z"): return (.zstring, 0)
            case UInt8(ascii: "x"): return (.padding, 1)
            case UInt8(ascii: "X"): return (.paddingAlign, 0)
            case UInt8(ascii: " "): return (.none, 0)
            case UInt8(ascii: "<"), UInt8(ascii: "="): littleEndian = true; return (.none, 0)
            case UInt8(ascii: ">"): littleEndian = false; return (.none, 0)
            case UInt8(ascii: "!"): maxAlign = try limitedNumber(default: nativeAlignment); return (.none, 0)
            default:
                var message = Array("invalid format option '".utf8)
                message.append(c)
                message.append(UInt8(ascii: "'"))
                throw LuaPackError(message: message)
            }
        }

        /// PUC's `getdetails`: the next option with the padding that aligns it at `offset`.
        mutating func next(offset: Int) throws(LuaPackError) -> Option {
            let (kind, size) = try option()
            var align = size
            if kind == .paddingAlign {
                if atEnd { throw LuaPackError(argument: 1, message: Array("invalid next option for option 'X'".utf8)) }
                let (nextKind, nextSize) = try option()
                align = nextSize
                if nextKind == .char || align == 0 {
                    throw LuaPackError(argument: 1, message: Array("invalid next option for option 'X'".utf8))
                }
            }
            var padding = 0
            if align > 1 && kind != .char {
                align = min(align, maxAlign)
                if align & (align - 1) != 0 {
                    throw LuaPackError(argument: 1, message: Array("format asks for alignment not power of 2".utf8))
                }
                padding = (align - (offset & (align - 1))) & (align - 1)
            }
            return Option(kind: kind, size: size, alignPadding: padding)
        }
    }

    /// `string.pack(format, ...)`: appends the packed bytes to `output`.
    ///
    /// `grow(&output, n)` runs before `n` more bytes are appended (a binding counts them
    /// toward a memory limit there); when it returns false, packing stops with
    /// "not enough memory".
    public static func pack<Arguments: LuaStringArguments>(
        format: UnsafeBufferPointer<UInt8>, arguments: Arguments, into output: inout [UInt8],
        grow: (inout [UInt8], Int) -> Bool = { _, _ in true }
    ) throws(LuaPackError) {
        var reader = Reader(format)
        var argument = 1
        var total = 0
        let outOfMemory = LuaPackError(message: Array("not enough memory".utf8))
        while !reader.atEnd {
            let option = try reader.next(offset: total)
            total += option.alignPadding + option.size
            var extra = option.alignPadding + option.size
            if option.kind == .string || option.kind == .zstring, argument + 1 <= arguments.count {
                extra += (try? arguments.withString(at: argument + 1) { $0.count + 1 }) ?? 0
            }
            if !grow(&output, extra) { throw outOfMemory }
            output.append(contentsOf: repeatElement(0, count: option.alignPadding))
            argument += 1
            switch option.kind {
            case .int:
                let n = try arguments.integer(at: argument)
                if option.size < integerSize {
                    let limit = Int64(1) << (option.size * 8 - 1)
                    if !(-limit <= n && n < limit) { throw overflow(argument, "integer overflow") }
                }
                appendInteger(UInt64(bitPattern: n), size: option.size, little: reader.littleEndian, negative: n < 0, to: &output)
            case .uint:
                let n = try arguments.integer(at: argument)
                if option.size < integerSize && UInt64(bitPattern: n) >= UInt64(1) << (option.size * 8) {
                    throw overflow(argument, "unsigned overflow")
                }
                appendInteger(UInt64(bitPattern: n), size: option.size, little: reader.littleEndian, negative: false, to: &output)
            case .float:
                let bits = Float(try arguments.number(at: argument)).bitPattern
                appendInteger(UInt64(bits), size: 4, little: reader.littleEndian, negative: false, to: &output)
            case .number, .double:
                let bits = try arguments.number(at: argument).bitPattern
                appendInteger(bits, size: 8, little: reader.littleEndian, negative: false, to: &output)
            case .char:
                let fits = try arguments.withString(at: argument) { bytes -> Bool in
                    guard bytes.count <= option.size else { return false }
                    output.append(contentsOf: bytes)
                    output.append(contentsOf: repeatElement(0, count: option.size - bytes.count))
                    return true
                }
                if !fits { throw overflow(argument, "string longer than given size") }
            case .string:
                let length = try arguments.withString(at: argument) { bytes -> Int in
                    let length = bytes.count
                    if option.size < 8 && UInt64(length) >= UInt64(1) << (option.size * 8) { return -1 }
                    appendInteger(UInt64(length), size: option.size, little: reader.littleEndian, negative: false, to: &output)
                    output.append(contentsOf: bytes)
                    return length
                }
                if length < 0 { throw overflow(argument, "string length does not fit in given size") }
                total += length
            case .zstring:
                let length = try arguments.withString(at: argument) { bytes -> Int in
                    if bytes.contains(0) { return -1 }
                    output.append(contentsOf: bytes)
                    output.append(0)
                    return bytes.count
                }
                if length < 0 { throw overflow(argument, "string contains zeros") }
                total += length + 1
            case .padding:
                output.append(0)
                argument -= 1
            case .paddingAlign, .none:
                argument -= 1
            }
        }
    }

    /// `string.packsize(format)`.
    public static func packSize(format: UnsafeBufferPointer<UInt8>) throws(LuaPackError) -> Int64 {
        var reader = Reader(format)
        var total = 0
        while !reader.atEnd {
            let option = try reader.next(offset: total)
            if option.kind == .string || option.kind == .zstring {
                throw LuaPackError(argument: 1, message: Array("variable-length format".utf8))
            }
            let size = option.size + option.alignPadding
            if total > LuaStringBasics.maxSize - size {
                throw LuaPackError(argument: 1, message: Array("format result too large".utf8))
            }
            total += size
        }
        return Int64(total)
    }

    /// `string.unpack(format, data, init)`: appends the values to `values` and returns the
    /// Lua position after the last byte read (unpack's final result).
    public static func unpack(
        format: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>, init initPosition: Int64,
        into values: inout [LuaUnpackedValue]
    ) throws(LuaPackError) -> Int64 {
        let length = data.count
        var position = LuaStringIndex.startPosition(initPosition, length: length) - 1
        if position > length {
            throw LuaPackError(argument: 3, message: Array("initial position out of string".utf8))
        }
        var reader = Reader(format)
        while !reader.atEnd {
            let option = try reader.next(offset: position)
            if option.alignPadding + option.size > length - position { throw tooShort() }
            position += option.alignPadding
            switch option.kind {
            case .int, .uint:
                let value = try readInteger(data, at: position, size: option.size, little: reader.littleEndian, signed: option.kind == .int)
                values.append(.integer(value))
            case .float:
                let bits = UInt32(truncatingIfNeeded: try readInteger(data, at: position, size: 4, little: reader.littleEndian, signed: false))
                values.append(.number(Double(Float(bitPattern: bits))))
            case .number, .double:
                let bits = UInt64(bitPattern: try readInteger(data, at: position, size: 8, little: reader.littleEndian, signed: false))
                values.append(.number(Double(bitPattern: bits)))
            case .char:
                values.append(.string(position..<(position + option.size)))
            case .string:
                let count = UInt64(bitPattern: try readInteger(data, at: position, size: option.size, little: reader.littleEndian, signed: false))
                if count > UInt64(length - position - option.size) { throw tooShort() }
                let start = position + option.size
                values.append(.string(start..<(start + Int(count))))
                position += Int(count)
            case .zstring:
                var end = position
                // SAFETY: end < length == data.count.
                while end < length && data[end] != 0 { end += 1 }
                if end >= length {
                    throw LuaPackError(argument: 2, message: Array("unfinished string for format 'z'".utf8))
                }
                values.append(.string(position..<end))
                position = end + 1
            case .padding, .paddingAlign, .none:
                break
            }
            position += option.size
        }
        return Int64(position + 1)
    }

    static func overflow(_ argument: Int, _ text: String) -> LuaPackError {
        LuaPackError(argument: argument, message: Array(text.utf8))
    }

    static func tooShort() -> LuaPackError {
        LuaPackError(argument: 2, message: Array("data string too short".utf8))
    }

    /// Appends the low `size` bytes of `value`, sign-extending past 8 bytes when `negative`.
    static func appendInteger(_ value: UInt64, size: Int, little: Bool, negative: Bool, to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: size))
        var v = value
        for k in 0..<size {
            let byte: UInt8 = k < 8 ? UInt8(truncatingIfNeeded: v) : (negative ? 0xFF : 0)
            output[start + (little ? k : size - 1 - k)] = byte
            if k < 8 { v >>= 8 }
        }
    }

    /// PUC's `unpackint`: reads `size` bytes; wider than 8 must be pure sign extension.
    static func readInteger(
        _ data: UnsafeBufferPointer<UInt8>, at position: Int, size: Int, little: Bool, signed: Bool
    ) throws(LuaPackError) -> Int64 {
        // SAFETY: the caller checked position + size <= data.count.
        func byte(_ k: Int) -> UInt8 { data[position + (little ? k : size - 1 - k)] }
        var result: UInt64 = 0
        let limit = min(size, integerSize)
        for k in stride(from: limit - 1, through: 0, by: -1) {
            result = result << 8 | UInt64(byte(k))
        }
        if size < integerSize {
            if signed {
                let mask = UInt64(1) << (size * 8 - 1)
                result = (result ^ mask) &- mask
            }
        } else if size > integerSize {
            let fill: UInt8 = (!signed || Int64(bitPattern: result) >= 0) ? 0 : 0xFF
            for k in limit..<size where byte(k) != fill {
                throw LuaPackError(message: Array("\(size)-byte integer does not fit into Lua Integer".utf8))
            }
        }
        return Int64(bitPattern: result)
    }
}
