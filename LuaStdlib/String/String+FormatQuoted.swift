// `%q`: values written as Lua literals that read back to the same value.

/// The `%q` conversion of `string.format`.
public enum LuaQuoted {
    /// Appends argument `argument` as a Lua literal, or fails with "value has no literal form".
    static func appendLiteral<Arguments: LuaFormatArguments>(
        argument: Int, arguments: Arguments, into output: inout [UInt8]
    ) throws(LuaFormatError) {
        switch try arguments.literal(at: argument) {
        case .string:
            try arguments.withString(at: argument) { appendQuotedString($0, into: &output) }
        case .integer(let value):
            appendInteger(value, into: &output)
        case .float(let value):
            appendFloat(value, into: &output)
        case .nilOrBoolean(let text):
            output += text
        case .other:
            throw LuaFormatError(argument: argument, message: Array("value has no literal form".utf8))
        }
    }

    /// Appends an integer literal; `math.mininteger` is written in hex so it reads back as an integer.
    public static func appendInteger(_ value: Int64, into output: inout [UInt8]) {
        if value == .min {
            output += Array("0x8000000000000000".utf8)
        } else {
            LuaNumberText.appendInteger(value, to: &output)
        }
    }

    /// Appends a float literal: hexadecimal (`%a`), or `1e9999`, `-1e9999`, `(0/0)`.
    public static func appendFloat(_ value: Double, into output: inout [UInt8]) {
        if value == .infinity {
            output += Array("1e9999".utf8)
        } else if value == -.infinity {
            output += Array("-1e9999".utf8)
        } else if value.isNaN {
            output += Array("(0/0)".utf8)
        } else {
            CFormat.appendDouble(value, spec: "%a", to: &output)
        }
    }

    /// Appends `bytes` in double quotes with PUC's escapes: `\"`, `\\`, `\` + newline, and
    /// control bytes as `\ddd` (three digits when a digit follows).
    public static func appendQuotedString(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let n = bytes.count
        var i = 0
        while i < n {
            // SAFETY: i < n == bytes.count; i + 1 is checked against n before its read.
            let c = bytes[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == UInt8(ascii: "\n") {
                output.append(UInt8(ascii: "\\"))
                output.append(c)
            } else if LuaCType.isControl(c) {
                output.append(UInt8(ascii: "\\"))
                let nextIsDigit = i + 1 < n && isDigit(bytes[i + 1])
                if nextIsDigit || c >= 100 { output.append(UInt8(ascii: "0") + c / 100) }
                if nextIsDigit || c >= 10 { output.append(UInt8(ascii: "0") + c / 10 % 10) }
                output.append(UInt8(ascii: "0") + c % 10)
            } else {
                output.append(c)
            }
            i += 1
        }
        output.append(UInt8(ascii: "\""))
    }
}
