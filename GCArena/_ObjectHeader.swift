// The object header and the layout arithmetic between a header and its payload.
//
// Every arena object is one malloc'd block:
//
//     +---------------------------+  <- header pointer (what the all-objects list links)
//     | next   (8 bytes)          |  next object in the all-objects (or sweep) list
//     | kind (1) color (1)        |  kind indexes the arena's type table; color is tri-color
//     | flags (1) age (1)         |  weakly-reached / dropped; generational age
//     | size (4)                  |  bytes of the whole block, header included
//     | [debug: magic, arena id]  |  only under GCARENA_DEBUG
//     +---------------------------+  <- payload pointer (what `Gc<T>` holds)
//     | T                         |
//     +---------------------------+
//
// A `Gc<T>` points at the payload so a dereference is a plain load; the header is found
// at a fixed negative offset. All pointer arithmetic between the two lives in this file.

/// Colors of the tri-color mark–sweep. Two whites alternate between cycles so that objects
/// allocated while a sweep is running are never mistaken for the garbage being swept.
@usableFromInline enum _Color {
    @usableFromInline static let white0: UInt8 = 0
    @usableFromInline static let white1: UInt8 = 1
    @usableFromInline static let gray: UInt8 = 2
    @usableFromInline static let black: UInt8 = 3

    @inlinable @inline(__always)
    static func isWhite(_ c: UInt8) -> Bool { c <= white1 }
}

/// Generational ages (the header's `age` byte), after Lua 5.4's `lgc.c`. The incremental
/// mode leaves every age at `new`.
///
/// Young objects (`new`, `survival`) are white between collections; old ones are black,
/// except `touched1` objects, which are gray and queued on the gray-again stack. An old
/// object may point to a young one only if the collector will re-trace it in the next minor
/// collection: `old1` objects (they were survivals, their children may still be young),
/// `touched1`/`touched2` objects (a barrier saw them receive a young child).
@usableFromInline enum _Age {
    /// Allocated since the last collection.
    @usableFromInline static let new: UInt8 = 0
    /// Survived one minor collection.
    @usableFromInline static let survival: UInt8 = 1
    /// Survived two: old, but re-traced by the next minor collection.
    @usableFromInline static let old1: UInt8 = 2
    /// Old: neither traced nor swept by minor collections.
    @usableFromInline static let old: UInt8 = 3
    /// Old and written since the last collection (gray, on the gray-again stack).
    @usableFromInline static let touched1: UInt8 = 4
    /// Old and written before the last collection: traced once more by the next one.
    @usableFromInline static let touched2: UInt8 = 5

    /// Whether an object of this age is old (`old1` or older).
    @inlinable @inline(__always)
    static func isOld(_ age: UInt8) -> Bool { age >= old1 }
}

/// Header flag bits.
@usableFromInline enum _Flag {
    /// A `GcWeak` reached the object during this cycle's marking.
    @usableFromInline static let weaklyReached: UInt8 = 1
    /// The payload has been deinitialized; the block survives only for weak handles.
    @usableFromInline static let dropped: UInt8 = 2
    /// The type has nothing to trace: marking blackens the object without a call.
    @usableFromInline static let leaf: UInt8 = 4
    /// Re-traced in every atomic phase, like the root (``Mutation/retraceEveryCollection(_:)``).
    @usableFromInline static let sticky: UInt8 = 8
    /// The type releases something when its object dies (`Collect._gcNeedsRelease`), so
    /// freeing the object calls its kind's release entry; set at allocation, never changed.
    /// Freeing any other object skips the kind table.
    @usableFromInline static let releases: UInt8 = 16
}

@usableFromInline @frozen
struct _ObjectHeader {
    @usableFromInline var next: UnsafeMutableRawPointer?
    @usableFromInline var kind: UInt8
    @usableFromInline var color: UInt8
    @usableFromInline var flags: UInt8
    @usableFromInline var age: UInt8
    @usableFromInline var size: UInt32
    #if GCARENA_DEBUG
    @usableFromInline var magic: UInt32
    @usableFromInline var arenaID: UInt32
    @usableFromInline var _reserved2: UInt64
    #endif

