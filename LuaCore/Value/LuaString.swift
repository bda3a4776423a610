#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena

/// An immutable Lua byte string living in the arena, its bytes in the object's own tail.
///
/// The object is one block: this fixed part (a pointer to the bytes, the byte count, a
/// cached 32-bit hash, flags and the intern-table chain link) followed by the bytes and a
/// NUL, so a string can be handed to C unchanged. Strings of at most
/// ``LuaString/maxShortLength`` bytes are *short*: they are created only through a
/// ``LuaStringTable``, which makes them unique, so two short strings are equal exactly when
/// they are the same object (PUC's `LUAI_MAXSHORTLEN` and `eqshrstr`). Longer strings are
/// fresh objects compared by content; their hash is computed on first use (`luaS_hashlongstr`).
///
/// The value is plain old data and holds no handles, so the collector never traces it.
/// Use it through `Gc` (`Gc<LuaString>`): `Gc.count`, `Gc.bytes`, `Gc.equals(_:)`.
@frozen
public struct LuaString: CollectLeaf {
    /// Strings up to this many bytes are interned (PUC's `LUAI_MAXSHORTLEN`).
    public static let maxShortLength = 40

    /// The first byte, in this object's tail; `count` bytes then a NUL follow.
    @usableFromInline var _bytes: UnsafeMutablePointer<UInt8>
    /// The byte count.
    @usableFromInline let _count: Int
    /// The next short string in the same intern bucket (a raw payload address, not traced:
    /// the intern table holds its strings weakly).
    @usableFromInline var _internNext: UnsafeMutableRawPointer?
    /// The 32-bit hash of the bytes; meaningful once `_flags` has `_hashComputed`.
    @usableFromInline var _hash: UInt32
    /// `_short` and `_hashComputed`.
    @usableFromInline var _flags: UInt8

    @usableFromInline static let _short: UInt8 = 1
    @usableFromInline static let _hashComputed: UInt8 = 2

    @inlinable
    init(bytes: UnsafeMutablePointer<UInt8>, count: Int, hash: UInt32, flags: UInt8) {
        _bytes = bytes
        _count = count
        _internNext = nil
        _hash = hash
        _flags = flags
    }

    /// The seed of ``hash(_:count:)``: a fixed odd constant (the 64-bit golden ratio's bits
    /// rotated), so hashes are stable across runs and tests can pin them.
    public static let hashSeed: UInt64 = 0x7F4A_7C15_9E37_79B9

    /// Hashes `count` bytes at `p`: a seeded word-at-a-time folded-multiply hash.
    ///
    /// Eight bytes at a time are xored into the state and folded through a 64×64→128-bit
    /// multiply (the wyhash mixing step); the last 1–7 bytes form one more word. A final
    /// avalanche (MurmurHash3's `fmix64`) spreads every input bit over the low 32 bits that
    /// tables index with. Every byte counts, unlike Lua 5.3's sampled long-string hash.
    @inlinable
    public static func hash(_ p: UnsafeRawPointer?, count n: Int) -> UInt32 {
        var h = hashSeed ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        guard let p else { return _avalanche(h) }
        var i = 0
        while i &+ 8 <= n {
            // SAFETY: `i + 8 <= n` and the caller provides `n` readable bytes at `p`.
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = _fold(h ^ w, 0xA076_1D64_78BD_642F)
            i &+= 8
        }
        let rest = n &- i
        if rest > 0 {
            // The last 1–7 bytes as one word without a loop (wyhash's tail reads): 4–7 bytes
            // as two overlapping 4-byte loads, 1–3 bytes as the first, middle and last byte.
            // Either way every byte lands in the word.
            let w: UInt64
            if rest >= 4 {
                // SAFETY: `i + 4 <= n` and `n - 4 >= i`: both loads lie in the `n` bytes.
                let first = p.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                let last = p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
                w = UInt64(first) | UInt64(last) &<< 32
            } else {
                // SAFETY: `i`, `i + rest / 2` and `n - 1` are all in `i..<n`.
                let a = p.load(fromByteOffset: i, as: UInt8.self)
                let b = p.load(fromByteOffset: i &+ rest &>> 1, as: UInt8.self)
                let c = p.load(fromByteOffset: n &- 1, as: UInt8.self)
                w = UInt64(a) | UInt64(b) &<< 8 | UInt64(c) &<< 16
            }
            h = _fold(h ^ w, 0xE703_7ED1_A0B4_28DB)
        }
        return _avalanche(h)
    }

