#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena

/// Counts a byte buffer that a library call grows in Swift (a result being built) toward
/// the arena's memory limit, so the limit binds while the buffer grows.
///
/// Use one account per synchronous stretch of a call and release it on every exit:
///
/// ```swift
/// var account = LuaScratchAccount()
/// defer { account.release(ctx.mc) }
/// try account.reserve(&buffer, extra: n, ctx.mc)
/// buffer.append(contentsOf: ...)
/// ```
///
/// Growth is reported to the arena (`Mutation.reportExternalMemory(_:)`) before
/// the buffer grows; the finished string, interned while the account still holds the
/// buffer, is checked against the limit together with it (both exist at that moment). A
/// growth the machine cannot satisfy (a failed `malloc`, for example under `ulimit -v`) is
/// detected before Swift would trap, and also raises "not enough memory".
public struct LuaScratchAccount {
    /// The largest buffer a library builds: strings past `Int32.max` bytes are not made
    /// (PUC's string library caps results at `INT_MAX`; the arena's objects at 4 GiB).
    public static let maxBytes = Int(Int32.max)

    /// Bytes reported to the arena and not yet released.
    public private(set) var reported = 0

    /// An account holding nothing.
    public init() {}

    /// Makes room for `extra` more bytes in `buffer`, reporting the growth first.
    ///
    /// Throws "not enough memory" when the growth passes the memory limit, passes
    /// ``maxBytes``, or cannot be allocated; `buffer` is unchanged then.
    public mutating func reserve(_ buffer: inout [UInt8], extra: Int, _ mc: borrowing Mutation) throws(LuaError) {
        let (needed, overflow) = buffer.count.addingReportingOverflow(max(extra, 0))
        if overflow || needed > Self.maxBytes { throw .outOfMemory(mc) }
        if needed <= buffer.capacity && needed <= reported { return }
        // Doubling as Swift's arrays do, so that appends stay amortized O(1).
        let target = needed <= buffer.capacity ? needed : max(needed, min(buffer.capacity &* 2, Self.maxBytes))
        try account(target, mc)
        if target > buffer.capacity {
            try Self.probe(target, mc)
            buffer.reserveCapacity(target)
        }
    }

    /// Reports `bytes` of scratch memory in total (not only for an array), without allocating.
    public mutating func account(_ bytes: Int, _ mc: borrowing Mutation) throws(LuaError) {
        guard bytes > reported else { return }
        do { try mc.reportExternalMemory(bytes - reported) } catch { throw .outOfMemory(mc) }
        reported = bytes
    }

    /// Gives the reported bytes back to the arena (the buffer itself is the caller's).
    public mutating func release(_ mc: borrowing Mutation) {
        if reported > 0 { try? mc.reportExternalMemory(-reported) }
        reported = 0
    }

    /// Fails with "not enough memory" when `bytes` cannot be allocated now, where Swift's
    /// own allocation would stop the process instead.
    public static func probe(_ bytes: Int, _ mc: borrowing Mutation) throws(LuaError) {
        // Small requests cannot fail in a way worth a system call.
        guard bytes >= 1 << 20 else { return }
        // SAFETY: the block is only allocated and freed at once, never read or written.
        guard let p = malloc(bytes) else { throw .outOfMemory(mc) }
        free(p)
    }
}
