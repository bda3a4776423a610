// Lua 5.4 pattern matching over bytes: the backtracking matcher of `lstrlib.c`, rewritten
// as a loop over an explicit stack of choice points, so that a match can stop anywhere and
// resume later.
//
// ## The machine
//
// PUC's `do_match` recurses at each choice: `?`, every try of `*`, `+` and `-`, and each
// capture open and close (which undo their effect when the rest fails). A success anywhere
// is the success of the whole match, so the recursion is a plain backtracking search: here
// each recursive call is a `Choice` pushed on a stack, and a failure pops the latest one
// and resumes from it (trying one fewer greedy repetition, one more lazy one, skipping the
// optional item, or undoing a capture). Tail positions (a single character, `%b`, `%f`,
// back-references) just advance, as PUC's `goto init` does.
//
// ## Bounding the work
//
// 1. **Depth.** A choice stack of `maxDepth` (PUC's `MAXCCALLS`, 200) entries raises
//    "pattern too complex" exactly where PUC does (one stack entry per nested `do_match`).
// 2. **Work.** Depth does not bound time: `("a"):rep(40)` against `("a?"):rep(40) ..
//    ("a"):rep(40)` backtracks exponentially within a shallow stack. The matcher charges
//    `fuel`: one unit per step of its loop (one pattern item matched, or one choice
//    resumed) and one per subject byte examined by a repetition, balance or
//    back-reference scan, so a unit is a roughly constant amount of time. When `fuel` is
//    below zero at the top of the loop (at most one scan past the point it ran out), the
//    match saves its position and throws `LuaPatternError.budgetExhausted`.
//
// Calling `match(at:)` again with the same start after `budgetExhausted` (with fresh fuel)
// resumes the suspended attempt where it stopped; any other start begins a new attempt. So
// no work is repeated, and the drivers (`LuaGmatchCursor`, `LuaGsubCursor`) resume by
// calling `next` again with the same cursor. `attemptWork` counts the units the current
// attempt used across resumptions; the library bounds it (StringLibrary+Patterns.swift).

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
    /// The deepest the matcher nests (PUC's `MAXCCALLS`).
    public static let maxDepth = 200

    static let lengthUnfinished = -1
    static let lengthPosition = -2

    /// The subject being searched.
    public let subject: UnsafeBufferPointer<UInt8>
    /// The pattern, without the leading `^` when it anchors.
    let pattern: UnsafeBufferPointer<UInt8>
    /// True when the pattern began with `^` and anchors were enabled.
    public let isAnchored: Bool
    /// The bytes an unanchored match must start with (`LuaPattern.leadSet`), or nil: a
    /// search skips the positions holding other bytes.
    let lead: LuaByteSet?
    /// True when the pattern is a single one-byte class (`[^ \t]`, `%a`, `x`) and not
    /// anchored: a match is then exactly the first byte of `lead` at or after the start.
    let leadIsWholePattern: Bool
    /// Work units left; the match throws `budgetExhausted` once it goes below zero.
    public var fuel: Int = .max
    /// The units the current (or last) attempt has used, across resumptions.
    public private(set) var attemptWork = 0

    var level = 0
    var captureStart = InlineArray<32, Int>(repeating: 0)
    var captureLength = InlineArray<32, Int>(repeating: 0)

    /// One pending alternative (a recursive `do_match` call in PUC's matcher).
    struct Choice {
        enum Kind: UInt8 {
            /// `x?` matched x at `s - 1`: on failure, go on at (`s`, `p`) without it.
            case optional
            /// `x*`/`x+` took `count` repetitions from `s`: on failure, one fewer.
            case greedy
            /// `x-` at `s` with the class at `p`..<`classEnd`: on failure, one more.
            case lazy
            /// A capture was opened: on failure, close the level again.
            case openCapture
            /// Capture `count` was closed: on failure, reopen it.
            case closeCapture
        }
        var kind: Kind
        var s: Int
        /// The pattern offset to resume at (`optional`), or the class start (`lazy`), or the
        /// class end (`greedy`).
        var p: Int
        /// Repetitions left (`greedy`), the class end (`lazy`), or the capture (`closeCapture`).
        var count: Int
    }

    /// How many alternatives are pending (never more than `maxDepth - 1`): the first
    /// `inlineChoiceCount` in `inlineChoices`, the rest in `moreChoices`, innermost last.
    /// Most patterns nest a few levels, so most matches allocate nothing.
    var choiceCount = 0
    static let inlineChoiceCount = 8
    var inlineChoices = InlineArray<8, Choice>(repeating: Choice(kind: .optional, s: 0, p: 0, count: 0))
    var moreChoices: [Choice] = []
    /// The start of the suspended attempt, or -1.
    var suspendedStart = -1
    /// Where the suspended attempt stopped: matching at (`resumeS`, `resumeP`), or failing.
    var resumeS = 0
    var resumeP = 0
    var resumeFailing = false

    /// Creates a matcher; a leading `^` anchors the pattern unless `caretAnchors` is false
    /// (`gmatch` treats `^` literally).
    @inline(__always)
    public init(
        subject: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>,
        caretAnchors: Bool = true
    ) {
        let anchored = caretAnchors && pattern.first == UInt8(ascii: "^")
        self.init(subject: subject, pattern: pattern, anchored: anchored,
                  lead: anchored ? nil : LuaPattern.leadItem(pattern))
    }

    /// Creates a matcher (`^` anchors) whose first item (`LuaPattern.leadItem` of
    /// `pattern`) the caller has already read: `lead` must be that item, or nil when the
    /// pattern begins with `^` (which then anchors) or has no lead set.
    @inline(__always)
    init(
        subject: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>,
        lead: (set: LuaByteSet, end: Int)?
    ) {
        self.init(subject: subject, pattern: pattern, anchored: pattern.first == UInt8(ascii: "^"), lead: lead)
    }

    /// The one place a matcher's fields are set: an anchored pattern drops its `^` and has
    /// no lead set; otherwise `lead` is the pattern's first item (nil when it has none).
    @inline(__always)
    private init(
        subject: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>,
        anchored: Bool, lead: (set: LuaByteSet, end: Int)?
    ) {
        self.subject = subject
        if anchored {
            self.pattern = UnsafeBufferPointer(rebasing: pattern.dropFirst())
            self.isAnchored = true
            self.lead = nil
            self.leadIsWholePattern = false
        } else {
            self.pattern = pattern
            self.isAnchored = false
            self.lead = lead?.set
            self.leadIsWholePattern = lead?.end == pattern.count
        }
    }

    /// Frees the spill storage of a deep match, so a matcher kept between calls (a gmatch
    /// iterator's) holds only its inline storage; nothing happens while an attempt is
    /// suspended.
    @inline(__always)
    mutating func releaseSpareChoices() {
        if _slowPath(moreChoices.capacity > 0) && !isSuspended { moreChoices = [] }
    }

    /// Whether an attempt stopped by `budgetExhausted` waits to be resumed.
    public var isSuspended: Bool { suspendedStart >= 0 }

    /// Tries to match the whole pattern starting exactly at byte offset `start`, resuming
    /// the suspended attempt if it started there.
    public mutating func match(at start: Int) throws(LuaPatternError) -> LuaMatch? {
        var s = start, p = 0, failing = false
        if suspendedStart == start {
            s = resumeS
            p = resumeP
            failing = resumeFailing
        } else {
            level = 0
            attemptWork = 0
            choiceCount = 0
            if !moreChoices.isEmpty { moreChoices.removeAll(keepingCapacity: true) }
        }
        suspendedStart = -1
        let end = try run(start, s, p, failing)
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
        var matcher = self
        return try matcher.readCapture(index, of: match)
    }

    /// `capture(_:of:)` for the library's drivers: `mutating` only so that reading one
    /// capture does not copy the capture tables (it changes nothing).
    mutating func readCapture(_ index: Int, of match: LuaMatch) throws(LuaPatternError) -> LuaCapture {
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

    /// Records a new alternative before going deeper (PUC's recursive `do_match` call).
    @inline(__always)
    mutating func push(_ kind: Choice.Kind, _ s: Int, _ p: Int, _ count: Int) throws(LuaPatternError) {
        if choiceCount >= Self.maxDepth - 1 { throw .raise("pattern too complex") }
        pushAgain(Choice(kind: kind, s: s, p: p, count: count))
    }

    /// Pushes a choice (a popped one going back: no depth check needed).
    @inline(__always)
    mutating func pushAgain(_ choice: Choice) {
        if choiceCount < Self.inlineChoiceCount {
            inlineChoices[choiceCount] = choice
        } else {
            moreChoices.append(choice)
        }
        choiceCount += 1
    }

    /// Pops the innermost choice, or nil when none is pending.
    @inline(__always)
    mutating func pop() -> Choice? {
        if choiceCount == 0 { return nil }
        choiceCount -= 1
        return choiceCount < Self.inlineChoiceCount ? inlineChoices[choiceCount] : moreChoices.removeLast()
    }

    /// Runs the attempt that started at `start` from (`sStart`, `pStart`) (or from a failure):
    /// returns the end of the match or -1.
    mutating func run(_ start: Int, _ sStart: Int, _ pStart: Int, _ failingStart: Bool) throws(LuaPatternError) -> Int {
        var s = sStart
        var p = pStart
        var failing = failingStart
        let subject = subject, pattern = pattern
        let patternEnd = pattern.count
        // The fuel lives in a local while the loop runs (stored back on every exit).
        let fuelAtEntry = self.fuel
        var fuel = fuelAtEntry
        defer {
            self.fuel = fuel
            attemptWork &+= fuelAtEntry &- fuel
        }
        while true {
            // One unit per step of the machine (a pattern item, or a choice resumed).
            fuel &-= 1
            if _slowPath(fuel < 0) {
                suspendedStart = start
                resumeS = s
                resumeP = p
                resumeFailing = failing
                throw .budgetExhausted
            }
            if failing {
                guard var choice = pop() else { return -1 }
                switch choice.kind {
                case .optional:
                    s = choice.s
                    p = choice.p
                    failing = false
                case .greedy:
                    if choice.count == 0 { continue }
                    choice.count -= 1
                    pushAgain(choice)
                    s = choice.s + choice.count
                    p = choice.p + 1
                    failing = false
                case .lazy:
                    if !Self.singleMatch(subject, pattern, choice.s, choice.p, choice.count) { continue }
                    choice.s += 1
                    pushAgain(choice)
                    s = choice.s
                    p = choice.count + 1
                    failing = false
                case .openCapture:
                    level -= 1
                case .closeCapture:
                    captureLength[choice.count] = Self.lengthUnfinished
                }
                continue
            }
            if p >= patternEnd { return s }
            // SAFETY: p < pattern.count (checked above).
            switch pattern[p] {
            case UInt8(ascii: "("):
                if level >= Self.maxCaptures { throw .raise("too many captures") }
                captureStart[level] = s
                if Self.byte(pattern, p + 1) == UInt8(ascii: ")") {
                    captureLength[level] = Self.lengthPosition
                    p += 2
                } else {
                    captureLength[level] = Self.lengthUnfinished
                    p += 1
                }
                level += 1
                try push(.openCapture, 0, 0, 0)
            case UInt8(ascii: ")"):
                var open = level - 1
                while open >= 0 && captureLength[open] != Self.lengthUnfinished { open -= 1 }
                if open < 0 { throw .raise("invalid pattern capture") }
                captureLength[open] = s - captureStart[open]
                try push(.closeCapture, 0, 0, open)
                p += 1
            case UInt8(ascii: "$") where p + 1 == patternEnd:
                if s == subject.count { return s }
                failing = true
            case UInt8(ascii: "%") where Self.byte(pattern, p + 1) == UInt8(ascii: "b"):
                s = try matchBalance(s, p + 2, &fuel)
                if s < 0 { failing = true } else { p += 4 }
            case UInt8(ascii: "%") where Self.byte(pattern, p + 1) == UInt8(ascii: "f"):
                p += 2
                if Self.byte(pattern, p) != UInt8(ascii: "[") {
                    throw .raise("missing '[' after '%f' in pattern")
                }
                let classEnd = try Self.classEnd(pattern, p)
                let previous = s == 0 ? 0 : Self.byte(subject, s - 1)
                if !Self.matchBracketClass(pattern, previous, p, classEnd - 1)
                    && Self.matchBracketClass(pattern, Self.byte(subject, s), p, classEnd - 1)
                {
                    p = classEnd
                } else {
                    failing = true
                }
            case UInt8(ascii: "%") where isDigit(Self.byte(pattern, p + 1)):
                s = try matchBackReference(s, Self.byte(pattern, p + 1), &fuel)
                if s < 0 { failing = true } else { p += 2 }
            default:
                let classEnd = try Self.classEnd(pattern, p)
                let suffix = Self.byte(pattern, classEnd)
                if suffix == UInt8(ascii: "+") || suffix == UInt8(ascii: "*") {
                    // Greedy: take as many as possible, then back off one at a time. The
                    // class is decoded once for the whole scan.
                    let set = Self.byteSet(pattern, p, classEnd)
                    var i = s
                    // SAFETY: i < subject.count (checked before each read).
                    while i < subject.count && set.contains(subject[i]) { i += 1 }
                    if i == s {
                        // No repetition: `x*` goes on without it, `x+` fails.
                        if suffix == UInt8(ascii: "*") { p = classEnd + 1 } else { failing = true }
                        continue
                    }
                    let from = suffix == UInt8(ascii: "+") ? s + 1 : s
                    let count = i - from
                    fuel &-= count
                    try push(.greedy, from, classEnd, count)
                    s = i
                    p = classEnd + 1
                    continue
                }
                if !Self.singleMatch(subject, pattern, s, p, classEnd) {
                    if suffix == UInt8(ascii: "*") || suffix == UInt8(ascii: "?")
                        || suffix == UInt8(ascii: "-")
                    {
                        p = classEnd + 1
                    } else {
                        failing = true
                    }
                    continue
                }
                switch suffix {
                case UInt8(ascii: "?"):
                    try push(.optional, s, classEnd + 1, 0)
                    s += 1
                    p = classEnd + 1
                case UInt8(ascii: "-"):
                    // Lazy: try the rest first, then take one more.
                    try push(.lazy, s, p, classEnd)
                    p = classEnd + 1
                default:
                    s += 1
                    p = classEnd
                }
            }
        }
    }

    /// `%bxy`: a balanced run from `x` to the matching `y`; returns its end or -1.
    mutating func matchBalance(_ s: Int, _ p: Int, _ fuel: inout Int) throws(LuaPatternError) -> Int {
        if p >= pattern.count - 1 {
            throw .raise("malformed pattern (missing arguments to '%b')")
        }
        let open = Self.byte(pattern, p)
        let close = Self.byte(pattern, p + 1)
        if Self.byte(subject, s) != open { return -1 }
        var depth = 1
        var i = s + 1
        while i < subject.count {
            // SAFETY: i < subject.count (loop condition).
            let c = subject[i]
            if c == close {
                depth -= 1
                if depth == 0 {
                    fuel &-= i - s
                    return i + 1
                }
            } else if c == open {
                depth += 1
            }
            i += 1
        }
        fuel &-= i - s
        return -1
    }

    /// `%1`–`%9`: the text of an earlier, closed capture; returns the end or -1.
    mutating func matchBackReference(_ s: Int, _ digit: UInt8, _ fuel: inout Int) throws(LuaPatternError) -> Int {
        let index = Int(digit) - Int(UInt8(ascii: "1"))
        if index < 0 || index >= level || captureLength[index] == Self.lengthUnfinished {
            throw .raise("invalid capture index %\(index + 1)")
        }
        let length = captureLength[index]
        // A position capture has no text (PUC compares against a huge unsigned length).
        if length < 0 || subject.count - s < length { return -1 }
        fuel &-= length
        let start = captureStart[index]
        for k in 0..<length where subject[start + k] != subject[s + k] {
            // SAFETY: start + length and s + length are within the subject (checked above).
            return -1
        }
        return s + length
    }
}
