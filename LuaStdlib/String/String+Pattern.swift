// Lua 5.4 pattern matching over bytes: the backtracking matcher of `lstrlib.c`, rewritten.
//
// ## Bounding the work
//
// PUC's matcher is a recursive backtracker. So is this one, with two bounds:
//
// 1. **Depth.** Every entry into `matchHere` spends one unit of a depth allowance of
//    `maxDepth` (PUC's `MAXCCALLS`, 200) and gives it back on return; running out raises
//    "pattern too complex" exactly where PUC does. Tail positions (a single character, the
//    end of `?`, `%b`, `%f`, back-references) loop instead of recursing, as PUC's `goto
//    init` does, so the Swift stack holds at most ~2 × 200 small frames.
// 2. **Work.** Depth does not bound time: `("a"):rep(30) .. "b"` against `(a*)*`-style
//    patterns backtracks exponentially within a shallow stack. The matcher therefore
//    charges `fuel`: one unit per `matchHere` entry and one per subject byte examined by a
//    repetition, balance or back-reference scan. When `fuel` drops below zero the match
//    throws `LuaPatternError.budgetExhausted`. The default is unlimited (PUC's behaviour).
//
// A match attempt is pure: it reads the subject and pattern and writes only the matcher's
// capture table. So "resuming" after `budgetExhausted` means refilling `fuel` and calling
// the same method again; the drivers (`LuaGmatchCursor`, `LuaGsubCursor`) keep their
// progress across such retries, so only the interrupted attempt at one position repeats.
// The VM turns exhaustion into a yield to its executor (and retries) or into an error.

/// An error raised while matching a Lua pattern.
public enum LuaPatternError: Error, Equatable, Sendable {
    /// A PUC `luaL_error` message, raised as is (for example "malformed pattern (ends with '%')").
    case message([UInt8])
    /// The matcher's `fuel` ran out; the attempt can be retried with more fuel.
    case budgetExhausted

    /// The message as text, for tests and diagnostics.
    public var text: String {
        switch self {
        case .message(let bytes): String(decoding: bytes, as: UTF8.self)
        case .budgetExhausted: "pattern matching budget exhausted"
        }
    }

    static func raise(_ text: String) -> LuaPatternError { .message(Array(text.utf8)) }
}

/// One capture value, as `string.match` returns it.
public enum LuaCapture: Equatable, Sendable {
    /// A substring capture: byte offsets into the subject (0-based, half-open).
    case bytes(Range<Int>)
    /// A position capture `()`: the Lua (1-based) position.
    case position(Int64)
}

/// A successful match: the whole-match range and how many captures the pattern opened.
public struct LuaMatch: Equatable, Sendable {
    /// The whole match, as 0-based half-open byte offsets into the subject.
    public var range: Range<Int>
    /// The number of captures the pattern opened (PUC's `ms->level`).
    public var captureLevel: Int

    /// The number of values `string.match`/`gmatch` return: the captures, or the whole
    /// match when the pattern has none.
    public var valueCount: Int { captureLevel == 0 ? 1 : captureLevel }
}

/// A Lua pattern matcher bound to one subject and one pattern.
///
/// The buffers must stay valid and unchanged for the matcher's lifetime; the matcher keeps
/// only their addresses. Captures of the latest successful match are read with
/// `capture(_:of:)` until the next match call.
public struct LuaPatternMatcher {
    /// The most captures one pattern may open (PUC's `LUA_MAXCAPTURES`).
    public static let maxCaptures = 32
    /// The deepest the matcher recurses (PUC's `MAXCCALLS`).
    public static let maxDepth = 200

    static let lengthUnfinished = -1
    static let lengthPosition = -2

    /// The subject being searched.
    public let subject: UnsafeBufferPointer<UInt8>
    /// The pattern, without the leading `^` when it anchors.
    let pattern: UnsafeBufferPointer<UInt8>
    /// True when the pattern began with `^` and anchors were enabled.
    public let isAnchored: Bool
    /// Work units left; the match throws `budgetExhausted` when it goes below zero.
    public var fuel: Int = .max

    var level = 0
    var depthLeft = LuaPatternMatcher.maxDepth
    var captureStart = InlineArray<32, Int>(repeating: 0)
    var captureLength = InlineArray<32, Int>(repeating: 0)

    /// Creates a matcher; a leading `^` anchors the pattern unless `caretAnchors` is false
    /// (`gmatch` treats `^` literally).
    public init(
        subject: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>,
        caretAnchors: Bool = true
    ) {
        self.subject = subject
        if caretAnchors, let first = pattern.first, first == UInt8(ascii: "^") {
            self.pattern = UnsafeBufferPointer(rebasing: pattern.dropFirst())
            self.isAnchored = true
        } else {
            self.pattern = pattern
            self.isAnchored = false
        }
    }

