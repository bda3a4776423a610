#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore
import Synchronization

// math.random and math.randomseed: PUC 5.4's xoshiro256** generator, seeded and projected
// into ranges exactly as lmathlib.c does, so a given seed yields lua5.4's numbers bit for bit.

/// The xoshiro256** state (plain Swift data: nothing for the collector to see).
final class Xoshiro256StarStar {
    /// Distinguishes generators seeded randomly in the same process.
    static let seedCounter = Atomic<UInt64>(0)
    var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    @inline(__always)
    static func rotateLeft(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }

    /// The next 64 random bits.
    func next() -> UInt64 {
        let s0 = s.0, s1 = s.1, s2 = s.2 ^ s0, s3 = s.3 ^ s1
        let result = Self.rotateLeft(s1 &* 5, 7) &* 9
        s.0 = s0 ^ s3
        s.1 = s1 ^ s2
        s.2 = s2 ^ (s1 << 17)
        s.3 = Self.rotateLeft(s3, 45)
        return result
    }

    /// PUC's `setseed`: the two seed parts, a constant to avoid the all-zero state, and 16
    /// discarded values to spread the seed.
    func seed(_ n1: UInt64, _ n2: UInt64) {
        s = (n1, 0xff, n2, 0)
        for _ in 0..<16 { _ = next() }
    }

    /// PUC's `randseed`: the time and an address. Returns the two parts.
    ///
    /// The address alone can repeat (a state freed and another allocated in its place within
    /// the same second), so a nanosecond clock and a process-wide counter are mixed in.
    @discardableResult
    func seedRandomly() -> (UInt64, UInt64) {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let n1 = UInt64(bitPattern: Int64(time(nil))) ^ (UInt64(bitPattern: Int64(ts.tv_nsec)) << 20)
        let count = Xoshiro256StarStar.seedCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        let n2 = UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())) ^ (count &* 0x9E37_79B9_7F4A_7C15)
        seed(n1, n2)
        return (n1, n2)
    }

    /// A float in [0, 1) from the top 53 bits.
    static func float(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1p-53 }

    /// `bits` projected into [0, n] without bias (PUC's `project`): mask to the smallest
    /// 2^b - 1 covering `n`, drawing again while the result is above `n`.
    func project(_ bits: UInt64, _ n: UInt64) -> UInt64 {
        if n & (n &+ 1) == 0 { return bits & n }  // n + 1 is a power of 2
        var limit = n
        limit |= limit >> 1
        limit |= limit >> 2
        limit |= limit >> 4
        limit |= limit >> 8
        limit |= limit >> 16
        limit |= limit >> 32
        var r = bits & limit
        while r > n { r = next() & limit }
        return r
    }
}

enum MathRandom {
    static func random(_ ctx: inout LuaCallContext, _ g: Xoshiro256StarStar) throws -> LuaCallOutcome {
        let bits = g.next()
        let low: Int64, up: Int64
        switch ctx.argumentCount {
        case 0:
            try ctx.push(LuaValue(Xoshiro256StarStar.float(bits)))
            return .results(1)
        case 1:
            low = 1
            up = try ctx.checkInteger(1)
            if up == 0 {  // random(0): all 64 bits
                try ctx.push(LuaValue(Int64(bitPattern: bits)))
                return .results(1)
            }
        case 2:
            low = try ctx.checkInteger(1)
            up = try ctx.checkInteger(2)
        default:
            throw LuaError.runtime("wrong number of arguments")
        }
        guard low <= up else { throw ctx.argumentError(1, "interval is empty") }
        let span = UInt64(bitPattern: up) &- UInt64(bitPattern: low)
        let r = g.project(bits, span) &+ UInt64(bitPattern: low)
        try ctx.push(LuaValue(Int64(bitPattern: r)))
        return .results(1)
    }

    /// `randomseed([n1 [, n2]])`: returns the two seed parts (5.4.4).
    static func randomseed(_ ctx: inout LuaCallContext, _ g: Xoshiro256StarStar) throws -> LuaCallOutcome {
        let n1: UInt64, n2: UInt64
        if ctx.argumentCount == 0 {
            (n1, n2) = g.seedRandomly()
        } else {
            n1 = UInt64(bitPattern: try ctx.checkInteger(1))
            n2 = UInt64(bitPattern: try ctx.optInteger(2, 0))
            g.seed(n1, n2)
        }
        try ctx.push(LuaValue(Int64(bitPattern: n1)))
        try ctx.push(LuaValue(Int64(bitPattern: n2)))
        return .results(2)
    }
}
