// The arena's type table: maps a Swift type to the kind byte stored in object headers, and a
// kind byte back to the type's tracing and release entry points.
//
// Marking dispatches on the kind byte. Kind 0 is the closed fast path for "inert" types
// (nothing to trace, nothing to release): the marker blackens such objects without a call.
// Every other kind is an entry holding the type's `Collect` witness, reached through the
// existential metatype (the open path other interpreters use for their own types).

@usableFromInline
struct _KindEntry {
    @usableFromInline let type: any Collect.Type
    @usableFromInline let needsTrace: Bool
    @usableFromInline let needsRelease: Bool
}

@usableFromInline @frozen
struct _KindTable {
    @usableFromInline static let slotCount = 512
    @usableFromInline static let maxKinds = 256

    @usableFromInline var entries: UnsafeMutablePointer<_KindEntry>?
    @usableFromInline var keys: UnsafeMutablePointer<UInt>?
    @usableFromInline var values: UnsafeMutablePointer<UInt8>?
    @usableFromInline var count = 1  // kind 0 is reserved for inert types

    @inlinable init() {}

    /// The kind byte for `T`, registering it on first use.
    @inlinable @inline(__always)
    mutating func kind<T: Collect>(for type: T.Type) -> UInt8 {
        kind(for: type, key: UInt(bitPattern: ObjectIdentifier(type)))
    }

    /// The kind byte for `T`, looked up by `key` (a type's address; confined types pass their
    /// own, which is static, rather than their generic stand-in's).
    @inlinable @inline(__always)
    mutating func kind<T: Collect>(for type: T.Type, key: UInt) -> UInt8 {
        if !T.needsTrace && !T._gcNeedsRelease { return 0 }
        // The arena allocates the tables when it is made (`allocateSlots`), so the lookup on
        // every allocation does not test for them.
        let keys = keys.unsafelyUnwrapped
        var slot = _KindTable.slot(for: key)
        while true {
            // SAFETY: `slot` is masked into 0..<slotCount, the size of `keys`/`values`.
            let k = keys[slot]
            if k == key { return values.unsafelyUnwrapped[slot] }
            if k == 0 { break }
            slot = (slot + 1) & (_KindTable.slotCount - 1)
        }
        return register(type, key: key)
    }

    /// ``kind(for:key:)`` as a call: for allocations whose ``GCKind`` token did not match.
    @usableFromInline @inline(never)
    mutating func kindOutOfLine<T: Collect>(for type: T.Type, key: UInt) -> UInt8 {
        kind(for: type, key: key)
    }

    @inlinable @inline(__always)
    static func slot(for key: UInt) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 55) & (slotCount - 1)
    }

    /// Allocates the empty tables (once, when the arena is made).
    mutating func allocateSlots() {
        let k = UnsafeMutablePointer<UInt>.allocate(capacity: _KindTable.slotCount)
        // SAFETY: fresh allocations sized to the table constants, initialized here.
        k.initialize(repeating: 0, count: _KindTable.slotCount)
        keys = k
        let v = UnsafeMutablePointer<UInt8>.allocate(capacity: _KindTable.slotCount)
        v.initialize(repeating: 0, count: _KindTable.slotCount)
        values = v
        entries = UnsafeMutablePointer<_KindEntry>.allocate(capacity: _KindTable.maxKinds)
    }

    @usableFromInline @inline(never)
    mutating func register<T: Collect>(_ type: T.Type, key: UInt) -> UInt8 {
        precondition(count < _KindTable.maxKinds,
                     "GCArena: more than \(_KindTable.maxKinds - 1) distinct object types in one arena")
        let kind = UInt8(count)
        // SAFETY: `count` < maxKinds, the capacity of `entries`; slot is masked in range.
        (entries.unsafelyUnwrapped + count).initialize(
            to: _KindEntry(type: T.self, needsTrace: T.needsTrace, needsRelease: T._gcNeedsRelease))
        count += 1
        var slot = _KindTable.slot(for: key)
        while keys.unsafelyUnwrapped[slot] != 0 { slot = (slot + 1) & (_KindTable.slotCount - 1) }
        keys.unsafelyUnwrapped[slot] = key
        values.unsafelyUnwrapped[slot] = kind
        return kind
    }

    /// The entry for a registered kind (not kind 0).
    @inlinable @inline(__always)
    func entry(_ kind: UInt8) -> UnsafeMutablePointer<_KindEntry> {
        // SAFETY: every non-zero kind in a header was returned by `register`, which
        // initialized that entry; kinds are never unregistered while the arena lives.
        entries.unsafelyUnwrapped + Int(kind)
    }

    mutating func release() {
        if let entries {
            // SAFETY: entries 1..<count were initialized by `register`.
            (entries + 1).deinitialize(count: count - 1)
            entries.deallocate()
        }
        keys?.deallocate()
        values?.deallocate()
        entries = nil; keys = nil; values = nil; count = 1
    }
}
