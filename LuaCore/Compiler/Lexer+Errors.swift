/// Error messages with PUC's exact wording: `chunk:line: message near 'token'`.
extension Lexer {
    /// An error quoting `near` (the scanner's buffer) as the offending text.
    mutating func error(_ message: String, near: [UInt8]) -> LuaSyntaxError {
        var text = prefix(message)
        text += Array(" near '".utf8)
        // Lua formats the buffer with %s, which stops at the first zero byte.
        text += near.prefix { $0 != 0 }
        text.append(UInt8(ascii: "'"))
        return LuaSyntaxError(messageBytes: text, line: lineNumber)
    }

    /// An error naming token `kind` (the current token when it is a name, string or
    /// numeral); kind 0 means no "near" part (PUC's semantic errors).
    mutating func error(_ message: String, nearToken kind: Int32) -> LuaSyntaxError {
        var text = prefix(message)
        if kind != 0 {
            text += Array(" near ".utf8)
            text += tokenText(kind)
        }
        return LuaSyntaxError(messageBytes: text, line: lineNumber)
    }

    /// A syntax error about the current token (`luaX_syntaxerror`).
    mutating func syntaxError(_ message: String) -> LuaSyntaxError {
        error(message, nearToken: t.kind)
    }

    /// A semantic error: no "near" part (`luaK_semerror`).
    mutating func semanticError(_ message: String) -> LuaSyntaxError {
        error(message, nearToken: 0)
    }

    private mutating func prefix(_ message: String) -> [UInt8] {
        chunkID + Array(":\(lineNumber): ".utf8) + Array(message.utf8)
    }

    /// How a token is shown in messages (`txtToken`): names, strings and numerals quote
    /// their text; other tokens use their spelling.
    mutating func tokenText(_ kind: Int32) -> [UInt8] {
        switch kind {
        case Tk.name, Tk.string, Tk.flt, Tk.int:
            var text: [UInt8] = [UInt8(ascii: "'")]
            text += sourceText(of: t).prefix { $0 != 0 }
            text.append(UInt8(ascii: "'"))
            return text
        default:
            return Array(Lexer.tokenName(kind).utf8)
        }
    }

    /// The spelling of a token kind (`luaX_token2str`).
    static func tokenName(_ kind: Int32) -> String {
        if kind < Tk.firstReserved {
            if CharClass.isPrint(kind) { return "'\(Character(Unicode.Scalar(UInt8(kind))))'" }
            return "'<\\\(kind)>'"
        }
        let s = Tk.spellings[Int(kind - Tk.firstReserved)]
        return kind < Tk.eos ? "'\(s)'" : s
    }

    /// The text llex.c's buffer holds after scanning `tok`.
    mutating func sourceText(of tok: Token) -> [UInt8] {
        if tok.kind == Tk.string {
            let body = strings.bytes(tok.id)
            if tok.delimiter >= 0 {
                let q = UInt8(truncatingIfNeeded: tok.delimiter)
                return [q] + body + [q]
            }
            let eqs = [UInt8](repeating: 61, count: Int(-tok.delimiter - 1))
            return [91] + eqs + [91] + body + [93] + eqs + [93]
        }
        return Array(src[Int(tok.start)..<Int(tok.end)])
    }
}
