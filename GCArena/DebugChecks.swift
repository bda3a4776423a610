// Run-time checks for what the type system cannot prevent: a handle kept across `mutate`
// calls, a handle used with another arena, a handle to a collected object. They are
// compiled in only under GCARENA_DEBUG (debug builds of this package); release builds pay
// nothing.
//
// - Every object header carries a magic word and its arena's id.
// - Every dereference (`Gc.value`, `Gc.write`, `GcWeak.upgrade`) checks that the magic is
//   "live", that the payload was not dropped, and that the object belongs to the arena the
//   current thread is mutating.
// - Freed blocks are poisoned and quarantined instead of returned to malloc, so a stale
//   handle finds the "dead" magic rather than somebody else's object.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// SAFETY: quarantined blocks are never handed out again until `freeAll`; reading a header of a
// stale handle is the point of the check and stays within the quarantined (still allocated) block.

/// The arena the current thread is mutating or collecting (debug builds only).
@usableFromInline
enum _DebugContext {
    #if GCARENA_DEBUG
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var current: UInt32 {
        UInt32(truncatingIfNeeded: UInt(bitPattern: pthread_getspecific(key)))
    }
    #endif

    @inlinable @inline(__always)
    static func enter(_ id: UInt32) -> UInt32 {
        #if GCARENA_DEBUG
        return _enter(id)
        #else
        return 0
        #endif
    }

    @inlinable @inline(__always)
    static func restore(_ previous: UInt32) {
        #if GCARENA_DEBUG
        _restore(previous)
        #endif
    }

    @usableFromInline
    static func _enter(_ id: UInt32) -> UInt32 {
        #if GCARENA_DEBUG
        let previous = current
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(id)))
        return previous
        #else
        return 0
        #endif
    }

    @usableFromInline
    static func _restore(_ previous: UInt32) {
        #if GCARENA_DEBUG
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(previous)))
        #endif
    }
}

/// Checks a strong dereference (debug builds only).
@inlinable @inline(__always)
func _debugCheckHandle(_ payload: UnsafeMutableRawPointer) {
    #if GCARENA_DEBUG
    _debugCheckSlow(payload, allowDropped: false)
    #endif
}

/// Checks that a weak handle's block still exists (debug builds only).
@inlinable @inline(__always)
func _debugCheckBlock(_ payload: UnsafeMutableRawPointer) {
    #if GCARENA_DEBUG
    _debugCheckSlow(payload, allowDropped: true)
    #endif
}

@usableFromInline
func _debugCheckSlow(_ payload: UnsafeMutableRawPointer, allowDropped: Bool) {
    #if GCARENA_DEBUG
    let h = _ObjectRef(payload: payload).header.pointee
    precondition(h.magic == _liveMagic,
                 "GCArena: use of a collected object (was a handle kept across mutate calls?)")
    let current = _DebugContext.current
    precondition(h.arenaID == current,
                 current == 0 ? "GCArena: handle used outside mutate"
                              : "GCArena: handle from arena \(h.arenaID) used in arena \(current)")
    precondition(allowDropped || h.flags & _Flag.dropped == 0,
                 "GCArena: use of an object whose value was dropped")
    #endif
}

/// Freed blocks, poisoned and kept so stale handles hit the dead magic (debug builds only).
///
/// A FIFO: once it holds more than `limit` bytes, the oldest blocks are released first, so
/// the most recently freed objects (the likeliest targets of a stale handle) stay checked.
enum _DebugQuarantine {
    /// Quarantined bytes beyond which the oldest blocks are released for real.
    static let limit = 256 << 20

    static func add(_ s: UnsafeMutablePointer<_HeapState>, _ o: _ObjectRef) {
        #if GCARENA_DEBUG
        _Heap.poison(o)
        o.header.pointee.magic = _deadMagic
        o.header.pointee.next = nil
        if let tail = s.pointee.quarantineTail {
            _ObjectRef(tail).header.pointee.next = o.raw
        } else {
            s.pointee.quarantine = o.raw
        }
        s.pointee.quarantineTail = o.raw
        s.pointee.quarantineBytes += o.size
        while s.pointee.quarantineBytes > limit, let oldest = s.pointee.quarantine {
            let r = _ObjectRef(oldest)
            s.pointee.quarantine = r.header.pointee.next
            if s.pointee.quarantine == nil { s.pointee.quarantineTail = nil }
            s.pointee.quarantineBytes -= r.size
            _Heap.freeBlock(oldest)
        }
        #endif
    }

    static func freeAll(_ s: UnsafeMutablePointer<_HeapState>) {
        var next = s.pointee.quarantine
        while let raw = next {
            next = _ObjectRef(raw).header.pointee.next
            _Heap.freeBlock(raw)
        }
        s.pointee.quarantine = nil
        s.pointee.quarantineTail = nil
        s.pointee.quarantineBytes = 0
    }
}