    /// Tries to match the whole pattern starting exactly at byte offset `start`.
    public mutating func match(at start: Int) throws(LuaPatternError) -> LuaMatch? {
        level = 0
        depthLeft = Self.maxDepth
        let end = try matchHere(start, 0)
        return end < 0 ? nil : LuaMatch(range: start..<end, captureLevel: level)
    }

    /// Searches from `start` onwards (only at `start` when anchored), as `find` and `match` do.
    public mutating func firstMatch(from start: Int) throws(LuaPatternError) -> LuaMatch? {
        var position = start
        while true {
            if let found = try match(at: position) { return found }
            if isAnchored || position >= subject.count { return nil }
            position += 1
        }
    }

    /// Capture `index` (0-based) of `match`, with PUC's `get_onecapture` rules: index 0 of
    /// a pattern without captures is the whole match.
    public func capture(_ index: Int, of match: LuaMatch) throws(LuaPatternError) -> LuaCapture {
        if index >= match.captureLevel {
            if index != 0 { throw .raise("invalid capture index %\(index + 1)") }
            return .bytes(match.range)
        }
        let start = captureStart[index]
        let length = captureLength[index]
        if length == Self.lengthUnfinished { throw .raise("unfinished capture") }
        if length == Self.lengthPosition { return .position(Int64(start + 1)) }
        return .bytes(start..<(start + length))
    }

    // MARK: - The matcher

    /// The pattern byte at `index`, or 0 past the end (PUC reads the terminating NUL).
    @inline(__always)
    func patternByte(_ index: Int) -> UInt8 { Self.byte(pattern, index) }

    /// The subject byte at `index`, or 0 past the end (PUC reads the terminating NUL).
    @inline(__always)
    func subjectByte(_ index: Int) -> UInt8 { Self.byte(subject, index) }

    @inline(__always)
    mutating func charge(_ units: Int) throws(LuaPatternError) {
        fuel &-= units
        if fuel < 0 { throw .budgetExhausted }
    }

    /// Matches pattern offset `p` against subject offset `s`; returns the end of the match or -1.
    mutating func matchHere(_ sStart: Int, _ pStart: Int) throws(LuaPatternError) -> Int {
        if depthLeft == 0 { throw .raise("pattern too complex") }
        depthLeft -= 1
        defer { depthLeft += 1 }
        try charge(1)
        var s = sStart
        var p = pStart
        let patternEnd = pattern.count
        while p < patternEnd {
            // SAFETY: p < pattern.count (loop condition).
            let pc = pattern[p]
            switch pc {
            case UInt8(ascii: "("):
                if patternByte(p + 1) == UInt8(ascii: ")") {
                    return try startCapture(s, p + 2, Self.lengthPosition)
                }
                return try startCapture(s, p + 1, Self.lengthUnfinished)
            case UInt8(ascii: ")"):
                return try endCapture(s, p + 1)
            case UInt8(ascii: "$") where p + 1 == patternEnd:
                return s == subject.count ? s : -1
            case UInt8(ascii: "%") where patternByte(p + 1) == UInt8(ascii: "b"):
                s = try matchBalance(s, p + 2)
                if s < 0 { return -1 }
                p += 4
                continue
            case UInt8(ascii: "%") where patternByte(p + 1) == UInt8(ascii: "f"):
                p += 2
                if patternByte(p) != UInt8(ascii: "[") {
                    throw .raise("missing '[' after '%f' in pattern")
                }
                let classEnd = try Self.classEnd(pattern, p)
                let previous = s == 0 ? 0 : subjectByte(s - 1)
                if !Self.matchBracketClass(pattern, previous, p, classEnd - 1)
                    && Self.matchBracketClass(pattern, subjectByte(s), p, classEnd - 1)
                {
                    p = classEnd
                    continue
                }
                return -1
            case UInt8(ascii: "%") where isDigit(patternByte(p + 1)):
                s = try matchBackReference(s, patternByte(p + 1))
                if s < 0 { return -1 }
                p += 2
                continue
            default:
                let classEnd = try Self.classEnd(pattern, p)
                let suffix = patternByte(classEnd)
                if !Self.singleMatch(subject, pattern, s, p, classEnd) {
                    if suffix == UInt8(ascii: "*") || suffix == UInt8(ascii: "?")
                        || suffix == UInt8(ascii: "-")
                    {
                        p = classEnd + 1
                        continue
                    }
                    return -1
                }
                switch suffix {
                case UInt8(ascii: "?"):
                    let end = try matchHere(s + 1, classEnd + 1)
                    if end >= 0 { return end }
                    p = classEnd + 1
                    continue
                case UInt8(ascii: "+"):
                    return try maxExpand(s + 1, p, classEnd)
                case UInt8(ascii: "*"):
                    return try maxExpand(s, p, classEnd)
                case UInt8(ascii: "-"):
                    return try minExpand(s, p, classEnd)
                default:
                    s += 1
                    p = classEnd
                    continue
                }
            }
        }
        return s
    }

