// Number-to-text conversions: Lua's `tostring` rules and a bridge to the C library's
// `vsnprintf`, which PUC uses for every numeric `string.format` conversion. Calling the
// same glibc routine is how `%g`, `%e`, `%f` and `%a` match lua5.4 byte for byte.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore

/// Lua's number-to-string conversions, over bytes: `tostring`'s rules, as LuaCore's
/// `LuaNumber` implements them (one formatter for the VM and the string library).
public enum LuaNumberText {
    /// Appends `value` in decimal, as `tostring` writes an integer (`%lld`).
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        output.append(contentsOf: LuaNumber.format(value))
    }

    /// Appends `value` as `tostring` writes a float: `%.14g`, plus ".0" when the result
    /// looks like an integer.
    public static func appendFloat(_ value: Double, to output: inout [UInt8]) {
        LuaNumber.withFormatted(value) { output.append(contentsOf: $0) }
    }
}

/// Calls the C library's `vsnprintf` with one numeric argument.
enum CFormat {
    /// The largest item PUC formats (`MAX_ITEMF` for `%.99f` of the largest double, plus slack).
    static let capacity = 512

    /// Formats `value` with the NUL-terminated C format `spec` and appends the result.
    static func appendDouble(_ value: Double, spec: UnsafePointer<CChar>, to output: inout [UInt8]) {
        append(to: &output) { buffer, size in
            withVaList([value]) { vsnprintf(buffer, size, spec, $0) }
        }
    }

    /// Formats an Int64 (the spec must use the `ll` length modifier) and appends the result.
    static func appendInt64(_ value: Int64, spec: UnsafePointer<CChar>, to output: inout [UInt8]) {
        append(to: &output) { buffer, size in
            withVaList([value]) { vsnprintf(buffer, size, spec, $0) }
        }
    }

    /// Formats a pointer with `%p` flags and appends the result (an address passes as a
    /// 64-bit word, which is how the x86-64 and arm64 ABIs pass `void *`).
    static func appendPointer(_ value: UInt, spec: UnsafePointer<CChar>, to output: inout [UInt8]) {
        append(to: &output) { buffer, size in
            withVaList([value]) { vsnprintf(buffer, size, spec, $0) }
        }
    }

    /// Formats a `%c` item (an `int` argument) and appends the result.
    static func appendCharacter(_ value: Int32, spec: UnsafePointer<CChar>, to output: inout [UInt8]) {
        append(to: &output) { buffer, size in
            withVaList([value]) { vsnprintf(buffer, size, spec, $0) }
        }
    }

    private static func append(
        to output: inout [UInt8], _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32
    ) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            // SAFETY: vsnprintf writes at most `capacity` bytes including the NUL and
            // returns the length it wanted, which we clamp to what it actually wrote.
            guard let base = buffer.baseAddress else { return }
            let wanted = Int(body(base, capacity))
            let count = max(0, min(wanted, capacity - 1))
            UnsafeRawPointer(base).withMemoryRebound(to: UInt8.self, capacity: count) {
                output.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
            }
        }
    }
}
