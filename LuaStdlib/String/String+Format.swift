// The `string.format` engine, following PUC-Rio 5.4's `str_format`.
//
// A conversion is `%` + modifiers + a conversion letter. The modifiers are spanned the
// way PUC spans them (flags, digits and '.', at most 21 bytes with the letter, else
// "invalid format (too long)"), then checked per conversion (`checkformat`: the flags
// the conversion accepts, a width and a precision of at most two digits each, else
// "invalid conversion specification: '%...'"). Float digits come from the C library
// (`strfromd`, see String+FormatNumber.swift), so they are glibc's as in PUC; integers are
// written in Swift; the rare `#` forms, `%a`, `%c` and `%p` go to `vsnprintf`.
// The order of argument checks and format checks per conversion is PUC's, because it
// decides which of two errors a bad call reports.

/// The `string.format` engine.
public enum LuaFormat {
    static let flagsFloat: StaticString = "-+#0 "
    static let flagsHex: StaticString = "-#0"
    static let flagsInteger: StaticString = "-+0 "
    static let flagsUnsigned: StaticString = "-0"
    static let flagsChar: StaticString = "-"
    /// PUC's `MAX_FORMAT` (32) less room for '%', a length modifier and the NUL.
    static let maxSpecLength = 22

    /// Formats `format` with `arguments` (argument 1 is the format itself) and appends the
    /// result to `output`.
    public static func format<Arguments: LuaFormatArguments>(
        _ format: UnsafeBufferPointer<UInt8>, arguments: Arguments, into output: inout [UInt8]
    ) throws(LuaFormatError) {
        let end = format.count
        var i = 0
        var argument = 1
        while i < end {
            var run = i
            // SAFETY: run < end == format.count.
            while run < end && format[run] != UInt8(ascii: "%") { run += 1 }
            if run > i { output.append(contentsOf: UnsafeBufferPointer(rebasing: format[i..<run])) }
            if run == end { break }
            i = run + 1
            // SAFETY: i is checked against end before the read.
            if i < end && format[i] == UInt8(ascii: "%") {
                output.append(UInt8(ascii: "%"))
                i += 1
                continue
            }
            argument += 1
            if argument > arguments.count {
                throw LuaFormatError(argument: argument, message: Array("no value".utf8))
            }
            var letterIndex = i
            // SAFETY: letterIndex < end == format.count.
            while letterIndex < end && isSpecModifier(format[letterIndex]) { letterIndex += 1 }
            if letterIndex - i + 1 >= maxSpecLength { throw LuaFormatError("invalid format (too long)") }
            let spec = Spec(
                modifiers: UnsafeBufferPointer(rebasing: format[i..<letterIndex]),
                letter: letterIndex < end ? format[letterIndex] : 0)
            i = letterIndex + 1
            try formatItem(spec, argument: argument, arguments: arguments, into: &output)
        }
    }

    /// Convenience over arrays: formats and returns the bytes.
    public static func format<Arguments: LuaFormatArguments>(
        _ format: [UInt8], arguments: Arguments
    ) throws(LuaFormatError) -> [UInt8] {
        var output: [UInt8] = []
        try format.withUnsafeBufferPointer { (buffer) throws(LuaFormatError) in
            try Self.format(buffer, arguments: arguments, into: &output)
        }
        return output
    }

    /// One conversion specification: the modifiers between '%' and the letter, and the letter.
    struct Spec {
        var modifiers: UnsafeBufferPointer<UInt8>
        var letter: UInt8

        /// `%` + modifiers + letter, as PUC quotes it in messages (stopping at a NUL).
        var text: [UInt8] {
            var out = [UInt8(ascii: "%")]
            for c in modifiers { out.append(c) }
            if letter != 0 { out.append(letter) }
            return out
        }
    }