    /// Greedy repetition: take as many as possible, then back off one at a time.
    mutating func maxExpand(_ s: Int, _ p: Int, _ classEnd: Int) throws(LuaPatternError) -> Int {
        var count = 0
        let subject = subject, pattern = pattern
        while Self.singleMatch(subject, pattern, s + count, p, classEnd) { count += 1 }
        try charge(count)
        while count >= 0 {
            let end = try matchHere(s + count, classEnd + 1)
            if end >= 0 { return end }
            count -= 1
        }
        return -1
    }

    /// Lazy repetition: try the rest first, then take one more.
    mutating func minExpand(_ sStart: Int, _ p: Int, _ classEnd: Int) throws(LuaPatternError) -> Int {
        var s = sStart
        while true {
            let end = try matchHere(s, classEnd + 1)
            if end >= 0 { return end }
            if !Self.singleMatch(subject, pattern, s, p, classEnd) { return -1 }
            s += 1
        }
    }

    mutating func startCapture(_ s: Int, _ p: Int, _ what: Int) throws(LuaPatternError) -> Int {
        if level >= Self.maxCaptures { throw .raise("too many captures") }
        captureStart[level] = s
        captureLength[level] = what
        level += 1
        let end = try matchHere(s, p)
        if end < 0 { level -= 1 }
        return end
    }

    mutating func endCapture(_ s: Int, _ p: Int) throws(LuaPatternError) -> Int {
        var open = level - 1
        while open >= 0 && captureLength[open] != Self.lengthUnfinished { open -= 1 }
        if open < 0 { throw .raise("invalid pattern capture") }
        captureLength[open] = s - captureStart[open]
        let end = try matchHere(s, p)
        if end < 0 { captureLength[open] = Self.lengthUnfinished }
        return end
    }

    /// `%bxy`: a balanced run from `x` to the matching `y`.
    mutating func matchBalance(_ s: Int, _ p: Int) throws(LuaPatternError) -> Int {
        if p >= pattern.count - 1 {
            throw .raise("malformed pattern (missing arguments to '%b')")
        }
        let open = patternByte(p)
        let close = patternByte(p + 1)
        if subjectByte(s) != open { return -1 }
        var depth = 1
        var i = s + 1
        while i < subject.count {
            // SAFETY: i < subject.count (loop condition).
            let c = subject[i]
            if c == close {
                depth -= 1
                if depth == 0 {
                    try charge(i - s)
                    return i + 1
                }
            } else if c == open {
                depth += 1
            }
            i += 1
        }
        try charge(i - s)
        return -1
    }

    /// `%1`–`%9`: the text of an earlier, closed capture.
    mutating func matchBackReference(_ s: Int, _ digit: UInt8) throws(LuaPatternError) -> Int {
        let index = Int(digit) - Int(UInt8(ascii: "1"))
        if index < 0 || index >= level || captureLength[index] == Self.lengthUnfinished {
            throw .raise("invalid capture index %\(index + 1)")
        }
        let length = captureLength[index]
        // A position capture has no text (PUC compares against a huge unsigned length).
        if length < 0 || subject.count - s < length { return -1 }
        try charge(length)
        let start = captureStart[index]
        for k in 0..<length where subject[start + k] != subject[s + k] {
            // SAFETY: start + length and s + length are within the subject (checked above).
            return -1
        }
        return s + length
    }

    // The helpers below are static and take the buffers they read, not `self`: the
    // matcher carries its capture table inline, and calling a non-mutating method on it
    // from a mutating one copies the whole struct (issue 12 measured memcpy at 17% of a
    // gsub-heavy run). The buffers are two words each.

    /// The byte at `index` of `buffer`, or 0 past the end (PUC reads the terminating NUL).
    @inline(__always)
    static func byte(_ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
        // SAFETY: `index` is checked against the buffer's count before the read.
        index < buffer.count ? buffer[index] : 0
    }

