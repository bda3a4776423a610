#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lua 5.4's arithmetic and comparison rules for integers and floats (PUC's `lvm.c`,
/// `llimits.h` and `lobject.c`), each function naming the PUC function it mirrors.
///
/// Integers wrap around on overflow (two's complement), floats follow IEEE 754; integer
/// division and modulo round toward minus infinity; mixed integer/float comparisons are
/// exact (no rounding of the integer to a float).
public enum LuaArith {
    /// 2^63 as a Double: the first float above every Int64.
    @usableFromInline static let _twoTo63: Double = 9_223_372_036_854_775_808.0

    /// `luaV_idiv`: `a // b` for integers; nil when `b == 0` (the VM raises
    /// "attempt to perform 'n//0'"). `Int64.min // -1` wraps to `Int64.min`.
    @inlinable @inline(__always)
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64? {
        if _slowPath(UInt64(bitPattern: b) &+ 1 <= 1) {  // b is 0 or -1
            if b == 0 { return nil }
            return 0 &- a
        }
        var q = a / b
        if (a ^ b) < 0 && a % b != 0 { q -= 1 }
        return q
    }

    /// `luaV_mod`: `a % b` for integers, with the sign of `b`; nil when `b == 0` (the VM
    /// raises "attempt to perform 'n%%0'").
    @inlinable @inline(__always)
    public static func mod(_ a: Int64, _ b: Int64) -> Int64? {
        if _slowPath(UInt64(bitPattern: b) &+ 1 <= 1) {  // b is 0 or -1
            if b == 0 { return nil }
            return 0
        }
        var r = a % b
        if r != 0 && (r ^ b) < 0 { r += b }
        return r
    }

    /// `luai_numidiv`: `floor(a / b)`.
    @inlinable @inline(__always)
    public static func floorDiv(_ a: Double, _ b: Double) -> Double {
        (a / b).rounded(.down)
    }

    /// `luai_nummod`: `fmod` corrected to take the sign of `b` (so `5.0 % -inf` is `-inf`,
    /// `-5.0 % inf` is `inf`, `x % 0.0` is NaN).
    @inlinable @inline(__always)
    public static func mod(_ a: Double, _ b: Double) -> Double {
        var m = a.truncatingRemainder(dividingBy: b)
        if m > 0 ? b < 0 : (m < 0 && b > 0) { m += b }
        return m
    }

    /// `luai_numpow`: `a ^ b` (`a * a` when `b == 2`, else C `pow`).
    @inlinable @inline(__always)
    public static func pow(_ a: Double, _ b: Double) -> Double {
        b == 2 ? a * a : _luaCPow(a, b)
    }

    /// `luaV_shiftl`: `x << y`, shifting right (logically) for negative `y`; shifts of 64 or
    /// more either way give 0.
    @inlinable @inline(__always)
    public static func shiftLeft(_ x: Int64, _ y: Int64) -> Int64 {
        let ux = UInt64(bitPattern: x)
        if y < 0 {
            if y <= -64 { return 0 }
            return Int64(bitPattern: ux &>> UInt64(0 &- y))
        }
        if y >= 64 { return 0 }
        return Int64(bitPattern: ux &<< UInt64(y))
    }

    /// `luaV_shiftr`: `x >> y` (logical), that is `shiftLeft(x, -y)`.
    @inlinable @inline(__always)
    public static func shiftRight(_ x: Int64, _ y: Int64) -> Int64 {
        shiftLeft(x, 0 &- y)
    }

    /// `luaV_flttointns(F2Ieq)`: the integer equal to `d`, or nil when `d` has a fraction,
    /// is out of range, or is NaN/inf ("number has no integer representation").
    @inlinable @inline(__always)
    public static func toInteger(_ d: Double) -> Int64? {
        // -2^63 <= d < 2^63 (false for NaN), then exactness.
        guard d >= -_twoTo63 && d < _twoTo63 else { return nil }
        let i = Int64(d)
        return Double(i) == d ? i : nil
    }

    /// `luaV_flttointns(F2Ifloor)`: `floor(d)` as an integer, or nil if out of range or NaN.
    @inlinable
    public static func floatToIntegerFloor(_ d: Double) -> Int64? {
        let f = d.rounded(.down)
        guard f >= -_twoTo63 && f < _twoTo63 else { return nil }
        return Int64(f)
    }

    /// `luaV_flttointns(F2Iceil)`: `ceil(d)` as an integer, or nil if out of range or NaN.
    @inlinable
    public static func floatToIntegerCeil(_ d: Double) -> Int64? {
        let f = d.rounded(.up)
        guard f >= -_twoTo63 && f < _twoTo63 else { return nil }
        return Int64(f)
    }

