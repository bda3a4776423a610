// The lead items of the patterns `find`, `match` and `gsub` saw last.
//
// Reading a pattern's first item into a byte set (`LuaPattern.leadItem`) walks a bracket
// class twice (its end, then its items): ~200 instructions for `[^ \t\r\n]`, more than the
// search it speeds up when a scanner calls `s:find("[^ \t\r\n]", i)` once per token. The
// cache keeps the last four short patterns' items, keyed by their bytes (a string's
// identity would not do: a collected pattern's address can be reused by another string).

/// The lead items of the last four patterns of at most 16 bytes, one cache per Lua state (the
/// string library's `find`, `match` and `gsub` share it; a state runs on one thread at a time).
final class PatternLeadCache {
    /// A pattern of `count` bytes (zero-padded into `w0`, `w1`) and its lead item.
    struct Entry {
        var count = -1
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var item: (set: LuaByteSet, end: Int)? = nil
    }

    /// The longest pattern the cache keeps.
    static let maxLength = 16

    /// Only `leadItem` touches these, one access at a time, so their accesses are not checked.
    @exclusivity(unchecked) var e0 = Entry(), e1 = Entry(), e2 = Entry(), e3 = Entry()
    @exclusivity(unchecked) var next = 0

    /// `LuaPattern.leadItem(pattern)`, from the cache when the pattern was seen recently.
    func leadItem(_ pattern: UnsafeBufferPointer<UInt8>) -> (set: LuaByteSet, end: Int)? {
        let n = pattern.count
        guard n <= PatternLeadCache.maxLength else { return LuaPattern.leadItem(pattern) }
        var words: (UInt64, UInt64) = (0, 0)
        // SAFETY: `words` is 16 bytes and the pattern at most 16 (checked above).
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(pattern)) }
        let (w0, w1) = words
        if e0.count == n && e0.w0 == w0 && e0.w1 == w1 { return e0.item }
        if e1.count == n && e1.w0 == w0 && e1.w1 == w1 { return e1.item }
        if e2.count == n && e2.w0 == w0 && e2.w1 == w1 { return e2.item }
        if e3.count == n && e3.w0 == w0 && e3.w1 == w1 { return e3.item }
        let item = LuaPattern.leadItem(pattern)
        let entry = Entry(count: n, w0: w0, w1: w1, item: item)
        switch next {
        case 0: e0 = entry
        case 1: e1 = entry
        case 2: e2 = entry
        default: e3 = entry
        }
        next = (next + 1) & 3
        return item
    }
}
