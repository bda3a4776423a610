import LuaStdlib

/// A failure raised by a harness call: the complete Lua error message.
struct HarnessError: Error {
    var message: [UInt8]
}

/// Arguments of one call, with the conversions PUC's `luaL_check*` functions perform.
struct TestArguments: LuaFormatArguments {
    var values: [TestValue]
    var function: String

    var count: Int { values.count }

    func value(_ position: Int) -> TestValue? {
        position >= 1 && position <= values.count ? values[position - 1] : nil
    }

    func typeName(_ position: Int) -> String {
        switch value(position) {
        // PUC's str_pack pushes a nil just above its arguments before reading them.
        case nil where function == "pack" && position == count + 1: "nil"
        case nil: "no value"
        case .none?: "nil"
        case .boolean?: "boolean"
        case .integer?, .float?: "number"
        case .string?: "string"
        case .named(let n)?: n == "tbl" ? "table" : "function"
        case .other(let t)?: t
        case .separator?: "?"
        }
    }

    func expected(_ what: String, _ position: Int) -> LuaStringLibError {
        LuaStringLibError(argument: position, message: Array("\(what) expected, got \(typeName(position))".utf8))
    }

    /// Lua's string-to-number conversion, enough for the recorded cases.
    static func parseNumber(_ bytes: [UInt8]) -> TestValue? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces()
        if let i = Int64(text) { return .integer(i) }
        if text.hasPrefix("0x"), let i = UInt64(text.dropFirst(2), radix: 16) { return .integer(Int64(bitPattern: i)) }
        if let d = Double(text), !text.isEmpty, text.lowercased() != "nan", !text.lowercased().contains("inf") {
            return .float(d)
        }
        return nil
    }

    func numeric(_ position: Int) -> TestValue? {
        switch value(position) {
        case .integer?, .float?: value(position)
        case .string(let s)?: Self.parseNumber(s)
        default: nil
        }
    }

    func integer(at position: Int) throws(LuaStringLibError) -> Int64 {
        switch numeric(position) {
        case .integer(let i)?: return i
        case .float(let d)?:
            if d.rounded() == d && d >= -0x1p63 && d < 0x1p63 { return Int64(d) }
            throw LuaStringLibError(argument: position, message: Array("number has no integer representation".utf8))
        default: throw expected("number", position)
        }
    }

    func optionalInteger(at position: Int, default fallback: Int64) throws(LuaStringLibError) -> Int64 {
        switch value(position) {
        case nil, .none?: fallback
        default: try integer(at: position)
        }
    }

    func number(at position: Int) throws(LuaStringLibError) -> Double {
        switch numeric(position) {
        case .integer(let i)?: return Double(i)
        case .float(let d)?: return d
        default: throw expected("number", position)
        }
    }

    func stringBytes(_ position: Int) throws(LuaStringLibError) -> [UInt8] {
        switch value(position) {
        case .string(let s)?: return s
        case .integer?, .float?: return tostring(value(position)!)
        default: throw expected("string", position)
        }
    }

    func withString<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(LuaStringLibError) -> R {
        try stringBytes(position).withUnsafeBufferPointer(body)
    }

    func withDisplayString<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(LuaStringLibError) -> R {
        tostring(value(position) ?? .none).withUnsafeBufferPointer(body)
    }

    func literal(at position: Int) throws(LuaStringLibError) -> LuaFormatLiteral {
        switch value(position) {
        case .integer(let i)?: .integer(i)
        case .float(let d)?: .float(d)
        case .string?: .string
        case .none?, .boolean?: .nilOrBoolean(tostring(value(position)!))
        default: .other
        }
    }

    func pointer(at position: Int) throws(LuaStringLibError) -> UInt { 0 }
}

