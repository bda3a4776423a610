import Foundation

/// A Lua value as the recorded fixtures encode it (see Scripts/record-strlib-cases.lua).
enum TestValue: Equatable, CustomStringConvertible {
    case none
    case boolean(Bool)
    case integer(Int64)
    case float(Double)
    case string([UInt8])
    /// A named gsub replacement (`R:upper`, `R:tbl`, ...).
    case named(String)
    /// A value with no encoding (a table or function), by type name.
    case other(String)
    /// The separator between gmatch iterations.
    case separator

    static func == (a: TestValue, b: TestValue) -> Bool {
        switch (a, b) {
        case (.none, .none), (.separator, .separator): true
        case let (.boolean(x), .boolean(y)): x == y
        case let (.integer(x), .integer(y)): x == y
        case let (.float(x), .float(y)): x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN && x.sign == y.sign)
        case let (.string(x), .string(y)): x == y
        case let (.named(x), .named(y)), let (.other(x), .other(y)): x == y
        default: false
        }
    }

    var description: String {
        switch self {
        case .none: "nil"
        case .boolean(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .float(let d): "float(\(d))"
        case .string(let s): "\"" + Fixture.escape(s) + "\""
        case .named(let n): "R:" + n
        case .other(let t): "<" + t + ">"
        case .separator: "|"
        }
    }
}

/// One recorded case: `string.<function>(arguments...)` and what lua5.4 returned.
struct RecordedCase: CustomStringConvertible {
    var line: Int
    var function: String
    var arguments: [TestValue]
    /// The results, or nil when the call raised `error`.
    var results: [TestValue]?
    var error: [UInt8]

    var description: String {
        "line \(line): string.\(function)(" + arguments.map(\.description).joined(separator: ", ") + ")"
    }
}

/// The recorded fixture file.
enum Fixture {
    static let cases: [RecordedCase] = load()

    static func load() -> [RecordedCase] {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            let data = try? Data(contentsOf: root.appendingPathComponent("strlib-cases.tsv"))
        else { return [] }
        var out: [RecordedCase] = []
        for (number, rawLine) in Array(data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = Array(rawLine)
            if line.isEmpty || line[0] == UInt8(ascii: "#") { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map(Array.init)
            guard fields.count == 4 else { continue }
            let function = String(decoding: fields[0], as: UTF8.self)
            let arguments = decodeValues(fields[1])
            if fields[2] == Array("ok".utf8) {
                out.append(RecordedCase(line: number + 1, function: function, arguments: arguments,
                                        results: decodeValues(fields[3]), error: []))
            } else {
                out.append(RecordedCase(line: number + 1, function: function, arguments: arguments,
                                        results: nil, error: unescape(fields[3][...])))
            }
        }
        return out
    }

    static func decodeValues(_ field: [UInt8]) -> [TestValue] {
        if field.isEmpty { return [] }
        return field.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { token in
            let text = String(decoding: token, as: UTF8.self)
            if text == "n" { return .none }
            if text == "T" { return .boolean(true) }
            if text == "F" { return .boolean(false) }
            if text == "|" { return .separator }
            let body = String(text.dropFirst(2))
            switch text.prefix(2) {
            case "i:": return .integer(Int64(body)!)
            case "f:": return .float(Double(body)!)
            case "s:": return .string(unescape(token.dropFirst(2)))
            case "R:": return .named(body)
            default: return .other(body)
            }
        }
    }

    static func unescape(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == UInt8(ascii: "\\"), i + 3 < s.endIndex, s[i + 1] == UInt8(ascii: "x") {
                out.append(UInt8(String(decoding: s[(i + 2)..<(i + 4)], as: UTF8.self), radix: 16)!)
                i += 4
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    static func escape(_ s: [UInt8]) -> String {
        var out = ""
        for c in s {
            if c <= 32 || c == UInt8(ascii: "\\") || c >= 127 {
                out += "\\x" + String(c, radix: 16, uppercase: true).leftPad(2)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(c))
            }
        }
        return out
    }
}

extension String {
    func leftPad(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