    static func isSpecModifier(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "#"), UInt8(ascii: "0"),
            UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "1")...UInt8(ascii: "9"):
            return true
        default: return false
        }
    }

    static func formatItem<Arguments: LuaFormatArguments>(
        _ spec: Spec, argument: Int, arguments: Arguments, into output: inout [UInt8]
    ) throws(LuaFormatError) {
        switch spec.letter {
        case UInt8(ascii: "c"):
            try check(spec, flags: flagsChar, precision: false)
            let value = try arguments.integer(at: argument)
            withCSpec(spec, lengthModifier: "") { form in
                CFormat.appendCharacter(Int32(truncatingIfNeeded: value), spec: form, to: &output)
            }
        case UInt8(ascii: "d"), UInt8(ascii: "i"):
            let value = try arguments.integer(at: argument)
            if spec.modifiers.isEmpty {
                LuaNumberText.appendInteger(value, to: &output)
                return
            }
            try check(spec, flags: flagsInteger, precision: true)
            if appendInteger(value, letter: spec.letter, modifiers: LuaFormatModifiers(spec.modifiers), into: &output) {
                return
            }
            withCSpec(spec, lengthModifier: "ll") { CFormat.appendInt64(value, spec: $0, to: &output) }
        case UInt8(ascii: "u"), UInt8(ascii: "o"), UInt8(ascii: "x"), UInt8(ascii: "X"):
            let value = try arguments.integer(at: argument)
            try check(spec, flags: spec.letter == UInt8(ascii: "u") ? flagsUnsigned : flagsHex, precision: true)
            if appendInteger(value, letter: spec.letter, modifiers: LuaFormatModifiers(spec.modifiers), into: &output) {
                return
            }
            withCSpec(spec, lengthModifier: "ll") { CFormat.appendInt64(value, spec: $0, to: &output) }
        case UInt8(ascii: "a"), UInt8(ascii: "A"):
            try check(spec, flags: flagsFloat, precision: true)
            let value = try arguments.number(at: argument)
            withCSpec(spec, lengthModifier: "") { CFormat.appendDouble(value, spec: $0, to: &output) }
        case UInt8(ascii: "f"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "g"), UInt8(ascii: "G"):
            let value = try arguments.number(at: argument)
            try check(spec, flags: flagsFloat, precision: true)
            if appendFloat(value, letter: spec.letter, modifiers: LuaFormatModifiers(spec.modifiers), into: &output) {
                return
            }
            withCSpec(spec, lengthModifier: "") { CFormat.appendDouble(value, spec: $0, to: &output) }
        case UInt8(ascii: "p"):
            let address = try arguments.pointer(at: argument)
            try check(spec, flags: flagsChar, precision: false)
            if address == 0 {
                appendPadded(Array("(null)".utf8)[...], spec: spec, into: &output)
            } else {
                withCSpec(spec, lengthModifier: "") { CFormat.appendPointer(address, spec: $0, to: &output) }
            }
        case UInt8(ascii: "q"):
            if !spec.modifiers.isEmpty { throw LuaFormatError("specifier '%q' cannot have modifiers") }
            try LuaQuoted.appendLiteral(argument: argument, arguments: arguments, into: &output)
        case UInt8(ascii: "s"):
            try formatString(spec, argument: argument, arguments: arguments, into: &output)
        default:
            var message = Array("invalid conversion '".utf8)
            message += spec.text
            message += Array("' to 'format'".utf8)
            throw LuaFormatError(message: message)
        }
    }

    /// `%s`: the argument's `tostring` form, with optional width and precision.
    static func formatString<Arguments: LuaFormatArguments>(
        _ spec: Spec, argument: Int, arguments: Arguments, into output: inout [UInt8]
    ) throws(LuaFormatError) {
        // 0: done; 1: contains a zero byte; 2: bad specification.
        let status = try arguments.withDisplayString(at: argument) { bytes -> Int in
            if spec.modifiers.isEmpty {
                output.append(contentsOf: bytes)
                return 0
            }
            if bytes.contains(0) { return 1 }
            guard (try? check(spec, flags: flagsChar, precision: true)) != nil else { return 2 }
            appendPadded(bytes[...], spec: spec, into: &output)
            return 0
        }
        if status == 1 { throw LuaFormatError(argument: argument, message: Array("string contains zeros".utf8)) }
        if status == 2 { try check(spec, flags: flagsChar, precision: true) }
    }

    /// Appends `bytes` as C's `%[-][width][.precision]s` would (the spec is already checked).
    static func appendPadded<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, spec: Spec, into output: inout [UInt8]
    ) {
        var leftAlign = false
        var width = 0
        var precision: Int? = nil
        var inPrecision = false
        for c in spec.modifiers {
            if c == UInt8(ascii: "-") {
                leftAlign = true
            } else if c == UInt8(ascii: ".") {
                inPrecision = true
                precision = 0
            } else if inPrecision {
                precision = (precision ?? 0) * 10 + Int(c - UInt8(ascii: "0"))
            } else {
                width = width * 10 + Int(c - UInt8(ascii: "0"))
            }
        }
        let shown = bytes.prefix(precision ?? Int.max)
        let padding = max(0, width - shown.count)
        if !leftAlign { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
        output.append(contentsOf: shown)
        if leftAlign { output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
    }

    /// PUC's `checkformat`: only `flags`, then a width of up to two digits (not starting
    /// with '0'), then (when allowed) '.' and a precision of up to two digits.
    static func check(_ spec: Spec, flags: StaticString, precision: Bool) throws(LuaFormatError) {
        let m = spec.modifiers
        var k = 0
        // SAFETY: every read below checks k < m.count first.
        flagLoop: while k < m.count {
            let c = m[k]
            for f in UnsafeBufferPointer(start: flags.utf8Start, count: flags.utf8CodeUnitCount) where f == c {
                k += 1
                continue flagLoop
            }
            break
        }
        if !(k < m.count && m[k] == UInt8(ascii: "0")) {
            k = skipTwoDigits(m, from: k)
            if k < m.count && m[k] == UInt8(ascii: ".") && precision {
                k = skipTwoDigits(m, from: k + 1)
            }
        }
        if k != m.count || !LuaCType.isAlpha(spec.letter) {
            var message = Array("invalid conversion specification: '".utf8)
            message += spec.text
            message.append(UInt8(ascii: "'"))
            throw LuaFormatError(message: message)
        }
    }

    static func skipTwoDigits(_ m: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var k = start
        // SAFETY: each read checks k < m.count first.
        if k < m.count && isDigit(m[k]) {
            k += 1
            if k < m.count && isDigit(m[k]) { k += 1 }
        }
        return k
    }

    /// Builds the NUL-terminated C format `%<modifiers><lengthModifier><letter>`.
    static func withCSpec(
        _ spec: Spec, lengthModifier: StaticString,
        _ body: (UnsafePointer<CChar>) -> Void
    ) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { form in
            // SAFETY: modifiers are at most 20 bytes (checked by the caller), so '%', the
            // modifiers, a length modifier of at most 2, the letter and the NUL fit in 32.
            var n = 0
            func put(_ c: UInt8) {
                form[n] = CChar(bitPattern: c)
                n += 1
            }
            put(UInt8(ascii: "%"))
            for c in spec.modifiers { put(c) }
            for c in UnsafeBufferPointer(start: lengthModifier.utf8Start, count: lengthModifier.utf8CodeUnitCount) {
                put(c)
            }
            put(spec.letter)
            put(0)
            if let base = form.baseAddress { body(UnsafePointer(base)) }
        }
    }
}
