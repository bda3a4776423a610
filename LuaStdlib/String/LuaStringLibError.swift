// Errors and argument access shared by the string-library engines.
//
// The engines never see Lua values. They ask the binding for arguments through
// `LuaStringArguments` (numbered as Lua numbers them: the format string of
// `string.format` is argument 1) and report failures as `LuaStringLibError`, which says
// whether PUC raises it with `luaL_argerror` (a "bad argument" error naming an argument)
// or with a plain `luaL_error`.

/// A string-library failure, in the shape PUC-Rio's `lstrlib.c` raises it.
///
/// When `argument` is set, the binding raises
/// `bad argument #<argument> to '<function>' (<message>)`; otherwise it raises `message`
/// as is. `message` is bytes because some messages quote pieces of the user's format
/// string, which need not be UTF-8.
public struct LuaStringLibError: Error, Equatable, Sendable {
    /// The Lua argument position the error blames, or nil for a plain `luaL_error`.
    public var argument: Int?
    /// The message without the "bad argument" prefix.
    public var message: [UInt8]
    /// When set, the binding appends this argument's type name (as messages show it, with
    /// `__name`) to `message`: only the binding can see the value, and only errors need it.
    var typeNameArgument: Int?
    /// When set, `%s` met this argument with a `__tostring` metamethod: the binding must
    /// convert it (a Lua call) and format again. Not an error the script sees.
    var tostringArgument: Int?

    /// Creates an error that blames no argument (PUC's `luaL_error`).
    public init(message: [UInt8]) {
        self.argument = nil
        self.message = message
    }

    /// Creates an error that blames argument `argument` (PUC's `luaL_argerror`).
    public init(argument: Int, message: [UInt8]) {
        self.argument = argument
        self.message = message
    }

    /// Creates an error from an ASCII message literal.
    @usableFromInline
    init(_ text: StaticString, argument: Int? = nil) {
        self.argument = argument
        self.message = text.withUTF8Buffer { Array($0) }
    }

    /// The complete message Lua shows, naming `function` for argument errors.
    public func fullMessage(function: String) -> [UInt8] {
        guard let argument else { return message }
        var out = Array("bad argument #\(argument) to '\(function)' (".utf8)
        out += message
        out.append(UInt8(ascii: ")"))
        return out
    }

    /// The message as text, for tests and diagnostics.
    public var text: String { String(decoding: message, as: UTF8.self) }
}

/// The `string.format` engine's error type: the same shape as every string-library error.
public typealias LuaFormatError = LuaStringLibError

/// The `string.pack`/`unpack`/`packsize` engines' error type.
public typealias LuaPackError = LuaStringLibError

/// How an engine reads the Lua arguments of the call it serves.
///
/// Positions are Lua argument numbers (1-based, counting the format string). Each method
/// performs the conversion PUC's matching `luaL_check*` function performs and throws the
/// error that function would raise (for example argument 3, "number has no integer
/// representation"), so the engine never needs to know about Lua values.
public protocol LuaStringArguments {
    /// The number of arguments passed (Lua's `lua_gettop`), counting the format string.
    var count: Int { get }
    /// `luaL_checkinteger`: an integer, a float with an exact integer value, or a
    /// string convertible to one.
    func integer(at position: Int) throws(LuaStringLibError) -> Int64
    /// `luaL_checknumber`: a number or a string convertible to one.
    func number(at position: Int) throws(LuaStringLibError) -> Double
    /// `luaL_checklstring`: a string, or a number converted with Lua's `tostring` rules.
    func withString<R>(
        at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) throws(LuaStringLibError) -> R
}

/// The literal form of an argument, as `%q` needs it.
public enum LuaFormatLiteral: Sendable {
    /// A Lua integer.
    case integer(Int64)
    /// A Lua float.
    case float(Double)
    /// A Lua string; the engine asks for its bytes with `withString(at:)`.
    case string
    /// `nil`, `true` or `false`: written as Lua's `tostring` writes them.
    case nilOrBoolean([UInt8])
    /// Any other value: `%q` raises "value has no literal form".
    case other
}

/// How the `string.format` engine reads its arguments; adds what `%s`, `%q` and `%p` need.
public protocol LuaFormatArguments: LuaStringArguments {
    /// `luaL_tolstring`: any value converted as `tostring` converts it (the binding
    /// resolves `__tostring` and `__name` before or while answering).
    func withDisplayString<R>(
        at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) throws(LuaStringLibError) -> R
    /// The value's kind and payload for `%q`.
    func literal(at position: Int) throws(LuaStringLibError) -> LuaFormatLiteral
    /// `lua_topointer`: the identity address of a table, function, thread, userdata, light
    /// userdata or (as lua5.4 does) string, or 0 for values that have none (`%p` then
    /// prints "(null)").
    func pointer(at position: Int) throws(LuaStringLibError) -> UInt
}