    /// The offset just past the single-character class starting at `p`.
    static func classEnd(_ pattern: UnsafeBufferPointer<UInt8>, _ pStart: Int) throws(LuaPatternError) -> Int {
        var p = pStart
        let c = byte(pattern, p)
        p += 1
        if c == UInt8(ascii: "%") {
            if p >= pattern.count { throw .raise("malformed pattern (ends with '%')") }
            return p + 1
        }
        if c == UInt8(ascii: "[") {
            if byte(pattern, p) == UInt8(ascii: "^") { p += 1 }
            repeat {
                if p >= pattern.count { throw .raise("malformed pattern (missing ']')") }
                let item = byte(pattern, p)
                p += 1
                if item == UInt8(ascii: "%") && p < pattern.count { p += 1 }
            } while p >= pattern.count || byte(pattern, p) != UInt8(ascii: "]")
            return p + 1
        }
        return p
    }

    /// Whether subject byte `s` exists and matches the class at `p` (ending before `classEnd`).
    @inline(__always)
    static func singleMatch(
        _ subject: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>,
        _ s: Int, _ p: Int, _ classEnd: Int
    ) -> Bool {
        if s >= subject.count { return false }
        // SAFETY: s < subject.count (checked above).
        let c = subject[s]
        switch byte(pattern, p) {
        case UInt8(ascii: "."): return true
        case UInt8(ascii: "%"): return matchClass(c, byte(pattern, p + 1))
        case UInt8(ascii: "["): return matchBracketClass(pattern, c, p, classEnd - 1)
        case let literal: return literal == c
        }
    }

    /// Whether `c` is in the set `[...]` that opens at `p` and closes at `close`.
    static func matchBracketClass(
        _ pattern: UnsafeBufferPointer<UInt8>, _ c: UInt8, _ open: Int, _ close: Int
    ) -> Bool {
        var p = open
        var inSet = true
        if byte(pattern, p + 1) == UInt8(ascii: "^") {
            inSet = false
            p += 1
        }
        p += 1
        while p < close {
            let item = byte(pattern, p)
            if item == UInt8(ascii: "%") {
                p += 1
                if matchClass(c, byte(pattern, p)) { return inSet }
            } else if byte(pattern, p + 1) == UInt8(ascii: "-") && p + 2 < close {
                p += 2
                if item <= c && c <= byte(pattern, p) { return inSet }
            } else if item == c {
                return inSet
            }
            p += 1
        }
        return !inSet
    }

    /// Whether `c` is in the class `%<letter>` (C locale, plus the deprecated `%z` for NUL);
    /// other letters match themselves.
    static func matchClass(_ c: UInt8, _ letter: UInt8) -> Bool {
        let result: Bool
        switch letter | 0x20 {
        case UInt8(ascii: "a"): result = LuaCType.isAlpha(c)
        case UInt8(ascii: "c"): result = LuaCType.isControl(c)
        case UInt8(ascii: "d"): result = isDigit(c)
        case UInt8(ascii: "g"): result = LuaCType.isGraph(c)
        case UInt8(ascii: "l"): result = LuaCType.isLower(c)
        case UInt8(ascii: "p"): result = LuaCType.isPunct(c)
        case UInt8(ascii: "s"): result = LuaCType.isSpace(c)
        case UInt8(ascii: "u"): result = LuaCType.isUpper(c)
        case UInt8(ascii: "w"): result = LuaCType.isAlnum(c)
        case UInt8(ascii: "x"): result = LuaCType.isHexDigit(c)
        case UInt8(ascii: "z"): result = c == 0  // deprecated, still in 5.4
        default: return letter == c
        }
        return LuaCType.isUpper(letter) ? !result : result
    }
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

/// The C library's character classes in the "C" locale (ASCII only).
public enum LuaCType {
    /// `isalpha`.
    @inline(__always) public static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- UInt8(ascii: "a") < 26 }
    /// `isupper`.
    @inline(__always) public static func isUpper(_ c: UInt8) -> Bool { c &- UInt8(ascii: "A") < 26 }
    /// `islower`.
    @inline(__always) public static func isLower(_ c: UInt8) -> Bool { c &- UInt8(ascii: "a") < 26 }
    /// `iscntrl`.
    @inline(__always) public static func isControl(_ c: UInt8) -> Bool { c < 32 || c == 127 }
    /// `isgraph`: printable and not space.
    @inline(__always) public static func isGraph(_ c: UInt8) -> Bool { c > 32 && c < 127 }
    /// `isalnum`.
    @inline(__always) public static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
    /// `ispunct`: graphic but not alphanumeric.
    @inline(__always) public static func isPunct(_ c: UInt8) -> Bool { isGraph(c) && !isAlnum(c) }
    /// `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    @inline(__always) public static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    /// `isxdigit`.
    @inline(__always) public static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) &- UInt8(ascii: "a") < 6
    }
    /// `isdigit`.
    @inline(__always) public static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
}
