// The drivers `find`, `match`, `gmatch` and `gsub` build on `LuaPatternMatcher`.
//
// Each driver keeps its progress in a small value the binding can store (in a gmatch
// closure's upvalue, or in a gsub sequence's state) so that a `budgetExhausted` error, a
// yield, or a call out to a Lua replacement function never loses work: the binding calls
// `next` again with the same cursor.

/// Helpers for `string.find` and `string.match`.
public enum LuaPattern {
    /// Whether `pattern` uses any magic character (PUC's `nospecials` is the negation);
    /// `find` without specials does a plain substring search.
    public static func hasSpecials(_ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in pattern {
            switch c {
            case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                UInt8(ascii: "?"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: "["),
                UInt8(ascii: "%"), UInt8(ascii: "-"):
                return true
            default: continue
            }
        }
        return false
    }

    /// The bytes every match must begin with, when the pattern's first item is a
    /// single-character class (`x`, `.`, `%a`, `[...]`) that is not optional (no `*`, `?` or
    /// `-` after it); otherwise nil (also when the first item is malformed, so that the
    /// matcher raises the error). An unanchored search may skip the positions holding
    /// other bytes: there PUC's matcher fails on the first item, before reading the rest of
    /// the pattern (so no error is skipped).
    static func leadSet(_ pattern: UnsafeBufferPointer<UInt8>) -> LuaByteSet? {
        leadItem(pattern)?.set
    }

    /// `leadSet` and the end of the pattern's first item: when that end is the pattern's
    /// length, the pattern is that one item and a match is exactly one byte of the set.
    static func leadItem(_ pattern: UnsafeBufferPointer<UInt8>) -> (set: LuaByteSet, end: Int)? {
        guard let c = pattern.first else { return nil }
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: ")"):
            return nil
        case UInt8(ascii: "$") where pattern.count == 1:
            return nil
        case UInt8(ascii: "%"):
            let letter = LuaPatternMatcher.byte(pattern, 1)
            if letter == UInt8(ascii: "b") || letter == UInt8(ascii: "f") || isDigit(letter) { return nil }
        default:
            break
        }
        guard let classEnd = try? LuaPatternMatcher.classEnd(pattern, 0) else { return nil }
        switch LuaPatternMatcher.byte(pattern, classEnd) {
        case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "-"): return nil
        default: return (LuaPatternMatcher.byteSet(pattern, 0, classEnd), classEnd)
        }
    }

    /// The first offset at or after `start` holding a byte of `set`, or nil.
    @inline(__always)
    static func nextOffset(in set: LuaByteSet, of subject: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = max(start, 0)
        while i < subject.count {
            // SAFETY: 0 <= i < subject.count.
            if set.contains(subject[i]) { return i }
            i += 1
        }
        return nil
    }

    /// The first occurrence of `needle` in `haystack` at or after byte offset `start`.
    public static func plainFind(
        _ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> Range<Int>? {
        let n = needle.count
        if n == 0 { return start..<start }
        if start > haystack.count || n > haystack.count - start { return nil }
        // SAFETY: needle is non-empty (checked above).
        let first = needle[0]
        var i = start
        let last = haystack.count - n
        while i <= last {
            // SAFETY: i <= last < haystack.count, and i + k < i + n <= haystack.count below.
            if haystack[i] == first {
                var k = 1
                while k < n && haystack[i + k] == needle[k] { k += 1 }
                if k == n { return i..<(i + n) }
            }
            i += 1
        }
        return nil
    }

    /// The byte offset where `find`/`match` start for Lua's `init` argument, or nil when
    /// it lies past the end (the functions then return fail).
    public static func searchStart(init position: Int64, length: Int) -> Int? {
        let start = LuaStringIndex.startPosition(position, length: length) - 1
        return start > length ? nil : start
    }

    /// Appends `template` with `%0`–`%9` and `%%` expanded, as `gsub` does with a string
    /// (or number) replacement.
    public static func appendReplacement(
        _ template: UnsafeBufferPointer<UInt8>, for match: LuaMatch,
        of matcher: LuaPatternMatcher, into output: inout [UInt8]
    ) throws(LuaPatternError) {
        var matcher = matcher
        try appendReplacement(template, for: match, of: &matcher, into: &output)
    }

    /// `appendReplacement` on the caller's matcher (`inout`, so the matcher is not copied).
    static func appendReplacement(
        _ template: UnsafeBufferPointer<UInt8>, for match: LuaMatch,
        of matcher: inout LuaPatternMatcher, into output: inout [UInt8]
    ) throws(LuaPatternError) {
        var i = 0
        let n = template.count
        while i < n {
            var run = i
            // SAFETY: run < n == template.count.
            while run < n && template[run] != UInt8(ascii: "%") { run += 1 }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: template[i..<run]))
            if run == n { return }
            // SAFETY: run + 1 is checked against n before the read.
            let code: UInt8 = run + 1 < n ? template[run + 1] : 0
            i = run + 2
            if code == UInt8(ascii: "%") {
                output.append(code)
            } else if code == UInt8(ascii: "0") {
                appendSubject(matcher.subject, match.range, to: &output)
            } else if isDigit(code) {
                switch try matcher.readCapture(Int(code - UInt8(ascii: "1")), of: match) {
                case .bytes(let range): appendSubject(matcher.subject, range, to: &output)
                case .position(let position): LuaNumberText.appendInteger(position, to: &output)
                }
            } else {
                throw .raise("invalid use of '%' in replacement string")
            }
        }
    }

    static func appendSubject(
        _ subject: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8]
    ) {
        // SAFETY: match and capture ranges always lie within the subject.
        output.append(contentsOf: UnsafeBufferPointer(rebasing: subject[range]))
    }
}

