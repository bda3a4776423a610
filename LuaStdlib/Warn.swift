#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// warn (PUC's luaB_warn with lauxlib's warnf): pieces are concatenated into one message,
// "Lua warning: ...\n" on stderr. A one-piece message starting with '@' is a control
// message: "@on" and "@off" switch warnings (off at start, as in lua5.4; moonlet's -W sets
// `Lua.warningsEnabled`), anything else is ignored.

/// The global `warn`.
public enum WarnLibrary {
    /// Writes to C's (unbuffered) stderr.
    public static func standardError(_ bytes: UnsafeRawBufferPointer) {
        _ = fwrite(bytes.baseAddress, 1, bytes.count, stderr)
        fflush(stderr)
    }

    /// Registers `warn`; messages go to `sink` (stderr by default).
    public static func open(_ lua: Lua, sink: @escaping (UnsafeRawBufferPointer) -> Void = WarnLibrary.standardError) {
        // Errors in __gc metamethods are warnings too ("error in __gc (...)").
        lua.warningSink = sink
        _ = try? lua.register("warn") { ctx in
            var pieces: [[UInt8]] = []
            _ = try ctx.checkString(1)
            for i in 1...max(1, ctx.argumentCount) { pieces.append(try ctx.checkBytes(i)) }
            if pieces.count == 1, pieces[0].first == UInt8(ascii: "@") {
                if pieces[0] == Array("@on".utf8) { ctx.warningsEnabled = true }
                else if pieces[0] == Array("@off".utf8) { ctx.warningsEnabled = false }
                return .results(0)
            }
            guard ctx.warningsEnabled else { return .results(0) }
            let message = Array("Lua warning: ".utf8) + pieces.joined() + [0x0A]
            message.withUnsafeBytes { sink($0) }
            return .results(0)
        }
    }
}
