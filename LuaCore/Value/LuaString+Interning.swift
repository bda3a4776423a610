#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena

/// The short-string intern table: one object per distinct short byte string (PUC's `stringtable`).
///
/// A chained hash table over malloc'd buckets; each bucket holds the first string of its
/// chain and strings link through their own `_internNext` field (PUC's `u.hnext`), so a
/// lookup allocates nothing and an insertion allocates only the string. The table doubles
/// when it holds more strings than buckets (load > 1) and shrinks in ``removeDead(_:)`` while
/// it is under a quarter full (never below ``minimumBuckets``).
///
/// The table holds its strings **weakly**: ``trace(_:)`` reports nothing, so a string lives
/// only while something else reaches it. The VM owns the table in its root and calls
/// ``removeDead(_:)`` in every finalization window to unlink the strings about to be freed.
/// Between a string's death and its sweep it can be found again only during that cycle's
/// window, where no mutator runs, so a lookup never returns a doomed string.
///
/// Bucket memory is reported to the arena as external memory while the table grows; call
/// ``release()`` when the VM is torn down.
public struct LuaStringTable: CollectLeaf {
    /// The buckets: chain heads (payload addresses of `LuaString`s), `_mask + 1` of them.
    @usableFromInline var _buckets: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    /// Bucket count minus one (a power of two minus one), or -1 before the first insertion.
    @usableFromInline var _mask: Int = -1
    /// How many strings the table holds.
    public private(set) var count: Int = 0

    /// PUC's `MINSTRTABSIZE`.
    public static let minimumBuckets = 128

    /// An empty table; buckets are allocated on first use.
    public init() {}

    /// The number of buckets (0 before the first insertion).
    public var bucketCount: Int { _mask + 1 }

    /// Returns the unique string for short `bytes`, creating it if needed; long byte strings
    /// get a fresh object each time (`luaS_newlstr`).
    @inlinable
    public mutating func intern(_ mc: borrowing Mutation, _ bytes: UnsafeRawBufferPointer)
        throws(GCAllocationError) -> Gc<LuaString>
    {
        let n = bytes.count
        if _slowPath(n > LuaString.maxShortLength) {
            return try LuaString._allocate(mc, bytes, hash: 0, short: false)
        }
        let h = LuaString.hash(bytes.baseAddress, count: n)
        if let buckets = _buckets {
            var link = buckets[Int(h) & _mask]
            while let raw = link {
                // SAFETY: chains hold payloads of live short strings: dead ones are unlinked
                // in the finalization window before the sweep frees them.
                let s = raw.assumingMemoryBound(to: LuaString.self)
                if s.pointee._hash == h && s.pointee._count == n
                    && (n == 0 || memcmp(s.pointee._bytes, bytes.baseAddress.unsafelyUnwrapped, n) == 0) {
                    return Gc(unsafeRawPayload: raw)
                }
                link = s.pointee._internNext
            }
        }
        return try _insert(mc, bytes, hash: h)
    }

    /// Creates and links a new short string (the miss path of `intern`).
    @usableFromInline @inline(never)
    mutating func _insert(_ mc: borrowing Mutation, _ bytes: UnsafeRawBufferPointer, hash h: UInt32)
        throws(GCAllocationError) -> Gc<LuaString>
    {
        if _buckets == nil {
            try _resize(mc, to: Self.minimumBuckets)
        } else if count >= _mask + 1 {
            // Growing is an optimisation: if the memory limit refuses it, chains get longer.
            try? _resize(mc, to: (_mask + 1) * 2)
        }
        let s = try LuaString._allocate(mc, bytes, hash: h, short: true)
        let buckets = _buckets.unsafelyUnwrapped
        let slot = buckets + (Int(h) & _mask)
        // SAFETY: `s` is a fresh short string; its chain link is not a handle.
        s.unsafeMutablePointer.pointee._internNext = slot.pointee
        slot.pointee = s.unsafeRawPayload
        count += 1
        return s
    }

