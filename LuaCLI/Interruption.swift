#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore

/// Ctrl-C while Lua code runs, as lua.c's `laction`: the first SIGINT raises the Lua error
/// "interrupted!" in the running function at the next slice boundary (with the position and
/// traceback lua.c's `lstop` hook gives it; `pcall` can catch it); the handler then restores
/// the default action, so a second Ctrl-C ends the process. Outside a call SIGINT keeps its default action.
enum Interruption {
    /// The `Lua` whose call is running (nil between calls).
    nonisolated(unsafe) static var target: Lua?
    /// Whether the last call was stopped by SIGINT.
    nonisolated(unsafe) static var happened = false

    /// Runs `body` (a call into `lua`) with SIGINT turned into an interrupt request.
    static func whileRunning<T>(_ lua: Lua, _ body: () throws(LuaScriptError) -> T) throws(LuaScriptError) -> T {
        target = lua
        happened = false
        lua.interruptErrorMessage = "interrupted!"
        signal(SIGINT, handler)
        defer {
            signal(SIGINT, SIG_DFL)
            target = nil
            lua.interruptErrorMessage = nil
        }
        do {
            return try body()
        } catch {
            // "interrupted!" is raised in the running Lua function (see `interruptErrorMessage`);
            // an interrupt that finds a host function running ends the call here instead.
            if happened && error.message == "interrupted" { throw LuaScriptError(message: "interrupted!") }
            throw error
        }
    }

    private static let handler: @convention(c) (Int32) -> Void = { _ in
        signal(SIGINT, SIG_DFL)
        happened = true
        target?.interrupt.request()
    }
}