    @inlinable @inline(__always)
    init(next: UnsafeMutableRawPointer?, kind: UInt8, color: UInt8, flags: UInt8, size: UInt32,
         arenaID: UInt32) {
        self.next = next
        self.kind = kind
        self.color = color
        self.flags = flags
        self.age = _Age.new
        self.size = size
        #if GCARENA_DEBUG
        self.magic = _liveMagic
        self.arenaID = arenaID
        self._reserved2 = 0
        #endif
    }
}

#if GCARENA_DEBUG
@usableFromInline let _headerSize = 32
@usableFromInline let _liveMagic: UInt32 = 0x6C69_7665  // "live"
@usableFromInline let _deadMagic: UInt32 = 0xDEAD_B0D1
#else
@usableFromInline let _headerSize = 16
#endif

/// Payload alignment every block guarantees (glibc's malloc alignment on 64-bit).
@usableFromInline let _payloadAlignment = 16

/// A typed pointer to an object header. All header access goes through it.
@usableFromInline @frozen
struct _ObjectRef: Equatable {
    @usableFromInline let raw: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    init(_ raw: UnsafeMutableRawPointer) { self.raw = raw }

    /// The header of the object whose payload starts at `payload`.
    @inlinable @inline(__always)
    init(payload: UnsafeMutableRawPointer) {
        // SAFETY: every payload pointer handed out by the arena sits exactly
        // `_headerSize` bytes after the start of its block (see `_Heap.allocateBlock`).
        self.raw = payload - _headerSize
    }

    @inlinable @inline(__always)
    var header: UnsafeMutablePointer<_ObjectHeader> {
        // SAFETY: `raw` is the start of a live block, aligned to 16 and at least
        // `_headerSize` bytes long; the header was initialized when the block was made.
        raw.assumingMemoryBound(to: _ObjectHeader.self)
    }

    @inlinable @inline(__always)
    var payload: UnsafeMutableRawPointer { raw + _headerSize }

    @inlinable @inline(__always)
    var color: UInt8 {
        get { header.pointee.color }
        nonmutating set { header.pointee.color = newValue }
    }

    @inlinable @inline(__always)
    var flags: UInt8 {
        get { header.pointee.flags }
        nonmutating set { header.pointee.flags = newValue }
    }

    @inlinable @inline(__always)
    var kind: UInt8 { header.pointee.kind }

    @inlinable @inline(__always)
    var age: UInt8 {
        get { header.pointee.age }
        nonmutating set { header.pointee.age = newValue }
    }

    @inlinable @inline(__always)
    var size: Int { Int(header.pointee.size) }

    @inlinable @inline(__always)
    var next: _ObjectRef? {
        get { header.pointee.next.map { _ObjectRef($0) } }
        nonmutating set { header.pointee.next = newValue?.raw }
    }
}

/// Rounds a payload size up to a whole block size: 8 bytes past a multiple of 16.
///
/// glibc's malloc gives a request of `n` bytes a chunk of `n + 8` rounded up to 16 (its
/// size word sits in the 8 bytes before the block, the next chunk's first word is usable),
/// so a block of `16k + 8` bytes fills its chunk exactly, where one of `16k` would waste 8
/// bytes and one of `16k + 16` take a chunk 16 bytes larger. Blocks still start 16-aligned.
///
/// Callers pass a type's static size, so the bound check folds away.
@inlinable @inline(__always)
func _blockSize(payloadSize: Int) -> Int {
    let size = ((_headerSize + payloadSize + 8 + 15) & ~15) - 8
    precondition(size <= Int(UInt32.max), "GCArena: object larger than 4 GiB")
    return size
}
