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
    /// The Swift error a host function threw, kept so the host sees it as the cause.
    public var cause: (any Error)?

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

/// A Lua error as the host sees it: what kind of failure, its message and traceback, the
/// Lua error value, and (for errors a Swift host function threw) the original Swift error.
///
/// Equality compares ``kind``, ``message`` and ``traceback``.
///
/// `Sendable` with one caveat: ``value`` may hold a ``LuaReference`` (a table raised by
/// `error{...}`), which belongs to its state's isolation domain; read it only there.
public struct LuaScriptError: Error, CustomStringConvertible, @unchecked Sendable, Equatable {
    /// What failed.
    public enum Kind: Sendable, Equatable {
        /// The chunk did not compile (see ``LuaScriptError/isIncompleteInput``).
        case syntax
        /// A Lua error raised while running (by `error`, an operator, a library function).
        case runtime
        /// An allocation failed ("not enough memory"), for example past ``Lua/memoryLimit``.
        case memory
        /// The run was stopped by ``Lua/interrupt``, by a deadline or by task cancellation.
        case interrupted
        /// The run spent its fuel budget (``LuaLimits/fuel``).
        case outOfFuel
        /// A Swift host function threw a Swift error (kept in ``LuaScriptError/cause``).
        case host
        /// The host used the API in a way it does not support (a re-entrant call, a value
        /// from another state, a closed state); the message says what to do instead.
        case misuse
    }

    /// What failed.
    public var kind: Kind
    /// The error message (`tostring` of the error value, or a description for non-strings).
    public var message: String
    /// The traceback, if one was captured.
    public var traceback: String?
    /// The Lua error value (what `pcall` would have returned), when there is one.
    public var value: LuaHostValue?
    /// For ``Kind/host`` errors: the Swift error the host function threw.
    public var cause: (any Error)?
    /// For ``Kind/syntax`` errors: the chunk ended where more input could complete it
    /// (an unfinished block, string or expression), as lua.c's REPL checks for `<eof>`.
    public var isIncompleteInput: Bool

    public init(message: String, traceback: String? = nil) {
        self.init(kind: .runtime, message: message, traceback: traceback)
    }

    /// An error of the given kind.
    public init(kind: Kind, message: String, traceback: String? = nil, value: LuaHostValue? = nil,
                cause: (any Error)? = nil, isIncompleteInput: Bool = false) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.value = value
        self.cause = cause
        self.isIncompleteInput = isIncompleteInput
    }

    public var description: String {
        if let traceback { return message + "\n" + traceback }
        return message
    }

    public static func == (a: LuaScriptError, b: LuaScriptError) -> Bool {
        a.kind == b.kind && a.message == b.message && a.traceback == b.traceback
    }
}