    /// Interns the UTF-8 bytes of `s`.
    public mutating func intern(_ mc: borrowing Mutation, _ s: String) throws(GCAllocationError) -> Gc<LuaString> {
        var s = s
        let r: Result<Gc<LuaString>, GCAllocationError> = s.withUTF8 { buf in
            do throws(GCAllocationError) { return .success(try intern(mc, UnsafeRawBufferPointer(buf))) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Interns `bytes`.
    public mutating func intern(_ mc: borrowing Mutation, _ bytes: [UInt8]) throws(GCAllocationError) -> Gc<LuaString> {
        let r: Result<Gc<LuaString>, GCAllocationError> = bytes.withUnsafeBytes { buf in
            do throws(GCAllocationError) { return .success(try intern(mc, buf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Unlinks every string that the current collection cycle is about to free (call it in
    /// each finalization window, after the window's resurrections).
    ///
    /// In a window where something was resurrected (`GCFinalization.hasResurrections`)
    /// it does nothing: a string dead now may be reached from a resurrected object, and
    /// dropping it from the table would let a second copy be interned later. The window
    /// opens again once the resurrected objects are marked, and the strings still dead
    /// then are unlinked.
    public mutating func removeDead(_ fc: borrowing GCFinalization) {
        guard let buckets = _buckets, !fc.hasResurrections else { return }
        for b in 0...(_mask) {
            var link = buckets + b
            while let raw = link.pointee {
                // SAFETY: chain entries are live or doomed-but-unswept strings (we are in
                // the window, before the sweep); their payloads are readable.
                let s = raw.assumingMemoryBound(to: LuaString.self)
                if fc.isDead(Gc<LuaString>(unsafeRawPayload: raw)) {
                    link.pointee = s.pointee._internNext
                    count -= 1
                } else {
                    link = UnsafeMutableRawPointer(s).advanced(by: MemoryLayout<LuaString>.offset(of: \._internNext)!)
                        .assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
                }
            }
        }
        var size = _mask + 1
        while count < size / 4 && size > Self.minimumBuckets { size /= 2 }
        if size != _mask + 1 { try? _resize(fc.mutation, to: size) }
    }

    /// Rehashes into `newSize` buckets (a power of two); throws, leaving the table as it
    /// was, if the memory limit or the allocator refuses.
    @usableFromInline
    mutating func _resize(_ mc: borrowing Mutation, to newSize: Int) throws(GCAllocationError) {
        let stride = MemoryLayout<UnsafeMutableRawPointer?>.stride
        let oldSize = _mask + 1
        let delta = (newSize - oldSize) * stride
        if delta > 0 { try mc.reportExternalMemory(delta) }
        guard let raw = malloc(newSize * stride) else {
            if delta > 0 { try? mc.reportExternalMemory(-delta) }
            throw .outOfMemory(requested: newSize * stride)
        }
        // SAFETY: `raw` holds `newSize` pointer slots, initialized to nil here; the old
        // chains are walked through live strings' link fields and relinked into it.
        let newBuckets = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: newSize)
        newBuckets.initialize(repeating: nil, count: newSize)
        let newMask = newSize - 1
        if let old = _buckets {
            for b in 0..<oldSize {
                var link = old[b]
                while let p = link {
                    let s = p.assumingMemoryBound(to: LuaString.self)
                    link = s.pointee._internNext
                    let slot = newBuckets + (Int(s.pointee._hash) & newMask)
                    s.pointee._internNext = slot.pointee
                    slot.pointee = p
                }
            }
            free(old)
        }
        _buckets = newBuckets
        _mask = newMask
        if delta < 0 { try? mc.reportExternalMemory(delta) }
    }

    /// Frees the buckets (the strings themselves belong to the arena); the table is empty after.
    ///
    /// Meant for tearing the VM down: the bucket memory reported to the arena is not
    /// un-reported, as the arena is going away too.
    public mutating func release() {
        if let b = _buckets { free(b) }
        _buckets = nil
        _mask = -1
        count = 0
    }
}
