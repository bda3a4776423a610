import GCArena
import LuaCore

// `table.concat` with a short result, built on the stack: JSON encoders and serializers call
// it once per object or array with a few short fields, where `concatRaw`'s Swift array (a
// heap allocation, growth checks, then a copy into the string) cost more than the joining.

extension TableLibrary {
    /// The longest result `concatShort` builds on the stack.
    static let shortConcatLimit = 256

    /// `concatRaw` for a plain table whose fields `start...last` are strings or numbers and
    /// whose result (numbers counted at their longest form) fits in `shortConcatLimit`
    /// bytes: joined in a stack buffer and pushed as one string. Nil when anything else
    /// holds (the caller then goes the general way); nothing is pushed or charged then.
    static func concatShort(_ ctx: inout LuaCallContext, i start: Int64, last: Int64,
                            separator: UnsafeBufferPointer<UInt8>) throws -> LuaCallOutcome? {
        guard start <= last, ctx[1].tag == .table, ctx.metatable(of: ctx[1]) == nil else { return nil }
        let t = ctx[1].table
        let limit = shortConcatLimit
        // First pass: the size bound and the field check, stopping as soon as it is too long.
        guard let (_, count) = concatBound(t, start, last, separator: separator.count, limit: limit) else { return nil }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { buffer in
            var n = 0
            var fits = true
            // SAFETY: every copy is checked against the buffer's capacity first (the bound
            // above makes the check pass; a miss abandons the result); `buffer` lives until
            // `string(bytes:)` has copied the bytes.
            func append(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard fits, bytes.count <= limit &- n, let from = bytes.baseAddress else {
                    if bytes.count > limit &- n { fits = false }
                    return
                }
                (buffer.baseAddress.unsafelyUnwrapped + n).update(from: from, count: bytes.count)
                n &+= bytes.count
            }
            var j = start
            while true {
                let v = t.get(integer: j)
                switch v.tag {
                case .string: append(v.string.bytes)
                case .integer: LuaNumber.withFormatted(v.integer) { append($0) }
                default: LuaNumber.withFormatted(v.float) { append($0) }
                }
                if j == last { break }
                append(separator)
                j += 1
            }
            guard fits else { return nil }
            ctx.chargeFuel(count &+ n >> 6)
            try ctx.push(try ctx.string(bytes: UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)))
            return .results(1)
        }
    }
}