/// Lua's `tostring` for the values the fixtures use.
func tostring(_ v: TestValue) -> [UInt8] {
    switch v {
    case .none: Array("nil".utf8)
    case .boolean(let b): Array((b ? "true" : "false").utf8)
    case .integer(let i):
        { var out: [UInt8] = []; LuaNumberText.appendInteger(i, to: &out); return out }()
    case .float(let d):
        { var out: [UInt8] = []; LuaNumberText.appendFloat(d, to: &out); return out }()
    case .string(let s): s
    default: Array("table: 0x0".utf8)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}

/// A miniature binding of the string library over the engines, the way the VM's binding
/// will drive them. `call` returns the results or throws the full Lua error message.
enum StringLibHarness {
    static func call(_ function: String, _ values: [TestValue]) throws(HarnessError) -> [TestValue] {
        let args = TestArguments(values: values, function: function)
        do {
            return try dispatch(function, args)
        } catch let error as LuaStringLibError {
            throw HarnessError(message: error.fullMessage(function: "string." + function))
        } catch let error as LuaPatternError {
            throw HarnessError(message: error.text.utf8.map { $0 })
        } catch let error as HarnessError {
            throw error
        } catch {
            throw HarnessError(message: Array("unexpected \(error)".utf8))
        }
    }

    static func dispatch(_ function: String, _ args: TestArguments) throws -> [TestValue] {
        switch function {
        case "find": return try find(args, isFind: true)
        case "match": return try find(args, isFind: false)
        case "gmatch": return try gmatch(args)
        case "gsub": return try gsub(args)
        case "format":
            let format = try args.stringBytes(1)
            return [.string(try LuaFormat.format(format, arguments: args))]
        case "pack":
            let format = try args.stringBytes(1)
            var out: [UInt8] = []
            try format.withUnsafeBufferPointer { (f) throws(LuaPackError) in
                try LuaPack.pack(format: f, arguments: args, into: &out)
            }
            return [.string(out)]
        case "packsize":
            let format = try args.stringBytes(1)
            return [.integer(try format.withUnsafeBufferPointer { (f) throws(LuaPackError) in try LuaPack.packSize(format: f) })]
        case "unpack":
            let format = try args.stringBytes(1)
            let data = try args.stringBytes(2)
            let start = try args.optionalInteger(at: 3, default: 1)
            var values: [LuaUnpackedValue] = []
            let next = try format.withUnsafeBufferPointer { (f) throws(LuaPackError) in
                try data.withUnsafeBufferPointer { (d) throws(LuaPackError) in
                    try LuaPack.unpack(format: f, data: d, init: start, into: &values)
                }
            }
            return values.map { v -> TestValue in
                switch v {
                case .integer(let i): .integer(i)
                case .number(let d): .float(d)
                case .string(let r): .string(Array(data[r]))
                }
            } + [.integer(next)]
        case "rep":
            let s = try args.stringBytes(1)
            let n = try args.integer(at: 2)
            let sep = args.value(3) == nil || args.value(3) == TestValue.none ? [] : try args.stringBytes(3)
            var out: [UInt8] = []
            try s.withUnsafeBufferPointer { (sb) throws(LuaStringLibError) in
                try sep.withUnsafeBufferPointer { (pb) throws(LuaStringLibError) in
                    try LuaStringBasics.rep(sb, count: n, separator: pb, into: &out)
                }
            }
            return [.string(out)]
        case "sub":
            let s = try args.stringBytes(1)
            let range = LuaStringIndex.sub(try args.integer(at: 2), try args.optionalInteger(at: 3, default: -1), length: s.count)
            return [.string(Array(s[range]))]
        case "byte":
            let s = try args.stringBytes(1)
            let i = try args.optionalInteger(at: 2, default: 1)
            let range = try LuaStringIndex.byte(i, try args.optionalInteger(at: 3, default: i), length: s.count)
            return s[range].map { .integer(Int64($0)) }
        case "char":
            var out: [UInt8] = []
            for position in stride(from: 1, through: args.count, by: 1) {
                out.append(try LuaStringBasics.charByte(try args.integer(at: position), argument: position))
            }
            return [.string(out)]
        case "reverse", "lower", "upper":
            let s = try args.stringBytes(1)
            var out: [UInt8] = []
            s.withUnsafeBufferPointer { b in
                switch function {
                case "reverse": LuaStringBasics.reverse(b, into: &out)
                case "lower": LuaStringBasics.lower(b, into: &out)
                default: LuaStringBasics.upper(b, into: &out)
                }
            }
            return [.string(out)]
        case "len":
            return [.integer(Int64(try args.stringBytes(1).count))]
        default:
            throw HarnessError(message: Array("no such function \(function)".utf8))
        }
    }

    /// A capture as a Lua value.
    static func value(_ capture: LuaCapture, _ subject: [UInt8]) -> TestValue {
        switch capture {
        case .bytes(let r): .string(Array(subject[r]))
        case .position(let p): .integer(p)
        }
    }

    static func captures(_ m: LuaMatch, _ matcher: LuaPatternMatcher, _ subject: [UInt8], count: Int) throws -> [TestValue] {
        try (0..<count).map { try value(matcher.capture($0, of: m), subject) }
    }

    static func find(_ args: TestArguments, isFind: Bool) throws -> [TestValue] {
        let s = try args.stringBytes(1)
        let p = try args.stringBytes(2)
        let initial = try args.optionalInteger(at: 3, default: 1)
        guard let start = LuaPattern.searchStart(init: initial, length: s.count) else { return [.none] }
        return try s.withUnsafeBufferPointer { sb in
            try p.withUnsafeBufferPointer { pb in
                let plain: Bool = switch args.value(4) { case nil, .none?, .boolean(false)?: false; default: true }
                if isFind && (plain || !LuaPattern.hasSpecials(pb)) {
                    guard let r = LuaPattern.plainFind(pb, in: sb, from: start) else { return [.none] }
                    return [.integer(Int64(r.lowerBound + 1)), .integer(Int64(r.upperBound))]
                }
                var matcher = LuaPatternMatcher(subject: sb, pattern: pb)
                guard let m = try matcher.firstMatch(from: start) else { return [.none] }
                if isFind {
                    return [.integer(Int64(m.range.lowerBound + 1)), .integer(Int64(m.range.upperBound))]
                        + (try captures(m, matcher, s, count: m.captureLevel))
                }
                return try captures(m, matcher, s, count: m.valueCount)
            }
        }
    }

    static func gmatch(_ args: TestArguments) throws -> [TestValue] {
        let s = try args.stringBytes(1)
        let p = try args.stringBytes(2)
        var cursor = LuaGmatchCursor(init: try args.optionalInteger(at: 3, default: 1), length: s.count)
        var out: [TestValue] = []
        // The binding recreates the matcher on every iterator call; the cursor carries the state.
        for _ in 0..<100 {
            let step: [TestValue]? = try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    var matcher = LuaPatternMatcher(subject: sb, pattern: pb, caretAnchors: false)
                    guard let m = try cursor.next(&matcher) else { return nil }
                    return try captures(m, matcher, s, count: m.valueCount)
                }
            }
            guard let step else { break }
            out.append(.separator)
            out += step
        }
        return out
    }

    static let table: [String: TestValue] = [
        "hello": .string(Array("HELLO".utf8)), "world": .boolean(false), "x": .integer(42),
        "y": .float(1.5), "bad": .boolean(true),
    ]

    /// The named replacement functions of the recorder, in Swift.
    static func callNamed(_ name: String, _ arguments: [TestValue]) -> TestValue {
        switch name {
        case "upper":
            guard case .string(let s)? = arguments.first else { return .none }
            var out: [UInt8] = []
            s.withUnsafeBufferPointer { LuaStringBasics.upper($0, into: &out) }
            return .string(out)
        case "join":
            return .string(Array(arguments.map { tostring($0) }.joined(separator: [UInt8(ascii: ",")])))
        case "false": return .boolean(false)
        case "len":
            guard case .string(let s)? = arguments.first else { return .none }
            return .integer(Int64(s.count))
        case "tbl":
            guard case .string(let key)? = arguments.first else { return .none }
            return table[String(decoding: key, as: UTF8.self)] ?? .none
        default: return .none
        }
    }

    static func gsub(_ args: TestArguments) throws -> [TestValue] {
        let s = try args.stringBytes(1)
        let p = try args.stringBytes(2)
        let replacement = args.value(3)
        switch replacement {
        case .integer?, .float?, .string?, .named?: break
        default:
            throw LuaStringLibError(argument: 3, message: Array("string/function/table expected, got \(args.typeName(3))".utf8))
        }
        let limit = try args.optionalInteger(at: 4, default: Int64(s.count) + 1)
        let template = (try? args.stringBytes(3)) ?? []
        var output: [UInt8] = []
        var cursor = LuaGsubCursor(maxReplacements: limit)
        try s.withUnsafeBufferPointer { sb in
            try p.withUnsafeBufferPointer { pb in
                var matcher = LuaPatternMatcher(subject: sb, pattern: pb)
                while let m = try cursor.next(&matcher, output: &output) {
                    guard case .named(let name)? = replacement else {
                        try template.withUnsafeBufferPointer { tb in
                            try LuaPattern.appendReplacement(tb, for: m, of: matcher, into: &output)
                        }
                        continue
                    }
                    let callArguments = name == "tbl"
                        ? [try value(matcher.capture(0, of: m), s)]
                        : try captures(m, matcher, s, count: m.valueCount)
                    switch callNamed(name, callArguments) {
                    case .none, .boolean(false): output += s[m.range]
                    case let v where v.isStringOrNumber: output += tostring(v)
                    case let v:
                        let type = if case .boolean = v { "boolean" } else { "table" }
                        throw HarnessError(message: Array("invalid replacement value (a \(type))".utf8))
                    }
                }
            }
        }
        return [.string(output), .integer(cursor.replacements)]
    }
}

extension TestValue {
    var isStringOrNumber: Bool {
        switch self {
        case .string, .integer, .float: true
        default: false
        }
    }
}
