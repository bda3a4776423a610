import Testing
import LuaStdlib

/// `tostring` of numbers (`%.14g` plus ".0"), recorded with `lua5.4 -e "print(tostring(<expr>))"`.
@Suite struct NumberTextTests {
    func float(_ d: Double) -> String {
        var out: [UInt8] = []
        LuaNumberText.appendFloat(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func integer(_ i: Int64) -> String {
        var out: [UInt8] = []
        LuaNumberText.appendInteger(i, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func floats() {
        #expect(float(1e15) == "1e+15")                  // tostring(1e15)
        #expect(float(1e16) == "1e+16")                  // tostring(1e16)
        #expect(float(0.1) == "0.1")                     // tostring(0.1)
        #expect(float(-0.0) == "-0.0")                   // tostring(-0.0)
        #expect(float(1.0 / 3) == "0.33333333333333")    // tostring(1/3)
        #expect(float(0x1p63) == "9.2233720368548e+18")  // tostring(2^63)
        #expect(float(100) == "100.0")                   // tostring(100.0)
        #expect(float(-.infinity) == "-inf")             // tostring(-1e308*10)
        #expect(float(-.nan) == "-nan")                  // tostring(0/0) (x86-64 makes a negative NaN)
        #expect(float(.nan) == "nan")                    // tostring(-(0/0))
        #expect(float(1e100) == "1e+100")                // tostring(1e100)
        #expect(float(Double.leastNonzeroMagnitude) == "4.9406564584125e-324") // tostring(5e-324)
        #expect(float(0x1p53) == "9.007199254741e+15")   // tostring(2^53)
        #expect(float(-2.5) == "-2.5")                   // tostring(-2.5)
    }

    @Test func integers() {
        #expect(integer(0) == "0")
        #expect(integer(-1) == "-1")
        #expect(integer(123456789012345) == "123456789012345")  // tostring(123456789012345)
        #expect(integer(.max) == "9223372036854775807")         // tostring(math.maxinteger)
        #expect(integer(.min) == "-9223372036854775808")        // tostring(math.mininteger)
    }
}
