import GCArena

/// A Lua error in flight: any Lua value, or a message not yet turned into a Lua string.
///
/// Errors raised deep inside the VM carry their text as bytes (`message`) so that raising
/// one never needs the string table; the executor interns it when a handler (pcall, a
/// coroutine's resumer, the host) receives it, prefixing the source position when asked.
///
/// A `LuaError` that holds a `value` is meaningful only inside `mutate` of its arena; the
/// embedding API converts errors to ``LuaScriptError`` before they reach the host.
public struct LuaError: Error, @unchecked Sendable {
    public enum Payload {
        /// A Lua value raised by `error` (or already converted).
        case value(LuaValue)
        /// A message; `position` asks the executor to prefix "chunk:line: ".
        case message([UInt8], position: Bool)
    }

    public var payload: Payload
    /// The traceback captured where the error was raised, if requested.
    public var traceback: [UInt8]?

    public init(_ payload: Payload) { self.payload = payload }

    /// An error carrying a Lua value.
    public init(value: LuaValue) { self.payload = .value(value) }

    /// A runtime error whose message gets the current source position.
    public static func runtime(_ message: String) -> LuaError {
        LuaError(.message(Array(message.utf8), position: true))
    }

    /// An error message without a position.
    public static func plain(_ message: String) -> LuaError {
        LuaError(.message(Array(message.utf8), position: false))
    }

    static func stackOverflow(_ mc: borrowing Mutation) -> LuaError { .runtime("stack overflow") }
    static func outOfMemory(_ mc: borrowing Mutation) -> LuaError { .plain("not enough memory") }
}

/// A Lua error as the host sees it: the message and the traceback, as Swift strings.
public struct LuaScriptError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The error message (`tostring` of the error value, or a description for non-strings).
    public var message: String
    /// The traceback, if one was captured.
    public var traceback: String?

    public init(message: String, traceback: String? = nil) {
        self.message = message
        self.traceback = traceback
    }

    public var description: String {
        if let traceback { return message + "\n" + traceback }
        return message
    }
}
