// A pattern item's set of bytes as a 256-bit map, decoded once so that a repetition (`x*`,
// `x+`) tests each subject byte with one shift and mask instead of re-reading the item.
//
// PUC's `singlematch` re-dispatches on the pattern for every byte a repetition examines
// (`%a` goes through `match_class`'s switch, `[...]` through `matchbracketclass`'s walk of
// the set). The matcher here decodes the item into a `LuaByteSet` before the scan, with the
// same reading of the item as `singleMatch`, so the bytes matched are the same.

/// A set of bytes (256 bits in four words).
struct LuaByteSet: Equatable, Sendable {
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    @inline(__always)
    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64 = 0, _ w3: UInt64 = 0) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Every byte (`.`).
    static var all: LuaByteSet { LuaByteSet(~0, ~0, ~0, ~0) }

    /// The set holding only `c`.
    @inline(__always)
    init(single c: UInt8) {
        self.init(0, 0, 0, 0)
        insert(c)
    }

    /// Whether `c` is in the set.
    @inline(__always)
    func contains(_ c: UInt8) -> Bool {
        let low = c & 0x40 == 0
        let word = c & 0x80 == 0 ? (low ? w0 : w1) : (low ? w2 : w3)
        return (word >> UInt64(c & 63)) & 1 != 0
    }

    /// Adds `c`.
    @inline(__always)
    mutating func insert(_ c: UInt8) {
        let bit: UInt64 = 1 << UInt64(c & 63)
        switch c >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    /// Adds the bytes `lo...hi` (nothing when `lo > hi`), a word at a time.
    mutating func insertRange(_ lo: UInt8, _ hi: UInt8) {
        if lo > hi { return }
        for word in 0..<4 {
            let base = word * 64
            let first = max(Int(lo), base) - base
            let last = min(Int(hi), base + 63) - base
            if first > last { continue }
            // Bits first...last: a run of (last - first + 1) ones shifted into place.
            let mask = (UInt64.max >> UInt64(63 - (last - first))) << UInt64(first)
            switch word {
            case 0: w0 |= mask
            case 1: w1 |= mask
            case 2: w2 |= mask
            default: w3 |= mask
            }
        }
    }

    /// Adds every byte of `other`.
    @inline(__always)
    mutating func formUnion(_ other: LuaByteSet) {
        w0 |= other.w0
        w1 |= other.w1
        w2 |= other.w2
        w3 |= other.w3
    }

    /// The bytes not in the set.
    @inline(__always)
    var inverted: LuaByteSet { LuaByteSet(~w0, ~w1, ~w2, ~w3) }

    /// The bytes of the class `%<letter>` (C locale, as `LuaPatternMatcher.matchClass`);
    /// a letter that names no class stands for itself.
    @inline(__always)
    static func forClass(_ letter: UInt8) -> LuaByteSet {
        // The words below are the C library's classes in the "C" locale, bit `c` for byte
        // `c` (ClassTests checks each against `LuaCType` for all 256 bytes).
        let set: LuaByteSet
        switch letter | 0x20 {
        case UInt8(ascii: "a"): set = LuaByteSet(0, 0x07ff_fffe_07ff_fffe)
        case UInt8(ascii: "c"): set = LuaByteSet(0x0000_0000_ffff_ffff, 0x8000_0000_0000_0000)
        case UInt8(ascii: "d"): set = LuaByteSet(0x03ff_0000_0000_0000, 0)
        case UInt8(ascii: "g"): set = LuaByteSet(0xffff_fffe_0000_0000, 0x7fff_ffff_ffff_ffff)
        case UInt8(ascii: "l"): set = LuaByteSet(0, 0x07ff_fffe_0000_0000)
        case UInt8(ascii: "p"): set = LuaByteSet(0xfc00_fffe_0000_0000, 0x7800_0001_f800_0001)
        case UInt8(ascii: "s"): set = LuaByteSet(0x0000_0001_0000_3e00, 0)
        case UInt8(ascii: "u"): set = LuaByteSet(0, 0x0000_0000_07ff_fffe)
        case UInt8(ascii: "w"): set = LuaByteSet(0x03ff_0000_0000_0000, 0x07ff_fffe_07ff_fffe)
        case UInt8(ascii: "x"): set = LuaByteSet(0x03ff_0000_0000_0000, 0x0000_007e_0000_007e)
        case UInt8(ascii: "z"): set = LuaByteSet(1, 0)  // deprecated, still in 5.4
        default: return LuaByteSet(single: letter)
        }
        return LuaCType.isUpper(letter) ? set.inverted : set
    }
}

extension LuaPatternMatcher {
    /// The bytes the single-character class at `p` (ending before `classEnd`) matches.
    @inline(__always)
    static func byteSet(_ pattern: UnsafeBufferPointer<UInt8>, _ p: Int, _ classEnd: Int) -> LuaByteSet {
        switch byte(pattern, p) {
        case UInt8(ascii: "."): return .all
        case UInt8(ascii: "%"): return .forClass(byte(pattern, p + 1))
        case UInt8(ascii: "["): return bracketSet(pattern, p, classEnd - 1)
        case let literal: return LuaByteSet(single: literal)
        }
    }

    /// The set `[...]` that opens at `open` and closes at `close`, read item by item as
    /// `matchBracketClass` reads it.
    static func bracketSet(_ pattern: UnsafeBufferPointer<UInt8>, _ open: Int, _ close: Int) -> LuaByteSet {
        var set = LuaByteSet(0, 0, 0, 0)
        var p = open
        let negated = byte(pattern, p + 1) == UInt8(ascii: "^")
        if negated { p += 1 }
        p += 1
        while p < close {
            let item = byte(pattern, p)
            if item == UInt8(ascii: "%") {
                p += 1
                set.formUnion(.forClass(byte(pattern, p)))
            } else if byte(pattern, p + 1) == UInt8(ascii: "-") && p + 2 < close {
                p += 2
                set.insertRange(item, byte(pattern, p))
            } else {
                set.insert(item)
            }
            p += 1
        }
        return negated ? set.inverted : set
    }
}
