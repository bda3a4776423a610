import GCArena
import LuaCore

// Short results built on the stack: `string.char` and `string.rep` with a small result write
// their bytes into a temporary stack buffer and intern it once, instead of growing a Swift
// array (a heap allocation, growth checks and a copy) per call.

extension StringLibrary {
    /// The longest result `pushShort` builds on the stack.
    static let shortResultLimit = 256

    /// Builds a result of at most `shortResultLimit` bytes with `fill` (which writes into the
    /// buffer and returns how many bytes it wrote) and pushes it as one string.
    @inline(__always)
    static func pushShort(
        _ ctx: inout LuaCallContext,
        _ fill: (inout LuaCallContext, UnsafeMutableBufferPointer<UInt8>) throws -> Int
    ) throws -> LuaCallOutcome {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shortResultLimit) { buffer in
            // SAFETY: `fill` writes only inside `buffer` (its callers check the size first)
            // and returns a count within it; the bytes are copied by `string(bytes:)` before
            // the buffer goes away.
            let written = min(max(try fill(&ctx, buffer), 0), buffer.count)
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: written)
            try ctx.push(try ctx.string(bytes: bytes))
        }
        return .results(1)
    }

    /// `string.char` of at most `shortResultLimit` arguments.
    static func shortChar(_ ctx: inout LuaCallContext, count n: Int) throws -> LuaCallOutcome {
        try pushShort(&ctx) { ctx, out in
            for k in 0..<n {
                let c = try ctx.checkInteger(k + 1)
                // SAFETY: k < n <= shortResultLimit == out.count.
                do throws(LuaStringLibError) { out[k] = try LuaStringBasics.charByte(c, argument: k + 1) } catch { throw luaError(error, ctx) }
            }
            return n
        }
    }

    /// `string.rep` with a result of `size` bytes, 0 < `size` <= `shortResultLimit`.
    static func shortRep(
        _ ctx: inout LuaCallContext, _ s: Gc<LuaString>, times: Int, separator sep: Gc<LuaString>?, size: Int
    ) throws -> LuaCallOutcome {
        ctx.chargeFuel(size >> 6)
        return try pushShort(&ctx) { _, out in
            guard let base = out.baseAddress else { return 0 }
            // SAFETY: the repetitions and separators add up to `size` <= out.count bytes.
            var at = base
            let unit = s.bytes, between = sep?.bytes
            for k in 0..<times {
                if let u = unit.baseAddress { at.initialize(from: u, count: unit.count) }
                at += unit.count
                if k + 1 < times, let b = between, let p = b.baseAddress {
                    at.initialize(from: p, count: b.count)
                    at += b.count
                }
            }
            return size
        }
    }
}