    /// `forlimit` for a float limit of an integer loop: the integer limit to use and whether
    /// the loop must be skipped altogether.
    ///
    /// The limit is floored (step > 0) or ceiled (step < 0); a float beyond the integer range
    /// clips to `Int64.max`/`Int64.min` or, when the loop cannot run, skips it. A NaN limit
    /// is "not positive", as in PUC: it skips ascending loops and clips descending ones to
    /// `Int64.min`. `step` must not be 0 (the VM raises "'for' step is zero" first).
    @inlinable
    public static func forLimit(initial: Int64, limit: Double, step: Int64) -> (limit: Int64, skip: Bool) {
        var p: Int64
        if let i = step < 0 ? floatToIntegerCeil(limit) : floatToIntegerFloor(limit) {
            p = i
        } else if 0 < limit {
            if step < 0 { return (0, true) }
            p = Int64.max
        } else {
            if step > 0 { return (0, true) }
            p = Int64.min
        }
        return (p, step > 0 ? initial > p : initial < p)
    }

    /// `l_intfitsf`: whether `i` converts to a Double exactly by magnitude (|i| <= 2^53).
    @inlinable @inline(__always)
    static func _fitsFloat(_ i: Int64) -> Bool {
        (UInt64(1) << 53) &+ UInt64(bitPattern: i) <= (UInt64(1) << 54)
    }

    /// `LTintfloat`: `i < f`, exactly.
    @inlinable
    public static func lessThan(_ i: Int64, _ f: Double) -> Bool {
        if _fitsFloat(i) { return Double(i) < f }
        if let fi = floatToIntegerCeil(f) { return i < fi }
        return f > 0
    }

    /// `LEintfloat`: `i <= f`, exactly.
    @inlinable
    public static func lessEqual(_ i: Int64, _ f: Double) -> Bool {
        if _fitsFloat(i) { return Double(i) <= f }
        if let fi = floatToIntegerFloor(f) { return i <= fi }
        return f > 0
    }

    /// `LTfloatint`: `f < i`, exactly.
    @inlinable
    public static func lessThan(_ f: Double, _ i: Int64) -> Bool {
        if _fitsFloat(i) { return f < Double(i) }
        if let fi = floatToIntegerFloor(f) { return fi < i }
        return f < 0
    }

    /// `LEfloatint`: `f <= i`, exactly.
    @inlinable
    public static func lessEqual(_ f: Double, _ i: Int64) -> Bool {
        if _fitsFloat(i) { return f <= Double(i) }
        if let fi = floatToIntegerCeil(f) { return fi <= i }
        return f < 0
    }

    /// `LTnum`: `a < b` for two numbers (integers or floats); false if either is not a number.
    @inlinable
    public static func lessThan(_ a: LuaValue, _ b: LuaValue) -> Bool {
        if a.tag == .integer {
            if b.tag == .integer { return a.integer < b.integer }
            if b.tag == .float { return lessThan(a.integer, b.float) }
        } else if a.tag == .float {
            if b.tag == .float { return a.float < b.float }
            if b.tag == .integer { return lessThan(a.float, b.integer) }
        }
        return false
    }

    /// `LEnum`: `a <= b` for two numbers; false if either is not a number.
    @inlinable
    public static func lessEqual(_ a: LuaValue, _ b: LuaValue) -> Bool {
        if a.tag == .integer {
            if b.tag == .integer { return a.integer <= b.integer }
            if b.tag == .float { return lessEqual(a.integer, b.float) }
        } else if a.tag == .float {
            if b.tag == .float { return a.float <= b.float }
            if b.tag == .integer { return lessEqual(a.float, b.integer) }
        }
        return false
    }

    /// Numeric equality as `luaV_equalobj` does it: same variant compares directly; an
    /// integer and a float are equal only when the float is exactly that integer.
    /// False if either is not a number.
    @inlinable
    public static func numberEquals(_ a: LuaValue, _ b: LuaValue) -> Bool {
        switch (a.tag, b.tag) {
        case (.integer, .integer): return a.integer == b.integer
        case (.float, .float): return a.float == b.float
        case (.integer, .float): return toInteger(b.float) == a.integer
        case (.float, .integer): return toInteger(a.float) == b.integer
        default: return false
        }
    }

    /// `tostringbuff` for numbers: what `tostring` prints, or nil for a non-number.
    public static func tostringNumber(_ v: LuaValue) -> [UInt8]? {
        switch v.tag {
        case .integer: return LuaNumber.format(v.integer)
        case .float: return LuaNumber.format(v.float)
        default: return nil
        }
    }
}

/// C's `pow` (kept out of line: the module-qualified name differs per C library).
@usableFromInline
func _luaCPow(_ a: Double, _ b: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(a, b)
    #elseif canImport(Musl)
    return Musl.pow(a, b)
    #else
    return Darwin.pow(a, b)
    #endif
}
