import Testing
@testable import LuaCore

/// Number formatting, parsing and arithmetic against lua5.4 (5.4.4). Each table of expected
/// values is what the quoted lua5.4 command printed.
@Suite struct NumberFormatTests {
    static func text(_ d: Double) -> String { String(decoding: LuaNumber.format(d), as: UTF8.self) }
    static func text(int i: Int64) -> String { String(decoding: LuaNumber.format(i), as: UTF8.self) }

    @inline(never) static func zero() -> Double { 0 }

    @Test func floatsPrintLikeLua() {
        // lua5.4 -e 'print(2^53, 1e15, 1e16, -0.0, 0/0, -(0/0), 1/0, -1/0, math.pi, 3.0, 1e100,
        //   2^63, 0.1, 1/3, -1.5e-7, 123456789012345.0, 1e14, 5e-324, 1.7976931348623157e308,
        //   100.0, -2^63)'
        let cases: [(Double, String)] = [
            (9_007_199_254_740_992, "9.007199254741e+15"), (1e15, "1e+15"), (1e16, "1e+16"),
            (-0.0, "-0.0"), (Double.infinity, "inf"), (-Double.infinity, "-inf"),
            (Double.pi, "3.1415926535898"), (3.0, "3.0"), (1e100, "1e+100"),
            (9_223_372_036_854_775_808.0, "9.2233720368548e+18"), (0.1, "0.1"),
            (1.0 / 3.0, "0.33333333333333"), (-1.5e-7, "-1.5e-07"),
            (123_456_789_012_345.0, "1.2345678901234e+14"), (1e14, "1e+14"),
            (Double.leastNonzeroMagnitude, "4.9406564584125e-324"), (1.7976931348623157e308, "1.7976931348623e+308"),
            (100.0, "100.0"), (-9_223_372_036_854_775_808.0, "-9.2233720368548e+18"),
        ]
        for (d, expected) in cases { #expect(Self.text(d) == expected, "\(d)") }
        // 0/0 on x86-64 is a NaN with the sign bit set: lua prints "-nan"; -(0/0) prints "nan".
        let nan = Self.zero() / Self.zero()
        #expect(Self.text(nan) == "-nan")
        #expect(Self.text(-nan) == "nan")
    }

    @Test func integersPrintInDecimal() {
        // lua5.4 -e 'print(math.mininteger, math.maxinteger, 0, -7)'
        #expect(Self.text(int: Int64.min) == "-9223372036854775808")
        #expect(Self.text(int: Int64.max) == "9223372036854775807")
        #expect(Self.text(int: 0) == "0")
        #expect(Self.text(int: -7) == "-7")
        #expect(LuaArith.tostringNumber(LuaValue(Int64(12))) == Array("12".utf8))
        #expect(LuaArith.tostringNumber(LuaValue(2.0)) == Array("2.0".utf8))
        #expect(LuaArith.tostringNumber(.true) == nil)
        LuaNumber.withFormatted(0.5) { #expect(Array($0) == Array("0.5".utf8)) }
        LuaNumber.withFormatted(Int64(-42)) { #expect(Array($0) == Array("-42".utf8)) }
    }
}

@Suite struct NumberParseTests {
    static func parse(_ s: String) -> LuaValue? {
        Array(s.utf8).withUnsafeBufferPointer { LuaNumber.parse($0) }
    }

    @Test func parsesLikeTonumber() {
        // lua5.4 -e 'for _,s in ipairs{...} do local n = tonumber(s);
        //   print(string.format("%q", s), n, math.type(n)) end'
        let integers: [(String, Int64)] = [
            ("10", 10), ("0x10", 16), ("  12  ", 12), ("-0x1", -1), ("0xffffffffffffffff", -1),
            ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
            ("+5", 5), ("0X1F", 31), ("\t7\n", 7), ("0x7fffffffffffffff", Int64.max),
            ("0x10000000000000000", 0), ("00012", 12),
        ]
        for (s, i) in integers {
            let v = Self.parse(s)
            #expect(v?.tag == .integer && v?.integer == i, "\(s)")
        }
        let floats: [(String, Double)] = [
            ("9223372036854775808", 9_223_372_036_854_775_808.0),
            ("-9223372036854775809", -9_223_372_036_854_775_808.0),
            ("1e1", 10), ("1.5", 1.5), (".5", 0.5), ("5.", 5), ("0x1p4", 16), ("0x.8", 0.5),
            ("0x1.8p1", 3), ("1E+2", 100), ("1e400", .infinity), ("-1e400", -.infinity),
            ("0x1P-2", 0.25), (" -.5e1 ", -5),
        ]
        for (s, d) in floats {
            let v = Self.parse(s)
            #expect(v?.tag == .float && v?.float == d, "\(s)")
        }
        for s in ["inf", "nan", "1e", "", "  ", "0x", "1 2", "- 5", "abc", "3x", "-inf", "0x1p", "1\u{0}"] {
            #expect(Self.parse(s) == nil, "\(s)")
        }
    }
}

@Suite struct NumberArithTests {
    @Test func integerDivisionAndModulo() {
        // lua5.4 -e 'print(math.mininteger // -1, math.mininteger % -1, 7 // 2, -7 // 2, 7 // -2,
        //   -7 // -2, 7 % 3, -7 % 3, 7 % -3, -7 % -3, 0 % 5, 6 % -3)'
        // -> -9223372036854775808 0 3 -4 -4 3 1 2 -2 -1 0 0
        #expect(LuaArith.floorDiv(Int64.min, -1) == Int64.min)
        #expect(LuaArith.mod(Int64.min, -1) == 0)
        #expect(LuaArith.floorDiv(Int64(7), Int64(2)) == Int64(3))
        #expect(LuaArith.floorDiv(Int64(-7), Int64(2)) == Int64(-4))
        #expect(LuaArith.floorDiv(Int64(7), Int64(-2)) == Int64(-4))
        #expect(LuaArith.floorDiv(Int64(-7), Int64(-2)) == Int64(3))
        #expect(LuaArith.mod(Int64(7), Int64(3)) == Int64(1))
        #expect(LuaArith.mod(Int64(-7), Int64(3)) == Int64(2))
        #expect(LuaArith.mod(Int64(7), Int64(-3)) == Int64(-2))
        #expect(LuaArith.mod(Int64(-7), Int64(-3)) == Int64(-1))
        #expect(LuaArith.mod(Int64(0), Int64(5)) == Int64(0))
        #expect(LuaArith.mod(Int64(6), Int64(-3)) == Int64(0))
        #expect(LuaArith.floorDiv(Int64(1), Int64(0)) == nil)
        #expect(LuaArith.mod(Int64(1), Int64(0)) == nil)
    }

    @Test func floatDivisionAndModulo() {
        // lua5.4 -e 'print(5.0 % math.huge, -5.0 % math.huge, 5.0 % -math.huge, -5.0 % -math.huge,
        //   5.5 % 2, -5.5 % 2, 5.5 % -2, 1.0 % 0, 7.0 // 2, -7.0 // 2, 7 // 0.0, -7 // 0.0, 0/0 // 1)'
        // -> 5.0 inf -inf -5.0 1.5 0.5 -0.5 -nan 3.0 -4.0 inf -inf -nan
        #expect(LuaArith.mod(5.0, .infinity) == 5.0)
        #expect(LuaArith.mod(-5.0, .infinity) == .infinity)
        #expect(LuaArith.mod(5.0, -.infinity) == -.infinity)
        #expect(LuaArith.mod(-5.0, -.infinity) == -5.0)
        #expect(LuaArith.mod(5.5, 2) == 1.5)
        #expect(LuaArith.mod(-5.5, 2) == 0.5)
        #expect(LuaArith.mod(5.5, -2) == -0.5)
        #expect(LuaArith.mod(1.0, 0).isNaN)
        #expect(LuaArith.floorDiv(7.0, 2) == 3.0)
        #expect(LuaArith.floorDiv(-7.0, 2) == -4.0)
        #expect(LuaArith.floorDiv(7.0, 0.0) == .infinity)
        #expect(LuaArith.floorDiv(-7.0, 0.0) == -.infinity)
        #expect(LuaArith.floorDiv(Double.nan, 1).isNaN)
        // lua5.4 -e 'print(2^2, 2^0.5, (-8)^(1/3), 0^0, 2^-1, 10 // 3.0)'
        // -> 4.0 1.4142135623731 -nan 1.0 0.5 3.0
        #expect(LuaArith.pow(2, 2) == 4)
        #expect(String(decoding: LuaNumber.format(LuaArith.pow(2, 0.5)), as: UTF8.self) == "1.4142135623731")
        #expect(LuaArith.pow(-8, 1.0 / 3.0).isNaN)
        #expect(LuaArith.pow(0, 0) == 1)
        #expect(LuaArith.pow(2, -1) == 0.5)
        #expect(LuaArith.floorDiv(10.0, 3.0) == 3.0)
    }

    @Test func shifts() {
        // lua5.4 -e 'print(1 << 64, 1 << 63, 1 << -1, -1 >> 1, -1 >> 64, -1 << 64, 1 << -64,
        //   -1 >> 63, 3 << 2, 0xff >> -4, 1 >> -63)'
        // -> 0 -9223372036854775808 0 9223372036854775807 0 0 0 1 12 4080 -9223372036854775808
        #expect(LuaArith.shiftLeft(1, 64) == 0)
        #expect(LuaArith.shiftLeft(1, 63) == Int64.min)
        #expect(LuaArith.shiftLeft(1, -1) == 0)
        #expect(LuaArith.shiftRight(-1, 1) == Int64.max)
        #expect(LuaArith.shiftRight(-1, 64) == 0)
        #expect(LuaArith.shiftLeft(-1, 64) == 0)
        #expect(LuaArith.shiftLeft(1, -64) == 0)
        #expect(LuaArith.shiftRight(-1, 63) == 1)
        #expect(LuaArith.shiftLeft(3, 2) == 12)
        #expect(LuaArith.shiftRight(0xff, -4) == 4080)
        #expect(LuaArith.shiftRight(1, -63) == Int64.min)
        #expect(LuaArith.shiftRight(1, Int64.min) == 0)
    }

    @Test func integerConversions() {
        // lua5.4 -e 'print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(2^63),
        //   math.tointeger(-2^63), math.tointeger(-0.0))' -> 3 nil nil -9223372036854775808 0
        #expect(LuaArith.toInteger(3.0) == 3)
        #expect(LuaArith.toInteger(3.5) == nil)
        #expect(LuaArith.toInteger(9_223_372_036_854_775_808.0) == nil)
        #expect(LuaArith.toInteger(-9_223_372_036_854_775_808.0) == Int64.min)
        #expect(LuaArith.toInteger(-0.0) == 0)
        #expect(LuaArith.toInteger(.nan) == nil)
        #expect(LuaArith.toInteger(.infinity) == nil)
        #expect(LuaArith.floatToIntegerFloor(2.5) == 2)
        #expect(LuaArith.floatToIntegerFloor(-2.5) == -3)
        #expect(LuaArith.floatToIntegerCeil(2.5) == 3)
        #expect(LuaArith.floatToIntegerCeil(-2.5) == -2)
        #expect(LuaArith.floatToIntegerFloor(1e300) == nil)
        #expect(LuaArith.floatToIntegerCeil(.nan) == nil)
    }

    @Test func forLoopLimits() {
        // lua5.4: `for i=1,0/0,-1 do print("nanloop", i) break end` prints nanloop 1;
        // `for i=1,0/0 do ... end` prints nothing; `for i=1,1e300` and `for i=1,-1e300,-1` run;
        // `for i=3,2.5` does not run; `for i=3,3.5` runs once; `for i=-3,-3.5,-1` runs once.
        #expect(LuaArith.forLimit(initial: 1, limit: .nan, step: -1) == (Int64.min, false))
        #expect(LuaArith.forLimit(initial: 1, limit: .nan, step: 1).skip)
        #expect(LuaArith.forLimit(initial: 1, limit: 1e300, step: 1) == (Int64.max, false))
        #expect(LuaArith.forLimit(initial: 1, limit: -1e300, step: -1) == (Int64.min, false))
        #expect(LuaArith.forLimit(initial: 1, limit: 1e300, step: -1).skip)
        #expect(LuaArith.forLimit(initial: 3, limit: 2.5, step: 1).skip)
        #expect(LuaArith.forLimit(initial: 3, limit: 3.5, step: 1) == (3, false))
        #expect(LuaArith.forLimit(initial: -3, limit: -3.5, step: -1) == (-3, false))
    }

    @Test func exactMixedComparisons() {
        let big = LuaValue(Int64(1) << 53)          // 2^53 as an integer
        let bigPlus1 = LuaValue((Int64(1) << 53) + 1)
        let fbig = LuaValue(9_007_199_254_740_992.0) // 2^53 as a float
        // lua5.4 -e 'print(2^53 == 2^53+1, math.tointeger(2^53) == 2^53, 2^53 < 2^53+1,
        //   (1<<53)+1 > 2^53, (1<<53)+1 == 2^53, math.maxinteger < 2^63,
        //   math.maxinteger + 0.0 == 2^63, math.maxinteger == 2^63, math.mininteger == -2^63,
        //   math.mininteger < -2^63, math.mininteger <= -2^63)'
        // -> true true false true false true true false true false true
        #expect(LuaArith.numberEquals(fbig, LuaValue(9_007_199_254_740_992.0 + 1)))
        #expect(LuaArith.numberEquals(big, fbig))
        #expect(!LuaArith.lessThan(fbig, LuaValue(9_007_199_254_740_992.0 + 1)))
        #expect(LuaArith.lessThan(fbig, bigPlus1))
        #expect(!LuaArith.numberEquals(bigPlus1, fbig))
        let two63 = LuaValue(9_223_372_036_854_775_808.0)
        #expect(LuaArith.lessThan(LuaValue(Int64.max), two63))
        #expect(LuaArith.numberEquals(LuaValue(Double(Int64.max)), two63))
        #expect(!LuaArith.numberEquals(LuaValue(Int64.max), two63))
        #expect(LuaArith.numberEquals(LuaValue(Int64.min), LuaValue(-9_223_372_036_854_775_808.0)))
        #expect(!LuaArith.lessThan(LuaValue(Int64.min), LuaValue(-9_223_372_036_854_775_808.0)))
        #expect(LuaArith.lessEqual(LuaValue(Int64.min), LuaValue(-9_223_372_036_854_775_808.0)))
        // lua5.4 -e 'print(1 < 1.5, 2 <= 1.5, 1.5 < 2, math.maxinteger < math.huge,
        //   math.mininteger > -math.huge, 1 < 0/0, 0/0 < 1, math.maxinteger <= 0/0,
        //   9007199254740993 < 9007199254740992.0, 9007199254740993 <= 9007199254740992.0,
        //   9007199254740992.0 < 9007199254740993, 9007199254740993.0 == 9007199254740993)'
        // -> true false true true true false false false false false true false
        let one = LuaValue(Int64(1)), two = LuaValue(Int64(2)), onePointFive = LuaValue(1.5)
        #expect(LuaArith.lessThan(one, onePointFive))
        #expect(!LuaArith.lessEqual(two, onePointFive))
        #expect(LuaArith.lessThan(onePointFive, two))
        #expect(LuaArith.lessThan(LuaValue(Int64.max), LuaValue(Double.infinity)))
        #expect(LuaArith.lessThan(LuaValue(-Double.infinity), LuaValue(Int64.min)))
        #expect(!LuaArith.lessThan(one, LuaValue(Double.nan)))
        #expect(!LuaArith.lessThan(LuaValue(Double.nan), one))
        #expect(!LuaArith.lessEqual(LuaValue(Int64.max), LuaValue(Double.nan)))
        #expect(!LuaArith.lessThan(bigPlus1, fbig))
        #expect(!LuaArith.lessEqual(bigPlus1, fbig))
        #expect(LuaArith.lessThan(fbig, bigPlus1))
        #expect(!LuaArith.numberEquals(LuaValue(9_007_199_254_740_993.0), bigPlus1))
        // Large integers beyond 2^53 compare exactly against floats.
        let huge = LuaValue(Int64.max - 1)
        #expect(LuaArith.lessThan(huge, two63) && !LuaArith.lessThan(two63, huge))
        #expect(LuaArith.lessEqual(LuaValue(9.2233720368547748e18), LuaValue(Int64.max)))
        #expect(!LuaArith.lessThan(LuaValue(Int64(1)), .true))
    }
}
