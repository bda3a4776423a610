// The output buffer `string.format` builds its result in, kept from one call to the next.
//
// A fresh `[UInt8]` per call cost an allocation, its growth check and a free (~400
// instructions, a sixth of a `format("%q", s)` call in the serializer benchmark); PUC
// formats into a `luaL_Buffer` on the C stack. The buffer is lent out for one synchronous
// stretch of a call and returned before the call returns or calls Lua (`%s` of a value with
// `__tostring`), so a format that runs inside another one's conversion gets a buffer of its
// own (the lent-out slot is empty then).

/// The buffer of the last `string.format` call, one per Lua state (a state runs on one
/// thread at a time).
final class FormatBuffer {
    /// Buffers larger than this are not kept (a large result should not pin its memory).
    static let keptCapacity = 1024

    /// Only `lend` and `giveBack` touch it, one access at a time, so accesses are not checked.
    @exclusivity(unchecked) private var kept: [UInt8] = []

    /// An empty buffer with at least `capacity` bytes of room when one is kept, else a new one.
    @inline(__always)
    func lend(capacity: Int) -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &kept)
        out.removeAll(keepingCapacity: true)
        if out.capacity < capacity { out.reserveCapacity(capacity) }
        return out
    }

    /// Takes `out` back for the next call, unless it grew large.
    @inline(__always)
    func giveBack(_ out: consuming [UInt8]) {
        if out.capacity <= FormatBuffer.keptCapacity { kept = out }
    }
}
