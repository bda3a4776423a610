import GCArena

// Short concatenations built on the stack: CONCAT of a few short strings and numbers (the
// common `k .. "=" .. v`) writes the operands into a temporary stack buffer and interns it
// once, instead of growing a Swift array (an allocation, growth checks, and a `[UInt8]` per
// number operand for its text).

extension VM {
    /// The stack buffer's size: a join whose bound fits takes the short path.
    static let shortJoinLimit = 256

    /// An upper bound on the joined length of `count` strings/numbers from stack index
    /// `from`: strings count their length, numbers `LuaNumber.maxFormattedLength` (what
    /// `LuaNumber.format(_:into:)` may need free), so the short path can never overrun. The
    /// sum cannot wrap: at most 255 operands (registers), each shorter than 2^32 bytes.
    @inline(__always)
    func joinBound(from: Int, count: Int) -> Int {
        let s = stack
        var bound = 0
        for j in 0..<count {
            let v = s[from + j]
            bound &+= v.tag == .string ? v.string.count : LuaNumber.maxFormattedLength
        }
        return bound
    }

    /// `join` when `joinBound` is at most `shortJoinLimit`.
    func joinShort(from: Int, count: Int) throws(LuaError) -> LuaValue {
        let s = stack
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.shortJoinLimit) {
            (buffer) throws(LuaError) -> LuaValue in
            // SAFETY: the caller checked `joinBound(from:count:) <= shortJoinLimit`: each
            // string writes its length and each number at most `maxFormattedLength` bytes,
            // which is what `format(_:into:)` needs free at `base + at`; the interning copies
            // the bytes before the buffer goes away.
            let base = buffer.baseAddress.unsafelyUnwrapped
            var at = 0
            for j in 0..<count {
                let v = s[from + j]
                switch v.tag {
                case .string:
                    let bytes = v.string.bytes
                    if let p = bytes.baseAddress { (base + at).initialize(from: p, count: bytes.count) }
                    at += bytes.count
                case .integer:
                    at += LuaNumber.format(v.integer, into: base + at)
                default:
                    at += LuaNumber.format(v.float, into: base + at)
                }
            }
            do {
                return LuaValue(try g.pointee.strings.intern(mc, UnsafeRawBufferPointer(start: base, count: at)))
            } catch { throw .outOfMemory(mc) }
        }
    }
}
