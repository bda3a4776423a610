/// A compile error with PUC-Rio Lua's exact message text.
///
/// `message` is the whole text Lua would report, for example
/// `x.lua:3: '=' expected near 'y'`; `messageBytes` is the same text as raw bytes, which
/// matters when the offending token holds bytes that are not valid UTF-8.
public struct LuaSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The full message as bytes, exactly as Lua prints it.
    public let messageBytes: [UInt8]
    /// The line the lexer was on when the error was found (0 when the error has no position).
    public let line: Int

    /// Creates an error from its full message bytes.
    public init(messageBytes: [UInt8], line: Int) {
        self.messageBytes = messageBytes
        self.line = line
    }

    /// The full message, decoded as UTF-8 (invalid bytes become U+FFFD).
    public var message: String { String(decoding: messageBytes, as: UTF8.self) }

    public var description: String { message }
}
