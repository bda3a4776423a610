#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LuaCore

/// `LuaNumber.formatG` against the C library's `%.<P>g` (the conversion lua5.4 itself calls),
/// on values chosen to hit its range limits, rounding ties and digit-count carries.
@Suite struct NumberFormatGTests {
    /// glibc's `%.<p>g` of `d`.
    static func c(_ d: Double, _ p: Int) -> String {
        let format = "%.\(p)g"
        var buffer = [CChar](repeating: 0, count: 64)
        let n = format.withCString { f in Int(_strfromd(&buffer, 64, f, d)) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `formatG`'s text, or nil when it leaves the value to C.
    static func fast(_ d: Double, _ p: Int) -> String? {
        var buffer = [UInt8](repeating: 0, count: 48)
        let n = buffer.withUnsafeMutableBufferPointer { LuaNumber.formatG(d, precision: p, into: $0.baseAddress!) }
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }

    @Test func boundariesAndTiesMatchC() {
        let values: [Double] = [
            0.1, 0.5, 1.5, 2.5, 0.3, 1.0 / 3.0, 2.0 / 3.0, 1e16, 9.999999999999999e16, 1e17 - 16,
            1e-16, 1.5e-16, 1e-5, 1e-4, 0.000123456, 0.30000000000000004, 9_007_199_254_740_994,
            99_999_999_999_999.5, 999_999_999_999_999.9, 0.095, 0.995, 9.5, 99.5, 0.05, 4.35, 8.345,
            125, 1024, 3, 100, 1e15, 1e14, 123_456.789, 6.02214076e23, 1.7976931348623157e308,
            .leastNonzeroMagnitude, 2.2250738585072014e-308, 0, -0.0, .infinity, -.infinity, .nan,
        ]
        var handled = 0
        for v in values + values.map({ -$0 }) {
            for p in 1...17 {
                guard let text = Self.fast(v, p) else { continue }
                handled += 1
                #expect(text == Self.c(v, p), "\(v) %.\(p)g")
            }
        }
        #expect(handled > 700)
    }

    @Test func pseudoRandomValuesMatchC() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var handled = 0
        for i in 0..<40_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let v: Double
            switch i % 4 {
            case 0: v = Double(seed >> 11) * 0x1p-53 * Double(1 << (seed & 31))
            case 1: v = Double((seed >> 20) % 10_000_000) / 7
            case 2: v = Double(bitPattern: 0x3C00_0000_0000_0000 &+ (seed >> 13))  // 2^-63 ..< 2^64
            default: v = Double((seed >> 30) % 1_000_000) / 8 + Double(seed % 97) * 1e-6
            }
            for p in [1, 3, 6, 14, 15, 16, 17] {
                guard let text = Self.fast(v, p) else { continue }
                handled += 1
                #expect(text == Self.c(v, p), "\(v) %.\(p)g")
            }
        }
        #expect(handled > 150_000)
    }
}