/// The state of a `string.gmatch` iterator.
///
/// Create the matcher with `caretAnchors: false`: in `gmatch` a leading `^` is literal.
public struct LuaGmatchCursor: Equatable, Sendable {
    /// Where the next search starts (PUC's `gm->src`).
    public private(set) var position: Int
    /// The end of the last match, so an empty match cannot repeat there (-1 for none).
    public private(set) var lastMatchEnd: Int = -1

    /// Starts at Lua position `init` (default 1), clamped like PUC's `gmatch`.
    public init(init position: Int64, length: Int) {
        let start = LuaStringIndex.startPosition(position, length: length) - 1
        self.position = start > length ? length + 1 : start
    }

    /// Restores a cursor from the two fields of an earlier one (a gmatch iterator keeps
    /// them in integer upvalues between calls).
    public init(position: Int, lastMatchEnd: Int) {
        self.position = position
        self.lastMatchEnd = lastMatchEnd
    }

    /// The next match, or nil when the subject is exhausted.
    public mutating func next(_ matcher: inout LuaPatternMatcher) throws(LuaPatternError) -> LuaMatch? {
        while position <= matcher.subject.count {
            if let lead = matcher.lead {
                // Matches are not empty here, so none can end at `lastMatchEnd` again.
                guard let next = LuaPattern.nextOffset(in: lead, of: matcher.subject, from: position) else {
                    position = matcher.subject.count + 1
                    return nil
                }
                position = next
            }
            if let found = try matcher.match(at: position), found.range.upperBound != lastMatchEnd {
                position = found.range.upperBound
                lastMatchEnd = found.range.upperBound
                return found
            }
            // Failed attempts are deterministic, so skipping them on a retry is safe.
            position += 1
        }
        return nil
    }
}

/// The state of a `string.gsub` call; the binding supplies each replacement.
///
/// Loop: `while let m = try cursor.next(&matcher, output: &out) { append replacement }`.
/// For a string or number replacement, call `LuaPattern.appendReplacement`. For a table
/// (indexed by capture 0) or a function (called with all captures), append the result's
/// string form, or the whole match (`m.range`) when the result is false or nil. When
/// `next` returns nil the tail of the subject has been appended and `replacements` is
/// gsub's second result.
public struct LuaGsubCursor: Equatable, Sendable {
    /// Where matching resumes.
    public private(set) var position = 0
    /// The end of the last match (-1 for none): an empty match there is skipped.
    public private(set) var lastMatchEnd = -1
    /// How many matches were replaced so far.
    public private(set) var replacements: Int64 = 0
    let limit: Int64
    var finished = false

    /// Creates a cursor allowing at most `maxReplacements` (gsub's 4th argument, default
    /// subject length + 1).
    public init(maxReplacements: Int64) { self.limit = maxReplacements }

    /// Copies unmatched bytes to `output` and returns the next match to replace, or nil
    /// after appending the rest of the subject.
    public mutating func next(
        _ matcher: inout LuaPatternMatcher, output: inout [UInt8]
    ) throws(LuaPatternError) -> LuaMatch? {
        let subject = matcher.subject
        if !finished {
            while replacements < limit {
                if let lead = matcher.lead, position < subject.count {
                    // Bytes that cannot start a match are copied in one run.
                    let next = LuaPattern.nextOffset(in: lead, of: subject, from: position) ?? subject.count
                    if next > position {
                        LuaPattern.appendSubject(subject, position..<next, to: &output)
                        position = next
                    }
                }
                if let found = try matcher.match(at: position), found.range.upperBound != lastMatchEnd {
                    replacements += 1
                    position = found.range.upperBound
                    lastMatchEnd = found.range.upperBound
                    if matcher.isAnchored { finished = true }
                    return found
                } else if position < subject.count {
                    // SAFETY: position < subject.count (checked above).
                    output.append(subject[position])
                    position += 1
                } else {
                    break
                }
                if matcher.isAnchored { break }
            }
            finished = true
        }
        if position < subject.count {
            LuaPattern.appendSubject(subject, position..<subject.count, to: &output)
            position = subject.count
        }
        return nil
    }
}
