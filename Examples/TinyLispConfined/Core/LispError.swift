/// An error a TinyLisp program raised: a value the host receives, never a crash.
public struct LispError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case syntax = "syntax error"
        case unboundVariable = "unbound variable"
        case wrongType = "wrong type"
        case arity = "wrong number of arguments"
        case badForm = "bad special form"
        case arithmetic = "arithmetic error"
        case user = "error"
        case memory = "out of memory"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