    @inlinable @inline(__always)
    static func _fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: b)
        return m.high ^ m.low
    }

    @inlinable @inline(__always)
    static func _avalanche(_ x: UInt64) -> UInt32 {
        var h = x
        h ^= h &>> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        return UInt32(truncatingIfNeeded: h)
    }

    /// Allocates a string object holding a copy of `bytes` (not interned).
    ///
    /// Short strings must come from ``LuaStringTable/intern(_:_:)-(_,UnsafeRawBufferPointer)``;
    /// this is its allocation step, and the whole story for long strings.
    @usableFromInline
    static func _allocate(_ mc: borrowing Mutation, _ bytes: UnsafeRawBufferPointer,
                          hash: UInt32, short: Bool) throws(GCAllocationError) -> Gc<LuaString> {
        let n = bytes.count
        // The bytes pointer is fixed up once the tail's address is known.
        let placeholder = UnsafeMutablePointer<UInt8>(bitPattern: 16).unsafelyUnwrapped
        let flags: UInt8 = short ? _short | _hashComputed : 0
        let s = try mc.allocate(LuaString(bytes: placeholder, count: n, hash: hash, flags: flags),
                                tailBytes: n + 1)
        // SAFETY: the tail holds `n + 1` writable bytes (requested above); `bytes` holds `n`
        // readable bytes; the fixed part is written through its pointer before any reader
        // sees the handle, and it holds no handles, so no barrier is needed.
        let tail = s.tail.assumingMemoryBound(to: UInt8.self)
        if n > 0, let src = bytes.baseAddress { tail.initialize(from: src.assumingMemoryBound(to: UInt8.self), count: n) }
        tail[n] = 0
        s.unsafeMutablePointer.pointee._bytes = tail
        return s
    }

    /// Allocates a long string (more than ``maxShortLength`` bytes) holding a copy of `bytes`.
    ///
    /// Prefer ``LuaStringTable/intern(_:_:)-(_,UnsafeRawBufferPointer)``, which picks short or
    /// long for you; this is for code that builds long results (concatenation, `string.rep`).
    public static func allocateLong(_ mc: borrowing Mutation, _ bytes: UnsafeRawBufferPointer)
        throws(GCAllocationError) -> Gc<LuaString>
    {
        precondition(bytes.count > maxShortLength, "LuaString.allocateLong: short strings must be interned")
        return try _allocate(mc, bytes, hash: 0, short: false)
    }
}

extension Gc where T == LuaString {
    /// The number of bytes (Lua's `#s`).
    @inlinable public var count: Int { value._count }

    /// The bytes (a NUL follows them in memory, not counted).
    @inlinable public var bytes: UnsafeBufferPointer<UInt8> {
        let v = value
        return UnsafeBufferPointer(start: v._bytes, count: v._count)
    }

    /// The string's 32-bit hash (computed on first use for long strings, then cached).
    @inlinable public var hashValue32: UInt32 {
        let v = value
        if _fastPath(v._flags & LuaString._hashComputed != 0) { return v._hash }
        return _computeHash()
    }

    @usableFromInline @inline(never)
    func _computeHash() -> UInt32 {
        let v = value
        let h = LuaString.hash(UnsafeRawPointer(v._bytes), count: v._count)
        // SAFETY: the hash is not a handle, so no barrier is needed; the object is alive.
        let p = unsafeMutablePointer
        p.pointee._hash = h
        p.pointee._flags |= LuaString._hashComputed
        return h
    }

    /// Whether this is a short (interned) string.
    @inlinable public var isShort: Bool { value._flags & LuaString._short != 0 }

    /// Raw equality: identity for short strings, length and bytes for long ones (`luaS_eqstr`).
    @inlinable
    public func equals(_ other: Gc<LuaString>) -> Bool {
        if self == other { return true }
        let a = value, b = other.value
        // Equal counts imply both short or both long; distinct short strings differ.
        if a._count != b._count || a._flags & LuaString._short != 0 { return false }
        return memcmp(a._bytes, b._bytes, a._count) == 0
    }

    /// Orders two strings byte-wise like `strcoll` in the C locale (`l_strcmp`): negative,
    /// zero or positive.
    ///
    /// Bytes compare unsigned; a proper prefix sorts first. Embedded zeros compare as the
    /// smallest byte, as PUC's segment-by-segment `strcoll` loop makes them.
    @inlinable
    public func compare(_ other: Gc<LuaString>) -> Int {
        if self == other { return 0 }
        let a = value, b = other.value
        let c = memcmp(a._bytes, b._bytes, Swift.min(a._count, b._count))
        if c != 0 { return c < 0 ? -1 : 1 }
        return a._count < b._count ? -1 : (a._count == b._count ? 0 : 1)
    }

    /// The bytes decoded as UTF-8, invalid sequences replaced (for debugging and embedding).
    public var stringValue: String { String(decoding: bytes, as: UTF8.self) }
}
