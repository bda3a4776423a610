import GCArena

/// Reads S-expressions into arena data: integers, strings (with `\n \t \\ \"` escapes),
/// `#t`/`#f`, symbols, proper and dotted lists, `'x` for `(quote x)`, `;` comments.
///
/// The reader keeps its own stack of open lists instead of recursing, so nesting depth is
/// limited by memory, not by the Swift stack.
struct Reader {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(_ source: String) { bytes = Array(source.utf8) }

    /// A list being read: its elements so far, and the datum after `.` if there was one.
    private struct OpenList {
        /// Where this list's items start in the scratch vector (values cannot live in a
        /// Swift array); with `hasTail` the last of them is the datum after '.'.
        var start: Int
        var dotted = false
        var hasTail = false
        var line: Int
    }

    private enum Open {
        case list(OpenList)
        case quote
    }

    /// Reads every datum in the source.
    mutating func readAll(_ mc: borrowing Mutation, _ symbols: inout SymbolTable,
                          into forms: Confined<ConfinedVector<Value>>,
                          scratch: Confined<ConfinedVector<Value>>) throws {
        var stack: [Open] = []
        let base = scratch.count()
        defer { scratch.truncate(to: base) }
        while true {
            skipAtmosphere()
            guard index < bytes.count else {
                if let open = stack.last {
                    if case .list(let l) = open { throw syntax("unclosed '(' opened on line \(l.line)") }
                    throw syntax("quote at end of input")
                }
                return
            }
            var datum: Value
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "("):
                index += 1
                stack.append(.list(OpenList(start: scratch.count(), line: line)))
                continue
            case UInt8(ascii: "'"):
                index += 1
                stack.append(.quote)
                continue
            case UInt8(ascii: ")"):
                index += 1
                guard case .list(let l)? = stack.popLast() else { throw syntax("unexpected ')'") }
                if l.dotted && !l.hasTail { throw syntax("missing datum after '.'") }
                var end = scratch.count()
                datum = .null
                if l.hasTail { datum = scratch.element(at: end - 1); end -= 1 }
                var i = end - 1
                while i >= l.start {
                    datum = .pair(try mc.allocate(Pair(car: scratch.element(at: i), cdr: datum)))
                    i -= 1
                }
                scratch.truncate(to: l.start)
            case UInt8(ascii: "\""):
                datum = .string(try mc.allocate(LispString(text: try readString())))
            default:
                let token = readToken()
                if token == "." {
                    guard case .list(var l)? = stack.last, scratch.count() > l.start, !l.dotted else {
                        throw syntax("unexpected '.'")
                    }
                    l.dotted = true
                    stack[stack.count - 1] = .list(l)
                    continue
                }
                datum = try atom(token, &symbols)
            }
            // Hand the finished datum to whatever is waiting for it.
            while true {
                switch stack.last {
                case nil:
                    try forms.append(datum, mc)
                case .quote?:
                    stack.removeLast()
                    let quoted = try mc.allocate(Pair(car: datum, cdr: .null))
                    datum = .pair(try mc.allocate(Pair(car: .symbol(Symbol(SpecialForm.quote.rawValue)), cdr: .pair(quoted))))
                    continue
                case .list(var l)?:
                    if l.dotted {
                        if l.hasTail { throw syntax("more than one datum after '.'") }
                        l.hasTail = true
                    }
                    try scratch.append(datum, mc)
                    stack[stack.count - 1] = .list(l)
                }
                break
            }
        }
    }

    private mutating func skipAtmosphere() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"): line += 1; index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: ";"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            default: return
            }
        }
    }

    private static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ";"),
             UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): true
        default: false
        }
    }

    private mutating func readToken() -> String {
        let start = index
        while index < bytes.count && !Reader.isDelimiter(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func readString() throws -> String {
        let startLine = line
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                default: throw syntax("unknown escape '\\\(Character(Unicode.Scalar(e)))' in string")
                }
            default:
                if c == 10 { line += 1 }
                out.append(c)
            }
        }
        throw syntax("unterminated string starting on line \(startLine)")
    }

    @_lifetime(immortal)
    private func atom(_ token: String, _ symbols: inout SymbolTable) throws -> Value {
        if token == "#t" { return .bool(true) }
        if token == "#f" { return .bool(false) }
        if token.hasPrefix("#") { throw syntax("unknown syntax '\(token)'") }
        let digits = token.first == "-" || token.first == "+" ? token.dropFirst() : Substring(token)
        if !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let n = Int(token.first == "+" ? String(digits) : token) else {
                throw syntax("integer '\(token)' does not fit in 64 bits")
            }
            return .fixnum(n)
        }
        return .symbol(symbols.intern(token))
    }

    private func syntax(_ message: String) -> LispError {
        LispError(.syntax, "line \(line): \(message)")
    }
}
